"""Storing extraction results in the archive (the extractor's answers are plain JSON)."""

from __future__ import annotations

import json

from archive.revisions import FileSeen, PageSeen
from archive.store import Store
from archive.totals import extracted, pending_files, store_totals

RESULT = {
    "unit_name": "演示市教育局",
    "year": 2025,
    "doc_type": "budget",
    "scope": "department",
    "amount_unit": "万元",
    "revenue_total": 377.86,
    "expenditure_total": 377.86,
    "basic_expenditure": 370.86,
    "project_expenditure": 7.0,
    "three_public_total": None,
    "by_function": {"卫生健康支出": 307.48, "住房保障支出": 31.11},
    "evidence": {"revenue_total": {"page": 5, "source": "table", "text": "收入总计 377.86"}},
    "checks": [
        {"name": "revenue_equals_expenditure", "status": "ok", "left": 377.86, "right": 377.86},
        {"name": "functions_add_up", "status": "failed", "left": 338.59, "right": 377.86},
    ],
    "is_budget_disclosure": True,
    "text_layer": True,
    "pages": 12,
}


def test_store_one_row_per_file_and_version(tmp_path):
    store = Store(tmp_path / "a")
    f = store.files.put(b"%PDF-1.4 x", "pdf")
    store.db.table("files").insert(
        {"sha256": f.sha256, "path": f.path, "kind": "pdf", "size": f.size}
    )
    assert [p["sha256"] for p in pending_files(store, "v1")] == [f.sha256]

    assert store_totals(store, f.sha256, RESULT, "v1")
    row = store.db["totals"].get((f.sha256, "v1"))
    assert (row["unit_name"], row["revenue_total"], row["three_public_total"]) == (
        "演示市教育局",
        377.86,
        None,
    )
    assert (row["status"], row["checks_failed"], row["text_layer"]) == ("ok", 1, 1)
    assert json.loads(row["result"])["by_function"]["卫生健康支出"] == 307.48
    assert {r["name"]: r["amount"] for r in store.db["totals_by_function"].rows} == RESULT[
        "by_function"
    ]
    (ev,) = store.db["totals_evidence"].rows
    assert (ev["field"], ev["page"], ev["source"]) == ("revenue_total", 5, "table")
    checks = {r["name"]: r for r in store.db["totals_checks"].rows}
    assert checks["functions_add_up"]["status"] == "failed"
    assert json.loads(checks["functions_add_up"]["detail"]) == {"left": 338.59, "right": 377.86}
    assert extracted(store, "v1") == {f.sha256} and extracted(store, "v2") == set()
    assert (
        pending_files(store, "v1") == [] and len(pending_files(store, "v1", everything=True)) == 1
    )

    # the same version again: the stored result stays
    assert not store_totals(store, f.sha256, {**RESULT, "revenue_total": 1.0}, "v1")
    assert store.db["totals"].get((f.sha256, "v1"))["revenue_total"] == 377.86

    # a new version adds rows beside the old ones; latest_totals shows the newest
    store_totals(store, f.sha256, {"error": "PDFSyntaxError: broken"}, "v2")
    assert store.db["totals"].count == 2
    assert store.db["totals_by_function"].count == 2 and store.db["totals_checks"].count == 2
    (latest,) = store.db.query("select * from latest_totals")
    assert (latest["extractor_version"], latest["status"], latest["error"]) == (
        "v2",
        "error",
        "PDFSyntaxError: broken",
    )
    # a failed extraction gives way to a later attempt of the same version
    assert pending_files(store, "v2") != []
    assert store_totals(store, f.sha256, RESULT, "v2")
    assert store.db["totals"].get((f.sha256, "v2"))["status"] == "ok"


def test_unit_totals_query_in_datasette(tmp_path):
    """The canned query joins a unit's disclosures to the newest totals of their current
    files."""
    import asyncio

    from archive.publish import datasette_app

    store = Store(tmp_path / "a")
    crawl = store.start_crawl(["p"])
    store.upsert_portal("p", "门户", "", "http://h", [])
    for year, body in ((2024, b"%PDF-1.4 a"), (2025, b"%PDF-1.4 b")):
        f = store.files.put(body, "pdf")
        facts = {
            "title": f"演示市教育局{year}年部门预算",
            "unit_name": "演示市教育局",
            "year": year,
            "doc_type": "budget",
        }
        pdf = FileSeen(
            f"http://h/{year}.pdf",
            "预算.pdf",
            sha256=f.sha256,
            size=f.size,
            kind="pdf",
            path=f.path,
        )
        store.record_page(crawl, "p", "s", PageSeen(f"http://h/{year}.html", facts, (pdf,)))
        store_totals(store, f.sha256, {**RESULT, "year": year, "revenue_total": 1.0}, "v0")
        store_totals(store, f.sha256, {**RESULT, "year": year, "revenue_total": year / 10}, "v1")

    async def fetch():
        ds = datasette_app(store.root)
        return await ds.client.get("/archive/unit_totals.json?_shape=array&unit=教育局")

    response = asyncio.run(fetch())
    assert response.status_code == 200, response.text
    rows = response.json()
    assert [(r["year"], r["revenue_total"]) for r in rows] == [(2024, 202.4), (2025, 202.5)]
    assert all(r["unit"] == "演示市教育局" and r["checks_failed"] == 1 for r in rows)
