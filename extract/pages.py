"""The cheap pass: every page's text with pypdfium2, and which pages hold which tables.

pypdfium2 reads a page's text in a few milliseconds, tens of times faster than
pdfplumber's layout analysis, so it is used to read the whole document once: prose for
the sentence reader, and the titles that say where the standard tables are. Only those
pages' tables are then read (extract.lattice, or pdfplumber for a table without rulings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium

from extract.text import nfkc, squeeze


class UnreadablePDF(Exception):
    """The file is not a PDF, is encrypted without a password, or is broken."""


# Table kinds, found by their titles (matched on squeezed page text).
SUMMARY = "summary"  # 收支总表
EXPENDITURE = "expenditure"  # 支出总表
BASIC = "basic"  # (一般公共预算)基本支出表
BASIC_ROWS = "basic_rows"  # the same table, all its pages: its rows by economic class
EXPENDITURE_ROWS = "expenditure_rows"  # the 支出总表, all its pages: its rows by function
THREE_PUBLIC = "three_public"  # "三公"经费表
OPERATING = "operating"  # 机关运行经费表

TITLES: dict[str, re.Pattern[str]] = {
    SUMMARY: re.compile(r"(?<!拨款)(?<!基金)(?:收支|收入支出)(?:预算|预决算|决算)?总(?:体情况)?表"),
    EXPENDITURE: re.compile(
        r"(?<!拨款)(?<!基本)(?<!项目)(?<!经费)(?<!公共预算)(?<!基金预算)(?<!经营预算)(?<!收入)"
        r"支出(?:预算|决算)?总(?:体情况)?表"
    ),
    BASIC: re.compile(
        r"基本支出(?:预算|决算)?(?:明细|情况)?(?:总)?表|基本支出[^表]{0,14}经济分类[^表]{0,8}表"
    ),
    THREE_PUBLIC: re.compile(r"三公[^表。]{0,24}表"),
    OPERATING: re.compile(r"机关运行经费[^表。]{0,12}表"),
}

# Numbers as tables print them: grouped or with decimals, not followed by a unit or %.
_TABLE_NUMBER = re.compile(
    r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)(?![\d.,])(?!\s*(?:[%万元年]|亿元))"
)
_AMOUNT_UNIT = re.compile(r"单位[:：]?(万元|元|千元|亿元)")
_ANY_TOTAL = re.compile(r"合计|总计")
_TOTAL_ROW = re.compile(r"(?<!本年)(?<!当年)(?:收入|支出)(?:总计|合计)")


@dataclass
class Page:
    number: int  # 1-based
    text: str  # NFKC, lines kept
    squeezed: str = field(repr=False, default="")
    kinds: set[str] = field(default_factory=set)
    numbers: int = 0
    amount_unit: str | None = None

    @property
    def tabular(self) -> bool:
        return self.numbers >= 3


def read_pages(path: Path) -> list[Page]:
    """All pages' text through pypdfium2. Raises UnreadablePDF for what cannot be read."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise UnreadablePDF(f"cannot open: {exc.strerror or exc}") from exc
    if b"%PDF-" not in head:
        kind = "HTML page" if b"<html" in head.lower() or b"<!doctype" in head.lower() else "file"
        raise UnreadablePDF(f"not a PDF ({kind} without a %PDF- header)")
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        message = str(exc)
        # PDFium's last error can be stale (left by an earlier file in the process): a
        # file is encrypted only when it says so (/Encrypt in its trailer)
        if "password" in message.lower() and _declares_encryption(path):
            raise UnreadablePDF("encrypted: needs a password") from exc
        raise UnreadablePDF(f"broken PDF: {message}") from exc
    pages = []
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            text = nfkc(textpage.get_text_range())
            textpage.close()
            page.close()
            pages.append(_classify(Page(number=index + 1, text=text)))
    finally:
        pdf.close()
    _carry_orphan_titles(pages)
    return pages


