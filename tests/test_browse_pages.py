"""Readable, fast table pages: Chinese column labels (万元 on amounts), newest first,
the facets a reader filters by, and an index under every column a page sorts or facets by
(what keeps a page fast at 100,000 disclosures: bench/browse.py times it)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from datasette.app import Datasette

from archive.cells import AMOUNT_COLUMNS
from archive.migrations import migrate
from archive.publish import (
    DATABASE,
    PLUGIN_NAME,
    SETTINGS,
    column_labels,
    datasette_app,
    load_metadata,
)
from archive.store import Store
from archive.totals import store_totals
from extract.fields import AMOUNT_LABELS
from tests.test_publish import build_archive

METADATA = load_metadata()
TABLES = METADATA["databases"][DATABASE]["tables"]
CONFIG = METADATA["plugins"][PLUGIN_NAME]
LABELS = CONFIG["column_labels"]
# one row per portal, crawl or section: small at any size of archive
SMALL = {
    "portals",
    "crawls",
    "fixity_runs",
    "monitors",
    "notifications",
    "notification_events",
    "portal_deadlines",
    "approvals",
    "unit_aliases",
}


@pytest.fixture(scope="module")
def ds(tmp_path_factory: pytest.TempPathFactory) -> Datasette:
    root = tmp_path_factory.mktemp("browse") / "archive"
    built = build_archive(root)
    store = Store(root)
    for n, key in enumerate(("old", "new")):  # two files' figures, read a day apart
        figures = {"unit_name": "演示市教育局", "year": 2025, "doc_type": "budget"}
        store_totals(store, built[key].sha256, {**figures, "expenditure_total": 100.0 + n}, "4")
        store.conn.execute(
            "update totals set extracted_at = ? where sha256 = ?",
            [f"2026-03-0{n + 1}T00:00:00Z", built[key].sha256],
        )
    store.conn.commit()
    store.close()
    return datasette_app(root)


def get(ds: Datasette, path: str, **params: Any) -> Any:
    response = asyncio.run(ds.client.get(path, params=params))
    assert response.status_code == 200, response.text
    return response


def headings(html: str) -> dict[str, str]:
    """column name → the heading's text (label and name)."""
    out = {}
    for column, inner in re.findall(r'<th [^>]*data-column="([^"]+)"[^>]*>(.*?)</th>', html, re.S):
        out[column] = " ".join(re.sub(r"<[^>]+>", " ", inner).replace("&nbsp;", " ").split())
    return out


def test_amount_columns_are_labelled_in_chinese_with_wan_yuan() -> None:
    for table, column in AMOUNT_COLUMNS:
        label = LABELS.get(column)
        assert label and label.endswith("（万元）"), (table, column, label)
        if column in AMOUNT_LABELS:
            assert label == f"{AMOUNT_LABELS[column]}（万元）"


def test_every_described_column_has_a_chinese_label() -> None:
    for table, meta in TABLES.items():
        labels = column_labels(CONFIG, table)
        unlabelled = set(meta.get("columns", {})) - set(labels)
        assert not unlabelled, (table, unlabelled)
        for column in meta.get("columns", {}):
            if column not in ("etag",):  # a header's own name
                assert re.search(r"[\u4e00-\u9fff]", labels[column]), (table, column)
    # a name that means another thing in one table is labelled for that table
    assert column_labels(CONFIG, "changes")["new"].endswith("（万元）")
    assert "万元" not in column_labels(CONFIG, "section_crawls")["new"]


@pytest.mark.parametrize("table", ["disclosures", "latest_totals", "events", "files"])
def test_pages_head_columns_with_their_labels_and_names(ds: Datasette, table: str) -> None:
    shown = headings(get(ds, f"/{DATABASE}/{table}").text)
    assert shown, "no table rendered"
    for column, text in shown.items():
        if column in LABELS:
            assert text.startswith(LABELS[column]), (column, text)
            assert column in text  # the name stays, for SQL and the JSON API
    if table == "latest_totals":
        assert shown["expenditure_total"].startswith("支出总计（万元）")


def test_disclosures_newest_publish_date_first(ds: Datasette) -> None:
    rows = get(ds, f"/{DATABASE}/disclosures.json", _shape="objects").json()["rows"]
    dates = [r["publish_date"] for r in rows if r["publish_date"]]
    assert len(dates) >= 2 and dates == sorted(dates, reverse=True)
    assert rows[0]["publish_date"] == max(dates)  # undated pages come last
    html = get(ds, f"/{DATABASE}/disclosures").text
    assert "sorted by 发布日期" in html or "publish_date descending" in html


def test_newest_first_on_the_tables_that_grow(ds: Datasette) -> None:
    for table, column in (("events", "time"), ("versions", "first_seen"), ("files", "first_seen")):
        rows = get(ds, f"/{DATABASE}/{table}.json", _shape="objects").json()["rows"]
        values = [r[column] for r in rows]
        assert values == sorted(values, reverse=True), table
    rows = get(ds, f"/{DATABASE}/latest_totals.json", _shape="objects").json()["rows"]
    assert len(rows) == 2
    assert [r["extracted_at"] for r in rows] == sorted(
        (r["extracted_at"] for r in rows), reverse=True
    )


