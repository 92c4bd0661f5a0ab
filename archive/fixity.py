"""Fixity: every stored file re-hashed against its name and the database.

A file is stored at `files/<aa>/<sha256>.<ext>` and listed in `files`; `verify()` reads
each listed file and reports what is `missing`, `corrupt` (its bytes no longer hash to its
name: bit rot, a stray write) or `orphaned` (under `files/`, listed nowhere). A corrupt
file is moved aside to `quarantine/`, never deleted: the stored copy is gone from its
place, so the next crawl fetches the attachment again unconditionally (no ETag is sent
for a file not on disk) and stores the bytes that hash right. Each run and each finding
is recorded (`fixity_runs`, `fixity_problems`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from archive.store import Store, utcnow

CHUNK = 1 << 20
QUARANTINE = "quarantine"


@dataclass(frozen=True)
class Finding:
    kind: str  # missing | corrupt | orphaned
    path: str  # relative to the archive directory
    sha256: str | None
    detail: str
    moved_to: str | None = None

    def line(self) -> str:
        moved = f"; moved to {self.moved_to}" if self.moved_to else ""
        return f"{self.kind} {self.path}: {self.detail}{moved}"


@dataclass
class Report:
    run_id: int
    files_checked: int = 0
    bytes_checked: int = 0
    findings: list[Finding] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(f.kind == kind for f in self.findings)


def sha256_of(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def verify(
    store: Store, *, progress: Callable[[int], None] | None = None, move_aside: bool = True
) -> Report:
    """Check every stored file (see the module's doc); `progress(bytes)` after each."""
    started = utcnow()
    with store.db.atomic():
        run_id = int(
            store.conn.execute(
                "insert into fixity_runs (started_at) values (?)", [started]
            ).lastrowid
            or 0
        )
    report = Report(run_id)
    listed: set[str] = set()
    moved_aside = dict(
        store.conn.execute(
            "select sha256, moved_to from fixity_problems where moved_to is not null order by id"
        ).fetchall()
    )
    rows = store.conn.execute("select sha256, path, size from files order by path").fetchall()
    for sha, rel, size in rows:
        listed.add(rel)
        finding = _check(store.root, sha, rel, size, report, moved_aside)
        if finding is not None and finding.kind == "corrupt" and move_aside:
            finding = _move_aside(store.root, finding)
        if finding is not None:
            report.findings.append(finding)
        if progress is not None:
            progress(size or 0)
    known = {row[0] for row in rows}
    for rel in _stored_names(store.root):
        if rel not in listed:
            sha = Path(rel).stem
            detail = (
                f"a second copy of {sha[:12]}…, stored as another path"
                if sha in known
                else "under files/ but in no row of `files`"
            )
            report.findings.append(Finding("orphaned", rel, None, detail))
    _record(store, report, started)
    return report


def _check(
    root: Path,
    sha: str,
    rel: str,
    size: int | None,
    report: Report,
    moved_aside: dict[str, str],
) -> Finding | None:
    path = root / rel
    if not path.is_file():
        aside = moved_aside.get(sha)
        detail = (
            f"moved aside as corrupt to {aside}; the next crawl fetches it again"
            if aside
            else "listed in `files` but not on disk"
        )
        return Finding("missing", rel, sha, detail)
    actual, length = sha256_of(path)
    report.files_checked += 1
    report.bytes_checked += length
    if Path(rel).stem != sha:
        return Finding("corrupt", rel, sha, f"its name is not its recorded sha256 {sha[:12]}…")
    if actual != sha:
        return Finding(
            "corrupt", rel, sha, f"hashes to {actual[:12]}…, not {sha[:12]}… ({length} bytes)"
        )
    if size is not None and length != size:
        return Finding("corrupt", rel, sha, f"{length} bytes, the database says {size}")
    return None


def _move_aside(root: Path, finding: Finding) -> Finding:
    """Put a corrupt file under quarantine/ (kept: it may be all there is of it)."""
    stamp = utcnow().replace(":", "").replace("-", "")
    target = root / QUARANTINE / f"{Path(finding.path).name}.{stamp}"
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(root / finding.path, target)
    return Finding(
        finding.kind,
        finding.path,
        finding.sha256,
        finding.detail,
        str(target.relative_to(root)),
    )


def _stored_names(root: Path) -> Iterator[str]:
    """Every file under files/ (a write in progress, `*.tmp`, is not a stored file)."""
    for path in sorted((root / "files").glob("*/*")):
        if path.is_file() and path.suffix != ".tmp":
            yield str(path.relative_to(root))


def _record(store: Store, report: Report, started: str) -> None:
    now = utcnow()
    with store.db.atomic():
        store.db.table("fixity_problems").insert_all(
            {
                "run_id": report.run_id,
                "time": now,
                "kind": f.kind,
                "path": f.path,
                "sha256": f.sha256,
                "detail": f.detail,
                "moved_to": f.moved_to,
            }
            for f in report.findings
        )
        store.db.table("fixity_runs").update(
            report.run_id,
            {
                "finished_at": now,
                "files_checked": report.files_checked,
                "bytes_checked": report.bytes_checked,
                "missing": report.count("missing"),
                "corrupt": report.count("corrupt"),
                "orphaned": report.count("orphaned"),
            },
        )
