"""Bad input gets a clear recorded error and the crawl goes on; nothing archived is lost.

A small hostile TRS-style portal on a local port, crawled with plain `scrapy crawl` from the
project root (so that path is tested too) into a real archive.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import sqlite_utils

from tests.localsite import LocalSite, crawl_command, scrapy_crawl

ROOT = Path(__file__).resolve().parent.parent
GOOD_PDF = b"%PDF-1.4\n% good budget\n" + b"0" * 2000
BIG_PDF = b"%PDF-1.4\n" + b"x" * 300_000


def listing(entries: list[tuple[str, str]]) -> bytes:
    items = "".join(
        f'<li><a href="./202503/{href}" title="{title}">{title}</a><span>2025-03-02</span></li>'
        for href, title in entries
    )
    return (
        f'<html><body><ul class="list">{items}</ul><div id="page_div"></div>'
        "<script>createPageHTML('page_div', 1, 0, 'index', 'html', 9);</script></body></html>"
    ).encode()


def detail(title: str, links: str, charset: str = "utf-8") -> bytes:
    return (
        f'<html><head><meta charset="{charset}"><meta name="ArticleTitle" content="{title}">'
        f'<meta name="PubDate" content="2025-03-02 09:30"></head>'
        f"<body><h1>{title}</h1>{links}</body></html>"
    ).encode(charset)


CHALLENGE = b"<html><script>document.cookie='__jsl_clearance=1';location.href=location.href;</script></html>"


def portal_routes() -> dict:
    """path -> (status, content type, body, delay)"""
    d = "/ys/202503/"
    return {
        "/robots.txt": (200, "text/plain", b"User-agent: *\nAllow: /\n", 0),
        "/ys/index.html": (
            200,
            "text/html; charset=utf-8",
            listing(
                [
                    ("t20250302_1.html", "甲局2025年部门预算"),
                    ("t20250302_2.html", "乙局2025年部门预算"),
                    ("t20250302_3.html", "丙局2025年部门预算"),
                    ("t20250302_4.html", "丁局2025年部门预算"),
                    ("t20250302_5.html", "戊局2025年部门预算"),
                    ("t20250302_6.html", "己局2025年部门预算"),
                    ("t20250302_7.html", "庚局2025年部门预算"),
                    ("P0direct.pdf", "辛局2025年部门预算"),
                ]
            ),
            0,
        ),
        # 1: good file, plus an HTML page served as .pdf, plus a file that is too large
        d + "t20250302_1.html": (
            200,
            "text/html; charset=utf-8",
            detail(
                "甲局2025年部门预算",
                '<a href="./good.pdf">甲.pdf</a><a href="./html.pdf">说明.pdf</a>'
                '<a href="./big.pdf">报表.pdf</a>',
            ),
            0,
        ),
        d + "good.pdf": (200, "application/pdf", GOOD_PDF, 0),
        d + "html.pdf": (
            200,
            "text/html",
            b"<!DOCTYPE html><html><title>404 Not Found</title></html>",
            0,
        ),
        d + "big.pdf": (200, "application/pdf", BIG_PDF, 0),
        # 2: the detail page fails with 500 (retried, then recorded)
        d + "t20250302_2.html": (500, "text/html", b"<html>error</html>", 0),
        # 3: a block page (521) for the attachment
        d + "t20250302_3.html": (
            200,
            "text/html; charset=utf-8",
            detail("丙局2025年部门预算", '<a href="./blocked.pdf">丙.pdf</a>'),
            0,
        ),
        d + "blocked.pdf": (521, "text/html", b"<html>web server is down</html>", 0),
        # 4: a JavaScript challenge instead of the detail page
        d + "t20250302_4.html": (200, "text/html", CHALLENGE, 0),
        # 5: slower than the download timeout
        d + "t20250302_5.html": (
            200,
            "text/html; charset=utf-8",
            detail("戊局2025年部门预算", ""),
            4,
        ),
        # 6: a GBK page whose attachment works
        d + "t20250302_6.html": (
            200,
            "text/html; charset=GBK",
            detail("己局2025年部门预算", '<a href="./gbk.pdf">己局预算.pdf</a>', "gbk"),
            0,
        ),
        d + "gbk.pdf": (200, "application/pdf", GOOD_PDF + b"gbk", 0),
        # 7: a "detail page" that is a PDF; 8: a list entry linking its PDF directly
        d + "t20250302_7.html": (200, "application/pdf", GOOD_PDF + b"7", 0),
        d + "P0direct.pdf": (200, "application/pdf", GOOD_PDF + b"direct", 0),
    }


def crawl_bad(archive: Path, portals: Path) -> subprocess.CompletedProcess:
    done = scrapy_crawl(
        archive,
        portals,
        "ARCHIVE_MAX_FILE_SIZE=100000",
        "DOWNLOAD_TIMEOUT=2",
        "RETRY_TIMES=1",
        "LOG_LEVEL=INFO",
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bad")
    archive = tmp / "archive"
    broken = {"on": False}

    def good_file_breaks(path: str):
        if broken["on"] and path.endswith("good.pdf"):
            return (500, "text/html", b"<html>oops</html>", 0)
        return None

    with LocalSite(portal_routes(), good_file_breaks) as site:
        portals = site.portals_file(tmp, "trs", "/ys/index.html", portal_id="bad")
        with portals.open("a", encoding="utf-8") as f:  # and a section that moved away
            f.write(
                f'[[portal.section]]\nid = "moved"\nfamily = "trs"\nurl = "{site.url}/moved/index.html"\n'
            )
        first = crawl_bad(archive, portals)
        broken["on"] = True
        second = crawl_bad(archive, portals)
    return sqlite_utils.Database(archive / "archive.db"), archive, (first, second)


def problems(db, crawl_id: int) -> set[tuple[str, str]]:
    """(last two URL path segments, kind) of each problem recorded by a crawl."""
    return {
        ("/".join(r["url"].rsplit("/", 2)[-2:]), r["kind"])
        for r in db.query("select * from fetch_problems where crawl_id = ?", [crawl_id])
    }


def test_every_bad_input_is_a_recorded_problem(crawled):
    db, _, _ = crawled
    assert problems(db, 1) == {
        ("202503/html.pdf", "not_pdf"),
        ("202503/big.pdf", "too_large"),
        ("202503/t20250302_2.html", "http_500"),
        ("202503/blocked.pdf", "blocked"),
        ("202503/t20250302_4.html", "blocked"),
        ("202503/t20250302_5.html", "timeout"),
        # a section whose list moved away: its 404, and the section listed nothing
        ("moved/index.html", "http_404"),
        ("moved/index.html", "empty_section"),
    }
    detail = db.execute("select detail from fetch_problems where kind = 'not_pdf'").fetchone()[0]
    assert "HTML page" in detail and "404 Not Found" in detail


def test_the_crawl_goes_on_and_stores_only_documents(crawled):
    db, archive, _ = crawled
    titles = {r["title"] for r in db.query("select title from disclosures")}
    assert titles == {
        "甲局2025年部门预算",
        "丙局2025年部门预算",
        "己局2025年部门预算",
        "辛局2025年部门预算",
        "庚局2025年部门预算",
    }
    assert db["files"].count == 4
    # a list entry linking its PDF, and a "detail page" that is a PDF: the file is the document
    for unit in ("辛局", "庚局"):
        direct = next(db.query("select * from disclosures where title like ?", [unit + "%"]))
        (att,) = db.query("select * from attachments where disclosure_id = ?", [direct["id"]])
        assert att["url"] == direct["url"] and att["current_sha256"]
    for f in db["files"].rows:
        assert f["kind"] == "pdf" and (archive / f["path"]).read_bytes().startswith(b"%PDF-")
    assert db["crawls"].get(1)["status"] == "finished"


def test_a_later_failure_loses_nothing_already_archived(crawled):
    db, archive, _ = crawled
    assert ("202503/good.pdf", "http_500") in problems(db, 2)
    good = next(db.query("select * from attachments where url like '%good.pdf'"))
    assert good["status"] == "active" and good["current_sha256"]
    path = db["files"].get(good["current_sha256"])["path"]
    assert (archive / path).read_bytes() == GOOD_PDF
    assert db.execute("select count(*) from events where crawl_id = 2").fetchone()[0] == 0


def fake_pager_routes() -> dict:
    """A list page whose pager claims 10⁹ pages (none of which exists)."""
    pager = "<script>createPageHTML('page_div', 1000000000, 0, 'index', 'html', 9);</script>"
    return {
        "/robots.txt": (200, "text/plain", b"", 0),
        "/ys/index.html": (200, "text/html; charset=utf-8", f"<html>{pager}</html>".encode(), 0),
    }


def test_a_fake_page_counter_is_bounded(tmp_path):
    """A pager claiming 10⁹ pages: the pager builds at most its own bound, the spider
    requests at most SECTION_MAX_LIST_PAGES per section and records the rest."""
    with LocalSite(fake_pager_routes()) as site:
        portals = site.portals_file(tmp_path, "trs", "/ys/index.html", portal_id="bad")
        done = scrapy_crawl(tmp_path / "a", portals, "SECTION_MAX_LIST_PAGES=5")
        assert done.returncode == 0, done.stderr[-3000:]
        asked = [p for p in site.paths if p.startswith("/ys/index")]
    assert len(asked) == 5
    db = sqlite_utils.Database(tmp_path / "a" / "archive.db")
    (problem,) = db.query("select * from fetch_problems where kind = 'limit_reached'")
    assert problem["section"] == "main"
    assert problem["detail"].startswith("SECTION_MAX_LIST_PAGES = 5")


def test_links_outside_the_web_are_never_read(tmp_path):
    """A page linking local files (file://…?name=预算表.xls), data: URLs or ftp://: nothing
    is read from them, nothing stored; a list entry that is such a link is skipped with
    its reason."""
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"%PDF-1.4 not for the archive")
    page = (
        "<html><body><h1>甲局2026年部门预算</h1>"
        f'<a href="file://{secret}?name=预算表.xls">预算表.xls</a>'
        '<a href="data:application/pdf;base64,JVBERi0xLjQ=">说明.pdf</a>'
        '<a href="ftp://127.0.0.1/x.pdf">表.pdf</a>'
        '<a href="./P1.pdf">甲局2026年部门预算.pdf</a></body></html>'
    )
    listing = (
        '<html><body><ul><li><a href="./202603/t20260301_1.html">甲局2026年部门预算</a></li>'
        f'<li><a href="file://{secret}" title="乙局2026年部门预算.pdf">乙局</a></li></ul></body></html>'
    )
    routes = {
        "/robots.txt": (200, "text/plain", b"", 0),
        "/ys/index.html": (200, "text/html; charset=utf-8", listing.encode(), 0),
        "/ys/202603/t20260301_1.html": (200, "text/html; charset=utf-8", page.encode(), 0),
        "/ys/202603/P1.pdf": (200, "application/pdf", GOOD_PDF + b"web", 0),
    }
    with LocalSite(routes) as site:
        portals = site.portals_file(tmp_path, "trs", "/ys/index.html", portal_id="bad")
        done = crawl_command(portals, tmp_path / "a", "--extraction", "off", timeout=120)
        assert done.returncode == 0, done.stderr[-3000:]
    db = sqlite_utils.Database(tmp_path / "a" / "archive.db")
    assert [r["url"] for r in db.query("select url from attachments")] == [
        f"{site.url}/ys/202603/P1.pdf"
    ]
    assert db["files"].count == 1
    stored = list((tmp_path / "a" / "files").rglob("*.*"))
    assert all(b"not for the archive" not in f.read_bytes() for f in stored)
    (skipped,) = db.query("select url, reason from skipped")
    assert skipped == {"url": f"file://{secret}", "reason": "not a web link (file:)"}


def test_a_section_whose_list_pages_keep_failing_is_given_up(tmp_path):
    """A pager claiming 10⁹ pages that do not exist: after SECTION_MAX_LIST_FAILURES of them
    failed (more than were read), the rest are not requested; one limit_reached says so."""
    with LocalSite(fake_pager_routes()) as site:
        portals = site.portals_file(tmp_path, "trs", "/ys/index.html", portal_id="bad")
        done = scrapy_crawl(
            tmp_path / "a", portals, "SECTION_MAX_LIST_FAILURES=5", "CONCURRENT_REQUESTS=4"
        )
        assert done.returncode == 0, done.stderr[-3000:]
        asked = [p for p in site.paths if p.startswith("/ys/index")]
    # the first page, 5 failures, and those the engine had already handed to the downloader
    # by the time the fifth failure was counted (bounded by CONCURRENT_REQUESTS, not 10⁹)
    assert 6 <= len(asked) <= 6 + 2 * 4
    db = sqlite_utils.Database(tmp_path / "a" / "archive.db")
    limits = [
        r["detail"] for r in db.query("select * from fetch_problems where kind = 'limit_reached'")
    ]
    # the pager's claim was bounded too (SECTION_MAX_LIST_PAGES); the failures gave up once
    assert sum(d.startswith("SECTION_MAX_LIST_FAILURES = 5") for d in limits) == 1
    assert (
        db.execute("select count(*) from fetch_problems where kind = 'http_404'").fetchone()[0]
        == len(asked) - 1
    )
