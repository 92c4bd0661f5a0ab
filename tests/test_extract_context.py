"""Context from the crawl: what the disclosure page and the link say fills what a file does
not (a PDF of the tables only), the document wins where it speaks, evidence says which."""

from __future__ import annotations

import pytest
import sqlite_utils

from demo_portal.render import render_pdf
from extract.context import Context
from extract.document import extract_pdf
from tests.localsite import LocalSite, crawl_command
from tests.test_crawl_bad_input import detail, listing
from tests.test_extract_kinds import UNIT, SeedDoc, document, summary_table


def tables_only(amount: str = "1,234.56") -> SeedDoc:
    """Tables with no cover, no title, no unit or year: as many units publish them."""
    text = summary_table(amount, amount, amount)
    return SeedDoc(name=f"tables-{amount}", text=text, labels={})


def test_a_file_of_tables_alone_says_no_unit_year_or_type(tmp_path):
    path = tmp_path / "t.pdf"
    path.write_bytes(render_pdf(tables_only()))
    result = extract_pdf(path).to_json()
    assert result["revenue_total"] == 1234.56
    assert (result["unit_name"], result["year"]) == (None, None)


def test_the_page_fills_what_the_file_does_not_say(tmp_path):
    path = tmp_path / "t.pdf"
    path.write_bytes(render_pdf(tables_only()))
    context = Context(page_title=f"{UNIT}2025年部门预算公开", file_name="附件1.pdf", sole=True)
    result = extract_pdf(path, context).to_json()
    assert (result["unit_name"], result["year"], result["doc_type"], result["scope"]) == (
        UNIT,
        2025,
        "budget",
        "department",
    )
    assert result["evidence"]["unit_name"]["source"] == "page"
    assert result["evidence"]["year"]["text"] == f"{UNIT}2025年部门预算公开"


def test_the_link_speaks_for_its_file_before_the_page(tmp_path):
    path = tmp_path / "t.pdf"
    path.write_bytes(render_pdf(tables_only()))
    context = Context(
        page_title="示例市自然资源局2025年部门预算公开",
        file_name="示例市不动产登记中心2024年单位预算.pdf",
        sole=False,
    )
    result = extract_pdf(path, context).to_json()
    assert (result["unit_name"], result["year"], result["doc_type"], result["scope"]) == (
        "示例市不动产登记中心",
        2024,
        "budget",
        "unit",
    )
    assert {result["evidence"][f]["source"] for f in ("unit_name", "year")} == {"file_name"}


def test_a_page_of_several_documents_lends_no_unit(tmp_path):
    path = tmp_path / "t.pdf"
    path.write_bytes(render_pdf(tables_only()))
    context = Context(page_title="示例市自然资源局2025年部门预算公开", file_name="附件2.pdf")
    result = extract_pdf(path, context).to_json()
    assert result["unit_name"] is None
    assert (result["year"], result["evidence"]["year"]["source"]) == (2025, "page")


def test_the_document_wins_where_it_speaks(tmp_path):
    path = tmp_path / "d.pdf"
    path.write_bytes(render_pdf(document(summary_table())))
    context = Context(
        page_title="另一单位2019年部门决算", unit_name="另一单位", year=2019, sole=True
    )
    result = extract_pdf(path, context).to_json()
    assert (result["unit_name"], result["year"], result["doc_type"]) == (UNIT, 2025, "budget")
    assert result["evidence"]["unit_name"]["source"] == "document"


def test_a_crawl_passes_each_file_its_page(tmp_path):
    """Through `budget-archive crawl`: one page with one table file, one page with two."""
    one = render_pdf(tables_only("1,234.56"))
    named = render_pdf(tables_only("2,000.00"))
    other = render_pdf(tables_only("3,000.00"))
    routes = {
        "/ys/index.html": (
            200,
            "text/html; charset=utf-8",
            listing(
                [
                    ("t1.html", f"{UNIT}2025年部门预算公开"),
                    ("t2.html", "示例市自然资源局2025年部门预算公开"),
                ]
            ),
            0,
        ),
        "/ys/202503/t1.html": (
            200,
            "text/html; charset=utf-8",
            detail(f"{UNIT}2025年部门预算公开", '<a href="./P1.pdf">附件1.pdf</a>'),
            0,
        ),
        "/ys/202503/t2.html": (
            200,
            "text/html; charset=utf-8",
            detail(
                "示例市自然资源局2025年部门预算公开",
                '<a href="./P2.pdf">示例市不动产登记中心2025年单位预算.pdf</a>'
                '<a href="./P3.pdf">附件2.pdf</a>',
            ),
            0,
        ),
        "/ys/202503/P1.pdf": (200, "application/pdf", one, 0),
        "/ys/202503/P2.pdf": (200, "application/pdf", named, 0),
        "/ys/202503/P3.pdf": (200, "application/pdf", other, 0),
    }
    with LocalSite(routes) as site:
        portals = site.portals_file(tmp_path, "trs", "/ys/index.html")
        done = crawl_command(portals, tmp_path / "a", timeout=180)
        assert done.returncode == 0, done.stderr[-3000:]
    db = sqlite_utils.Database(tmp_path / "a" / "archive.db")
    rows = {
        r["revenue_total"]: r
        for r in db.query(
            "select t.revenue_total, t.unit_name, t.year, e.source from latest_totals t"
            " left join totals_evidence e on e.sha256 = t.sha256"
            " and e.extractor_version = t.extractor_version and e.field = 'unit_name'"
        )
    }
    assert rows[1234.56] == {
        "revenue_total": 1234.56,
        "unit_name": UNIT,
        "year": 2025,
        "source": "page",
    }
    assert rows[2000.0]["unit_name"] == "示例市不动产登记中心"
    assert rows[2000.0]["source"] == "file_name"
    assert rows[3000.0]["unit_name"] is None and rows[3000.0]["year"] == 2025


@pytest.mark.parametrize("header", ["编制单位", "单位名称", "部门"])
def test_a_table_header_names_the_unit(tmp_path, header):
    doc = SeedDoc(
        name=f"header-{header}",
        text=f"{header}：示例市测绘服务中心\n\n" + summary_table(),
        labels={},
    )
    path = tmp_path / "t.pdf"
    path.write_bytes(render_pdf(doc))
    context = Context(page_title="示例市自然资源局2025年部门预算公开", sole=True)
    result = extract_pdf(path, context).to_json()
    assert result["unit_name"] == "示例市测绘服务中心"
    assert result["evidence"]["unit_name"]["source"] == "document"
    assert result["revenue_total"] == 1234.56