@pytest.mark.parametrize(
    "table, facets",
    [
        ("disclosures", {"portal_id", "unit_name", "year", "doc_type", "status"}),
        ("events", {"type", "portal_id"}),
        ("latest_totals", {"doc_type", "year", "status"}),
        ("calendar", {"portal_id", "status", "doc_type", "year"}),
    ],
)
def test_facets_a_reader_filters_by(ds: Datasette, table: str, facets: set[str]) -> None:
    body = get(ds, f"/{DATABASE}/{table}.json").json()
    assert facets <= set(body["facet_results"])  # a facet that timed out is left out
    assert "facets timed out" not in get(ds, f"/{DATABASE}/{table}").text
    assert not body.get("suggested_facets")  # off: they cost most of a large page's time
    assert SETTINGS["suggest_facets"] is False


def test_the_json_keeps_raw_values_under_the_labels(ds: Datasette) -> None:
    body = get(ds, f"/{DATABASE}/latest_totals.json", _shape="objects").json()
    assert body["rows"] and "expenditure_total" in body["rows"][0]


def _indexes(db: sqlite_utils.Database, table: str) -> list[list[str]]:
    return [index.columns for index in db[table].indexes] + [db[table].pks]


def _leads(columns: list[str]) -> set[str]:
    """What an index can be read in the order of: its first column, or its second after
    `latest` (the flag latest_totals filters on)."""
    return {columns[0]} | ({columns[1]} if columns[0] == "latest" and len(columns) > 1 else set())


def test_every_sorted_or_faceted_column_is_indexed(tmp_path: Path) -> None:
    """A page's sort reads an index in order. Each facet counts from an index led by its
    column that holds the table's other facets: also fast once a reader has picked a value
    of another facet (the index alone answers, no row is read)."""
    db = sqlite_utils.Database(tmp_path / "archive.db")
    migrate(db)
    for name, meta in TABLES.items():
        if name in SMALL or meta.get("hidden"):
            continue
        table = {"latest_totals": "totals", "change_sentences": "changes"}.get(name, name)
        if table in db.view_names():
            continue  # a few rows worked out each time (withdrawn, revised, late): the bench
        assert table in db.table_names(), name
        indexes = _indexes(db, table)
        for column in {meta.get("sort_desc"), meta.get("sort")} - {None}:
            assert any(column in _leads(i) for i in indexes), f"{name}: sort by {column}"
        facets = meta.get("facets", [])
        for column in facets:
            assert any(column in _leads(i) and set(facets) <= set(i) for i in indexes), (
                f"{name}: no index led by {column} holding {facets}"
            )


@pytest.mark.parametrize("column", ["title", "unit_name"])
def test_contains_filters_give_exactly_what_like_gives(ds: Datasette, column: str) -> None:
    """The search index only narrows a `contains` filter: the rows are LIKE's own, for
    Han terms (narrowed), a lone character, digits and mixed terms (not narrowed)."""
    db_path = Path(ds.databases[DATABASE].path)
    conn = sqlite_utils.Database(db_path)
    values = [r[0] for r in conn.execute(f"select {column} from disclosures") if r[0]]
    terms = ["教育局", "部门预算", "卫生健康委员会", "局", "2025", "2025年", "中学2025", "不存在的"]
    for term in terms:
        expected = sorted(
            r[0]
            for r in conn.execute(
                f"select id from disclosures where {column} like ?", [f"%{term}%"]
            )
        )
        rows = get(ds, f"/{DATABASE}/disclosures.json", **{f"{column}__contains": term},
                   _shape="objects", _size="max").json()["rows"]  # fmt: skip
        assert sorted(r["id"] for r in rows) == expected, term
    assert any("教育局" in v for v in values)


def test_disclosures_written_by_hand_are_indexed_when_the_archive_opens(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.upsert_portal("p", "P", "", "http://p.example", [])
    store.conn.execute(
        """insert into disclosures (id, portal_id, section, url, title, unit_name, year, status,
               first_seen, last_seen)
           values (9, 'p', 's', 'http://p.example/9.html', '某市医疗保障局2026年部门预算',
                   '某市医疗保障局', 2026, 'active', 'x', 'x')"""
    )
    store.conn.commit()
    store.close()
    ds = datasette_app(tmp_path)
    rows = get(ds, f"/{DATABASE}/disclosures.json", title__contains="医疗保障").json()["rows"]
    assert rows == []  # not indexed yet: the index narrows it away
    Store(tmp_path).close()  # opening the archive indexes it
    rows = get(ds, f"/{DATABASE}/disclosures.json", title__contains="医疗保障", _shape="objects")
    assert [r["id"] for r in rows.json()["rows"]] == [9]
