"""Ruled tables read straight from pdfium: the fast path to a page's grids.

pdfplumber finds a ruled table from the page's drawn lines and rectangles and fills its
cells with the characters whose centres fall inside them. To do so it parses the whole page
with pdfminer, which costs some 0.1-0.3 s a table page: most of the extractor's time. This
module reads the same two things from pypdfium2, which has already parsed the page:

- **edges**: the straight, axis-parallel segments of every path object (lines, rectangle
  sides, the strokes of a table drawn as one path), in page space (the path's matrix and
  those of the Form XObjects around it applied);
- **characters**: each one's Unicode and loose box from the text page.

and then does what pdfplumber's ``lines`` strategy does, with its default tolerances:
edges snapped (3 pt) and joined (3 pt), short ones dropped, intersections (3 pt), the
smallest cell at each intersection whose four corners are joined by edges, cells sharing a
corner grouped into tables (one cell is not a table), rows by cell top with ``None`` where
a merged cell spans, and a cell's text its characters, in lines (3 pt) joined by newlines.
Two things it does better than pdfplumber: a character drawn again over itself (a "bold"
made of offset copies) is read once, and a line is found by the characters' middles, so
that a mark in a font with a taller box stays on its line.

A page where no ruled table is found returns ``None``: the caller falls back to pdfplumber
(its text strategy serves tables without rulings).
"""

from __future__ import annotations

import ctypes
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extract.grid import Cell, Grid, Row

SNAP = 3.0  # pdfplumber's snap_tolerance
JOIN = 3.0  # join_tolerance
MIN_LENGTH = 3.0  # edge_min_length
MEET = 3.0  # intersection_tolerance
TEXT_X = 3.0  # a gap wider than this between characters is a space
TEXT_Y = 3.0  # characters whose middles are this close stand on one line
DUPLICATE = 1.0  # the same character this close to itself is drawn twice, read once
FLAT = 0.5  # a segment this far from level (or plumb) still counts as such
MAX_DEPTH = 8  # Form XObjects nested deeper than this are not read


@dataclass
class Edge:
    horizontal: bool
    at: float  # y (top-down) of a horizontal edge, x of a vertical one
    start: float  # x0 / top
    end: float  # x1 / bottom


@dataclass(frozen=True)
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float


Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _view(page: pdfium.PdfPage) -> Matrix:
    """PDF user space → the page as displayed (its /Rotate applied), x to the right and y
    down from the top left, as pdfplumber gives positions. The y axis is flipped here."""
    x0, y0, x1, y1 = page.get_mediabox()
    rotation = page.get_rotation() % 360
    if rotation == 90:
        return (0.0, 1.0, 1.0, 0.0, -y0, -x0)
    if rotation == 180:
        return (-1.0, 0.0, 0.0, 1.0, x1, -y0)
    if rotation == 270:
        return (0.0, -1.0, -1.0, 0.0, y1, x1)
    return (1.0, 0.0, 0.0, -1.0, -x0, y1)


def grids_of_pdfium_page(
    page: pdfium.PdfPage, number: int, amount_unit: str | None
) -> list[Grid] | None:
    """Every ruled table of a pypdfium2 page as a Grid, or None when it has none."""
    view = _view(page)
    edges = _merged(page_edges(page, view))
    tables = _tables(_cells(_intersections(edges)))
    if not tables:
        return None
    chars = page_chars(page, view)
    return [_grid(cells, chars, number, amount_unit) for cells in tables]


# --- edges ----------------------------------------------------------------------------


def page_edges(page: pdfium.PdfPage, view: Matrix) -> list[Edge]:
    """The axis-parallel straight segments of the page's paths, as displayed."""
    edges: list[Edge] = []
    _walk(page.raw, None, view, 0, edges)
    return edges


