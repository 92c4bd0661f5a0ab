"""A hostile portal: pages mislabelled, oversized, bombs, loops and cut transfers. Each is
a recorded problem of its own kind, nothing of them is stored, the crawl goes on in
bounded memory and stores the one good document."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys

import pytest
import sqlite_utils

from tests.localsite import ROOT, LocalSite

GOOD_PDF = b"%PDF-1.4\n% a budget\n" + b"0" * 2000
PAGE_BOUND = 2_000_000  # DOWNLOAD_MAXSIZE for this crawl (the default is 10 MB)


def detail(title: str, links: str = "") -> str:
    return f'<html><head><meta name="ArticleTitle" content="{title}"></head><body><h1>{title}</h1>{links}</body></html>'


UNITS = {
    "t1": "甲局2026年部门预算",  # GBK bytes, labelled UTF-8
    "t2": "乙局2026年部门预算",  # a page larger than the bound
    "t3": "丙局2026年部门预算",  # a gzip bomb
    "t4": "丁局2026年部门预算",  # redirects to itself
    "t5": "戊局2026年部门预算",  # cut short (Content-Length larger than the body)
    "t6": "己局2026年部门预算",  # a text error page that mentions %PDF- as its "PDF"
}


def hostile() -> tuple[dict, dict]:
    entries = "".join(
        f'<li><a href="./202603/{key}.html">{title}</a></li>' for key, title in UNITS.items()
    )
    d = "/ys/202603/"
    html = "text/html; charset=utf-8"
    routes = {
        "/robots.txt": (200, "text/plain", b"", 0),
        "/ys/index.html": (200, html, f"<ul>{entries}</ul>".encode(), 0),
        d + "t1.html": (
            200,
            html,  # the bytes are GBK
            detail(UNITS["t1"], '<a href="./good.pdf">甲局2026年部门预算.pdf</a>').encode("gbk"),
            0,
        ),
        d + "good.pdf": (200, "application/pdf", GOOD_PDF, 0),
        d + "t2.html": (200, html, b"<html>" + b"<p>x</p>" * (PAGE_BOUND // 4) + b"</html>", 0),
        d + "t3.html": (200, html, gzip.compress(b" " * (64 * 1024 * 1024), 9), 0),
        d + "t4.html": (302, html, b"", 0),
        d + "t5.html": (200, html, detail(UNITS["t5"]).encode(), 0),
        d + "t6.html": (
            200,
            html,
            detail(UNITS["t6"], '<a href="./t6.pdf">己局.pdf</a>').encode(),
            0,
        ),
        d + "t6.pdf": (200, "application/pdf", b"Error 404: the file %PDF-1.4 was not found", 0),
    }
    headers = {
        d + "t3.html": {"Content-Encoding": "gzip"},
        d + "t4.html": {"Location": d + "t4.html"},
        d + "t5.html": {"Content-Length": "100000"},
    }
    return routes, headers


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    archive = tmp / "archive"
    routes, headers = hostile()
    with LocalSite(routes, headers=headers) as site:
        portals = site.portals_file(tmp, "trs", "/ys/index.html", portal_id="bad")
        crawl = [sys.executable, "-m", "scrapy", "crawl", "portals", "-a", "portal=bad"]
        for setting in (
            f"ARCHIVE_DIR={archive}",
            f"PORTALS_FILE={portals}",
            f"DOWNLOAD_MAXSIZE={PAGE_BOUND}",
            "DOWNLOAD_TIMEOUT=10",
            "RETRY_TIMES=0",
            "EXTRACTION=off",
            "LOG_LEVEL=WARNING",
        ):
            crawl += ["-s", setting]
        # the crawl's peak memory, measured by a parent that has no other child
        measure = (
            "import json, resource, subprocess, sys\n"
            "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
            "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
            "print(json.dumps([done.returncode, peak, done.stderr[-3000:]]))\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", measure, *crawl],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    returncode, peak_kb, stderr = json.loads(out.stdout)
    assert returncode == 0, stderr
    return sqlite_utils.Database(archive / "archive.db"), archive, site, peak_kb


def kinds(db) -> dict[str, str]:
    """{last path segment: kind} of each problem."""
    return {
        r["url"].rsplit("/", 1)[-1]: r["kind"] for r in db.query("select * from fetch_problems")
    }


def test_each_hostile_input_is_a_problem_of_its_kind(crawled):
    db, _, _, _ = crawled
    assert kinds(db) == {
        "t1.html": "bad_encoding",
        "t2.html": "too_large",
        "t3.html": "decompression_bomb",
        "t4.html": "redirect_loop",
        "t5.html": "truncated",
        "t6.pdf": "not_pdf",
    }
    details = {r["kind"]: r["detail"] for r in db.query("select * from fetch_problems")}
    assert "DOWNLOAD_MAXSIZE" in details["too_large"]
    assert "DOWNLOAD_MAXSIZE" in details["decompression_bomb"]
    assert "REDIRECT_MAX_TIMES" in details["redirect_loop"]
    assert "read as gb18030" in details["bad_encoding"]


def test_a_mislabelled_page_is_read_in_the_encoding_that_decodes_it(crawled):
    db, archive, _, _ = crawled
    pages = {r["url"].rsplit("/", 1)[-1]: r["title"] for r in db.query("select * from disclosures")}
    # the mislabelled page, read right; the page whose "PDF" was an error message (its
    # attachment failed); none of the others
    assert pages == {"t1.html": UNITS["t1"], "t6.html": UNITS["t6"]}
    (stored,) = db.query("select * from files")
    assert (archive / stored["path"]).read_bytes() == GOOD_PDF  # nothing else stored


def test_the_hostile_crawl_stays_small(crawled):
    *_, peak_kb = crawled
    # the bomb inflates to 64 MB and is cut at 2 MB; the crawl process stays far below
    assert peak_kb < 400 * 1024, f"peak {peak_kb} kB"


def test_reading_a_page_in_the_encoding_that_decodes_it():
    from crawler.encoding import reading

    text = "<html><body>" + "某市财政局2026年部门预算公开说明。" * 40 + "</body></html>"
    assert reading(text.encode("gbk"), "utf-8")[0] == "gb18030"  # GBK labelled UTF-8
    assert reading(text.encode("utf-8"), "gb18030")[0] == "utf-8"  # and the reverse
    assert reading(text.encode("utf-8"), "utf-8") == (None, None)
    # a stray byte or two in a long page is no reason to read it otherwise
    stray = text.encode("utf-8").replace("。".encode(), b"\xff", 2)
    assert reading(stray, "utf-8") == (None, None)
    encoding, problem = reading(bytes(range(128, 256)) * 50, "utf-8")
    assert encoding is None and problem and "nor in" in problem  # recorded, not dropped
