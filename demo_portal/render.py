"""Seed documents → real PDFs, for the bundled demo portal.

The seeds in ``archive/demo/seeds/`` are three real budget disclosures as text: lines of
prose, table rows tab-separated, and ``labels.json`` with their hand-read key totals.
:func:`make_variant` turns a seed into another unit's document (name, year, amounts
scaled, labels scaled the same way) and :func:`render_pdf` prints it with reportlab's
built-in CID font ``STSong-Light``, deterministically: the same text gives the same
bytes in every process.

Example:

    >>> seed = load_seeds()[0]
    >>> doc = make_variant(seed, unit_name="演示市教育局", year=2025, factor=1.5)
    >>> render_pdf(doc)[:5]
    b'%PDF-'
"""

from __future__ import annotations

import functools
import io
import json
import re
import threading
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from extract.fields import AMOUNT_FIELDS

__all__ = [
    "SeedDoc",
    "load_seeds",
    "make_variant",
    "render_notice_pdf",
    "render_pdf",
    "scale_amount",
    "split_doc",
]

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

# reportlab keeps global state while building; the demo server renders from many threads
_RENDER_LOCK = threading.RLock()

SCOPE_WORDS = {"department": "部门", "unit": "单位"}


@dataclass(frozen=True)
class SeedDoc:
    """A budget document as text (prose lines; table rows tab-separated) with its labels."""

    name: str
    text: str
    labels: dict = field(hash=False, compare=True)


def load_seeds() -> list[SeedDoc]:
    """The bundled seed documents, sorted by file name, each with its hand-read labels."""
    folder = resources.files("demo_portal") / "seeds"
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    seeds = []
    for name in sorted(k for k in labels if not k.startswith("_")):
        text = (folder / name).read_text(encoding="utf-8")
        seeds.append(SeedDoc(name=name, text=text, labels=labels[name]))
    return seeds


# --- variants -------------------------------------------------------------------------

_TABLE_NUMBER = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)\.(\d+)(?![\d.,%])")
_PROSE_AMOUNT = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\d.,])(\s*)(万元|元)(?!以上|以下)"
)
_TITLE_SCOPE = re.compile(r"(\d{4}\s*年\s*)(部门|单位)(预算|决算)")


def scale_amount(value: float | int | str, factor: float) -> Decimal:
    """``value × factor`` rounded half-up to 2 decimals (the rule for text and labels alike)."""
    number = Decimal(str(value).replace(",", ""))
    return (number * Decimal(repr(float(factor)))).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _format_amount(amount: Decimal, grouped: bool) -> str:
    return f"{amount:,.2f}" if grouped else f"{amount:.2f}"


def _scale_text(text: str, factor: float) -> str:
    def table_number(m: re.Match[str]) -> str:
        raw = m.group(0)
        if Decimal(raw.replace(",", "")) == 0:
            return raw
        return _format_amount(scale_amount(raw, factor), "," in raw)

    def prose_amount(m: re.Match[str]) -> str:
        raw = m.group(1) + (f".{m.group(2)}" if m.group(2) else "")
        if Decimal(raw.replace(",", "")) == 0:
            return m.group(0)
        scaled = _format_amount(scale_amount(raw, factor), "," in raw)
        return scaled + m.group(3) + m.group(4)

    lines = []
    for line in text.split("\n"):
        if "\t" in line:
            line = _TABLE_NUMBER.sub(table_number, line)
        else:
            line = _PROSE_AMOUNT.sub(prose_amount, line)
        lines.append(line)
    return "\n".join(lines)


def _name_pattern(name: str) -> re.Pattern[str]:
    """The name, also when a line break or spaces split it (as in PDF-extracted seeds)."""
    return re.compile(r"[ \u3000\r\n]*".join(re.escape(ch) for ch in name))


def _is_title_line(line: str) -> bool:
    stripped = _clean(line).strip()
    return bool(re.match(r"第[一二三四五六七八九十]+部分", stripped)) or bool(
        _TITLE_SCOPE.search(line)
    )


