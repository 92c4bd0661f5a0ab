"""Key totals of a budget (预算) or final-account (决算) disclosure PDF, with evidence and checks.

Example:

    >>> result = extract_pdf(Path("2024年单位预算.pdf"))      # doctest: +SKIP
    >>> result.to_json()["revenue_total"], result.to_json()["evidence"]["revenue_total"]["page"]
    (7674.07, 5)

How: pypdfium2 reads every page's text (milliseconds a page); the titles of the
standard tables say which pages matter, and only those pages' tables are read: ruled ones
from pdfium's lines and characters (``extract.lattice``), others with pdfplumber, image-only
pages by OCR (``extract.ocr``), then read by meaning (``extract.tables``). Figures the
tables do not give are read from
the prose (``extract.prose``). Every figure carries its evidence (page, table or
sentence, the text it was read from); ``checks`` reconciles them. Amounts are in 万元
(converted where the document prints 元); ``amount_unit`` is the unit of its main tables.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium

from extract.checks import (
    BESIDES_BASIC_AND_PROJECT,
    SUMS,
    THIS_YEAR,
    agree,
    function_check,
    run_checks,
    sum_check,
)
from extract.context import META_FIELDS, Context
from extract.fields import AMOUNT_FIELDS
from extract.fiscal import FISCAL, SOURCES, fiscal_sections, unfold_carryover
from extract.grid import Grid, grids_of_page, row_label
from extract.lattice import grids_of_pdfium_page
from extract.meta import read_meta
from extract.ocr import OcrPage, distrust, ocr_document
from extract.pages import (
    BASIC,
    BASIC_ROWS,
    EXPENDITURE,
    EXPENDITURE_ROWS,
    OPERATING,
    SUMMARY,
    THREE_PUBLIC,
    Page,
    UnreadablePDF,
    fiscal_pages,
    has_text_layer,
    read_pages,
    summary_pages,
    table_pages,
)
from extract.prose import join_prose, read_prose
from extract.tables import (
    SUMMARY_ROWS,
    Found,
    has,
    leaf,
    paired_totals,
    pattern,
    read_column,
    read_functions,
    read_rows,
)
from extract.text import label

__all__ = ["EXTRACTOR_VERSION", "Extraction", "UnreadablePDF", "extract_pdf"]

#: Bump when results change, so that `budget-archive reextract` redoes stored files.
EXTRACTOR_VERSION = "4"


@dataclass
class Extraction:
    pages: int
    text_layer: bool
    is_budget_disclosure: bool
    unit_name: str | None = None
    year: int | None = None
    doc_type: str | None = None
    scope: str | None = None
    amount_unit: str | None = None
    amounts: dict[str, float | None] = field(default_factory=dict)
    by_function: dict[str, float] | None = None
    evidence: dict[str, dict[str, Any]] = field(default_factory=dict)
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)
    title: str = ""
    ocr_pages: list[int] = field(default_factory=list)  # pages read by OCR (extract.ocr)
    # each page's text as read (the archive's full-text search); not in to_json()
    page_texts: list[str] = field(default_factory=list, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "unit_name": self.unit_name,
            "year": self.year,
            "doc_type": self.doc_type,
            "scope": self.scope,
            **{name: self.amounts.get(name) for name in AMOUNT_FIELDS},
            "by_function": self.by_function,
            "amount_unit": self.amount_unit,
            "is_budget_disclosure": self.is_budget_disclosure,
            "text_layer": self.text_layer,
            "pages": self.pages,
            "title": self.title,
            "evidence": self.evidence,
            "checks": self.checks,
            "extractor_version": EXTRACTOR_VERSION,
            "ocr_pages": self.ocr_pages,
        }


def extract_pdf(path: Path, context: Context | None = None) -> Extraction:
    """Read one PDF; `context` is what the crawl knows of it (the page that linked it).
    Raises UnreadablePDF when it is not a readable PDF at all."""
    pages = read_pages(Path(path))
    text_layer = has_text_layer(pages)
    # scans and table images, read by OCR (usually none: then this costs milliseconds)
    scanned = ocr_document(Path(path), pages)
    if not text_layer and not scanned:
        bare = Extraction(
            pages=len(pages),
            text_layer=False,
            is_budget_disclosure=False,
            page_texts=[p.text for p in pages],
        )
        _fill_from_context(bare, context)
        return bare
    meta = read_meta(pages)
    told = _fill_from_context(meta, context)
    if meta.unit_marker and "unit_name" in told:
        told["unit_name"]["marker"] = meta.unit_marker
    result = Extraction(
        pages=len(pages),
        text_layer=text_layer,
        is_budget_disclosure=meta.is_budget_disclosure,
        unit_name=meta.unit_name,
        year=meta.year,
        doc_type=meta.doc_type,
        scope=meta.scope,
        title=meta.title,
        evidence=told,
        ocr_pages=sorted(scanned),
        page_texts=[p.text for p in pages],
    )
    final = meta.doc_type == "final_account"
    plan = {
        SUMMARY: summary_pages(pages),
        EXPENDITURE: table_pages(pages, EXPENDITURE, needs=("基本支出", "项目支出")),
        BASIC: table_pages(
            pages, BASIC, needs=("人员经费", "人员支出", "公用经费", "公用支出"), prefer="经济分类"
        ),
        BASIC_ROWS: table_pages(pages, BASIC, needs=("工资福利支出",), whole=True),
        EXPENDITURE_ROWS: table_pages(
            pages, EXPENDITURE, needs=("基本支出", "项目支出"), whole=True, limit=6
        ),
        THREE_PUBLIC: table_pages(pages, THREE_PUBLIC, limit=1, needs=("出国", "接待", "公务用车")),
        OPERATING: table_pages(pages, OPERATING, limit=2, needs=("机关运行经费",)),
        FISCAL: fiscal_pages(pages),
    }
    unit = _main_unit(pages, plan[SUMMARY])
    result.amount_unit = unit
    prose = read_prose(join_prose(pages), year=meta.year, final=final)
    with _Tables(Path(path), plan, scanned) as of:
        # 机关运行经费 is usually stated in the prose; its table page is read only if not
        operating = "operating_expenses" not in prose
        tables = _read_tables(
            of, unit, meta.year, final, label(meta.unit_name or ""), operating, set(prose)
        )
        functions = read_functions(of(SUMMARY), unit, year=meta.year, final=final)
        if not functions:
            # a 收支总表 without class lines: the 支出总表's, kept only if they add up
            functions = read_functions(of(EXPENDITURE_ROWS), unit, year=meta.year, final=final)
            for hit in functions.values():
                hit.weak = True
    if scanned:  # figures read by OCR stand only where a reconciliation confirms them
        distrust(prose, scanned)
        distrust(tables, scanned, tables=True)
        distrust(functions, scanned)
    _merge(result, tables, prose, functions)
    return result


def _fill_from_context(target: Any, context: Context | None) -> dict[str, dict[str, Any]]:
    """Fill what the document does not say (unit, year, type, scope) from the crawl's
    context; evidence of each such field: from the document, the file's name or the page."""
    evidence: dict[str, dict[str, Any]] = {}
    facts = context.facts() if context is not None else {}
    for name in META_FIELDS:
        if getattr(target, name) is not None:
            evidence[name] = {"source": "document", "text": getattr(target, "title", "")}
        elif name in facts:
            value, source, text = facts[name]
            setattr(target, name, value)
            evidence[name] = {"source": source, "text": text}
    if isinstance(target, Extraction):
        target.evidence.update(evidence)
    return evidence


