"""Extraction beside the crawl: stored PDFs are read by the extractor in worker processes,
one per core, at the idle CPU priority (they use what the crawl leaves), so downloads never
wait for them. Callers feed the pool a few files at a time (`window`): the pool's queues
stay small, and what was never fed can be left for later at once.

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

#: Niceness of the workers where the idle scheduling class is not available.
WORKER_NICENESS = 19


def default_workers() -> int:
    return max(
        1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )


def _lower_priority() -> None:
    """Run only on CPU time nobody else wants (Linux SCHED_IDLE), else at the lowest nice."""
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):
        with contextlib.suppress(OSError):
            os.nice(WORKER_NICENESS)


class ExtractionPool:
    """Worker processes that extract files; `submit()` returns a future of the
    extractor's JSON answer ({"error": …} when the file could not be read)."""

    def __init__(self, workers: int | None = None):
        self.workers = workers or default_workers()
        self._pool: ProcessPoolExecutor | None = None

    @property
    def window(self) -> int:
        """How many files to have submitted at once: enough to keep every worker busy."""
        return 2 * self.workers

    def submit(self, path: str, context: dict[str, Any] | None = None) -> Future[dict[str, Any]]:
        if self._pool is None:
            # spawn, not fork: the crawl process runs threads (the reactor's, the browser's)
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_lower_priority,
            )
        return self._pool.submit(extract_file, path, context)

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
