"""Content-addressed storage of archived files.

A file lives at `files/<first two hex digits>/<sha256>.<ext>` below the archive directory.
A stored file is never overwritten or deleted: writing content that is already there is a
no-op, and a new file appears only by an atomic rename of a complete temporary file, so a
crash mid-write leaves at most a stray `*.tmp`.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    path: str  # relative to the archive directory
    created: bool  # False when the content was already stored


class FileStore:
    def __init__(self, root: Path):
        self.root = Path(root)

    def relpath(self, sha256: str, ext: str) -> str:
        return f"files/{sha256[:2]}/{sha256}.{ext}"

    def exists(self, relpath: str) -> bool:
        return (self.root / relpath).is_file()

    def sweep(self) -> int:
        """Remove the temporary files of writes that never completed (a crash mid-write);
        only while no crawl runs (the caller holds the crawl lock). Returns how many."""
        swept = 0
        for tmp in (self.root / "files").glob("*/*.tmp"):
            tmp.unlink(missing_ok=True)
            swept += 1
        return swept

    def put(self, body: bytes, ext: str) -> StoredFile:
        """Store `body` (once) under its SHA-256 with the extension `ext`."""
        sha = hashlib.sha256(body).hexdigest()
        rel = self.relpath(sha, ext)
        target = self.root / rel
        if target.is_file():
            return StoredFile(sha, len(body), rel, created=False)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(body)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o444)
            # link() fails rather than replace when the target appeared meanwhile.
            try:
                os.link(tmp, target)
            except FileExistsError:
                return StoredFile(sha, len(body), rel, created=False)
        finally:
            os.unlink(tmp)
        _fsync_dir(target.parent)  # the new name survives a power cut too
        return StoredFile(sha, len(body), rel, created=True)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
