"""Extraction beside the crawl: stored PDFs are read by the extractor in worker processes,
one per core, at the idle CPU priority (they use what the crawl leaves), so downloads never
wait for them. Callers feed the pool a few files at a time (`window`): the pool's queues
stay small, and what was never fed can be left for later at once.

The archive calls the extractor (`extract/`), never the other way round. Each file is read
under a memory and a time limit (`Limits`); a worker that goes over one is killed and
replaced (pebble's pool), and that file alone is a recorded `extract_failed`. A worker
dies with the process that started it.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import resource
import signal
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from functools import partial
from typing import Any

from pebble import ProcessExpired, ProcessPool

from archive.totals import extract_file

#: Niceness of the workers where the idle scheduling class is not available.
WORKER_NICENESS = 19


def default_workers() -> int:
    return max(
        1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )


def _start_worker(parent: int, memory: int) -> None:
    """A worker dies with the process that started it, maps at most `memory` bytes of
    data, and runs at the lowest priority."""
    _die_with(parent)
    _limit_memory(memory)
    _lower_priority()


def _limit_memory(memory: int) -> None:
    """Past the bound an allocation fails: MemoryError in Python, an abort in PDFium (the
    worker dies; the pool records it and starts another)."""
    with contextlib.suppress(ValueError, OSError):
        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        if hard != resource.RLIM_INFINITY:
            memory = min(memory, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (memory, hard))


def _die_with(parent: int) -> None:
    """Killed (SIGKILL) when its parent dies, however it dies: a crawl killed with -9 leaves
    no worker waiting forever (Linux's PR_SET_PDEATHSIG; elsewhere a watch thread)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # it died before the line above took effect
        os._exit(1)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


_PR_SET_PDEATHSIG = 1


def _lower_priority() -> None:
    """Run only on CPU time nobody else wants (Linux SCHED_IDLE), else at the lowest nice."""
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):
        with contextlib.suppress(OSError):
            os.nice(WORKER_NICENESS)


@dataclass(frozen=True)
class Limits:
    """Bounds of one file's extraction (settings EXTRACT_MAX_MEMORY, EXTRACT_TIME_LIMIT).

    `memory`: bytes of data a worker may map (RLIMIT_DATA: its heap and anonymous maps, not
    its shared libraries); OCR of a scan needs about 0.5 GB, a PDF whose streams inflate
    to gigabytes is stopped. `seconds`: wall-clock time of one file (OCR of the 40 pages
    read at most takes a few minutes on a loaded machine)."""

    memory: int = 1024 * 1024 * 1024
    seconds: float = 900.0

    def describe(self, what: str) -> str:
        if what == "memory":
            return f"EXTRACT_MAX_MEMORY = {self.memory // (1024 * 1024)} MB"
        return f"EXTRACT_TIME_LIMIT = {self.seconds:g} s"


class ExtractionPool:
    """Worker processes that extract files; `submit()` returns a future of the
    extractor's JSON answer, never an exception: {"error": …} when the file could not be
    read, and with `"limit"` too when it went over a bound (its worker is then replaced)."""

    def __init__(self, workers: int | None = None, limits: Limits | None = None):
        self.workers = workers or default_workers()
        self.limits = limits or Limits()
        self._pool: ProcessPool | None = None

    @property
    def window(self) -> int:
        """How many files to have submitted at once: enough to keep every worker busy."""
        return 2 * self.workers

    def submit(self, path: str, context: dict[str, Any] | None = None) -> Future[dict[str, Any]]:
        if self._pool is None:
            # spawn, not fork: the crawl process runs threads (the reactor's, the browser's)
            self._pool = ProcessPool(
                self.workers,
                initializer=_start_worker,
                initargs=(os.getpid(), self.limits.memory),
                context=multiprocessing.get_context("spawn"),
            )
        task = self._pool.schedule(extract_file, (path, context), timeout=self.limits.seconds)
        answer: Future[dict[str, Any]] = Future()
        task.add_done_callback(partial(self._answer, answer))
        return answer

    def _answer(self, answer: Future[dict[str, Any]], task: Future[dict[str, Any]]) -> None:
        if task.cancelled():
            answer.cancel()
            return
        try:
            result = task.result()
        except TimeoutError:
            result = self._over("time", "over the time limit")
        except ProcessExpired as exc:
            died = f"the worker died ({_signal_name(exc.exitcode)}): over the memory limit"
            result = self._over("memory", died, "or a crash of the PDF library")
        except Exception as exc:  # noqa: BLE001 - any failure is a recorded result
            result = {"error": f"extract_failed: {type(exc).__name__}: {exc}"[:500]}
        else:
            # extract_file answers every exception, a MemoryError past RLIMIT_DATA too
            if str(result.get("error") or "").startswith("MemoryError"):
                result = self._over("memory", "over the memory limit")
        if answer.set_running_or_notify_cancel():
            answer.set_result(result)

    def shutdown(self, *, cancel: bool = False) -> None:
        """Stop the workers: after the work given (default), or at once, leaving what is
        not done (`budget-archive reextract` picks it up)."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if cancel:
            pool.stop()
        else:
            pool.close()
        pool.join()

    def _over(self, what: str, why: str, more: str = "") -> dict[str, Any]:
        """The answer for a file over a limit: `extract_failed`, naming the setting."""
        setting = self.limits.describe(what)
        return {
            "error": f"extract_failed: {why} ({setting})" + (f" {more}" if more else ""),
            "limit": setting.split(" = ", 1)[0],
        }


def _signal_name(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        with contextlib.suppress(ValueError):
            return signal.Signals(-exitcode).name
    return f"exit code {exitcode}"
