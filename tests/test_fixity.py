"""`budget-archive verify`: every stored file re-hashed; missing, corrupt and orphaned files
reported one a line with a non-zero exit; a corrupt file moved aside and fetched again by
the next crawl, unconditionally."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import sqlite_utils

from tests.localsite import ROOT, LocalSite, crawl_command

UNITS = ("甲局", "乙局", "丙局")


def pdf(unit: str) -> bytes:
    return f"%PDF-1.4\n% {unit}\n".encode() + b"0" * 3000


def routes() -> dict:
    entries = "".join(
        f'<li><a href="./202603/t{i}.html">{unit}2026年部门预算</a></li>'
        for i, unit in enumerate(UNITS)
    )
    site = {
        "/robots.txt": (200, "text/plain", b"", 0),
        "/ys/index.html": (200, "text/html; charset=utf-8", f"<ul>{entries}</ul>".encode(), 0),
    }
    for i, unit in enumerate(UNITS):
        page = f'<h1>{unit}2026年部门预算</h1><a href="./f{i}.pdf">{unit}2026年部门预算.pdf</a>'
        site[f"/ys/202603/t{i}.html"] = (200, "text/html; charset=utf-8", page.encode(), 0)
        site[f"/ys/202603/f{i}.pdf"] = (200, "application/pdf", pdf(unit), 0)
    return site


def verify(archive: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "budget_archive", "verify", "--archive", str(archive)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_verify_finds_corrupt_deleted_and_orphaned_files_and_the_crawl_heals_them(tmp_path):
    archive = tmp_path / "a"
    with LocalSite(routes(), etags=True) as site:
        portals = site.portals_file(tmp_path, "trs", "/ys/index.html")
        first = crawl_command(portals, archive, "--extraction", "off", timeout=120)
        assert first.returncode == 0, first.stderr[-2000:]
        clean = verify(archive)
        assert clean.returncode == 0, clean.stdout + clean.stderr
        assert "3 files" in clean.stdout and "0 corrupt" in clean.stdout

        db = sqlite_utils.Database(archive / "archive.db")
        path = {
            unit: db.execute(
                "select f.path from files f join attachments a on a.current_sha256 = f.sha256"
                " where a.url like ?",
                [f"%/f{i}.pdf"],
            ).fetchone()[0]
            for i, unit in enumerate(UNITS)
        }
        rotten = archive / path["甲局"]  # bit rot: one byte flipped
        os.chmod(rotten, 0o644)
        data = bytearray(rotten.read_bytes())
        data[20] ^= 0x01
        rotten.write_bytes(bytes(data))
        (archive / path["乙局"]).unlink()  # deleted
        orphan = archive / "files" / "ff" / ("f" * 64 + ".pdf")
        orphan.parent.mkdir(exist_ok=True)
        orphan.write_bytes(b"%PDF-1.4 nobody's")

        found = verify(archive)
        assert found.returncode == 4
        lines = [ln for ln in found.stdout.splitlines() if ln.split(" ")[0] in
                 ("corrupt", "missing", "orphaned")]  # fmt: skip
        assert sorted(ln.split(" ")[0:2] for ln in lines) == sorted(
            [["corrupt", path["甲局"] + ":"], ["missing", path["乙局"] + ":"],
             ["orphaned", str(orphan.relative_to(archive)) + ":"]]
        )  # fmt: skip
        assert "1 missing, 1 corrupt, 1 orphaned" in found.stdout
        # the corrupt copy is kept aside, not deleted
        (aside,) = (archive / "quarantine").iterdir()
        assert aside.read_bytes() == bytes(data) and not rotten.exists()
        kinds = {r["kind"]: r for r in db.query("select * from fixity_problems")}
        assert set(kinds) == {"corrupt", "missing", "orphaned"}
        assert kinds["corrupt"]["moved_to"] == str(aside.relative_to(archive))

        site.conditional.clear()
        site.paths.clear()
        second = crawl_command(portals, archive, "--extraction", "off", timeout=120)
        assert second.returncode == 0, second.stderr[-2000:]
        # the two files not on disk are fetched without validators, the sound one with
        assert "/ys/202603/f2.pdf" in site.conditional
        assert "/ys/202603/f0.pdf" not in site.conditional
        assert "/ys/202603/f1.pdf" not in site.conditional
        assert {"/ys/202603/f0.pdf", "/ys/202603/f1.pdf"} <= set(site.paths)

    for unit in ("甲局", "乙局"):
        healed = archive / path[unit]
        assert healed.read_bytes() == pdf(unit)
        assert hashlib.sha256(healed.read_bytes()).hexdigest() == healed.stem
    orphan.unlink()
    again = verify(archive)
    assert again.returncode == 0, again.stdout
    assert db.execute("select count(*) from versions").fetchone()[0] == 3  # no new version
    assert db.execute("select count(*) from events where crawl_id = 2").fetchone()[0] == 0


def test_verify_refuses_an_archive_a_crawl_holds(tmp_path):
    from archive.store import Store

    store = Store(tmp_path / "a")
    crawl_id = store.start_crawl([])
    try:
        busy = verify(tmp_path / "a")
        assert busy.returncode == 1
        assert f"crawl {crawl_id}" in busy.stderr
    finally:
        store.finish_crawl(crawl_id)
        store.close()
