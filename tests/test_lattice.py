"""Ruled tables read from pdfium (extract.lattice): the same grids pdfplumber's line
strategy finds, in a tenth of the time, on the pages the extractor reads.

Each document is a real PDF: the seeds rendered by the demo's renderer, and pages drawn
here with reportlab for one trait each (a table in a Form XObject, a rotated page, a
"bold" drawn as offset copies, a table without rulings).
"""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from demo_portal.render import FONT, load_seeds, render_pdf
from extract.document import extract_pdf
from extract.grid import Grid, grids_of_page
from extract.lattice import Char, _text, grids_of_pdfium_page
from extract.pages import read_pages
from extract.text import squeeze


def texts(grids: list[Grid] | None) -> list[list[list[str | None]]]:
    return [[[squeeze(c.text) if c else None for c in row] for row in g.rows] for g in grids or []]


def both(path: Path, number: int) -> tuple[list[Grid], list[Grid] | None]:
    """pdfplumber's grids of a page, and the lattice's."""
    with pdfplumber.open(path) as pdf:
        plumbed = grids_of_page(pdf.pages[number - 1], number, None)
    doc = pdfium.PdfDocument(str(path))
    try:
        return plumbed, grids_of_pdfium_page(doc[number - 1], number, None)
    finally:
        doc.close()


def table_pages(path: Path) -> list[int]:
    return [p.number for p in read_pages(path) if p.kinds]


ROWS = [
    ["项目", "预算数", "项目", "预算数"],
    ["一、一般公共预算拨款收入", "1,234.56", "一、一般公共服务支出", "1,000.00"],
    ["二、政府性基金预算拨款收入", "", "二、教育支出", "234.56"],
    ["收入总计", "1,234.56", "支出总计", "1,234.56"],
]
WIDTHS = [150.0, 80.0, 150.0, 80.0]


def draw_table(c: canvas.Canvas, x: float, y: float, *, ruled: bool = True) -> None:
    """ROWS with its top left corner at (x, y) (PDF space), 18 points a row."""
    c.setFont(FONT, 9)
    height = 18.0
    for i, row in enumerate(ROWS):
        left = x
        for width, text in zip(WIDTHS, row, strict=True):
            c.drawString(left + 3, y - height * (i + 1) + 5, text)
            left += width
    if ruled:
        c.setLineWidth(0.5)
        bottom = y - height * len(ROWS)
        for i in range(len(ROWS) + 1):
            c.line(x, y - height * i, x + sum(WIDTHS), y - height * i)
        left = x
        for width in [0.0, *WIDTHS]:
            left += width
            c.line(left, y, left, bottom)


def page_pdf(draw, title: str = "示例单位2025年部门收支总表") -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setFont(FONT, 14)
    c.drawString(72, 780, title)
    draw(c)
    c.showPage()
    c.save()
    return out.getvalue()


def test_seeds_give_the_grids_pdfplumber_gives(tmp_path):
    seen = 0
    for seed in load_seeds():
        path = tmp_path / "seed.pdf"
        path.write_bytes(render_pdf(seed))
        for number in table_pages(path):
            plumbed, ruled = both(path, number)
            assert ruled is not None, (seed.name, number)
            assert texts(ruled) == texts(plumbed), (seed.name, number)
            for a, b in zip(plumbed, ruled, strict=True):
                boxes = [v for row in a.rows for c in row if c for v in (c.x0, c.top, c.x1)]
                again = [v for row in b.rows for c in row if c for v in (c.x0, c.top, c.x1)]
                assert again == pytest.approx(boxes, abs=0.5)
            seen += 1
    assert seen >= 3


def test_a_table_inside_a_form_xobject(tmp_path):
    def draw(c: canvas.Canvas) -> None:
        c.beginForm("table")
        draw_table(c, 0, 0)
        c.endForm()
        c.saveState()
        c.translate(60, 700)
        c.doForm("table")
        c.restoreState()

    path = tmp_path / "form.pdf"
    path.write_bytes(page_pdf(draw))
    plumbed, ruled = both(path, 1)
    assert texts(ruled) == texts(plumbed)
    assert texts(ruled)[0][-1] == ["收入总计", "1,234.56", "支出总计", "1,234.56"]


@pytest.mark.parametrize(
    ("rotation", "turn", "origin"),
    [(90, 90, (100, 100)), (180, 180, (520, 300)), (270, -90, (300, 700))],
)
def test_a_rotated_page_is_read_as_displayed(tmp_path, rotation, turn, origin):
    """A table drawn sideways on a page whose /Rotate turns it upright: rows stay rows."""

    def draw(c: canvas.Canvas) -> None:
        c.saveState()
        c.translate(*origin)
        c.rotate(turn)
        draw_table(c, 0, 0)
        c.restoreState()

    doc = pdfium.PdfDocument(page_pdf(draw))
    doc[0].set_rotation(rotation)
    path = tmp_path / "rotated.pdf"
    doc.save(path)
    doc.close()
    plumbed, ruled = both(path, 1)
    assert texts(ruled) == texts(plumbed)
    assert texts(ruled)[0][0] == ["项目", "预算数", "项目", "预算数"]


def test_a_bold_drawn_as_offset_copies_is_read_once(tmp_path):
    def draw(c: canvas.Canvas) -> None:
        draw_table(c, 60, 700)
        c.setFont(FONT, 9)
        for dx in (0.2, 0.4):  # 收入总计 twice more, nearly over itself
            c.drawString(60 + 3 + dx, 700 - 18 * 4 + 5, "收入总计")

    path = tmp_path / "bold.pdf"
    path.write_bytes(page_pdf(draw))
    _, ruled = both(path, 1)
    assert texts(ruled)[0][-1][0] == "收入总计"


def test_a_table_without_rulings_is_left_to_pdfplumber(tmp_path):
    path = tmp_path / "unruled.pdf"
    path.write_bytes(page_pdf(lambda c: draw_table(c, 60, 700, ruled=False)))
    plumbed, ruled = both(path, 1)
    assert ruled is None
    assert plumbed  # pdfplumber's text strategy finds it
    result = extract_pdf(path).to_json()
    assert result["revenue_total"] == result["expenditure_total"] == pytest.approx(1234.56)
    assert result["evidence"]["revenue_total"]["page"] == 1


def test_real_pdfs_give_the_grids_pdfplumber_gives(real_dir: Path):
    pdfs = sorted((real_dir / "pdf").glob("*.pdf"))
    compared = 0
    for path in pdfs:
        for number in table_pages(path):
            plumbed, ruled = both(path, number)
            assert texts(ruled) == texts(plumbed), (path.name, number)
            compared += 1
    assert compared >= 10


def test_a_mark_with_a_taller_box_stays_on_its_line():
    """As a real 收支总体情况表 prints 一、 (its 、 from a font whose box is twice as tall):
    the mark's middle is on the line, its top 5 points above the others'."""
    chars = [
        Char("一", 79.4, 230.4, 89.7, 242.0),
        Char("、", 89.9, 225.4, 100.2, 249.8),
        Char("一", 100.3, 230.4, 110.6, 242.0),
        Char("般", 110.8, 230.4, 121.1, 242.0),
        Char("支", 79.4, 243.4, 89.7, 255.0),  # the next line, 13 points below
    ]
    assert _text(chars) == "一、一般\n支"
