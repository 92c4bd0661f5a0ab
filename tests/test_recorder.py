"""Revision tracking: observations in, events out, nothing lost."""

from __future__ import annotations

import pytest

from archive.recorder import Archive

PAGE = {
    "portal_id": "p",
    "section": "s",
    "url": "http://h/ys/t20250302_1.html",
    "title": "演示市教育局2025年部门预算",
    "publish_date_shown": "2025-03-02",
    "publish_date": "2025-03-02",
    "unit_name": "演示市教育局",
    "year": 2025,
    "doc_type": "budget",
}
PDF_URL = "http://h/ys/P01.pdf"


@pytest.fixture
def archive(tmp_path) -> Archive:
    a = Archive(tmp_path / "arch")
    a.upsert_portal({"id": "p", "name": "portal", "base_url": "http://h", "sections": "[]"})
    return a


def stored(archive: Archive, body: bytes, **extra) -> dict:
    f = archive.files.put(body)
    return {
        "ok": True,
        "sha256": f.sha256,
        "size": f.size,
        "kind": f.kind,
        "path": f.path,
        "content_type": "application/pdf",
        "etag": extra.get("etag"),
        "last_modified": extra.get("last_modified"),
    }


def observe(archive: Archive, crawl: int, results: dict, attachments=None, page=PAGE) -> int:
    atts = attachments if attachments is not None else [{"url": PDF_URL, "name": "预算.pdf"}]
    return archive.record_disclosure(crawl, page, atts, results)


def events(archive: Archive, crawl: int) -> list[tuple]:
    return [
        (r["type"], r["attachment_id"] is not None, r["old_sha256"], r["new_sha256"])
        for r in archive.db.query("select * from events where crawl_id = ? order by id", [crawl])
    ]


def test_first_sight_is_one_published_event(archive):
    crawl = archive.start_crawl(["p"])
    v1 = stored(archive, b"%PDF-1.4 v1", etag='"a"')
    observe(archive, crawl, {PDF_URL: v1})
    assert events(archive, crawl) == [("published", False, None, None)]
    assert archive.db["versions"].count == 1
    assert archive.validators(PDF_URL).etag == '"a"'


def test_unchanged_recrawl_adds_no_event_and_extends_the_version(archive):
    c1, c2 = archive.start_crawl(["p"]), archive.start_crawl(["p"])
    v1 = stored(archive, b"%PDF-1.4 v1")
    observe(archive, c1, {PDF_URL: v1})
    observe(archive, c2, {PDF_URL: {**v1, "status": "not_modified"}})
    assert events(archive, c2) == []
    (version,) = archive.db["versions"].rows
    assert (version["first_crawl_id"], version["last_crawl_id"]) == (c1, c2)


def test_changed_content_is_revised_and_the_old_version_is_kept(archive):
    c1, c2 = archive.start_crawl(["p"]), archive.start_crawl(["p"])
    v1, v2 = stored(archive, b"%PDF-1.4 v1"), stored(archive, b"%PDF-1.4 v2 corrected")
    observe(archive, c1, {PDF_URL: v1})
    observe(archive, c2, {PDF_URL: v2})
    assert events(archive, c2) == [("revised", True, v1["sha256"], v2["sha256"])]
    shas = [r["sha256"] for r in archive.db.query("select sha256 from versions order by id")]
    assert shas == [v1["sha256"], v2["sha256"]]
    assert (archive.root / v1["path"]).read_bytes() == b"%PDF-1.4 v1"
    att = next(archive.db["attachments"].rows)
    assert att["current_sha256"] == v2["sha256"]


def test_same_observation_twice_in_one_crawl_adds_nothing(archive):
    c1 = archive.start_crawl(["p"])
    v1 = stored(archive, b"%PDF-1.4 v1")
    for _ in range(2):
        observe(archive, c1, {PDF_URL: v1})
        archive.record_problem(c1, "p", "http://h/x.pdf", "http_404", http_status=404)
    assert len(events(archive, c1)) == 1
    assert archive.db["versions"].count == 1 and archive.db["fetch_problems"].count == 1