def _walk(page: object, form: object, outer: Matrix, depth: int, out: list[Edge]) -> None:
    if form is None:
        count = pdfium_c.FPDFPage_CountObjects(page)
        get = lambda i: pdfium_c.FPDFPage_GetObject(page, i)  # noqa: E731
    else:
        count = pdfium_c.FPDFFormObj_CountObjects(form)
        get = lambda i: pdfium_c.FPDFFormObj_GetObject(form, i)  # noqa: E731
    matrix = pdfium_c.FS_MATRIX()
    for i in range(max(0, count)):
        obj = get(i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind not in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM):
            continue
        if not pdfium_c.FPDFPageObj_GetMatrix(obj, matrix):
            continue
        own = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
        full = _compose(own, outer)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            if depth < MAX_DEPTH:
                _walk(page, obj, full, depth + 1, out)
        else:
            _path_edges(obj, full, out)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix applying `inner`, then `outer` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    )


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _path_edges(obj: object, m: Matrix, out: list[Edge]) -> None:
    n = pdfium_c.FPDFPath_CountSegments(obj)
    x, y = ctypes.c_float(), ctypes.c_float()
    start: tuple[float, float] | None = None
    last: tuple[float, float] | None = None
    for i in range(max(0, n)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        if not seg or not pdfium_c.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        point = _apply(m, x.value, y.value)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = point
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO and last is not None:
            _segment(last, point, out)
        # a Bézier piece is not a table rule; its end point carries on the path
        last = point
        if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
            _segment(point, start, out)
            last = start


def _segment(p: tuple[float, float], q: tuple[float, float], out: list[Edge]) -> None:
    (x0, y0), (x1, y1) = p, q
    if abs(y0 - y1) <= FLAT and abs(x1 - x0) > FLAT:
        out.append(Edge(True, (y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x0 - x1) <= FLAT and abs(y1 - y0) > FLAT:
        out.append(Edge(False, (x0 + x1) / 2, min(y0, y1), max(y0, y1)))


def _merged(edges: list[Edge]) -> list[Edge]:
    """Edges snapped to shared lines, collinear ones joined, short ones dropped."""
    out: list[Edge] = []
    for horizontal in (True, False):
        group = [e for e in edges if e.horizontal is horizontal]
        for line in _snapped(group):
            out.extend(e for e in _joined(line) if e.end - e.start >= MIN_LENGTH)
    return out


def _snapped(edges: list[Edge]) -> list[list[Edge]]:
    """Edges clustered by position (each within SNAP of the next), moved to the mean."""
    clusters: list[list[Edge]] = []
    for edge in sorted(edges, key=lambda e: e.at):
        if clusters and edge.at - clusters[-1][-1].at <= SNAP:
            clusters[-1].append(edge)
        else:
            clusters.append([edge])
    for cluster in clusters:
        mean = sum(e.at for e in cluster) / len(cluster)
        for e in cluster:
            e.at = mean
    return clusters


def _joined(line: list[Edge]) -> list[Edge]:
    out: list[Edge] = []
    for edge in sorted(line, key=lambda e: e.start):
        if out and edge.start <= out[-1].end + JOIN:
            out[-1].end = max(out[-1].end, edge.end)
        else:
            out.append(Edge(edge.horizontal, edge.at, edge.start, edge.end))
    return out


# --- cells and tables -----------------------------------------------------------------

Point = tuple[float, float]  # (x, top)


def _intersections(edges: list[Edge]) -> dict[Point, tuple[set[int], set[int]]]:
    """Point → (ids of the vertical edges, ids of the horizontal edges) through it."""
    vertical = sorted((e for e in edges if not e.horizontal), key=lambda e: (e.at, e.start))
    horizontal = sorted((e for e in edges if e.horizontal), key=lambda e: (e.at, e.start))
    points: dict[Point, tuple[set[int], set[int]]] = {}
    for vi, v in enumerate(vertical):
        for hi, h in enumerate(horizontal):
            if (
                v.start <= h.at + MEET
                and v.end >= h.at - MEET
                and h.start - MEET <= v.at <= h.end + MEET
            ):
                ids = points.setdefault((v.at, h.at), (set(), set()))
                ids[0].add(vi)
                ids[1].add(hi)
    return points


def _cells(points: dict[Point, tuple[set[int], set[int]]]) -> list[tuple[float, ...]]:
    """At each intersection, the smallest cell whose corners are joined by edges."""

    def joined(p: Point, q: Point) -> bool:
        if p[0] == q[0] and points[p][0] & points[q][0]:
            return True
        return p[1] == q[1] and bool(points[p][1] & points[q][1])

    by_x: dict[float, list[Point]] = defaultdict(list)
    by_y: dict[float, list[Point]] = defaultdict(list)
    for p in sorted(points):
        by_x[p[0]].append(p)
        by_y[p[1]].append(p)
    cells = []
    for p in sorted(points):
        below = [q for q in by_x[p[0]] if q[1] > p[1]]
        right = [q for q in by_y[p[1]] if q[0] > p[0]]
        found = _smallest(p, below, right, points, joined)
        if found is not None:
            cells.append(found)
    return cells


def _smallest(
    p: Point,
    below: list[Point],
    right: list[Point],
    points: dict[Point, tuple[set[int], set[int]]],
    joined: Callable[[Point, Point], bool],
) -> tuple[float, ...] | None:
    """The first cell (nearest corner below, then to the right) closed by edges."""
    for b in below:
        if not joined(p, b):
            continue
        for r in right:
            if not joined(p, r):
                continue
            corner = (r[0], b[1])
            if corner in points and joined(corner, r) and joined(corner, b):
                return (p[0], p[1], corner[0], corner[1])
    return None


def _tables(cells: list[tuple[float, ...]]) -> list[list[tuple[float, ...]]]:
    """Cells grouped by shared corners; a group of one cell is not a table. Top to bottom,
    then left to right."""
    parent = list(range(len(cells)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[Point, int] = {}
    for i, (x0, top, x1, bottom) in enumerate(cells):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            if corner in owner:
                parent[find(i)] = find(owner[corner])
            else:
                owner[corner] = i
    groups: dict[int, list[tuple[float, ...]]] = defaultdict(list)
    for i, cell in enumerate(cells):
        groups[find(i)].append(cell)
    tables = [g for g in groups.values() if len(g) > 1]
    return sorted(tables, key=lambda g: (min(c[1] for c in g), min(c[0] for c in g)))


# --- text -----------------------------------------------------------------------------


def page_chars(page: pdfium.PdfPage, view: Matrix) -> list[Char]:
    """Every character the page prints (none that pdfium made up), with its loose box."""
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        box = pdfium_c.FS_RECTF()
        chars = []
        for i in range(pdfium_c.FPDFText_CountChars(raw)):
            if pdfium_c.FPDFText_IsGenerated(raw, i) == 1:
                continue
            code = pdfium_c.FPDFText_GetUnicode(raw, i)
            if code in (0, 0xFFFE, 0xFFFF) or 0xD800 <= code <= 0xDFFF:
                continue  # nothing, or half of a pair (no budget figure or label needs one)
            if not pdfium_c.FPDFText_GetLooseCharBox(raw, i, box):
                continue
            text = chr(code)
            if text in "\r\n":
                continue
            a = _apply(view, box.left, box.top)
            b = _apply(view, box.right, box.bottom)
            chars.append(
                Char(text, min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))
            )
        return chars
    finally:
        textpage.close()


def _grid(
    cells: list[tuple[float, ...]], chars: list[Char], number: int, amount_unit: str | None
) -> Grid:
    xs = sorted({c[0] for c in cells})
    tops = sorted({c[1] for c in cells})
    texts = _cell_texts(cells, chars)
    starts = {(c[1], c[0]): c for c in cells}
    rows: list[Row] = []
    for top in tops:
        row: Row = []
        for x in xs:
            cell = starts.get((top, x))
            row.append(None if cell is None else Cell(texts[cell], *cell))
        rows.append(row)
    return Grid(page=number, rows=rows, amount_unit=amount_unit)


def _cell_texts(cells: list[tuple[float, ...]], chars: list[Char]) -> dict[tuple, str]:
    x0 = min(c[0] for c in cells)
    top = min(c[1] for c in cells)
    x1 = max(c[2] for c in cells)
    bottom = max(c[3] for c in cells)
    inside: dict[tuple, list[Char]] = defaultdict(list)
    for ch in chars:
        mx, my = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
        if not (x0 <= mx < x1 and top <= my < bottom):
            continue
        for cell in cells:
            if cell[0] <= mx < cell[2] and cell[1] <= my < cell[3]:
                inside[cell].append(ch)
                break
    return {cell: _text(inside.get(cell, ())) for cell in cells}


def _text(chars: Iterable[Char]) -> str:
    """Characters as lines, each left to right, spaces at gaps. A line is the characters
    whose vertical middles are within TEXT_Y of the next (pdfplumber compares tops, which
    puts a mark from a font with a taller box, such as ``、``, on a line of its own)."""
    lines: list[list[Char]] = []
    for ch in sorted(chars, key=lambda c: c.top + c.bottom):
        if lines and (ch.top + ch.bottom - lines[-1][-1].top - lines[-1][-1].bottom) / 2 <= TEXT_Y:
            lines[-1].append(ch)
        else:
            lines.append([ch])
    out = []
    for line in lines:
        parts: list[str] = []
        last: Char | None = None
        kept: list[Char] = []
        for ch in sorted(line, key=lambda c: c.x0):
            if _repeated(ch, kept):
                continue
            kept.append(ch)
            if last is not None and ch.x0 - last.x1 > TEXT_X and parts[-1:] != [" "]:
                parts.append(" ")
            parts.append(ch.text)
            last = ch
        out.append("".join(parts).strip())
    return "\n".join(out)


def _repeated(ch: Char, before: list[Char]) -> bool:
    """A character printed again over itself (a "bold" drawn as offset copies): the same
    text within DUPLICATE of an earlier one's place, as pdfplumber's dedupe_chars sees it."""
    for other in reversed(before):
        if ch.x0 - other.x0 > DUPLICATE:
            return False
        if other.text == ch.text and abs(other.top - ch.top) <= DUPLICATE:
            return True
    return False
