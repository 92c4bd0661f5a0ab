"""The store applies the revision rules to a real SQLite archive: rows, versions, page
history and events, one transaction per observation, nothing lost."""

from __future__ import annotations

import json
from datetime import date

import pytest

from archive import page_writes
from archive.revisions import PAGE_FIELDS, FileSeen, PageSeen
from archive.revisit import Policy
from archive.store import Store

PAGE = "http://h/ys/t20250302_1.html"
PDF_URL = "http://h/ys/P01.pdf"
FACTS = {
    "title": "演示市教育局2025年部门预算",
    "publish_date_shown": "2025-03-02",
    "publish_date": "2025-03-02",
    "unit_name": "演示市教育局",
    "year": 2025,
    "doc_type": "budget",
    "scope": "department",
    "parent_url": None,
}


@pytest.fixture
def store(tmp_path) -> Store:
    s = Store(tmp_path / "arch")
    s.upsert_portal("p", "portal", "", "http://h", [])
    return s


def fetched(store: Store, body: bytes, url: str = PDF_URL, **extra) -> FileSeen:
    f = store.files.put(body, "pdf")
    return FileSeen(
        url,
        "预算.pdf",
        sha256=f.sha256,
        size=f.size,
        kind="pdf",
        path=f.path,
        content_type="application/pdf",
        etag=extra.get("etag"),
        last_modified=extra.get("last_modified"),
    )


def observe(store: Store, crawl: int, *files: FileSeen, url: str = PAGE, **facts) -> int:
    return store.record_page(crawl, "p", "s", PageSeen(url, {**FACTS, **facts}, files))


def events(store: Store, crawl: int) -> list[tuple]:
    return [
        (r["type"], r["attachment_id"] is not None, r["old_sha256"], r["new_sha256"])
        for r in store.db.query("select * from events where crawl_id = ? order by id", [crawl])
    ]


def test_first_sight_then_unchanged_then_revised(store):
    c1, c2, c3 = (store.start_crawl(["p"]) for _ in range(3))
    v1 = fetched(store, b"%PDF-1.4 v1", etag='"a"')
    observe(store, c1, v1)
    assert events(store, c1) == [("published", False, None, None)]
    assert store.file_validators()[PDF_URL]["etag"] == '"a"'

    observe(store, c2, v1)
    assert events(store, c2) == []
    (version,) = store.db["versions"].rows
    assert (version["first_crawl_id"], version["last_crawl_id"]) == (c1, c2)

    v2 = fetched(store, b"%PDF-1.4 v2 corrected")
    observe(store, c3, v2)
    assert events(store, c3) == [("revised", True, v1.sha256, v2.sha256)]
    shas = [r["sha256"] for r in store.db.query("select sha256 from versions order by id")]
    assert shas == [v1.sha256, v2.sha256]
    assert (store.root / v1.path).read_bytes() == b"%PDF-1.4 v1"  # the old file stays


def test_same_observation_twice_in_one_crawl_adds_nothing(store):
    c1 = store.start_crawl(["p"])
    failing = FileSeen("http://h/x.pdf", "x.pdf", problem="http_404", http_status=404)
    for _ in range(2):
        observe(store, c1, fetched(store, b"%PDF-1.4 v1"), failing)
    assert len(events(store, c1)) == 1
    assert store.db["versions"].count == 1 and store.db["fetch_problems"].count == 1
    assert store.db["page_versions"].count == 1


def test_retitled_page_keeps_its_history(store):
    c1, c2 = store.start_crawl(["p"]), store.start_crawl(["p"])
    v1 = fetched(store, b"%PDF-1.4 v1")
    page_id = observe(store, c1, v1)
    observe(store, c2, v1, title="演示市教育局2025年部门预算（更正）", publish_date=None)
    (event,) = store.db.query("select * from events where crawl_id = ?", [c2])
    assert event["type"] == "page_changed"
    assert json.loads(event["details"]) == {
        "title": ["演示市教育局2025年部门预算", "演示市教育局2025年部门预算（更正）"]
    }
    history = list(store.db.query("select * from page_versions order by id"))
    assert [h["title"] for h in history] == [FACTS["title"], FACTS["title"] + "（更正）"]
    assert history[1]["publish_date"] == "2025-03-02"  # not shown this time: unchanged
    assert store.db["disclosures"].get(page_id)["title"].endswith("（更正）")


