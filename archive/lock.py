"""One crawl at a time per archive: an exclusive lock on `crawl.lock` in the archive
directory, held from the start of a crawl to its end.

The operating system releases the lock when its holder dies however it dies (`kill -9`
included), so a lock is never stale: a crawl that finds it free knows that any crawl
still marked `running` in the database is dead. The file names its holder (pid, crawl,
time) for the one line a second crawl prints before it exits.
"""

from __future__ import annotations

import fcntl
import os
import socket
from pathlib import Path

LOCK_NAME = "crawl.lock"


class ArchiveBusy(RuntimeError):
    """Another process holds the archive's crawl lock."""


class CrawlLock:
    def __init__(self, root: Path):
        self.path = Path(root) / LOCK_NAME
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, what: str) -> None:
        """Take the lock at once or raise ArchiveBusy naming the holder."""
        if self._fd is not None:
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 512, 0).decode("utf-8", "replace").strip() or "another process"
            os.close(fd)
            raise ArchiveBusy(
                f"archive {self.path.parent} is being crawled by {holder}; "
                "one crawl at a time (wait for it, or stop it)"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()}, {what}\n".encode(), 0)
        self._fd = fd

    def note(self, what: str) -> None:
        """Say more of the holder (the crawl's id, once it has one)."""
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            os.pwrite(
                self._fd, f"pid {os.getpid()} on {socket.gethostname()}, {what}\n".encode(), 0
            )

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        os.ftruncate(fd, 0)  # the holder's line goes with the lock
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