def test_gone_page_is_withdrawn_then_reappears(archive):
    c1, c2, c3 = (archive.start_crawl(["p"]) for _ in range(3))
    v1 = stored(archive, b"%PDF-1.4 v1")
    observe(archive, c1, {PDF_URL: v1})
    assert archive.record_gone(c2, PAGE["url"], 404)
    assert not archive.record_gone(c2, PAGE["url"], 404)  # already withdrawn
    assert events(archive, c2) == [("withdrawn", False, None, None)]
    assert archive.known_disclosures("p", ["s"]) == []
    assert archive.finish_crawl(c2)["disclosures_seen"] == 0
    assert archive.db["disclosures"].get(1)["last_crawl_id"] == c1
    observe(archive, c3, {PDF_URL: v1})
    assert events(archive, c3) == [("reappeared", False, None, None)]
    assert archive.db["versions"].count == 1


def test_attachment_dropped_from_page_or_404_is_withdrawn(archive):
    c1, c2 = archive.start_crawl(["p"]), archive.start_crawl(["p"])
    other = "http://h/ys/P02.pdf"
    v1, v2 = stored(archive, b"%PDF-1.4 one"), stored(archive, b"%PDF-1.4 two")
    atts = [{"url": PDF_URL, "name": "a.pdf"}, {"url": other, "name": "b.pdf"}]
    observe(archive, c1, {PDF_URL: v1, other: v2}, atts)
    gone = {"ok": False, "kind": "http_404", "http_status": 404, "detail": "HTTP 404"}
    observe(archive, c2, {PDF_URL: gone}, atts[:1])
    kinds = sorted((e[0], e[2]) for e in events(archive, c2))
    assert kinds == sorted([("withdrawn", v1["sha256"]), ("withdrawn", v2["sha256"])])
    assert archive.db["files"].count == 2  # files stay
    problem = next(archive.db["fetch_problems"].rows)
    assert (problem["kind"], problem["page_url"]) == ("http_404", PAGE["url"])


def test_new_attachment_on_a_known_page_is_published(archive):
    c1, c2 = archive.start_crawl(["p"]), archive.start_crawl(["p"])
    observe(archive, c1, {PDF_URL: stored(archive, b"%PDF-1.4 one")})
    new = "http://h/ys/P03.pdf"
    v3 = stored(archive, b"%PDF-1.4 three")
    atts = [{"url": PDF_URL, "name": "a"}, {"url": new, "name": "c"}]
    observe(archive, c2, {PDF_URL: stored(archive, b"%PDF-1.4 one"), new: v3}, atts)
    assert events(archive, c2) == [("published", True, None, v3["sha256"])]


def test_failed_first_download_is_not_an_event_but_a_problem(archive):
    c1 = archive.start_crawl(["p"])
    bad = {"ok": False, "kind": "not_pdf", "http_status": 200, "detail": "an HTML page"}
    observe(archive, c1, {PDF_URL: bad})
    att = next(archive.db["attachments"].rows)
    assert (att["status"], att["last_error"], att["current_sha256"]) == ("failed", "not_pdf", None)
    assert events(archive, c1) == [("published", False, None, None)]
    assert archive.db["files"].count == 0


def test_finish_crawl_counts_what_it_recorded(archive):
    c1 = archive.start_crawl(["p"])
    observe(archive, c1, {PDF_URL: stored(archive, b"%PDF-1.4 v1")})
    row = archive.finish_crawl(
        c1, "finished", {"trs": {"budget/pages": 3, "budget/files_downloaded": 1}}
    )
    assert (row["disclosures_seen"], row["files_new"], row["events"]) == (1, 1, 1)
    assert (row["pages_fetched"], row["files_downloaded"]) == (3, 1)
    crawl = archive.db["crawls"].get(c1)
    assert crawl["status"] == "finished" and crawl["finished_at"]


def test_migrations_are_applied_once(tmp_path):
    Archive(tmp_path / "a")
    again = Archive(tmp_path / "a")
    assert [r["name"] for r in again.db["_migrations"].rows] == ["0001_initial", "0002_totals"]


def test_an_observation_is_one_transaction(archive):
    """A failure half-way through recording a page leaves no trace of it."""
    c1 = archive.start_crawl(["p"])
    broken = {"ok": True, "size": 1, "kind": "pdf", "path": "files/x"}  # no sha256
    with pytest.raises(KeyError):
        observe(archive, c1, {PDF_URL: broken})
    assert archive.db["disclosures"].count == 0
    assert archive.db["attachments"].count == 0
    assert archive.db["events"].count == 0
    observe(archive, c1, {PDF_URL: stored(archive, b"%PDF-1.4 v1")})
    assert archive.db["disclosures"].count == 1
