"""Extraction beside the crawl: stored PDFs are read by the extractor in worker processes,
one per core, at a lower CPU priority than the crawl, so downloads never wait for them.

The archive calls the extractor (`extract/`), never the other way round. A worker that
crashes or a PDF that breaks the parser is a recorded error, not a dead crawl.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from archive.totals import extract_file

#: Niceness of the workers: the crawl (and the portal's answers) come first.
WORKER_NICENESS = 10


def default_workers() -> int:
    return max(
        1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )


def _lower_priority() -> None:
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)


class ExtractionPool:
    """Worker processes that extract files; `submit()` returns a future of the
    extractor's JSON answer ({"error": …} when the file could not be read)."""

    def __init__(self, workers: int | None = None):
        self.workers = workers or default_workers()
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, path: str) -> Future[dict[str, Any]]:
        if self._pool is None:
            # spawn, not fork: the crawl process runs threads (the reactor's, the browser's)
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_lower_priority,
            )
        return self._pool.submit(extract_file, path)

    def shutdown(self, *, cancel: bool = False) -> None:
        """Stop the workers: after the work given (default), or at once, leaving what is
        not done (`budget-archive reextract` picks it up)."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if not cancel:
            pool.shutdown(wait=True)
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            with contextlib.suppress(Exception):
                process.terminate()
