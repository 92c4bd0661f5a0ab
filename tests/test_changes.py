"""What a revision changed: each figure that differs between the two versions of a file,
read under one extractor version, and the same as a sentence."""

from __future__ import annotations

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
