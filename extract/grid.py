"""Tables of the chosen pages as grids of cells with positions.

A ruled table (the common case) comes from ``extract.lattice`` (pdfium); a page without
one is read here by pdfplumber (its line strategy, then its text strategy). Each cell keeps its
bounding box, so a column's header is found by what stands above it (merged header
cells span several columns), not by its position in one template.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from extract.text import has_cjk, is_blank, label, parse_amount, squeeze

TEXT_STRATEGY = {"vertical_strategy": "text", "horizontal_strategy": "text"}


@dataclass(frozen=True)
class Cell:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def amount(self) -> float | None:
        return parse_amount(self.text)

    @property
    def blank(self) -> bool:
        return is_blank(self.text)

    @property
    def label(self) -> str:
        return label(self.text)


Row = list[Cell | None]


@dataclass
class Grid:
    page: int
    rows: list[Row]
    amount_unit: str | None = None
    _paths: dict[int, list[str]] | None = field(default=None, repr=False, compare=False)

    def row_text(self, row: Row) -> str:
        return " | ".join(squeeze(c.text) for c in row if c is not None and not c.blank)[:300]

    def data_start(self) -> int:
        """Index of the first row holding amounts (column-number rows like 1 2 3 skipped)."""
        for i, row in enumerate(self.rows):
            amounts = [c.amount for c in row if c is not None and c.amount is not None]
            if not amounts:
                continue
            if _is_column_numbering(row):
                continue
            return i
        return len(self.rows)

    def columns(self) -> list[tuple[int, float]]:
        """(column index, x centre) of every column, from its narrowest cell."""
        best: dict[int, Cell] = {}
        for row in self.rows:
            for j, c in enumerate(row):
                if c is None:
                    continue
                if j not in best or (c.x1 - c.x0) < (best[j].x1 - best[j].x0):
                    best[j] = c
        return sorted((j, (c.x0 + c.x1) / 2) for j, c in best.items())

    def header_paths(self) -> dict[int, list[str]]:
        """Column index → the header labels above it, top to bottom (computed once a grid)."""
        if self._paths is None:
            self._paths = self._header_paths()
        return self._paths

    def _header_paths(self) -> dict[int, list[str]]:
        start = self.data_start()
        header = [row for row in self.rows[:start] if not _is_column_numbering(row)]
        paths: dict[int, list[str]] = {}
        for j, centre in self.columns():
            path: list[str] = []
            for row in header:
                for c in row:
                    if c is None or c.blank or not (c.x0 - 0.5 <= centre <= c.x1 + 0.5):
                        continue
                    text = c.label
                    if text and text.strip("*") and (not path or path[-1] != text):
                        path.append(text)
            paths[j] = path
        return paths

    def label_columns(self) -> set[int]:
        """Columns where at least two rows hold a text label."""
        counts: dict[int, int] = {}
        for row in self.rows:
            for j, c in enumerate(row):
                if c is not None and not c.blank and c.amount is None and has_cjk(c.text):
                    counts[j] = counts.get(j, 0) + 1
        return {j for j, n in counts.items() if n >= 2}

    def data_rows(self) -> Iterator[tuple[int, Row]]:
        for i in range(self.data_start(), len(self.rows)):
            yield i, self.rows[i]


def row_label(row: Row) -> str:
    """The label of a data row: its text cells before the first amount, joined."""
    parts: list[str] = []
    for c in row:
        if c is None or c.blank:
            continue
        if not parts and _is_row_number(c.text):
            continue  # 序号 1, 2, 3 … before the label
        if c.amount is not None and not _is_code(c.text):
            break
        if not _is_code(c.text):
            parts.append(c.label)
    return "".join(parts)


def _is_row_number(text: str) -> bool:
    s = squeeze(text)
    return s.isdigit() and len(s) <= 3


def _is_code(text: str) -> bool:
    s = squeeze(text)
    return s.isdigit() and len(s) in (3, 5, 7) or (s.isdigit() and len(s) == 2)


def _is_column_numbering(row: Row) -> bool:
    values = [squeeze(c.text) for c in row if c is not None and not c.blank]
    numbers = [v for v in values if v.isdigit()]
    if len(numbers) < 2 or any(len(v) > 2 for v in numbers):
        return False
    ints = [int(v) for v in numbers]
    return ints == list(range(ints[0], ints[0] + len(ints)))


def grids_of_page(plumber_page, number: int, amount_unit: str | None) -> list[Grid]:
    """Every table of a pdfplumber page as a Grid (line strategy, else text strategy)."""
    tables = plumber_page.find_tables()
    if not tables:
        tables = plumber_page.find_tables(table_settings=TEXT_STRATEGY)
    grids = []
    for table in tables:
        texts = table.extract()
        rows: list[Row] = []
        for trow, texts_row in zip(table.rows, texts, strict=False):
            row: Row = []
            for bbox, text in zip(trow.cells, texts_row, strict=False):
                if bbox is None:
                    row.append(None)
                else:
                    row.append(Cell(text or "", *bbox))
            rows.append(row)
        if rows:
            grids.append(Grid(page=number, rows=rows, amount_unit=amount_unit))
    return grids