def _main_unit(pages: list[Page], summary: list[Page]) -> str:
    for page in summary:
        if page.amount_unit:
            return page.amount_unit
    units = Counter(p.amount_unit for p in pages if p.kinds and p.amount_unit)
    return units.most_common(1)[0][0] if units else "万元"


class _Tables:
    """The planned pages' tables, read on first use, page by page: ruled ones from pdfium
    (extract.lattice), a page without any by pdfplumber, a page read by OCR from its
    image (extract.ocr)."""

    def __init__(
        self, path: Path, plan: dict[str, list[Page]], ocr: dict[int, OcrPage] | None = None
    ):
        self.path, self.plan = path, plan
        self.pdf: Any = None  # pdfplumber, opened only for a page without ruled tables
        self.doc: pdfium.PdfDocument | None = None
        self.cache: dict[int, list[Grid]] = {}
        self.ocr = ocr or {}  # pages read by OCR: their grids come from extract.ocr

    def __enter__(self) -> _Tables:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pdf is not None:
            self.pdf.close()
        if self.doc is not None:
            self.doc.close()

    def __call__(self, kind: str) -> Iterator[Grid]:
        for page in self.plan[kind]:
            yield from self.grids(page)

    def grids(self, page: Page) -> list[Grid]:
        if page.number in self.ocr:
            return self.ocr[page.number].grids(page.amount_unit)
        if page.number not in self.cache:
            found = self._ruled(page)
            self.cache[page.number] = found if found is not None else self._plumbed(page)
        return self.cache[page.number]

    def _ruled(self, page: Page) -> list[Grid] | None:
        """The page's ruled tables read from pdfium (extract.lattice), None without any."""
        if self.doc is None:
            self.doc = pdfium.PdfDocument(str(self.path))
        pdfium_page = self.doc[page.number - 1]
        try:
            return grids_of_pdfium_page(pdfium_page, page.number, page.amount_unit)
        finally:
            pdfium_page.close()

    def _plumbed(self, page: Page) -> list[Grid]:
        """A table without rulings, read by pdfplumber (its text strategy)."""
        if self.pdf is None:
            self.pdf = pdfplumber.open(self.path)
        plumber_page = self.pdf.pages[page.number - 1]
        try:
            return grids_of_page(plumber_page, page.number, page.amount_unit)
        finally:
            plumber_page.close()


