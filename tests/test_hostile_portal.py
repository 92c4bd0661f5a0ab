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

from tests.localsite import ROOT, LocalSite, scrapy_crawl

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
    "t7": "庚局2026年部门预算",  # published on 2025-02-30
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
        d + "t7.html": (
            200,
            html,
            detail(UNITS["t7"])
            .replace("<h1>", '<meta name="PubDate" content="2025-02-30"><h1>')
            .encode(),
            0,
        ),
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
        "t7.html": "bad_date",
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
    assert pages == {"t1.html": UNITS["t1"], "t6.html": UNITS["t6"], "t7.html": UNITS["t7"]}
    (undated,) = db.query("select * from disclosures where url like '%t7.html'")
    assert undated["publish_date"] is None and undated["publish_date_shown"] == "2025-02-30"
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


def test_links_per_page_and_page_depth_are_bounded(tmp_path):
    """A list page of 30 entries read with PAGE_MAX_LINKS = 10, and a chain of pages each
    linking the next unit's page, followed DETAIL_MAX_DEPTH = 2 levels: the bounds fire,
    each a recorded limit_reached naming its setting."""
    html = "text/html; charset=utf-8"
    entries = "".join(
        f'<li><a href="./202603/t20260301_{i}.html">单位{i}2026年部门预算</a></li>'
        for i in range(30)
    )
    routes = {
        "/robots.txt": (200, "text/plain", b"", 0),
        "/ys/index.html": (200, html, f"<ul>{entries}</ul>".encode(), 0),
    }
    for i in range(30):
        # each page links the next one as a unit's own disclosure page, and no file
        link = f'<a href="./t20260301_{i + 1}.html">单位{i + 1}2026年部门预算</a>'
        routes[f"/ys/202603/t20260301_{i}.html"] = (
            200,
            html,
            detail(f"单位{i}2026年部门预算", link).encode(),
            0,
        )
    with LocalSite(routes) as site:
        portals = site.portals_file(tmp_path, "trs", "/ys/index.html", portal_id="bad")
        done = scrapy_crawl(
            tmp_path / "a", portals, "PAGE_MAX_LINKS=10", "DETAIL_MAX_DEPTH=2", "EXTRACTION=off"
        )
        assert done.returncode == 0, done.stderr[-3000:]
        asked = {p for p in site.paths if p.startswith("/ys/202603/")}
    db = sqlite_utils.Database(tmp_path / "a" / "archive.db")
    limits = [
        r["detail"] for r in db.query("select * from fetch_problems where kind = 'limit_reached'")
    ]
    assert any(d.startswith("PAGE_MAX_LINKS = 10") for d in limits)
    assert any(d.startswith("DETAIL_MAX_DEPTH = 2") for d in limits)
    # the first 10 entries, and from them at most 2 levels of linked pages: _0 … _11
    assert asked == {f"/ys/202603/t20260301_{i}.html" for i in range(12)}


def test_redirect_chains_are_recorded_hop_by_hop(tmp_path):
    """A detail page and a file reached through redirects: each chain recorded (every hop,
    how it answered, the final URL); the page is archived under the URL it ended at."""
    html = "text/html; charset=utf-8"
    title = "甲局2026年部门预算"
    routes = {
        "/robots.txt": (200, "text/plain", b"", 0),
        "/ys/index.html": (
            200,
            html,
            f'<ul><li><a href="./202603/t20260301_1.html">{title}</a></li></ul>'.encode(),
            0,
        ),
        "/ys/202603/t20260301_1.html": (301, html, b"", 0),
        "/ys/202603/t20260302_1.html": (
            200,
            html,
            detail(title, f'<a href="./P020260302_1.pdf">{title}.pdf</a>').encode(),
            0,
        ),
        "/ys/202603/P020260302_1.pdf": (302, html, b"", 0),
        "/files/a.pdf": (302, html, b"", 0),
        "/files/b.pdf": (200, "application/pdf", GOOD_PDF, 0),
    }
    headers = {
        "/ys/202603/t20260301_1.html": {"Location": "/ys/202603/t20260302_1.html"},
        "/ys/202603/P020260302_1.pdf": {"Location": "/files/a.pdf"},
        "/files/a.pdf": {"Location": "/files/b.pdf"},
    }
    with LocalSite(routes, headers=headers) as site:
        portals = site.portals_file(tmp_path, "trs", "/ys/index.html", portal_id="bad")
        done = scrapy_crawl(tmp_path / "a", portals, "EXTRACTION=off")
        assert done.returncode == 0, done.stderr[-3000:]
    db = sqlite_utils.Database(tmp_path / "a" / "archive.db")
    chains = {r["url"]: r for r in db.query("select * from redirects")}
    page = chains[f"{site.url}/ys/202603/t20260301_1.html"]
    assert page["final_url"] == f"{site.url}/ys/202603/t20260302_1.html"
    assert json.loads(page["hops"]) == [
        {"url": f"{site.url}/ys/202603/t20260301_1.html", "reason": "301"}
    ]
    file = chains[f"{site.url}/ys/202603/P020260302_1.pdf"]
    assert file["final_url"] == f"{site.url}/files/b.pdf"
    assert [h["url"] for h in json.loads(file["hops"])] == [
        f"{site.url}/ys/202603/P020260302_1.pdf",
        f"{site.url}/files/a.pdf",
    ]
    (stored,) = db.query("select * from files")
    assert stored["first_url"] == f"{site.url}/ys/202603/P020260302_1.pdf"