def make_variant(
    seed: SeedDoc,
    *,
    unit_name: str,
    year: int,
    factor: float = 1.0,
    doc_type: str = "budget",
    scope: str | None = None,
) -> SeedDoc:
    """Another unit's document made from ``seed``, with truthful labels.

    Replaces the seed's unit name (``labels["unit_name"]``, also when split across lines)
    and year (``labels["year"]``; the year before it moves along, so "比上年" sentences
    stay coherent) everywhere; multiplies every amount (numbers with a decimal point in
    table cells, numbers followed by 万元/元 in prose) by ``factor``, rounded half-up to
    2 decimals, leaving 0 as 0; ``doc_type="final_account"`` turns 预算 into 决算 in the
    title lines; ``scope`` ("department"/"unit") sets 部门/单位 in the title lines. The
    returned labels are the seed's, scaled by the same rule.

    Example:

        >>> v = make_variant(load_seeds()[0], unit_name="演示市教育局", year=2025, factor=2)
        >>> v.labels["revenue_total"], "755.72 万元" in v.text
        (755.72, True)
    """
    if doc_type not in ("budget", "final_account"):
        raise ValueError(f"doc_type must be 'budget' or 'final_account', not {doc_type!r}")
    if scope is not None and scope not in SCOPE_WORDS:
        raise ValueError(f"scope must be 'department' or 'unit', not {scope!r}")
    labels = seed.labels
    text = seed.text
    if factor != 1.0:
        text = _scale_text(text, factor)
    text = _name_pattern(labels["unit_name"]).sub(lambda _m: unit_name, text)
    seed_year = int(labels["year"])
    if year != seed_year:
        years = {str(seed_year): str(year), str(seed_year - 1): str(year - 1)}
        pattern = re.compile(r"(?<!\d)(" + "|".join(years) + r")(?!\d)")
        text = pattern.sub(lambda m: years[m.group(1)], text)

    if doc_type == "final_account" or scope is not None:
        lines = text.split("\n")
        cover_end = next((i for i, ln in enumerate(lines) if ln.strip() == "目录"), 0)
        for i, line in enumerate(lines):
            if "\t" in line or not (i < cover_end or _is_title_line(line)):
                continue
            if scope is not None:
                line = _TITLE_SCOPE.sub(r"\g<1>" + SCOPE_WORDS[scope] + r"\g<3>", line)
            if doc_type == "final_account":
                line = re.sub(r"(部门|单位)预算", r"\1决算", line)
            lines[i] = line
        text = "\n".join(lines)

    new_labels = dict(labels)
    new_labels.update(unit_name=unit_name, year=year, doc_type=doc_type)
    if scope is not None:
        new_labels["scope"] = scope
    for key in AMOUNT_FIELDS:
        if isinstance(labels.get(key), int | float) and labels[key] != 0:
            new_labels[key] = float(scale_amount(labels[key], factor))
    if isinstance(labels.get("by_function"), dict):
        new_labels["by_function"] = {
            k: (float(scale_amount(v, factor)) if v else v)
            for k, v in labels["by_function"].items()
        }
    name = f"{unit_name}{year}{doc_type}"
    return SeedDoc(name=name, text=text, labels=new_labels)


def split_doc(doc: SeedDoc) -> tuple[SeedDoc, SeedDoc]:
    """The document as two: the prose (情况说明) and the tables (报表) with their captions.

    The tables half keeps the cover lines and the few caption lines before each table
    (table number, title, 单位/金额单位 lines); both halves keep the document's labels.
    """
    blocks = _blocks(doc.text)
    cover = [b for b in blocks[:4] if b[0] in ("title",)]
    prose: list[str] = []
    tables: list[str] = [line for _kind, lines in cover for line in lines]
    pending: list[str] = []
    for kind, lines in blocks:
        if kind == "table":
            tables.extend(pending[-4:])
            tables.extend(["\t".join(row) for row in lines])
            tables.append("")
            pending = []
        else:
            prose.extend(lines)
            prose.append("")
            pending.extend(lines)
    return (
        SeedDoc(name=doc.name + "#prose", text="\n".join(prose), labels=doc.labels),
        SeedDoc(name=doc.name + "#tables", text="\n".join(tables), labels=doc.labels),
    )