def _declares_encryption(path: Path, window: int = 1 << 20) -> bool:
    """Whether the file names an /Encrypt dictionary (in its trailer, or the cross-reference
    stream at its start or end)."""
    with open(path, "rb") as fh:
        head = fh.read(window)
        fh.seek(0, 2)
        fh.seek(max(0, fh.tell() - window))
        tail = fh.read(window)
    return b"/Encrypt" in head or b"/Encrypt" in tail


def _carry_orphan_titles(pages: list[Page]) -> None:
    """A title printed at the foot of a page belongs to the table on the next page."""
    for page, following in zip(pages, pages[1:], strict=False):
        if not following.tabular:
            continue
        tail = page.squeezed[-60:]
        kinds = {kind for kind, title in TITLES.items() if title.search(tail)}
        if kinds and len(kinds) < 4:
            following.kinds |= kinds


def _classify(page: Page) -> Page:
    page.squeezed = squeeze(page.text)
    page.numbers = len(_TABLE_NUMBER.findall(page.text))
    if page.tabular:
        page.kinds = {kind for kind, title in TITLES.items() if title.search(page.squeezed)}
        if len(page.kinds) >= 4 and page.numbers < 15:  # a list of tables (contents)
            page.kinds = set()
    m = _AMOUNT_UNIT.search(page.squeezed)
    page.amount_unit = m.group(1) if m else None
    return page


def table_pages(
    pages: list[Page],
    kind: str,
    *,
    limit: int = 3,
    needs: tuple[str, ...] = (),
    prefer: str = "",
    whole: bool = False,
) -> list[Page]:
    """The first table of a kind: its titled page and the untitled tabular pages after it.

    `needs`: words one of which the page must contain (its headers), so that no time is
    spent on a table of that title that lacks the wanted columns; of several such
    tables, the first whose page contains `prefer`. A continuation page is kept only when
    it holds a total row (合计/总计), the one thing read from it, or when `whole` (its rows
    are read).
    """
    candidates = [
        i
        for i, page in enumerate(pages)
        if kind in page.kinds and (not needs or any(w in page.squeezed for w in needs))
    ]
    preferred = [i for i in candidates if prefer and prefer in pages[i].squeezed]
    if not (preferred or candidates):
        return []
    start = (preferred or candidates)[0]
    found = [pages[start]]
    for page in pages[start + 1 : start + limit]:
        if not page.tabular:
            break
        if kind == SUMMARY and not _TOTAL_ROW.search(found[-1].squeezed):
            found.append(page)  # the 收支总表 goes on until its totals, whatever follows it
            continue
        if page.kinds and kind not in page.kinds:
            break
        if kind == SUMMARY or whole or _ANY_TOTAL.search(page.squeezed):
            found.append(page)
    return found


def summary_pages(pages: list[Page]) -> list[Page]:
    """The 收支总表 pages: from its title up to the page with its totals (at most 4)."""
    found = table_pages(pages, SUMMARY, limit=4)
    for i, page in enumerate(found):
        if _TOTAL_ROW.search(page.squeezed):
            return found[: i + 1]
    return found


# The 财政拨款收支总表 is not a page kind: its title often stands below the end of another
# table, whose continuation a kind would cut short.
_FISCAL_TITLE = re.compile(r"财政拨款(?:收支|收入支出)(?:预算|决算)?总(?:体情况)?表")


def fiscal_pages(pages: list[Page]) -> list[Page]:
    """The 财政拨款收支总表's pages (its titled page and the next, when it is tabular), only
    when its income side has a 上年结转 section."""
    for i, page in enumerate(pages):
        if page.tabular and _FISCAL_TITLE.search(page.squeezed) and "上年结转" in page.squeezed:
            return [p for p in pages[i : i + 2] if p.tabular]
    return []


def has_text_layer(pages: list[Page]) -> bool:
    return sum(len(p.squeezed) for p in pages) >= 20 * max(1, min(len(pages), 3))
