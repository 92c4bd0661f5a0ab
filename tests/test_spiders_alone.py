"""Spiders run without the archive: they only yield the items of the declared schema.

A TRS-style site on a local port is crawled by the spider with no add-on (so no
pipeline, no SQLite); what the archive would know comes as plain data (REVISIT_PAGES).
The crawl runs in a subprocess, which reports the items it saw, whether any module of the
archive or the pipelines was imported, and whether any SQLite database was opened
(Scrapy's own scheduler imports `sqlite3` for its disk queues, unused here).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.localsite import LocalSite

ROOT = Path(__file__).resolve().parent.parent
PDF = b"%PDF-1.4\n% budget\n"

CRAWL = r"""
import json, sqlite3, sys
connects = []
_connect = sqlite3.connect
sqlite3.connect = lambda *a, **k: connects.append(str(a[:1])) or _connect(*a, **k)
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from crawler.items import check

settings = Settings()
settings.setmodule("crawler.settings", priority="project")
settings.set("ADDONS", {}, priority="cmdline")
settings.set("LOG_LEVEL", "ERROR", priority="cmdline")
settings.set("PORTALS_FILE", sys.argv[1], priority="cmdline")
settings.set("REVISIT_PAGES", json.loads(sys.argv[2]), priority="cmdline")
process = CrawlerProcess(settings)
crawler = process.create_crawler("portals")
seen = []

def on_item(item, response, spider):
    check(item)
    seen.append({"type": type(item).__name__, **{k: v for k, v in vars(item).items()
                 if isinstance(v, (str, int, type(None)))}})

crawler.signals.connect(on_item, signal=signals.item_scraped)
process.crawl(crawler, portal="local")
process.start()
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("archive", "pipelines", "sqlite_utils"))
print(json.dumps({"items": seen, "loaded": loaded, "connects": connects}, ensure_ascii=False))
"""


def page(body: str) -> tuple[int, str, bytes, float]:
    return (200, "text/html; charset=utf-8", f"<html><body>{body}</body></html>".encode(), 0)


def routes() -> dict:
    entries = "".join(
        f'<li><a href="./202503/t2025030{i}_{i}.html" title="{u}2025年部门预算">{u}</a>'
        "<span>2025-03-02</span></li>"
        for i, u in ((1, "甲局"), (2, "乙局"), (3, "丙局"))
    )
    pager = "<script>createPageHTML('page_div', 2, {n}, 'index', 'html', 4);</script>"
    detail = '<h1>{t}</h1><p>发布日期：2025-03-02</p><a href="./P{i}.pdf">{t}.pdf</a>'
    return {
        "/robots.txt": (200, "text/plain", b"User-agent: *\nAllow: /\n", 0),
        "/ys/index.html": page(f"<ul>{entries}</ul>" + pager.format(n=0)),
        "/ys/index_1.html": page(
            '<ul><li><a href="./202503/t20250304_4.html" title="丁局2025年招聘公告">丁</a></li></ul>'
            + pager.format(n=1)
        ),
        "/ys/202503/t20250301_1.html": page(detail.format(t="甲局2025年部门预算", i=1)),
        "/ys/202503/t20250302_2.html": page(detail.format(t="乙局2025年部门预算", i=2)),
        "/ys/202503/t20250303_3.html": (500, "text/html", b"<html>oops</html>", 0),
        "/ys/202503/P1.pdf": (200, "application/pdf", PDF, 0),
        "/ys/202503/P2.pdf": (200, "application/pdf", PDF + b"2", 0),
    }


def test_a_spider_crawls_without_the_archive(tmp_path):
    with LocalSite(routes()) as site:
        portals = site.portals_file(tmp_path, "trs", "/ys/index.html")
        known_gone = f"{site.url}/ys/202402/t20240301_9.html"  # known, now 404
        revisit = {"local": {"main": [known_gone]}}
        done = subprocess.run(
            [sys.executable, "-c", CRAWL, str(portals), json.dumps(revisit)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["loaded"] == [], "a spider imported the archive or the pipelines"
    assert report["connects"] == [], "a SQLite database was opened"
    items = report["items"]
    by_type: dict[str, list[dict]] = {}
    for item in items:
        by_type.setdefault(item["type"], []).append(item)

    assert [p["portal_id"] for p in by_type["PortalSeen"]] == ["local"]
    assert sorted(d["title"] for d in by_type["Disclosure"]) == [
        "乙局2025年部门预算",
        "甲局2025年部门预算",
    ]
    assert [(g["url"], g["http_status"]) for g in by_type["PageGone"]] == [(known_gone, 404)]
    assert [(p["url"].rsplit("/", 1)[-1], p["kind"]) for p in by_type["FetchProblem"]] == [
        ("t20250303_3.html", "http_500")
    ]
    # one summary, once both list pages are read: 4 entries (the notice among them)
    (summary,) = by_type["SectionSummary"]
    assert (summary["list_pages"], summary["list_failures"], summary["entries"]) == (2, 0, 4)