# --- rendering ------------------------------------------------------------------------

_HEADING = re.compile(
    r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）)"
)

_STYLES = {
    "title": ParagraphStyle(
        "title", fontName=FONT, fontSize=18, leading=26, alignment=1, wordWrap="CJK", spaceAfter=4
    ),
    "h1": ParagraphStyle(
        "h1", fontName=FONT, fontSize=14, leading=20, wordWrap="CJK", spaceBefore=8, spaceAfter=4
    ),
    "h2": ParagraphStyle(
        "h2", fontName=FONT, fontSize=11.5, leading=17, wordWrap="CJK", spaceBefore=4, spaceAfter=2
    ),
    "body": ParagraphStyle(
        "body", fontName=FONT, fontSize=10.5, leading=16, wordWrap="CJK", firstLineIndent=21
    ),
}
_CELL_STYLES: dict[float, ParagraphStyle] = {}

PAGE_SIZE = A4
MARGIN = 15 * mm
FRAME_WIDTH = PAGE_SIZE[0] - 2 * MARGIN
CELL_PAD = 2.0


def _clean(line: str) -> str:
    """The line without the seed's Markdown marks (``**``, ``- `` and ``#`` prefixes)."""
    line = line.replace("**", "").rstrip()
    stripped = line.lstrip()
    if stripped.startswith("- "):
        line = stripped[2:]
    elif stripped.startswith("#"):
        line = stripped.lstrip("#").lstrip()
    return line


def _blocks(text: str) -> list[tuple[str, list]]:
    """Split text into ("title"|"h1"|"h2"|"body", [line]) and ("table", [[cell]]) blocks.

    Consecutive tab-separated lines form one table, also across a single blank line.
    The lines before 目录 (or the first two lines) are the title. A form feed line (``\\f``)
    starts a new page.
    """
    raw = text.split("\n")
    first = next((i for i, ln in enumerate(raw) if _clean(ln).strip()), 0)
    cover_end = next((i for i, ln in enumerate(raw) if ln.strip() == "目录"), None)
    if cover_end is None or cover_end - first > 8:
        nonblank = [i for i, ln in enumerate(raw) if _clean(ln).strip() and "\t" not in ln]
        cover_end = nonblank[1] + 1 if len(nonblank) > 1 else len(raw)
    blocks: list[tuple[str, list]] = []
    i = 0
    while i < len(raw):
        line = raw[i]
        if "\t" in line:
            rows = []
            while i < len(raw):
                if "\t" in raw[i]:
                    rows.append([_clean(c).strip() for c in raw[i].split("\t")])
                    i += 1
                elif (
                    not raw[i].strip()
                    and raw[i].strip(" ") != "\f"
                    and i + 1 < len(raw)
                    and "\t" in raw[i + 1]
                ):
                    i += 1
                else:
                    break
            blocks.append(("table", rows))
            continue
        if line.strip(" ") == "\f":
            blocks.append(("page", []))
            i += 1
            continue
        cleaned = _clean(line).strip()
        if cleaned:
            if i < cover_end:
                kind = "title"
            elif _HEADING.match(cleaned) and len(cleaned) <= 40:
                kind = "h1" if cleaned.startswith("第") else "h2"
            else:
                kind = "body"
            blocks.append((kind, [cleaned]))
        i += 1
    return blocks


def _text_width(text: str, size: float) -> float:
    return sum(size if ord(ch) > 0x2E7F else size * 0.55 for ch in text)


def _cell_style(size: float) -> ParagraphStyle:
    if size not in _CELL_STYLES:
        _CELL_STYLES[size] = ParagraphStyle(
            f"cell{size}", fontName=FONT, fontSize=size, leading=size * 1.25, wordWrap="CJK"
        )
    return _CELL_STYLES[size]


