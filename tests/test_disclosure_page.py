"""One page per disclosure: a real rendered budget PDF, extracted by the real extraction
pass, in a real archive, served by Datasette; its page read in-process and rendered by
headless Chromium (through Playwright) to check it fits the window."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from archive.publish import datasette_app
from archive.search import index_text
from archive.store import Store
from archive.totals import extract_file, extractor_version, store_totals
from demo_portal.render import load_seeds, make_variant, render_pdf
from tests.browsing import browsing, needs_chromium

TITLE = "演示市医疗保障局2026年部门预算"


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("archive")
    doc = make_variant(load_seeds()[0], unit_name="演示市医疗保障局", year=2026, factor=1.0)
    body = render_pdf(doc)
    sha = "c" * 64
    path = root / "files" / "cc" / f"{sha}.pdf"
    path.parent.mkdir(parents=True)
    path.write_bytes(body)
    store = Store(root)
    store.upsert_portal("p", "演示门户", "", "http://p.example", [])
    store.conn.execute(
        "insert into files (sha256, size, kind, path) values (?, ?, 'pdf', ?)",
        [sha, len(body), f"files/cc/{sha}.pdf"],
    )
    store.conn.execute(
        """insert into disclosures (id, portal_id, section, url, title, unit_name, year,
             doc_type, scope, publish_date_shown, status, first_seen, last_seen)
           values (1, 'p', 's', 'http://p.example/1.html', ?, '演示市医疗保障局', 2026,
                   'budget', 'department', '2026-03-02', 'active', '2026-03-03T00:00:00Z',
                   '2026-03-04T00:00:00Z')""",
        [TITLE],
    )
    store.conn.execute(
        "insert into disclosure_search (id, tokens) values (1, ?)", [index_text(TITLE)]
    )
    store.conn.execute(
        """insert into attachments (id, disclosure_id, url, name, status, current_sha256)
           values (1, 1, 'http://p.example/doc.pdf', '预算公开表.pdf', 'active', ?)""",
        [sha],
    )
    store.conn.execute(
        """insert into versions (attachment_id, sha256, first_seen, last_seen)
           values (1, ?, '2026-03-03T00:00:00Z', '2026-03-04T00:00:00Z')""",
        [sha],
    )
    store.conn.execute(
        """insert into events (time, type, portal_id, disclosure_id, attachment_id, new_sha256)
           values ('2026-03-03T00:00:00Z', 'published', 'p', 1, 1, ?)""",
        [sha],
    )
    store.conn.commit()
    store_totals(store, sha, extract_file(str(path)), extractor_version())
    store.close()
    return root


def test_the_page_reads_top_to_bottom(archive):
    ds = datasette_app(archive)
    response = asyncio.run(ds.client.get("/-/disclosure/1"))
    assert response.status_code == 200
    html = response.text
    sha = "c" * 64
    totals = asyncio.run(
        ds.client.get("/archive/latest_totals.json", params={"sha256": sha, "_shape": "objects"})
    ).json()["rows"][0]
    order = [TITLE, "演示市医疗保障局", "2026-03-02", "http://p.example/1.html", "预算公开表.pdf"]
    order += ["支出总计", "Events"]
    places = [html.index(text) for text in order]
    assert places == sorted(places)  # in reading order
    assert f'href="/-/download/{sha}"' in html
    amount = f"{totals['expenditure_total']:,.2f}"
    assert re.search(rf"支出总计</td>\s*<td class=\"amount\">{re.escape(amount)}</td>", html)
    evidence = asyncio.run(
        ds.client.get(
            "/archive/totals_evidence.json",
            params={"sha256": sha, "field": "expenditure_total", "_shape": "objects"},
        )
    ).json()["rows"][0]
    assert f'href="/-/download/{sha}#page={evidence["page"]}"' in html
    assert "published" in html
    data = asyncio.run(ds.client.get("/-/disclosure/1.json")).json()
    assert data["d"]["title"] == TITLE and data["totals"][0]["sha256"] == sha
    assert asyncio.run(ds.client.get("/-/disclosure/2")).status_code == 404


def test_tables_link_to_the_page(archive):
    ds = datasette_app(archive)
    assert 'href="/-/disclosure/1"' in asyncio.run(ds.client.get("/archive/disclosures")).text
    assert 'href="/-/disclosure/1"' in asyncio.run(ds.client.get("/archive/events")).text


@needs_chromium
@pytest.mark.browser
def test_the_page_fits_the_window_in_chromium(archive, tmp_path):
    with browsing(archive) as (url, browser):
        for width in (1280, 420):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(f"{url}/-/disclosure/1")
            assert page.locator("h1").inner_text() == TITLE
            assert page.locator("td.amount").count() >= 5
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= width, f"{wide}px of layout in a {width}px window"
            page.screenshot(path=str(tmp_path / f"disclosure-{width}.png"), full_page=True)
            assert (tmp_path / f"disclosure-{width}.png").stat().st_size > 10_000
