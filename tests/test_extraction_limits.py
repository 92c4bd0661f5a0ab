"""Extraction under a memory and a time limit: a file over either is a recorded
`extract_failed` naming the setting, its worker is replaced, the next file is read."""

from __future__ import annotations

import time

import pytest
import sqlite_utils

from archive.extraction import ExtractionPool, Limits
from demo_portal.render import load_seeds, render_pdf
from tests.localsite import LocalSite, scrapy_crawl
from tests.minipdf import bomb_pdf

MB = 1024 * 1024


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("limits")
    bomb = tmp / "bomb.pdf"
    bomb.write_bytes(bomb_pdf(512))  # ~0.5 MB on disk, 512 MB inflated
    good = tmp / "good.pdf"
    good.write_bytes(render_pdf(load_seeds()[0]))
    return bomb, good


def test_a_file_over_the_memory_limit_fails_alone(files):
    bomb, good = files
    assert bomb.stat().st_size < 2 * MB
    pool = ExtractionPool(1, Limits(memory=400 * MB, seconds=120))
    try:
        result = pool.submit(str(bomb)).result(timeout=120)
        assert result["limit"] == "EXTRACT_MAX_MEMORY"
        assert result["error"].startswith("extract_failed") and "400 MB" in result["error"]
        after = pool.submit(str(good)).result(timeout=120)  # a new worker reads the next
        assert after.get("error") is None and after["revenue_total"] is not None
    finally:
        pool.shutdown(cancel=True)


def test_a_file_over_the_time_limit_fails_alone(files):
    bomb, good = files
    pool = ExtractionPool(1, Limits(memory=4096 * MB, seconds=1.0))
    try:
        started = time.monotonic()
        result = pool.submit(str(bomb)).result(timeout=120)
        waited = time.monotonic() - started
        assert result["limit"] == "EXTRACT_TIME_LIMIT", result
        assert "EXTRACT_TIME_LIMIT = 1 s" in result["error"]
        assert waited < 60  # the pool stopped it (unbounded, the bomb takes longer)
    finally:
        pool.shutdown(cancel=True)


def test_a_crawl_records_a_bomb_as_extract_failed_and_goes_on(files, tmp_path):
    bomb, good = files
    page = (
        "<h1>甲局2026年部门预算</h1>"
        '<a href="./bomb.pdf">甲局2026年部门预算.pdf</a><a href="./good.pdf">附表.pdf</a>'
    )
    routes = {
        "/robots.txt": (200, "text/plain", b"", 0),
        "/ys/index.html": (
            200,
            "text/html; charset=utf-8",
            '<ul><li><a href="./202603/t1.html">甲局2026年部门预算</a></li></ul>'.encode(),
            0,
        ),
        "/ys/202603/t1.html": (200, "text/html; charset=utf-8", page.encode(), 0),
        "/ys/202603/bomb.pdf": (200, "application/pdf", bomb.read_bytes(), 0),
        "/ys/202603/good.pdf": (200, "application/pdf", good.read_bytes(), 0),
    }
    archive = tmp_path / "a"
    with LocalSite(routes) as site:
        portals = site.portals_file(tmp_path, "trs", "/ys/index.html", portal_id="bad")
        done = scrapy_crawl(
            archive, portals, "EXTRACT_MAX_MEMORY=400", "EXTRACT_WORKERS=1", timeout=240
        )
        assert done.returncode == 0, done.stderr[-3000:]
    db = sqlite_utils.Database(archive / "archive.db")
    assert db["files"].count == 2  # both stored: a file too big to read is still archived
    (problem,) = db.query("select * from fetch_problems where kind = 'extract_failed'")
    assert problem["url"] == f"{site.url}/ys/202603/bomb.pdf"
    assert "EXTRACT_MAX_MEMORY = 400 MB" in problem["detail"]
    statuses = {r["status"] for r in db.query("select status from totals")}
    assert statuses == {"ok", "error"}
