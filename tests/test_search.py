"""Full-text search for Chinese: terms of 2 to 8 characters and mixed ones, over disclosure
titles and the text of every page of a real rendered budget PDF (extracted by the real
extraction pass), in the terminal (`budget-archive search`) and in Datasette's search box.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.publish import datasette_app
from archive.search import fts_query, index_text, search
from archive.store import Store
from archive.totals import extract_file, extractor_version, store_totals
from budget_archive.cli import cli
from demo_portal.render import load_seeds, make_variant, render_pdf

TERMS = ["医保", "医保局", "公用经费", "机关运行经费", "2026年"]


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def test_text_is_cut_into_character_pairs():
    assert index_text("三公经费") == "三公 公经 经费"
    assert index_text("三公\n经费") == "三公 公经 经费"  # a line broken inside a word
    assert index_text("2024年部门预算 PDF") == "2024 年部 部门 门预 预算 pdf"
    assert index_text("本") == "本"


def test_queries_are_cut_like_the_index():
    assert fts_query("医保") == '"医保"'
    assert fts_query("三公经费") == '"三公 公经 经费"'
    assert fts_query("2024年") == '"2024" AND "年"*'
    assert fts_query("教育 2026") == '"教育" AND "2026"'
    assert fts_query("“”") is None


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> tuple[Path, list[str]]:
    """An archive with one disclosure whose PDF (a seed rendered for 2026) is extracted."""
    root = tmp_path_factory.mktemp("archive")
    seed = load_seeds()[0]
    doc = make_variant(seed, unit_name="演示市医疗保障局", year=2026, factor=1.0)
    pdf = root / "doc.pdf"
    pdf.write_bytes(render_pdf(doc))
    store = Store(root)
    sha = "a" * 64
    store.upsert_portal("p", "P", "", "http://p.example", [])
    store.conn.execute(
        "insert into files (sha256, size, kind, path) values (?, 1, 'pdf', 'doc.pdf')", [sha]
    )
    store.conn.execute(
        """insert into disclosures (id, portal_id, section, url, title, unit_name, year,
             status, first_seen, last_seen)
           values (1, 'p', 's', 'http://p.example/1.html', '演示市医疗保障局2026年部门预算',
                   '演示市医疗保障局', 2026, 'active', 'x', 'x')"""
    )
    store.conn.execute(
        "insert into disclosure_search (id, tokens) values (1, ?)",
        [index_text("演示市医疗保障局2026年部门预算 演示市医疗保障局")],
    )
    store.conn.execute(
        """insert into attachments (id, disclosure_id, url, name, status, current_sha256)
           values (1, 1, 'http://p.example/doc.pdf', 'doc.pdf', 'active', ?)""",
        [sha],
    )
    store.conn.commit()
    result = extract_file(str(pdf))
    assert "error" not in result
    store_totals(store, sha, result, extractor_version())
    pages = [t for (t,) in store.conn.execute("select text from page_texts order by page")]
    store.close()
    return root, pages


@pytest.mark.parametrize("term", TERMS)
def test_every_page_with_the_term_is_found(archive, term):
    root, pages = archive
    expected = {n for n, text in enumerate(pages, 1) if squeezed(term) in squeezed(text)}
    assert expected, f"the document never says {term}"
    store = Store(root)
    hits = search(store.conn, term)
    store.close()
    found = {h.page for h in hits if h.page}
    assert found == expected
    for hit in hits:
        if hit.page:
            assert hit.link == f"http://p.example/doc.pdf#page={hit.page}"
    if term == "2026年":  # the title says it too
        assert any(h.page is None and h.disclosure_id == 1 for h in hits)


def test_filters_and_no_match(archive):
    root, _ = archive
    store = Store(root)
    assert search(store.conn, "医保", year=2025) == []
    assert search(store.conn, "医保", unit="医疗保障") != []
    assert search(store.conn, "量子计算") == []
    store.close()


def test_the_search_command(archive):
    root, _ = archive
    result = CliRunner().invoke(cli, ["search", "机关运行经费", "--archive", str(root)])
    assert result.exit_code == 0, result.output
    assert "演示市医疗保障局 2026 演示市医疗保障局2026年部门预算 — p." in result.output
    assert "机关运行经费" in result.output and "#page=" in result.output


def test_datasettes_search_box_finds_two_character_terms(archive):
    root, pages = archive
    ds = datasette_app(root)

    def rows(path: str, term: str) -> list[dict]:
        response = asyncio.run(
            ds.client.get(path, params={"_search": term, "_shape": "objects", "_size": "max"})
        )
        assert response.status_code == 200, response.text
        return response.json()["rows"]

    for term in TERMS:
        expected = {n for n, text in enumerate(pages, 1) if squeezed(term) in squeezed(text)}
        assert {r["page"] for r in rows("/archive/page_texts.json", term)} == expected
    assert [r["id"] for r in rows("/archive/disclosures.json", "医疗")] == [1]
    assert rows("/archive/disclosures.json", "教育") == []
    html = asyncio.run(ds.client.get("/archive/page_texts", params={"_search": "医保"}))
    assert html.status_code == 200 and "医保" in html.text
    # the index's pairs are not shown; the box is given back what was typed
    assert 'title="the text as the search index cuts it">…</span>' in html.text
    assert 'name="_search" value="医保"' in html.text
    # each hit folded to the words around it, the term marked
    assert html.text.count("<mark>医保</mark>") >= len(rows("/archive/page_texts.json", "医保"))
    assert "location.search).get('_search')" in html.text


@pytest.mark.parametrize("term", TERMS)
def test_the_search_query_gives_pages_snippets_and_links(archive, term):
    """The canned `search` query: each page with the term once, a snippet showing it,
    and the page number linking to the stored PDF at that page."""
    root, pages = archive
    ds = datasette_app(root)
    expected = {n for n, text in enumerate(pages, 1) if squeezed(term) in squeezed(text)}
    response = asyncio.run(
        ds.client.get("/archive/search.json", params={"q": term, "_shape": "objects"})
    )
    assert response.status_code == 200, response.text
    rows = response.json()["rows"]
    assert {r["page"] for r in rows} == expected
    assert len(rows) == len(expected)
    for row in rows:
        assert row["unit"] == "演示市医疗保障局" and row["disclosure_id"] == 1
        assert squeezed(term) in squeezed(row["snippet"])
    html = asyncio.run(ds.client.get("/archive/search", params={"q": term})).text
    page = min(expected)
    assert f'href="/-/download/{"a" * 64}#page={page}">{page}</a>' in html


def test_the_search_query_narrows_and_starts_empty(archive):
    root, _ = archive
    ds = datasette_app(root)

    def count(**params: str) -> int:
        params = {"q": "", "unit": "", "year": "", **params, "_shape": "objects"}
        response = asyncio.run(ds.client.get("/archive/search.json", params=params))
        assert response.status_code == 200, response.text
        return len(response.json()["rows"])

    assert count() == 0  # nothing asked, nothing listed
    assert count(q="“”") == 0  # punctuation only
    assert count(q="医保") > 0
    assert count(q="医保", year="2026") == count(q="医保")
    assert count(q="医保", year="2025") == 0
    assert count(q="医保", unit="医疗保障") == count(q="医保")
    assert count(q="医保", unit="教育") == 0
