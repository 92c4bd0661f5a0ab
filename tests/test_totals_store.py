"""Storing extraction results in the archive (the extractor's answers are plain JSON)."""

from __future__ import annotations

import json

from archive.recorder import Archive
from archive.totals import needs_extraction, pending_files, store_totals

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


def test_store_and_replace(tmp_path):
    archive = Archive(tmp_path / "a")
    f = archive.files.put(b"%PDF-1.4 x")
    archive.db.table("files").insert(
        {"sha256": f.sha256, "path": f.path, "kind": "pdf", "size": f.size}
    )
    assert [p["sha256"] for p in pending_files(archive, "v1")] == [f.sha256]

    store_totals(archive, f.sha256, RESULT, "v1")
    row = archive.db.table("totals").get(f.sha256)
    assert (row["unit_name"], row["revenue_total"], row["three_public_total"]) == (
        "演示市教育局",
        377.86,
        None,
    )
    assert (row["status"], row["checks_failed"], row["text_layer"]) == ("ok", 1, 1)
    assert json.loads(row["result"])["by_function"]["卫生健康支出"] == 307.48
    assert {r["name"]: r["amount"] for r in archive.db["totals_by_function"].rows} == RESULT[
        "by_function"
    ]
    (ev,) = archive.db["totals_evidence"].rows
    assert (ev["field"], ev["page"], ev["source"]) == ("revenue_total", 5, "table")
    checks = {r["name"]: r for r in archive.db["totals_checks"].rows}
    assert checks["functions_add_up"]["status"] == "failed"
    assert json.loads(checks["functions_add_up"]["detail"]) == {"left": 338.59, "right": 377.86}

    assert not needs_extraction(archive, f.sha256, "v1") and needs_extraction(
        archive, f.sha256, "v2"
    )
    assert (
        pending_files(archive, "v1") == []
        and len(pending_files(archive, "v1", everything=True)) == 1
    )

    # a new version replaces the file's rows, children included
    store_totals(archive, f.sha256, {"error": "PDFSyntaxError: broken"}, "v2")
    row = archive.db.table("totals").get(f.sha256)
    assert (row["status"], row["error"], row["revenue_total"]) == (
        "error",
        "PDFSyntaxError: broken",
        None,
    )
    assert archive.db["totals_by_function"].count == 0 and archive.db["totals_checks"].count == 0


def test_unit_totals_query_in_datasette(tmp_path):
    """The canned query joins a unit's disclosures to the totals of their current files."""
    import asyncio

    from archive.publish import datasette_app

    archive = Archive(tmp_path / "a")
    crawl = archive.start_crawl(["p"])
    archive.upsert_portal({"id": "p", "name": "门户", "base_url": "http://h", "sections": "[]"})
    for year, body in ((2024, b"%PDF-1.4 a"), (2025, b"%PDF-1.4 b")):
        f = archive.files.put(body)
        page = {
            "portal_id": "p",
            "section": "s",
            "url": f"http://h/{year}.html",
            "title": f"演示市教育局{year}年部门预算",
            "unit_name": "演示市教育局",
            "year": year,
            "doc_type": "budget",
        }
        result = {"ok": True, "sha256": f.sha256, "size": f.size, "kind": "pdf", "path": f.path}
        archive.record_disclosure(
            crawl,
            page,
            [{"url": f"http://h/{year}.pdf", "name": "预算.pdf"}],
            {f"http://h/{year}.pdf": result},
        )
        store_totals(archive, f.sha256, {**RESULT, "year": year, "revenue_total": year / 10}, "v1")

    async def fetch():
        ds = datasette_app(archive.root)
        return await ds.client.get("/archive/unit_totals.json?_shape=array&unit=教育局")

    response = asyncio.run(fetch())
    assert response.status_code == 200, response.text
    rows = response.json()
    assert [(r["year"], r["revenue_total"]) for r in rows] == [(2024, 202.4), (2025, 202.5)]
    assert all(r["unit"] == "演示市教育局" and r["checks_failed"] == 1 for r in rows)
