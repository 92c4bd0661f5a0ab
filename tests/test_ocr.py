"""The OCR fallback (extract.ocr): scans and table images read, their figures trusted only
where a reconciliation confirms them.

The documents are made here: a seed rendered to a PDF, then rasterised into an image-only
PDF (a scan), or with its summary table's text and rulings replaced by a picture of them.
OCR is slow (seconds a page), so each document is extracted once per module.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from demo_portal.render import load_seeds, render_pdf
from extract import ocr
from extract.document import extract_pdf
from extract.pages import SUMMARY, read_pages
from tests.test_extract import expected_figures, got_figures

SEEDS = {seed.name: seed for seed in load_seeds()}
SCAN_SEED = "000_162d73560c8511d4.txt"
PICTURE_SEED = "004_f7f07e1d8c950b72.txt"
DPI = 150  # what a scanner's default gives


def scanned_pdf(pdf: bytes, dpi: int = DPI) -> bytes:
    """Every page as a grey picture of itself: a PDF without a text layer."""
    doc = pdfium.PdfDocument(pdf)
    try:
        images = [doc[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in range(len(doc))]
    finally:
        doc.close()
    out = io.BytesIO()
    images[0].convert("L").save(
        out,
        format="PDF",
        save_all=True,
        append_images=[im.convert("L") for im in images[1:]],
        resolution=dpi,
    )
    return out.getvalue()


def table_as_picture(pdf: bytes, numbers: list[int], dpi: int = DPI) -> bytes:
    """On each page of `numbers`, the tables (the area of the page's rulings) replaced by a
    picture of them: the text and lines there removed, the text around them kept."""
    doc = pdfium.PdfDocument(pdf)
    try:
        for number in numbers:
            _picture_of_tables(doc, doc[number - 1], dpi / 72)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()
    finally:
        doc.close()


def _picture_of_tables(doc: pdfium.PdfDocument, page: pdfium.PdfPage, scale: float) -> None:
    picture = page.render(scale=scale, grayscale=True).to_pil().convert("L")
    height = page.get_height()
    paths = [o for o in page.get_objects() if o.type == pdfium_c.FPDF_PAGEOBJ_PATH]
    bounds = [o.get_bounds() for o in paths]
    left, bottom = min(b[0] for b in bounds), min(b[1] for b in bounds)
    right, top = max(b[2] for b in bounds), max(b[3] for b in bounds)
    for obj in list(page.get_objects()):
        x0, y0, x1, y1 = obj.get_bounds()
        inside = left <= (x0 + x1) / 2 <= right and bottom <= (y0 + y1) / 2 <= top
        if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH or (
            obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT and inside
        ):
            page.remove_obj(obj)
    crop = picture.crop(
        (int(left * scale), int((height - top) * scale), int(right * scale) + 1,
         int((height - bottom) * scale) + 1)
    )  # fmt: skip
    image = pdfium.PdfImage.new(doc)
    image.set_bitmap(pdfium.PdfBitmap.from_pil(crop))
    image.set_matrix(pdfium.PdfMatrix().scale(right - left, top - bottom).translate(left, bottom))
    page.insert_obj(image)
    page.gen_content()


def figures_read(result: dict) -> dict[str, object]:
    return {k: v for k, v in got_figures(result).items() if v is not None}


def wrong_figures(name: str, result: dict) -> dict[str, tuple[object, object]]:
    """Figures given that differ from the seed's labels (a null is not wrong)."""
    expected = expected_figures(name, SEEDS[name].labels)
    wrong = {}
    for key, have in figures_read(result).items():
        want = expected.get(key)
        if isinstance(have, float | int) and not isinstance(have, bool):
            if want is None or abs(float(have) - float(want)) > 0.006:  # type: ignore[arg-type]
                wrong[key] = (want, have)
        elif want is not None and have != want:
            wrong[key] = (want, have)
    return wrong


@pytest.fixture(scope="module")
def scan(tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("ocr") / "scan.pdf"
    path.write_bytes(scanned_pdf(render_pdf(SEEDS[SCAN_SEED])))
    return extract_pdf(path).to_json()


@pytest.fixture(scope="module")
def picture(tmp_path_factory) -> tuple[dict, list[int]]:
    """The seed's 收支总表 (its titled page, prose above the table, and the next page with
    its totals and other tables) as pictures."""
    folder = tmp_path_factory.mktemp("ocr")
    text = folder / "text.pdf"
    text.write_bytes(render_pdf(SEEDS[PICTURE_SEED]))
    pages = read_pages(text)
    first = next(p.number for p in pages if SUMMARY in p.kinds)
    last = next(p.number for p in pages if "收入总计" in p.squeezed)
    numbers = list(range(first, last + 1))
    path = folder / "picture.pdf"
    path.write_bytes(table_as_picture(text.read_bytes(), numbers))
    return extract_pdf(path).to_json(), numbers


def test_scan_has_no_text_layer_but_its_figures_are_read(scan):
    assert scan["text_layer"] is False
    assert scan["is_budget_disclosure"] is True
    assert scan["ocr_pages"] == list(range(1, scan["pages"] + 1))
    assert scan["revenue_total"] == pytest.approx(377.86)
    assert scan["expenditure_total"] == pytest.approx(377.86)


def test_scan_gives_no_wrong_figure(scan):
    assert not wrong_figures(SCAN_SEED, scan), wrong_figures(SCAN_SEED, scan)
    assert scan["year"] == 2024 and scan["doc_type"] == "budget"


def test_scan_figures_are_ocr_and_confirmed(scan):
    amounts = [k for k, v in figures_read(scan).items() if isinstance(v, float | int)]
    amounts = [k for k in amounts if k != "year"]
    assert amounts
    for key in amounts:
        assert scan["evidence"][key]["source"] == "ocr", key
    statuses = {name: c["status"] for name, c in scan["checks"].items()}
    assert statuses["revenue_equals_expenditure"] == "ok"
    assert "failed" not in statuses.values(), statuses


def test_table_picture_in_a_text_pdf_is_read(picture):
    result, numbers = picture
    assert result["text_layer"] is True
    assert result["ocr_pages"] == numbers
    assert not wrong_figures(PICTURE_SEED, result), wrong_figures(PICTURE_SEED, result)
    for key in ("revenue_total", "expenditure_total"):
        assert result[key] == pytest.approx(SEEDS[PICTURE_SEED].labels[key])
    # the function classes are read from the 收支总表 only: here from its picture
    assert result["by_function"] == pytest.approx(SEEDS[PICTURE_SEED].labels["by_function"])
    from_pictures = [k for k, e in result["evidence"].items() if e.get("page") in numbers]
    assert from_pictures and all(result["evidence"][k]["source"] == "ocr" for k in from_pictures)


def test_text_pdf_needs_no_ocr(tmp_path, monkeypatch):
    """A document with its text layer never loads the OCR engine."""
    path = tmp_path / "text.pdf"
    path.write_bytes(render_pdf(SEEDS[PICTURE_SEED]))

    def no_engine() -> None:
        raise AssertionError("OCR engine loaded for a text PDF")

    monkeypatch.setattr(ocr, "engine", no_engine)
    result = extract_pdf(path).to_json()
    assert result["ocr_pages"] == [] and result["text_layer"] is True


def test_ocr_is_bounded(tmp_path, monkeypatch):
    """No more than MAX_OCR_PAGES pages of a file are read."""
    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned_pdf(render_pdf(SEEDS[PICTURE_SEED]), dpi=36))
    read: list[int] = []

    def fake_page(page: object, number: int, region: object = None) -> ocr.OcrPage:
        read.append(number)
        return ocr.OcrPage(number, [])

    monkeypatch.setattr(ocr, "MAX_OCR_PAGES", 3)
    monkeypatch.setattr(ocr, "ocr_page", fake_page)
    result = extract_pdf(path).to_json()
    assert read == [1, 2, 3] and result["ocr_pages"] == [1, 2, 3]
    assert result["text_layer"] is False


def test_a_scan_that_names_no_budget_is_read_no_further(tmp_path, monkeypatch):
    """Its first PROBE_PAGES pages never say 预算 or 决算: the rest is not OCR'd."""
    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned_pdf(render_pdf(SEEDS[PICTURE_SEED]), dpi=36))
    read: list[int] = []

    def fake_page(page: object, number: int, region: object = None) -> ocr.OcrPage:
        read.append(number)
        return ocr.OcrPage(number, [ocr.Box("二〇二五年工作总结", 72, 72, 300, 90, 0.99)])

    monkeypatch.setattr(ocr, "ocr_page", fake_page)
    result = extract_pdf(path).to_json()
    assert read == list(range(1, ocr.PROBE_PAGES + 1)) == result["ocr_pages"]
    assert result["is_budget_disclosure"] is False


