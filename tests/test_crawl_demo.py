"""End to end: the real demo portal on a local port, real crawls (the `budget-archive crawl`
command in a subprocess: Scrapy, scrapy-playwright with Chromium), a real SQLite archive.

The portal's own model (`Site.expected`) is the ground truth: the crawl must find every
budget disclosure of every section and nothing else, and a second crawl of the portal's
later day must yield exactly the three changes the portal made.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlite_utils

from demo_portal.server import DemoPortal
from demo_portal.site import build_site

pytestmark = pytest.mark.skipif(
    not (shutil.which("chromium") or os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE")),
    reason="needs Chromium for the browser-rendered section",
)


def run_crawl(archive: Path, portal: DemoPortal) -> subprocess.CompletedProcess:
    cmd = [
        sys.executable,
        "-m",
        "budget_archive",
        "crawl",
        "demo",
        "--archive",
        str(archive),
        "--demo-url",
        portal.url,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-4000:]
    return done


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """Crawl the initial day, then the revised day, then the revised day again."""
    archive = tmp_path_factory.mktemp("archive")
    with DemoPortal(port=0, state="initial") as portal:
        first = run_crawl(archive, portal)
        requests_initial = list(portal.requests)
        portal.state = "revised"
        second = run_crawl(archive, portal)
        requests_revised = list(portal.requests[len(requests_initial) :])
        third = run_crawl(archive, portal)
    db = sqlite_utils.Database(archive / "archive.db")
    return {
        "archive": archive,
        "db": db,
        "out": (first, second, third),
        "requests": (requests_initial, requests_revised),
    }


def disclosures(db, where: str = "1", params=()) -> dict[str, dict]:
    return {
        path_of(r["url"]): r for r in db.query(f"select * from disclosures where {where}", params)
    }


def test_finds_every_budget_disclosure_and_nothing_else(crawled):
    db, site = crawled["db"], build_site("initial")
    found = disclosures(db, "first_crawl_id = 1")
    expected = {e.path: e for e in site.expected}
    assert sorted(found) == sorted(expected)
    assert len(found) >= 40
    assert (
        {e.section for e in site.expected}
        == {r["section"] for r in found.values()}
        == {"trs", "jpage", "spa"}
    )
    for path, exp in expected.items():
        row = found[path]
        assert (row["title"], row["unit_name"], row["year"], row["doc_type"]) == (
            exp.title,
            exp.unit_name,
            exp.year,
            exp.doc_type,
        ), path
        if exp.parent_path:
            parent = db["disclosures"].get(row["parent_id"]) if row["parent_id"] else None
            assert parent and path_of(parent["url"]) == exp.parent_path
    for noise in site.noise:
        assert noise not in found


def test_attachments_stored_by_sha256_with_errors_recorded(crawled):
    db, archive, site = crawled["db"], crawled["archive"], build_site("initial")
    rows = {
        (path_of(r["page"]), path_of(r["url"])): r
        for r in db.query(
            "select d.url as page, a.* from attachments a join disclosures d on d.id = a.disclosure_id"
            " where a.first_seen <= (select finished_at from crawls where id = 1)"
        )
    }
    problems = {
        (path_of(r["url"]), r["kind"])
        for r in db.query("select * from fetch_problems where crawl_id = 1")
    }
    for exp in site.expected:
        for att in exp.attachments:
            row = rows[(exp.path, att.path)]
            if att.outcome == "ok":
                body = site.resources[att.path].body
                (sha,) = db.execute(
                    "select sha256 from versions where attachment_id = ? and first_crawl_id = 1",
                    [row["id"]],
                ).fetchone()
                file = db["files"].get(sha)
                assert (archive / file["path"]).read_bytes() == body
                assert file["sha256"] in file["path"] and file["kind"] == "pdf"
            else:
                assert row["current_sha256"] is None and row["status"] == "failed"
                assert (att.path, att.outcome) in problems
    # one stored file per distinct content: a PDF linked from two pages is stored once
    ok_paths = {a.path for e in site.expected for a in e.attachments if a.outcome == "ok"}
    first_day = db.execute("select count(distinct sha256) from versions where first_crawl_id = 1")
    assert first_day.fetchone()[0] == len(ok_paths)
    shared = [
        p for p in ok_paths if sum(a.path == p for e in site.expected for a in e.attachments) > 1
    ]
    assert shared, "the demo portal links one PDF from two pages"
    for path in shared:
        shas = {r["current_sha256"] for (_, url), r in rows.items() if url == path}
        assert len(shas) == 1


def test_polite_to_the_portal(crawled):
    initial, _ = crawled["requests"]
    assert all("budget-archive" in (r.headers.get("User-Agent") or "") for r in initial)
    paths = [r.path for r in initial]
    assert "/robots.txt" in paths
    assert not any(p.startswith("/private/") for p in paths)


def test_second_crawl_records_exactly_the_three_changes(crawled):
    db, site = crawled["db"], build_site("revised")
    events = list(db.query("select * from events where crawl_id = 2 order by id"))
    assert sorted(e["type"] for e in events) == ["published", "revised", "withdrawn"]
    by_type = {e["type"]: e for e in events}
    changes = site.changes
    revised = db["attachments"].get(by_type["revised"]["attachment_id"])
    assert path_of(revised["url"]) == changes["revised_file"]
    assert by_type["revised"]["old_sha256"] != by_type["revised"]["new_sha256"]
    gone = db["disclosures"].get(by_type["withdrawn"]["disclosure_id"])
    assert path_of(gone["url"]) == changes["withdrawn_disclosure"] and gone["status"] == "withdrawn"
    new = db["disclosures"].get(by_type["published"]["disclosure_id"])
    assert path_of(new["url"]) == changes["new_disclosure"]

    # the old version of the revised file is still stored and listed
    versions = list(
        db.query(
            "select v.*, f.path from versions v join files f on f.sha256 = v.sha256"
            " where attachment_id = ? order by v.id",
            [revised["id"]],
        )
    )
    assert [v["sha256"] for v in versions] == [
        by_type["revised"]["old_sha256"],
        by_type["revised"]["new_sha256"],
    ]
    for v in versions:
        assert (crawled["archive"] / v["path"]).is_file()


def test_recrawl_is_conditional(crawled):
    _, revised = crawled["requests"]
    site = build_site("revised")
    ok_files = {a.path for e in site.expected for a in e.attachments if a.outcome == "ok"}
    file_requests = [r for r in revised if r.path in ok_files]
    downloaded = {r.path for r in file_requests if r.status == 200}
    # only the corrected file and the new disclosure's file are transferred again
    new_files = {
        a.path
        for e in site.expected
        if e.path == site.changes["new_disclosure"]
        for a in e.attachments
    }
    assert downloaded == {site.changes["revised_file"]} | new_files
    assert {r.path for r in file_requests if r.status == 304} == ok_files - downloaded
    assert all(
        r.headers.get("If-None-Match") or r.headers.get("If-Modified-Since")
        for r in file_requests
        if r.status == 304
    )


def test_unchanged_third_crawl_adds_no_event(crawled):
    db = crawled["db"]
    assert db.execute("select count(*) from events where crawl_id = 3").fetchone()[0] == 0
    crawls = list(db.query("select * from crawls order by id"))
    assert [c["status"] for c in crawls] == ["finished"] * 3
    assert crawls[2]["files_downloaded"] == 0 and crawls[2]["files_not_modified"] > 0


def test_every_stored_pdf_is_extracted_once_per_version(crawled):
    """Crawl-time extraction: each stored PDF has one totals row, keyed by SHA-256."""
    from archive.totals import extractor_version

    db = crawled["db"]
    pdfs = {r["sha256"] for r in db.query("select sha256 from files where kind = 'pdf'")}
    totals = {r["sha256"]: r for r in db.query("select * from totals")}
    assert set(totals) == pdfs
    assert {r["extractor_version"] for r in totals.values()} == {extractor_version()}
    read = [r for r in totals.values() if r["status"] == "ok" and r["revenue_total"] is not None]
    assert len(read) >= 0.9 * len(pdfs)
    # what the extractor read from a file agrees with what the portal said about its page
    rows = list(
        db.query(
            "select d.unit_name as page_unit, d.year as page_year, t.unit_name, t.year"
            " from totals t join attachments a on a.current_sha256 = t.sha256"
            " join disclosures d on d.id = a.disclosure_id where d.parent_id is null"
        )
    )
    agree = [r for r in rows if r["year"] == r["page_year"] and r["unit_name"] and
             r["unit_name"].removesuffix("（本级）") == r["page_unit"]]  # fmt: skip
    assert len(agree) >= 0.9 * len(rows)


def test_a_revision_lists_the_figures_that_changed(crawled):
    """Both files of the revision read by one extractor version; `changes` holds exactly
    the figures whose values differ between them."""
    from archive.totals import extractor_version
    from extract.fields import AMOUNT_FIELDS

    db = crawled["db"]
    (event,) = db.query("select * from events where type = 'revised'")
    version = extractor_version()

    def figures(sha: str) -> dict:
        row = db.execute(
            "select * from totals where sha256 = ? and extractor_version = ? and status = 'ok'",
            [sha, version],
        ).fetchone()
        assert row is not None, "both sides extracted by the current version"
        columns = [c[0] for c in db.execute("select * from totals limit 0").description]
        got = {
            f: v for f, v in zip(columns, row, strict=True) if f in AMOUNT_FIELDS and v is not None
        }
        for name, amount in db.execute(
            "select name, amount from totals_by_function where sha256 = ? and extractor_version = ?",
            [sha, version],
        ):
            got[f"by_function:{name}"] = amount
        return got

    old, new = figures(event["old_sha256"]), figures(event["new_sha256"])
    differ = {f for f in old.keys() | new.keys() if old.get(f) != new.get(f)}
    listed = {
        r["field"] for r in db.query("select field from changes where event_id = ?", [event["id"]])
    }
    assert listed == differ
    # the demo's correction moves 机关运行经费 by 1.50 万元, and the diff says so
    (operating,) = db.query(
        "select * from changes where event_id = ? and field = 'operating_expenses'", [event["id"]]
    )
    assert operating["difference"] == 1.5
    (sentence,) = db.query(
        "select sentence from change_sentences where event_id = ? and field = 'operating_expenses'",
        [event["id"]],
    )
    assert "机关运行经费" in sentence["sentence"] and sentence["sentence"].endswith("万元 (+1.50)")
    # the crawl that saw the revision ends by printing it
    _, second, third = crawled["out"]
    printed = second.stdout + second.stderr
    assert "what the revisions changed:" in printed and sentence["sentence"] in printed
    assert "what the revisions changed:" not in third.stdout + third.stderr