_TOTAL = ("合计", "总计")
_ITEMS = ("出国", "接待", "公务用车", "购置", "运行", "会议", "培训")


def _three_public_total(path: list[str]) -> bool:
    joined = "/".join(path)
    if any(w in joined for w in _ITEMS):
        return False
    if "三公" in joined:
        return any(p in _TOTAL + ("小计",) or p.startswith("三公") for p in path)
    return any(p in _TOTAL for p in path)


def _by_function(paths: dict[int, list[str]]) -> bool:
    """A table broken down by function class (功能分类) rather than economic class."""
    return any("功能" in "/".join(p) for p in paths.values())


def _not_three_public(paths: dict[int, list[str]]) -> bool:
    """A table on a 三公 page that is not the 三公 table (its headers name none of the items)."""
    heads = "/".join("/".join(p) for p in paths.values())
    return not any(w in heads for w in ("出国", "接待", "公务用车"))


def _not_three_public_or_meetings(paths: dict[int, list[str]]) -> bool:
    """As above, or a 三公 table whose 合计 also counts 会议费 and 培训费."""
    heads = "/".join("/".join(p) for p in paths.values())
    return _not_three_public(paths) or "会议" in heads or "培训" in heads


def _read_tables(
    of: _Tables,
    unit: str,
    year: int | None,
    final: bool,
    unit_name: str,
    operating: bool,
    in_prose: set[str] | frozenset[str] = frozenset(),
) -> dict[str, Found]:
    found = read_rows(of(SUMMARY), SUMMARY_ROWS, unit, year=year, final=final)
    if "revenue_total" not in found and "expenditure_total" not in found:
        found.update(paired_totals(of(SUMMARY), unit, year=year, final=final))
    if "carryover" not in found and any(name in found for name in SOURCES):
        # lines that may fold their carry-over: the 财政拨款收支总表 splits them
        this, carry = fiscal_sections(of(FISCAL), unit, year=year, final=final)
        found.update(unfold_carryover(found, this, carry))
    kw: dict[str, Any] = {"year": year, "final": final, "unit_name": unit_name or None}
    for name, regex in (
        ("basic_expenditure", r"基本支出(?:合计)?|人员经费和公用经费(?:支出)?"),
        ("project_expenditure", r"项目支出(?:合计)?|专项业务经费(?:支出)?"),
    ):
        hit = read_column(of(EXPENDITURE), leaf(regex), unit, target=regex, **kw)
        if hit is not None:
            found[name] = hit
    for name, regex in (
        ("personnel_expenditure", r"人员经费(?:支出)?|人员支出"),
        ("public_expenditure", r"(?:日常)?公用经费(?:支出)?|(?:日常)?公用支出"),
    ):
        # the economic-classification table first: its totals are the ones defined as 人员经费
        hit = read_column(of(BASIC), leaf(regex), unit, target=regex, skip_grid=_by_function, **kw)
        if hit is None:
            hit = read_column(of(BASIC), leaf(regex), unit, target=regex, **kw)
        if hit is None:
            hit = read_rows(of(BASIC), {name: [pattern(regex)]}, unit).get(name)
        if hit is not None:
            found[name] = hit
    # a derived 人员经费 stands only if 人员经费 + 公用经费 = 基本支出 confirms it: its pages are
    # read only when both of the others are known
    known = set(found) | set(in_prose)
    if (
        "personnel_expenditure" not in known
        and {"basic_expenditure", "public_expenditure"} <= known
    ):
        hit = _personnel_from_parts(of(BASIC_ROWS), unit)
        if hit is not None:
            found["personnel_expenditure"] = hit
    three_rules = {
        "three_public_total": _three_public_total,
        "three_public_overseas": has("出国"),
        "three_public_vehicle_purchase": leaf(r"(?:公务用车)?购置费?"),
        "three_public_vehicle_operation": leaf(r"(?:公务用车)?运行(?:维护|维修)?费?"),
        "three_public_reception": has("接待"),
    }
    for name, rule in three_rules.items():
        skip = _not_three_public_or_meetings if name == "three_public_total" else _not_three_public
        hit = read_column(of(THREE_PUBLIC), rule, unit, skip_grid=skip, **kw)
        if hit is None and name == "three_public_total":
            hit = read_column(
                of(THREE_PUBLIC),
                lambda p: "三公" in "/".join(p) and _three_public_total(p),
                unit,
                skip_grid=_not_three_public,
                **kw,
            )
        if hit is not None:
            found[name] = hit
    if not any(name in found for name in three_rules):
        found.update(_three_public_rows(of(THREE_PUBLIC), unit, year, final))
    if operating:
        pages = chain(of(THREE_PUBLIC), of(OPERATING))
        hit = read_column(pages, has("机关运行经费"), unit, **kw)
        if hit is not None:
            found["operating_expenses"] = hit
    return found


