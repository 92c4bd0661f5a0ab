"""What a revision changed: each figure that differs between the two versions of a file,
read under one extractor version, and the same as a sentence."""

from __future__ import annotations

from archive import changes
from archive.store import Store
from archive.totals import store_totals

OLD, NEW, OTHER = "a" * 64, "b" * 64, "c" * 64
UNIT = "演示市财政局"


def result(**amounts: object) -> dict:
    return {
        "unit_name": UNIT,
        "year": 2026,
        "doc_type": "budget",
        "scope": "department",
        "evidence": {},
        "checks": {},
        **amounts,
    }


def archive(tmp_path) -> Store:
    store = Store(tmp_path)
    store.db["events"].insert_all(
        [
            {"id": 1, "time": "2026-03-06T10:00:00Z", "crawl_id": 2, "type": "revised",
             "portal_id": "demo", "disclosure_id": 7, "attachment_id": 9,
             "old_sha256": OLD, "new_sha256": NEW},
            # a revision whose new file is not extracted yet
            {"id": 2, "time": "2026-03-06T10:00:00Z", "crawl_id": 2, "type": "revised",
             "portal_id": "demo", "disclosure_id": 8, "attachment_id": 10,
             "old_sha256": OLD, "new_sha256": OTHER},
        ]
    )  # fmt: skip
    # an older extractor read only the old file: the diff uses the version that read both
    store_totals(store, OLD, result(expenditure_total=999.0), "3")
    old = result(
        revenue_total=1234.56,
        expenditure_total=1234.56,
        three_public_total=10.0,
        by_function={"教育支出": 100.0, "卫生健康支出": 50.0},
    )
    new = result(
        revenue_total=1240.0,
        expenditure_total=1240.0,
        by_function={"教育支出": 105.44, "卫生健康支出": 50.0, "住房保障支出": 3.0},
    )
    store_totals(store, OLD, old, "4")
    store_totals(store, NEW, new, "4")
    return store


def test_each_changed_figure_is_a_row_with_old_new_and_difference(tmp_path):
    store = archive(tmp_path)
    rows = {
        r["field"]: (r["old"], r["new"], r["difference"], r["extractor_version"])
        for r in store.db.query("select * from changes where event_id = 1")
    }
    assert rows == {
        "revenue_total": (1234.56, 1240.0, 5.44, "4"),
        "expenditure_total": (1234.56, 1240.0, 5.44, "4"),
        "three_public_total": (10.0, None, None, "4"),
        "by_function:教育支出": (100.0, 105.44, 5.44, "4"),
        "by_function:住房保障支出": (None, 3.0, None, "4"),
    }
    # not extracted yet: no rows until it is
    assert not list(store.db.query("select * from changes where event_id = 2"))


def test_a_change_reads_as_a_sentence(tmp_path):
    store = archive(tmp_path)
    sentences = {
        r["field"]: r["sentence"]
        for r in store.db.query("select * from change_sentences where event_id = 1")
    }
    assert sentences["expenditure_total"] == (
        f"{UNIT} 2026 部门预算: 支出总计 1,234.56 → 1,240.00 万元 (+5.44)"
    )
    assert sentences["three_public_total"] == f"{UNIT} 2026 部门预算: “三公”经费 10.00 → — 万元"
    assert sentences["by_function:住房保障支出"].endswith("住房保障支出 — → 3.00 万元")


def test_a_newer_extractor_reading_both_files_rewrites_the_rows(tmp_path):
    store = archive(tmp_path)
    store_totals(store, OLD, result(revenue_total=1234.56, expenditure_total=1200.0), "5")
    # only the old file read by version 5: the rows still come from version 4
    versions = {r[0] for r in store.conn.execute("select extractor_version from changes")}
    assert versions == {"4"}
    store_totals(store, NEW, result(revenue_total=1234.56, expenditure_total=1250.0), "5")
    rows = {
        r["field"]: (r["old"], r["new"], r["difference"], r["extractor_version"])
        for r in store.db.query("select * from changes where event_id = 1")
    }
    assert rows == {"expenditure_total": (1200.0, 1250.0, 50.0, "5")}
    # each file's newest extraction is the one latest_totals shows
    latest = dict(store.conn.execute("select sha256, extractor_version from latest_totals"))
    assert latest == {OLD: "5", NEW: "5"}
    assert store.conn.execute("select count(*) from totals where latest = 0").fetchone() == (3,)


def test_a_revision_between_files_read_before_has_its_rows_at_once(tmp_path):
    store = archive(tmp_path)
    store.db["events"].insert(
        {"id": 3, "time": "2026-04-01T10:00:00Z", "crawl_id": 3, "type": "revised",
         "portal_id": "demo", "disclosure_id": 7, "attachment_id": 9,
         "old_sha256": NEW, "new_sha256": OLD}
    )  # fmt: skip
    assert changes.refresh(store.conn, event_ids=[3]) == 5
    back = dict(store.conn.execute("select field, difference from changes where event_id = 3"))
    assert back["expenditure_total"] == -5.44
    assert back["by_function:住房保障支出"] is None


def test_an_archive_from_before_keeps_its_changes_as_rows(tmp_path, monkeypatch):
    """0010 turns the `changes` view into a table: the rows the view gave are kept, and
    `latest` marks each file's newest extraction."""
    import archive.migrations as migrations

    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:9])
    old_store = Store(tmp_path)
    old_store.db["events"].insert(
        {"id": 1, "time": "2026-03-06T10:00:00Z", "crawl_id": 2, "type": "revised",
         "portal_id": "demo", "disclosure_id": 7, "attachment_id": 9,
         "old_sha256": OLD, "new_sha256": NEW}
    )  # fmt: skip
    old_store.db["totals"].insert_all(
        [
            {"sha256": OLD, "extractor_version": "4", "status": "ok", "expenditure_total": 10.0},
            {"sha256": NEW, "extractor_version": "3", "status": "ok", "expenditure_total": 1.0},
            {"sha256": NEW, "extractor_version": "4", "status": "ok", "expenditure_total": 12.5},
        ]
    )
    viewed = old_store.db.execute("select * from changes").fetchall()
    assert len(viewed) == 1
    old_store.close()
    monkeypatch.undo()

    store = Store(tmp_path)  # migrates
    assert store.db["changes"].exists() and "changes" not in store.db.view_names()
    assert store.db.execute("select * from changes").fetchall() == viewed
    sentence = store.conn.execute("select sentence from change_sentences").fetchone()[0]
    assert sentence.endswith("支出总计 10.00 → 12.50 万元 (+2.50)")
    latest = dict(store.conn.execute("select sha256, extractor_version from latest_totals"))
    assert latest == {OLD: "4", NEW: "4"}
