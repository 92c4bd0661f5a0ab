"""The key-totals extractor on real PDFs: the seeds rendered two ways, their variants, the
real disclosures in ../shared/real (when present), and files that are not budgets at all."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from budget_archive.cli import cli
from demo_portal.render import load_seeds, make_variant, render_notice_pdf, render_pdf, split_doc
from extract.document import UnreadablePDF, extract_pdf
from extract.fields import AMOUNT_FIELDS

SEEDS = {seed.name: seed for seed in load_seeds()}

# Where a seed's hand-read label and its own printed table disagree, the extractor reports
# what the document prints (and says where): these are pinned to the document.
DOCUMENT_SAYS = {
    # 收支总表 prints 6.64; the label took the prose line's 6.63
    ("002_8ff13839bcf8dd50.txt", "by_function:住房保障支出"): 6.64,
}


def expected_figures(name: str, labels: dict, factor: float = 1.0) -> dict[str, object]:
    """field → expected value, by_function flattened as by_function:<class>."""
    out: dict[str, object] = {}
    for key, value in labels.items():
        if key == "by_function":
            for cls, amount in (value or {}).items():
                out[f"by_function:{cls}"] = amount * factor
        elif key in AMOUNT_FIELDS and value is not None:
            out[key] = value * factor
        elif key == "unit_name" and value:  # a scope marker is kept apart from the name
            out[key] = re.sub(r"（(?:本级|汇总)）$", "", value)
        elif key in ("year", "doc_type", "scope"):
            out[key] = value
    for (doc, key), value in DOCUMENT_SAYS.items():
        if doc == name and key in out:
            out[key] = value
    return out


def got_figures(result: dict) -> dict[str, object]:
    out = {k: result[k] for k in ("unit_name", "year", "doc_type", "scope", *AMOUNT_FIELDS)}
    for cls, amount in (result["by_function"] or {}).items():
        out[f"by_function:{cls}"] = amount
    return out


def assert_figures(expected: dict[str, object], result: dict, tolerance: float = 0.006) -> None:
    got = got_figures(result)
    wrong = {}
    for key, want in expected.items():
        have = got.get(key)
        if isinstance(want, float | int) and not isinstance(want, bool):
            if have is None or abs(float(have) - want) > tolerance:  # type: ignore[arg-type]
                wrong[key] = (want, have)
        elif have != want:
            wrong[key] = (want, have)
    extra = {k: got[k] for k in got if k.startswith("by_function:") and k not in expected}
    assert not wrong and not extra, {"wrong (want, got)": wrong, "extra": extra}


@pytest.fixture(scope="module")
def reportlab_pdfs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("reportlab")
    paths = {}
    for name, seed in SEEDS.items():
        paths[name] = folder / f"{name}.pdf"
        paths[name].write_bytes(render_pdf(seed))
    return paths


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_rendered_by_reportlab(reportlab_pdfs, name):
    result = extract_pdf(reportlab_pdfs[name]).to_json()
    assert result["text_layer"] and result["is_budget_disclosure"]
    assert_figures(expected_figures(name, SEEDS[name].labels), result)


@pytest.mark.browser
def test_seeds_printed_by_chromium(tmp_path):
    from demo_portal.render_html import render_pdfs_chromium

    names = sorted(SEEDS)
    for name, pdf in zip(names, render_pdfs_chromium([SEEDS[n] for n in names]), strict=True):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(pdf)
        result = extract_pdf(path).to_json()
        assert_figures(expected_figures(name, SEEDS[name].labels), result)


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_variant_of_another_unit_and_year(tmp_path, name):
    """Scaled amounts and a new name/year: the extractor follows the document, not the seed."""
    variant = make_variant(SEEDS[name], unit_name="演示市教育局", year=2025, factor=1.37)
    path = tmp_path / "variant.pdf"
    path.write_bytes(render_pdf(variant))
    result = extract_pdf(path).to_json()
    assert result["unit_name"].removesuffix("（本级）") == "演示市教育局"
    assert result["year"] == 2025
    expected = expected_figures(variant.name, variant.labels)
    expected.pop("unit_name")
    expected = {k: v for k, v in expected.items() if k != "by_function:住房保障支出"}
    got = got_figures(result)
    for key in ("revenue_total", "expenditure_total", "basic_expenditure", "project_expenditure"):
        assert got[key] == pytest.approx(expected[key], abs=0.011), key


def test_prose_half_gives_figures_from_sentences(tmp_path):
    """A disclosure split into a prose PDF and a tables PDF: the prose half alone."""
    prose, tables = split_doc(SEEDS["000_162d73560c8511d4.txt"])
    path = tmp_path / "prose.pdf"
    path.write_bytes(render_pdf(prose))
    result = extract_pdf(path).to_json()
    assert result["revenue_total"] == pytest.approx(377.86)
    assert result["basic_expenditure"] == pytest.approx(370.86)
    assert result["personnel_expenditure"] == pytest.approx(339.69)
    assert result["evidence"]["revenue_total"]["source"] == "sentence"
    assert result["by_function"] is None  # class lines are a table's, not guessed from prose
    tables_path = tmp_path / "tables.pdf"
    tables_path.write_bytes(render_pdf(tables))
    tables_result = extract_pdf(tables_path).to_json()
    assert tables_result["evidence"]["revenue_total"]["source"] == "table"
    assert tables_result["by_function"] == pytest.approx(
        {"社会保障和就业支出": 39.28, "卫生健康支出": 307.48, "住房保障支出": 31.11}
    )


def test_evidence_and_checks(reportlab_pdfs):
    result = extract_pdf(reportlab_pdfs["004_f7f07e1d8c950b72.txt"]).to_json()
    evidence = result["evidence"]["revenue_total"]
    assert evidence["source"] == "table" and "7,674.07" in evidence["text"]
    assert isinstance(evidence["page"], int) and 1 <= evidence["page"] <= result["pages"]
    checks = result["checks"]
    assert checks["revenue_equals_expenditure"]["status"] == "ok"
    assert checks["basic_plus_project"]["status"] == "ok"
    assert checks["three_public_parts"]["actual"] == pytest.approx(30.7)
    assert checks["by_function_sum"]["status"] == "ok"
    assert checks["table_agrees_with_prose"]["status"] in ("ok", "failed")
    json.dumps(result, ensure_ascii=False)  # JSON-serialisable as the CLI prints it


def test_reads_tables_only_on_the_table_pages_and_ruled_ones_without_pdfplumber(
    reportlab_pdfs, monkeypatch
):
    import extract.document as extractor

    ruled: list[int] = []
    plumbed: list[int] = []
    real_ruled, real_plumbed = extractor.grids_of_pdfium_page, extractor.grids_of_page

    def counting_ruled(page, number, unit):
        ruled.append(number)
        return real_ruled(page, number, unit)

    def counting_plumbed(page, number, unit):
        plumbed.append(number)
        return real_plumbed(page, number, unit)

    monkeypatch.setattr(extractor, "grids_of_pdfium_page", counting_ruled)
    monkeypatch.setattr(extractor, "grids_of_page", counting_plumbed)
    result = extract_pdf(reportlab_pdfs["004_f7f07e1d8c950b72.txt"])
    assert ruled and len(ruled) < result.pages / 2
    assert plumbed == []  # every table of the seed is ruled
    assert result.amounts["revenue_total"] is not None


# --- files that are not budgets, or not readable ------------------------------------------


def test_notice_is_not_a_budget_disclosure(tmp_path):
    path = tmp_path / "notice.pdf"
    path.write_bytes(
        render_notice_pdf(
            "关于下达2025年文化旅游发展资金的通知", "各区财政局：现将资金下达给你们。"
        )
    )
    result = extract_pdf(path).to_json()
    assert result["text_layer"] is True
    assert result["is_budget_disclosure"] is False
    assert all(result[f] is None for f in AMOUNT_FIELDS)


def _image_only_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.rect(50, 50, 400, 600, fill=1)  # a "scan": marks, no text
    c.showPage()
    c.save()
    return buf.getvalue()


def test_image_only_pdf_has_no_text_layer(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(_image_only_pdf())
    result = extract_pdf(path).to_json()
    assert result["text_layer"] is False and result["is_budget_disclosure"] is False
    assert all(result[f] is None for f in AMOUNT_FIELDS)


def _encrypted_pdf() -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=StandardEncryption("secret", canPrint=0))
    c.drawString(100, 700, "budget")
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"<!DOCTYPE html><html><body>404</body></html>", "not a PDF"),
        (b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF", "broken PDF"),
        (None, "encrypted"),
    ],
    ids=["html-as-pdf", "broken", "encrypted"],
)
def test_unreadable_files_raise_with_a_reason(tmp_path, content, reason):
    path = tmp_path / "bad.pdf"
    path.write_bytes(_encrypted_pdf() if content is None else content)
    with pytest.raises(UnreadablePDF, match=reason):
        extract_pdf(path)


def test_a_stale_password_error_does_not_make_a_broken_file_encrypted(tmp_path, monkeypatch):
    """PDFium's last error may be left over from an earlier file: a file that names no
    /Encrypt is broken, not encrypted (and an encrypted one stays encrypted)."""
    import pypdfium2 as pdfium

    def stale(*args, **kwargs):
        raise pdfium.PdfiumError("Failed to load document (PDFium: Incorrect password error).")

    monkeypatch.setattr(pdfium, "PdfDocument", stale)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n" + b"garbage " * 100)
    with pytest.raises(UnreadablePDF, match="broken PDF"):
        extract_pdf(broken)
    encrypted = tmp_path / "encrypted.pdf"
    encrypted.write_bytes(_encrypted_pdf())
    with pytest.raises(UnreadablePDF, match="encrypted"):
        extract_pdf(encrypted)


def test_cli_extract_json_and_errors(reportlab_pdfs, tmp_path):
    runner = CliRunner()
    ok = runner.invoke(cli, ["extract", str(reportlab_pdfs["000_162d73560c8511d4.txt"]), "--json"])
    assert ok.exit_code == 0, ok.output
    data = json.loads(ok.stdout)
    assert data["revenue_total"] == pytest.approx(377.86) and data["amount_unit"] == "万元"
    assert set(AMOUNT_FIELDS) <= set(data) and "evidence" in data and "checks" in data
    html = tmp_path / "page.pdf"
    html.write_bytes(b"<html><body>error</body></html>")
    bad = runner.invoke(cli, ["extract", str(html)])
    assert bad.exit_code != 0
    assert "not a PDF" in bad.output and len(bad.output.strip().splitlines()) == 1


# --- real disclosures (../shared/real, never committed) ---------------------------------


def _real_labels() -> dict:
    from tests.conftest import SHARED_REAL

    path = SHARED_REAL / "labels.json"
    if not path.exists():
        return {}
    return {k: v for k, v in json.loads(path.read_text()).items() if not k.startswith("_")}


@pytest.mark.real
@pytest.mark.parametrize("name", sorted(_real_labels()) or ["(absent)"])
def test_real_disclosure(real_dir, name):
    labels = _real_labels()[name]
    result = extract_pdf(real_dir / "pdf" / name).to_json()
    if "text_layer" in labels:
        assert result["text_layer"] is labels["text_layer"]
    if "is_budget_disclosure" in labels:
        assert result["is_budget_disclosure"] is labels["is_budget_disclosure"]
    if "revenue_total" not in labels:
        return
    factor = 0.0001 if labels.get("amount_unit") == "元" else 1.0
    expected = expected_figures(name, labels, factor)
    if labels.get("by_function") is None:
        assert result["by_function"] is None
    for field in labels.get("derived", []):  # not printed as such: the figure or null
        if result[field] is None:
            expected.pop(field)
    assert result["amount_unit"] == labels["amount_unit"]
    assert_figures(expected, result, tolerance=0.006 * max(factor, 0.01) if factor < 1 else 0.006)