# A 三公 table printed down the page: one row an item, one column of figures.
_THREE_PUBLIC_ROWS: dict[str, list[Any]] = {
    "three_public_total": [pattern(r"(?:三公经费)?(?:合计|总计)|三公经费(?:支出)?(?:预算)?")],
    "three_public_overseas": [pattern(r"因公出国\(境\)(?:费用?|经费)")],
    "three_public_vehicle_purchase": [pattern(r"(?:公务用车)?购置费")],
    "three_public_vehicle_operation": [pattern(r"(?:公务用车)?运行(?:维护|维修)?费")],
    "three_public_reception": [pattern(r"公务接待费(?:用)?")],
}


def _three_public_rows(
    grids: Iterator[Grid], unit: str, year: int | None, final: bool
) -> dict[str, Found]:
    """The 三公 figures of a table that lists the items in rows. Only a table whose rows
    name its items is read; its 合计 is weak (a table may count 会议费 and 培训费 in it):
    it stands only when the parts add up to it."""
    tables = [g for g in grids if _lists_three_public_items(g)]
    found = read_rows(tables, _THREE_PUBLIC_ROWS, unit, year=year, final=final)
    if "three_public_total" in found:
        found["three_public_total"].weak = True
    return found


def _lists_three_public_items(grid: Grid) -> bool:
    labels = "/".join(row_label(row) for _, row in grid.data_rows())
    return all(word in labels for word in ("出国", "接待", "公务用车"))


# 人员经费 by its definition: 工资福利支出 + 对个人和家庭的补助 (economic classes 301, 303)
_PERSONNEL_PARTS: dict[str, list[Any]] = {
    "wages": [pattern(r"(?:301)?工资福利支出")],
    "households": [pattern(r"(?:303)?对个人和家庭的?补助(?:支出)?")],
}


