"""Readable cells in Datasette: JSON folded into a summary, amounts with separators; the
long list of column descriptions folded. Exports keep the raw values."""

from __future__ import annotations

import asyncio
import json

from archive.cells import amount_cell, json_cell, text_cell
from archive.publish import datasette_app
from archive.store import Store
from archive.totals import store_totals


def test_json_is_folded_into_a_summary():
    cell = json_cell(json.dumps({"a": 1, "b": [1, 2], "c": None, "d": "x", "e": 5}))
    assert cell.startswith("<details><summary>5 fields: a, b, c, d…</summary><pre>")
    assert json_cell("[1, 2, 3]").startswith("<details><summary>3 items</summary>")
    assert json_cell("not json") is None and json_cell("{broken") is None and json_cell(7) is None
    big = json_cell(json.dumps({"k": "x" * 10000}))
    assert len(big) < 5000 and "the whole value in this row&#39;s JSON" in big


def test_amounts_have_separators():
    assert "1,234,567.50" in amount_cell(1234567.5)
    assert "-1.50" in amount_cell(-1.5)
    assert amount_cell(None) is None and amount_cell("12") is None and amount_cell(True) is None


def test_a_page_text_folds_to_the_words_around_the_hit():
    text = (
        "第一部分 单位概况\n"
        + "主要职责。" * 40
        + "\n“三公”经费支出 12.00 万元 <b>"
        + "其他。" * 40
    )
    plain = text_cell(text)
    assert plain.startswith('<details class="page-text"><summary>第一部分 单位概况 主要职责')
    hit = text_cell(text, "三公经费")  # not these four characters in a row: the start
    assert "<mark>" not in hit
    hit = text_cell(text, "经费 12")
    summary = hit.split("</summary>")[0]
    assert "<mark>经费</mark>支出 <mark>12</mark>.00" in summary and "第一部分" not in summary
    assert "&lt;b&gt;" in hit and "<b>" not in hit  # the text is escaped, all of it kept
    assert text_cell("") is None and text_cell(None) is None
    assert "&lt;<mark>b</mark>&gt;" in text_cell("a <b> c", "b")  # never inside an entity
    assert "&<mark>lt</mark>;" not in text_cell("x < y lt", "lt")


def test_the_totals_page_is_readable_and_its_json_raw(tmp_path):
    store = Store(tmp_path / "a")
    sha = "b" * 64
    store.conn.execute(
        "insert into files (sha256, size, kind, path) values (?, 1, 'pdf', 'x')", [sha]
    )
    store.conn.commit()
    result = {"unit_name": "某局", "year": 2026, "expenditure_total": 12345.6, "checks": {}}
    store_totals(store, sha, result, "9")
    store.close()
    ds = datasette_app(tmp_path / "a")
    html = asyncio.run(ds.client.get("/archive/totals")).text
    assert '<span class="amount" title="万元">12,345.60</span>' in html
    assert (
        "<details><summary>4 fields: unit_name, year, expenditure_total, checks</summary>" in html
    )
    assert "What each column means" in html  # the script folding the descriptions
    rows = asyncio.run(ds.client.get("/archive/totals.json?_shape=objects")).json()["rows"]
    assert rows[0]["expenditure_total"] == 12345.6 and json.loads(rows[0]["result"]) == result