def _is_number(cell: str) -> bool:
    return bool(re.fullmatch(r"[-+]?[\d,]*\.?\d+%?", cell))


class _GridTable(Table):
    """A Table that draws nothing for empty cells (most cells of a budget table)."""

    def _drawCell(self, cellval, cellstyle, pos, size):  # noqa: N802 (reportlab's name)
        if cellval == "" or cellval is None:
            return
        super()._drawCell(cellval, cellstyle, pos, size)


def _table(rows: list[list[str]]) -> Table:
    ncols = max(len(r) for r in rows)
    rows = [r + [""] * (ncols - len(r)) for r in rows]
    size = 8.0 if ncols <= 6 else 7.0 if ncols <= 9 else 6.0
    natural = [0.0] * ncols
    minimum = [size * 2.5] * ncols
    for row in rows:
        for j, cell in enumerate(row):
            w = _text_width(cell, size) + 2 * CELL_PAD + 1
            natural[j] = max(natural[j], min(w, 40 * size))
            if _is_number(cell):
                minimum[j] = max(minimum[j], w)
    widths = [max(n, m) for n, m in zip(natural, minimum, strict=True)]
    total = sum(widths)
    if total > FRAME_WIDTH:
        # shrink the text columns only, never below their minimum
        spare = FRAME_WIDTH - sum(minimum)
        extra = [w - m for w, m in zip(widths, minimum, strict=True)]
        ratio = max(spare, 0) / (sum(extra) or 1)
        widths = [m + e * ratio for m, e in zip(minimum, extra, strict=True)]
        total = sum(widths)
        if total > FRAME_WIDTH:
            widths = [w * FRAME_WIDTH / total for w in widths]
    style = _cell_style(size)
    data: list[list[object]] = []
    for row in rows:
        out: list[object] = []
        for j, cell in enumerate(row):
            if cell and _text_width(cell, size) + 2 * CELL_PAD > widths[j]:
                out.append(Paragraph(escape(cell), style))
            else:
                out.append(cell)
        data.append(out)
    table = _GridTable(data, colWidths=widths, repeatRows=0, hAlign="CENTER")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTSIZE", (0, 0), (-1, -1), size),
                ("LEADING", (0, 0), (-1, -1), size * 1.25),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def _build(flowables: list, title: str) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author="演示市人民政府",
        creator="budget-archive demo portal",
        producer="ReportLab PDF Library",
        subject="",
        invariant=1,
    )
    doc.build(flowables)
    return buf.getvalue()


@functools.lru_cache(maxsize=512)
def _render_text(text: str) -> bytes:
    flowables: list = []
    title = ""
    for kind, lines in _blocks(text):
        if kind == "table":
            flowables.append(Spacer(1, 3))
            flowables.append(_table(lines))
            flowables.append(Spacer(1, 6))
        elif kind == "page":
            flowables.append(PageBreak())
        else:
            if kind == "title" and not title:
                title = lines[0]
            flowables.append(Paragraph(escape(lines[0]), _STYLES[kind]))
    if not flowables:
        flowables.append(Spacer(1, 1))
    return _build(flowables, title)


def render_pdf(doc: SeedDoc) -> bytes:
    """The document as a PDF (A4, STSong-Light); the same text always gives the same bytes.

    Rendered once per process (cached on the text), serialised by a lock.
    """
    with _RENDER_LOCK:
        return _render_text(doc.text)


def render_notice_pdf(title: str, body: str) -> bytes:
    """A short non-budget document (a notice, a job advertisement) as a PDF.

    ``body`` is split into paragraphs at line breaks.
    """
    with _RENDER_LOCK:
        return _render_notice(title, body)


@functools.lru_cache(maxsize=128)
def _render_notice(title: str, body: str) -> bytes:
    flowables: list = [Paragraph(escape(title), _STYLES["title"]), Spacer(1, 8)]
    for line in body.split("\n"):
        if line.strip():
            flowables.append(Paragraph(escape(line.strip()), _STYLES["body"]))
    return _build(flowables, title)