def revisited(store: Store) -> dict:
    """The pages a crawl that revisits every known page fetches again."""
    return store.revisit_plan(Policy(everything=True), date(2026, 6, 1))[0]


def test_withdrawn_page_takes_its_files_and_reappears(store):
    c1, c2, c3 = (store.start_crawl(["p"]) for _ in range(3))
    v1 = fetched(store, b"%PDF-1.4 v1")
    observe(store, c1, v1)
    assert store.record_gone(c2, "p", PAGE, 404)
    assert not store.record_gone(c2, "p", PAGE, 404)  # already withdrawn
    assert events(store, c2) == [("withdrawn", False, None, None)]
    assert revisited(store) == {}
    (att,) = store.db["attachments"].rows
    assert att["status"] == "withdrawn" and att["current_sha256"] == v1.sha256
    assert store.finish_crawl(c2)["disclosures_seen"] == 0
    observe(store, c3, v1)
    assert events(store, c3) == [("reappeared", False, None, None)]
    (att,) = store.db["attachments"].rows
    assert att["status"] == "active" and store.db["versions"].count == 1
    assert revisited(store) == {"p": {"s": [PAGE]}}


def test_failed_then_fetched_is_published(store):
    c1, c2 = store.start_crawl(["p"]), store.start_crawl(["p"])
    observe(store, c1, FileSeen(PDF_URL, "预算.pdf", problem="not_pdf", http_status=200))
    (att,) = store.db["attachments"].rows
    assert (att["status"], att["last_error"], att["current_sha256"]) == ("failed", "not_pdf", None)
    v1 = fetched(store, b"%PDF-1.4 v1")
    observe(store, c2, v1)
    assert events(store, c2) == [("published", True, None, v1.sha256)]


def test_a_page_moved_to_another_url(store):
    c1, c2, c3 = (store.start_crawl(["p"]) for _ in range(3))
    v1 = fetched(store, b"%PDF-1.4 v1")
    old = observe(store, c1, v1)
    store.record_gone(c2, "p", PAGE, 404)
    new_url = "http://h/new/t20250302_1.html"
    new = observe(
        store, c3, fetched(store, b"%PDF-1.4 v1", url="http://h/new/P01.pdf"), url=new_url
    )
    (event,) = store.db.query("select * from events where crawl_id = ?", [c3])
    assert (event["type"], event["disclosure_id"], event["related_disclosure_id"]) == (
        "moved",
        new,
        old,
    )


def test_finish_crawl_counts_what_it_recorded(store):
    c1 = store.start_crawl(["p"])
    observe(store, c1, fetched(store, b"%PDF-1.4 v1"))
    row = store.finish_crawl(
        c1, "finished", {"trs": {"budget/pages": 3, "budget/files_downloaded": 1}}
    )
    assert (row["disclosures_seen"], row["files_new"], row["events"]) == (1, 1, 1)
    assert (row["pages_fetched"], row["files_downloaded"]) == (3, 1)
    crawl = store.db["crawls"].get(c1)
    assert crawl["status"] == "finished" and crawl["finished_at"]


def test_an_observation_is_one_transaction(store, monkeypatch):
    """A failure half-way through recording a page leaves no trace of it."""
    c1 = store.start_crawl(["p"])

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(page_writes, "write_events", broken)
    with pytest.raises(RuntimeError):
        observe(store, c1, fetched(store, b"%PDF-1.4 v1"))
    for table in ("disclosures", "attachments", "versions", "page_versions", "events"):
        assert store.db[table].count == 0, table
    monkeypatch.undo()
    observe(store, c1, fetched(store, b"%PDF-1.4 v1"))
    assert store.db["disclosures"].count == 1 and store.db["events"].count == 1


def test_page_facts_are_the_history_columns():
    """The revision rules' page facts are exactly what page_versions records."""
    import sqlite_utils

    from archive.migrations import migrate

    db = sqlite_utils.Database(memory=True)
    migrate(db)
    bookkeeping = {
        "id",
        "disclosure_id",
        "first_seen",
        "last_seen",
        "first_crawl_id",
        "last_crawl_id",
    }
    assert set(db["page_versions"].columns_dict) - bookkeeping == set(PAGE_FIELDS)


def test_a_disclosure_item_carries_every_page_fact():
    """The archive pipeline reads the page facts off the item by name."""
    from dataclasses import fields

    from crawler.items import Disclosure

    assert set(PAGE_FIELDS) <= {f.name for f in fields(Disclosure)}