def test_grid_from_ruled_boxes():
    """Boxes and rulings into a Grid: a cell per ruled box, a box over a ruling cut there,
    an unsure number unreadable rather than empty."""
    h = [(10.0, 0.0, 300.0), (30.0, 0.0, 300.0), (50.0, 0.0, 300.0)]
    v = [(0.0, 10.0, 50.0), (100.0, 10.0, 50.0), (200.0, 10.0, 50.0), (300.0, 10.0, 50.0)]
    boxes = [
        ocr.Box("项目", 5, 12, 40, 28, 0.99),
        # joined by OCR across a ruling; the engine gives each character's place
        ocr.Box(
            "合计 基本支出",
            105,
            12,
            265,
            28,
            0.99,
            tuple((x, x + 15) for x in (105, 120, 205, 220, 235, 250)),
        ),  # fmt: skip
        ocr.Box("收入总计", 5, 32, 60, 48, 0.99),
        ocr.Box("377.86", 150, 32, 190, 48, 0.99),
        ocr.Box("12.5", 250, 32, 290, 48, 0.6),
    ]
    page = ocr.OcrPage(1, ocr._split_at(boxes, v), h, v)
    (grid,) = page.grids("万元")
    texts = [[c.text if c else None for c in row] for row in grid.rows]
    assert texts == [["项目", "合计", "基本支出"], ["收入总计", "377.86", "?12.5"]]
    assert grid.rows[1][2] is not None and grid.rows[1][2].amount is None


def test_real_scan_is_still_not_a_budget(real_dir: Path):
    labels = json.loads((real_dir / "labels.json").read_text(encoding="utf-8"))
    name = "NEG_cs_scanned_not_budget.pdf"
    result = extract_pdf(real_dir / "pdf" / name).to_json()
    assert result["text_layer"] is labels[name]["text_layer"] is False
    assert result["is_budget_disclosure"] is labels[name]["is_budget_disclosure"] is False
    assert result["ocr_pages"] == [1, 2]
