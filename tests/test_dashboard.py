"""The dashboard (datasette-dashboards, configured in metadata.json): a unit's key totals
over the years and disclosures published per month, from a real archive, served by
Datasette; rendered by headless Chromium (Vega-Lite drawing its charts offline)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from archive.publish import datasette_app, load_metadata
from archive.store import Store
from archive.totals import store_totals
from tests.browsing import browsing, needs_chromium

CHARTS = load_metadata()["plugins"]["datasette-dashboards"]["archive"]["charts"]


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("archive")
    store = Store(root)
    store.upsert_portal("p", "P", "", "http://p.example", [])
    for n, (year, date, total) in enumerate(
        [(2024, "2024-03-05", 100.0), (2025, "2025-03-07", 120.5), (2026, "2026-02-27", 130.25)], 1
    ):
        sha = str(n) * 64
        store.conn.execute(
            """insert into disclosures (id, portal_id, section, url, title, unit_name, year,
                 doc_type, publish_date, status, first_seen, last_seen)
               values (?, 'p', 's', ?, ?, '甲局', ?, 'budget', ?, 'active', 'x', 'x')""",
            [n, f"http://p.example/{n}", f"甲局{year}年部门预算", year, date],
        )
        store.conn.execute(
            "insert into files (sha256, size, kind, path) values (?, 1, 'pdf', 'x')", [sha]
        )
        store.conn.execute(
            "insert into attachments (disclosure_id, url, status, current_sha256) values (?, ?, 'active', ?)",
            [n, f"http://p.example/{n}.pdf", sha],
        )
        store.conn.commit()
        store_totals(store, sha, {"expenditure_total": total, "revenue_total": total}, "9")
    store.close()
    return root


def chart_rows(ds, name: str, **params: str) -> list[dict]:
    """A chart's rows as the dashboard asks for them: an optional filter ([[ … ]]) is
    kept when its parameter is given, dropped otherwise."""
    sql = CHARTS[name]["query"]
    for block in re.findall(r"\[\[(.*?)\]\]", sql, flags=re.S):
        given = all(p in params for p in re.findall(r":(\w+)", block))
        sql = sql.replace(f"[[{block}]]", block if given else "")
    response = asyncio.run(
        ds.client.get("/archive.json", params={"sql": sql, "_shape": "objects", **params})
    )
    assert response.status_code == 200, response.text
    return response.json()["rows"]


def test_a_units_totals_over_the_years(archive):
    ds = datasette_app(archive)
    rows = chart_rows(ds, "unit-totals", unit="甲局")
    spent = [(r["year"], r["value"]) for r in rows if r["figure"] == "支出总计"]
    assert spent == [(2024, 100.0), (2025, 120.5), (2026, 130.25)]
    assert chart_rows(ds, "unit-totals", unit="乙局") == []


def test_published_by_month(archive):
    ds = datasette_app(archive)
    rows = chart_rows(ds, "published-by-month")
    assert [(r["month"], r["portal"], r["disclosures"]) for r in rows] == [
        ("2024-03", "p", 1),
        ("2025-03", "p", 1),
        ("2026-02", "p", 1),
    ]
    page = asyncio.run(ds.client.get("/-/dashboards/archive", params={"unit": "甲局"}))
    assert page.status_code == 200
    for chart in CHARTS.values():
        assert chart["title"] in page.text


@needs_chromium
@pytest.mark.browser
def test_the_dashboard_draws_its_charts_in_chromium(archive, tmp_path):
    with browsing(archive) as (url, browser):
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(f"{url}/-/dashboards/archive?unit=%E7%94%B2%E5%B1%80")
        page.wait_for_selector(".vega-embed svg, .vega-embed canvas", timeout=15_000)
        page.wait_for_timeout(500)
        drawn = page.locator(".vega-embed svg, .vega-embed canvas").count()
        assert drawn >= 2, f"{drawn} charts drawn"
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 1280, f"{wide}px of layout in a 1280px window"
        page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
        assert (tmp_path / "dashboard.png").stat().st_size > 20_000