def _personnel_from_parts(grids: Iterator[Grid], unit: str) -> Found | None:
    """人员经费 where the basic-expenditure table gives only its parts; derived, and weak:
    kept only when 人员经费 + 公用经费 = 基本支出 confirms it."""
    parts = read_rows(grids, _PERSONNEL_PARTS, unit)
    wages, households = parts.get("wages"), parts.get("households")
    if wages is None or households is None or wages.unit != households.unit:
        return None
    return Found(
        round(wages.value + households.value, 6),
        wages.unit,
        wages.page,
        "table",
        f"工资福利支出 {wages.value} + 对个人和家庭的补助 {households.value}",
        derived=True,
        weak=True,
    )


def _merge(
    result: Extraction,
    tables: dict[str, Found],
    prose: dict[str, Found],
    functions: dict[str, Found],
) -> None:
    chosen: dict[str, Found] = {}
    for name in AMOUNT_FIELDS:
        hit = tables.get(name)
        if hit is not None and not hit.weak:
            chosen[name] = hit
        elif name in prose:
            chosen[name] = prose[name]
        elif hit is not None:
            chosen[name] = hit  # weak: confirmed (or dropped) by the checks below
    _zero_parts_of_zero_total(chosen)
    values = {name: f.in_wan() for name, f in chosen.items()}
    for name, hit in list(chosen.items()):
        if hit.weak and not _confirmed(name, values):
            del chosen[name]
            del values[name]
    result.amounts = {name: values.get(name) for name in AMOUNT_FIELDS}
    besides = {
        name: hit.in_wan()
        for name in (*BESIDES_BASIC_AND_PROJECT, THIS_YEAR)
        if (hit := tables.get(name) or prose.get(name)) is not None
    }
    classes = {n: f.in_wan() for n, f in functions.items()}
    if function_check(result.amounts, classes, besides)["status"] != "ok":
        # weak lines (read by OCR) stand only when the classes add up
        functions = {n: f for n, f in functions.items() if not f.weak}
    result.by_function = {n: f.in_wan() for n, f in functions.items()} or None
    for name, hit in chosen.items():
        result.evidence[name] = _evidence(hit)
    for n, hit in functions.items():
        result.evidence[f"by_function:{n}"] = _evidence(hit)
    prose_values = {
        name: f.in_wan()
        for name, f in prose.items()
        if name in chosen and chosen[name].source == "table" and not _states_folded(chosen[name], f)
    }
    result.checks = run_checks(result.amounts, result.by_function or {}, prose_values, besides)


def _zero_parts_of_zero_total(chosen: dict[str, Found]) -> None:
    """A "三公" total of 0 makes each unstated part 0 (parts are never negative)."""
    total = chosen.get("three_public_total")
    if total is None or total.value != 0:
        return
    for part in SUMS["three_public_parts"][1]:
        if part not in chosen:
            chosen[part] = Found(
                0.0, total.unit, total.page, total.source, total.text, derived=True
            )


def _confirmed(name: str, values: dict[str, float]) -> bool:
    """A figure from a fallback row stands only if a reconciliation it takes part in holds."""
    for total, parts in SUMS.values():
        if (name == total or name in parts) and sum_check(values, total, parts)["status"] == "ok":
            return True
    if name in ("basic_expenditure", "project_expenditure"):
        other = "project_expenditure" if name == "basic_expenditure" else "basic_expenditure"
        expenditure = values.get("expenditure_total")
        if expenditure is not None and other in values:
            return agree(expenditure, values[name] + values[other], 2)
    return False


def _states_folded(table: Found, prose: Found) -> bool:
    """The prose gives the 收支总表's line that folds this figure with its carry-over."""
    return table.folded is not None and agree(table.folded.in_wan(), prose.in_wan())


def _evidence(hit: Found) -> dict[str, Any]:
    folded = hit.folded
    return {
        "page": hit.page,
        "source": hit.source,
        "text": hit.text,
        "printed": hit.value,
        "printed_unit": hit.unit,
        **({"derived": True} if hit.derived else {}),
        **({"with_carryover": _evidence(folded)} if folded is not None else {}),
    }
