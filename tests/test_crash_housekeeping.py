"""After a crash: one crawl at a time per archive, a dead crawl closed as interrupted, its
half-written files swept, extraction workers gone with their crawl."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlite_utils

from archive.lock import ArchiveBusy
from archive.store import Store
from tests.localsite import ROOT, LocalSite, crawl_command

ROUTES = {
    "/robots.txt": (200, "text/plain", b"", 0),
    "/ys/index.html": (200, "text/html; charset=utf-8", b"<html><ul></ul></html>", 0),
}


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead too
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split()[2] == "Z")


def workers_of(parent: int) -> list[int]:
    """The pids of the pool workers a process started (its spawned children)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == parent and b"spawn_main" in cmdline:
            found.append(int(stat.parent.name))
    return found


def test_a_second_crawl_of_the_same_archive_exits_at_once_naming_the_holder(tmp_path):
    archive = tmp_path / "a"
    holder = Store(archive)
    crawl_id = holder.start_crawl(["local"])
    try:
        with LocalSite(ROUTES) as site:
            portals = site.portals_file(tmp_path, "trs", "/ys/index.html")
            done = crawl_command(portals, archive, "--extraction", "off", timeout=120)
        assert done.returncode == 1
        (line,) = done.stderr.strip().splitlines()
        assert f"pid {os.getpid()}" in line and f"crawl {crawl_id}" in line
        assert not site.paths  # it asked the portal nothing
        # the holder's crawl is untouched; no second crawl row
        rows = list(sqlite_utils.Database(archive / "archive.db")["crawls"].rows)
        assert [(r["id"], r["status"]) for r in rows] == [(crawl_id, "running")]
        other = Store(archive)
        try:
            try:
                other.start_crawl(["local"])
            except ArchiveBusy as exc:
                assert f"pid {os.getpid()}" in str(exc)
            else:
                raise AssertionError("a second crawl started beside the first")
        finally:
            other.close()
    finally:
        holder.finish_crawl(crawl_id)
        holder.close()


def test_a_crawl_that_died_is_closed_as_interrupted_and_its_temporaries_swept(tmp_path):
    archive = tmp_path / "a"
    script = (
        "import os, sys\n"
        "from archive.store import Store\n"
        "store = Store(sys.argv[1])\n"
        "store.start_crawl(['local'])\n"
        "store.files.put(b'%PDF-1.4 kept', 'pdf')\n"
        "os.makedirs(sys.argv[1] + '/files/ab', exist_ok=True)\n"
        "open(sys.argv[1] + '/files/ab/tmpx1y2.tmp', 'wb').write(b'half')\n"
        "os.kill(os.getpid(), 9)\n"
    )
    died = subprocess.run([sys.executable, "-c", script, str(archive)], cwd=ROOT, timeout=60)
    assert died.returncode == -signal.SIGKILL
    assert list((archive / "files").glob("*/*.tmp"))
    with LocalSite(ROUTES) as site:
        portals = site.portals_file(tmp_path, "trs", "/ys/index.html")
        done = crawl_command(portals, archive, "--extraction", "off", timeout=120)
    assert "closed as interrupted" in done.stdout + done.stderr
    db = sqlite_utils.Database(archive / "archive.db")
    statuses = {r["id"]: r["status"] for r in db["crawls"].rows}
    assert statuses[1] == "interrupted"
    assert statuses[2] != "running"
    assert db["crawls"].get(1)["finished_at"]
    assert not list((archive / "files").glob("*/*.tmp"))
    (kept,) = [p for p in (archive / "files").rglob("*.pdf")]
    assert kept.read_bytes() == b"%PDF-1.4 kept"  # the complete file stays


def test_extraction_workers_die_with_their_crawl(tmp_path):
    script = (
        "import sys, time\n"
        "from archive.extraction import ExtractionPool\n"
        "pool = ExtractionPool(2)\n"
        "pool.submit(sys.argv[1]).result()\n"
        "print('ready', flush=True)\n"
        "time.sleep(600)\n"
    )
    crawl = subprocess.Popen(
        [sys.executable, "-c", script, str(tmp_path / "none.pdf")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # the killed crawl's resource tracker warns of its semaphores
        text=True,
    )
    try:
        assert crawl.stdout is not None
        assert crawl.stdout.readline().strip() == "ready"
        workers = workers_of(crawl.pid)
        assert workers and all(alive(pid) for pid in workers)
        crawl.send_signal(signal.SIGKILL)
        crawl.wait(timeout=30)
        deadline = time.monotonic() + 30
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(alive(pid) for pid in workers)
    finally:
        crawl.kill()


def test_a_crawl_killed_mid_way_resumes_losing_and_doubling_nothing(tmp_path):
    """kill -9 while files are being stored, then crawl again: every disclosure and file
    once, each published once, the dead crawl interrupted, every stored file sound."""
    html = "text/html; charset=utf-8"
    units = [f"单位{i}" for i in range(12)]
    entries = "".join(
        f'<li><a href="./202603/t20260301_{i}.html">{u}2026年部门预算</a></li>'
        for i, u in enumerate(units)
    )
    routes = {
        "/robots.txt": (200, "text/plain", b"", 0),
        "/ys/index.html": (200, html, f"<ul>{entries}</ul>".encode(), 0),
    }
    for i, unit in enumerate(units):
        page = f'<h1>{unit}2026年部门预算</h1><a href="./P0{i}.pdf">{unit}2026年部门预算.pdf</a>'
        routes[f"/ys/202603/t20260301_{i}.html"] = (200, html, page.encode(), 0)
        routes[f"/ys/202603/P0{i}.pdf"] = (
            200,
            "application/pdf",
            b"%PDF-1.4 " + unit.encode(),
            0.3,
        )
    archive = tmp_path / "a"
    with LocalSite(routes) as site:
        portals = site.portals_file(tmp_path, "trs", "/ys/index.html")
        command = [sys.executable, "-m", "budget_archive", "crawl", "--portals", str(portals)]
        command += ["--archive", str(archive), "--extraction", "off"]
        first = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        stored = 0
        while stored < 3 and time.monotonic() < deadline and first.poll() is None:
            time.sleep(0.05)
            if (archive / "archive.db").exists():
                try:
                    db = sqlite_utils.Database(archive / "archive.db")
                    stored = db["files"].count if db["files"].exists() else 0
                    db.close()
                except Exception:  # noqa: BLE001 - the crawl is creating it
                    stored = 0
        assert first.poll() is None, "the crawl ended before it could be killed"
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        second = crawl_command(portals, archive, "--extraction", "off", timeout=120)
        assert second.returncode == 0, second.stderr[-2000:]
    db = sqlite_utils.Database(archive / "archive.db")
    assert [r["status"] for r in db.query("select status from crawls order by id")] == [
        "interrupted",
        "finished",
    ]
    assert db["disclosures"].count == db["attachments"].count == 12
    assert db["files"].count == db["versions"].count == 12
    published = db.execute(
        "select disclosure_id, count(*) from events where type = 'published' group by 1"
    ).fetchall()
    assert len(published) == 12 and all(n == 1 for _, n in published)
    assert not list((archive / "files").glob("*/*.tmp"))
    check = subprocess.run(
        [sys.executable, "-m", "budget_archive", "verify", "--archive", str(archive)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert check.returncode == 0, check.stdout + check.stderr
