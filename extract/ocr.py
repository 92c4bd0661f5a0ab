"""OCR fallback: pages whose text layer cannot serve, read from their image.

Two kinds of page are read, and no others (``needs_ocr``):
- a scan: (almost) no text, and an image covering much of the page;
- a text page whose table was pasted as an image: a table title in the text layer, no
  figures, and a large image. Only the image's area is read.

A page is rendered with pypdfium2 at ``SCALE`` (144 dpi) and read with RapidOCR
(PP-OCRv4 models shipped in its wheel; loaded once per process, on first use, so a
document that needs no OCR pays nothing). Its text boxes, in PDF points from the top
left as pdfplumber gives them, become (a) the page's text, line by line in reading order,
for the page classification and the prose reader, and (b) ``Grid`` objects for the
table readers: a ruled table's cells come from its ruling lines (found in the image),
a table without rulings is cut into rows and columns by the boxes' positions.

Nothing read here is trusted on its own: ``extract.document`` marks every figure from an
OCR'd page as weak (kept only when a reconciliation confirms it) with source ``ocr``. A
number read with low confidence is marked unreadable (``?`` before it), never blank:
a blank cell is read as 0.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extract.grid import Cell, Grid, Row
from extract.pages import TITLES, Page, _carry_orphan_titles, _classify
from extract.tables import Found
from extract.text import nfkc, squeeze

#: At most this many pages of a file are OCR'd (the first ones that need it).
MAX_OCR_PAGES = 40
#: Render scale (1.0 = 72 dpi): 2.0 reads 5-point table text; 1.0 misreads it.
SCALE = 2.0
#: A rendered page is kept below this many pixels a side (A3 and larger pages).
MAX_SIDE_PX = 2400
#: An image covering this share of a page makes a page (almost) without text a candidate;
#: a page with a table title but no figures needs less (the table's own area).
IMAGE_SHARE = 0.3
IMAGE_SHARE_TITLED = 0.12
#: "Almost no text": fewer characters than this (page numbers, a running header).
FEW_CHARS = 60
#: A box holding digits read with a lower confidence is marked unreadable.
NUMBER_SCORE = 0.9
#: Boxes below this confidence are dropped (RapidOCR's own default is 0.5).
TEXT_SCORE = 0.5

#: Pages are read in strips of about this many pixels (640 rows of an A4 page at 144 dpi),
#: at least STRIP_MIN high, overlapping by STRIP_OVERLAP.
STRIP_AREA = 640 * 1190
STRIP_MIN = 320
STRIP_OVERLAP = 96
#: A scanned file whose first PROBE_PAGES pages never say 预算 or 决算 is read no further.
PROBE_PAGES = 3
_BUDGET_WORD = re.compile(r"预算|决算")

_LINE_PX = 40  # shortest ruling line, in rendered pixels (20 points at SCALE 2)
_SNAP = 3.0  # points: rulings this close are one


@dataclass(frozen=True)
class Box:
    """A text box read by OCR, in PDF points from the page's top left."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    score: float
    chars: tuple[tuple[float, float], ...] = ()  # each character's x0, x1 (may be empty)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cell_text(self) -> str:
        """The text as a table cell gives it: an unsure number is marked unreadable."""
        text = self.text.lstrip("、,，.。")
        if self.score < NUMBER_SCORE and any(ch.isdigit() for ch in text):
            return "?" + text
        return text


Segment = tuple[float, float, float]  # horizontal: (y, x0, x1); vertical: (x, y0, y1)


@dataclass
class OcrPage:
    number: int
    boxes: list[Box]
    horizontal: list[Segment] = field(default_factory=list)
    vertical: list[Segment] = field(default_factory=list)
    seconds: float = 0.0
    _grids: list[Grid] | None = field(default=None, repr=False)

    def lines(self) -> list[str]:
        return [" ".join(b.text for b in line) for line in _lines(self.boxes)]

    def text(self) -> str:
        return "\n".join(self.lines())

    def grids(self, amount_unit: str | None) -> list[Grid]:
        """The page's tables: ruled ones by their rulings, the rest by box positions."""
        if self._grids is None:
            self._grids = page_grids(self, amount_unit)
        return self._grids


# --- which pages ---------------------------------------------------------------------


def needs_ocr(page: Page) -> float | None:
    """From the text layer alone, whether a page may be a scan or hold a table image: the
    share of the page an image must cover to make it so, or None."""
    if page.tabular:
        return None
    if len(page.squeezed) < FEW_CHARS:
        return IMAGE_SHARE
    if any(t.search(page.squeezed) for t in TITLES.values()):
        return IMAGE_SHARE_TITLED
    return None


def image_regions(path: Path, wanted: dict[int, float]) -> dict[int, tuple[float, ...] | None]:
    """Of the wanted pages (page number → share), those with images covering that share of
    the page: page number → the area to read (x0, top, x1, bottom in points), or None for
    the whole page."""
    found: dict[int, tuple[float, ...] | None] = {}
    pdf = pdfium.PdfDocument(str(path))
    try:
        for number, share in wanted.items():
            page = pdf[number - 1]
            try:
                width, height = page.get_size()
                boxes = []
                for obj in page.get_objects(max_depth=3):
                    if obj.type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
                        continue
                    left, bottom, right, top = obj.get_bounds()
                    left, right = max(0.0, left), min(width, right)
                    bottom, top = max(0.0, bottom), min(height, top)
                    if right > left and top > bottom:
                        boxes.append((left, height - top, right, height - bottom))
                area = sum((b[2] - b[0]) * (b[3] - b[1]) for b in boxes)
                if not boxes or area < share * width * height:
                    continue
                region = (
                    min(b[0] for b in boxes),
                    min(b[1] for b in boxes),
                    max(b[2] for b in boxes),
                    max(b[3] for b in boxes),
                )
                whole = (region[2] - region[0]) * (region[3] - region[1]) > 0.9 * width * height
                found[number] = None if whole or page.get_rotation() else region
            finally:
                page.close()
    finally:
        pdf.close()
    return found


def ocr_document(path: Path, pages: list[Page]) -> dict[int, OcrPage]:
    """OCR the pages that need it (at most MAX_OCR_PAGES; a file whose text nowhere says
    预算 or 决算 only up to PROBE_PAGES unless those do) and give them the text read: a
    scan's text replaces its (near) empty text layer, a table image's text is added to the
    page's. The pages are classified again. Returns page number → OcrPage."""
    wanted = {p.number: share for p in pages if (share := needs_ocr(p)) is not None}
    if not wanted:
        return {}
    regions = image_regions(path, wanted)
    if not regions:
        return {}
    chosen = sorted(regions)[:MAX_OCR_PAGES]
    # a scan that never names a budget on its first pages is not one: read no further
    probe = not any(_BUDGET_WORD.search(p.squeezed) for p in pages)
    read: dict[int, OcrPage] = {}
    pdf = pdfium.PdfDocument(str(path))
    try:
        for number in chosen:
            page = pdf[number - 1]
            try:
                read[number] = ocr_page(page, number, regions[number])
            finally:
                page.close()
            if probe and len(read) == PROBE_PAGES:
                if not any(_BUDGET_WORD.search(squeeze(r.text())) for r in read.values()):
                    break
                probe = False
    finally:
        pdf.close()
    by_number = {p.number: p for p in pages}
    for number, done in read.items():
        page = by_number[number]
        lines = done.text()
        scan = regions[number] is None and len(page.squeezed) < FEW_CHARS
        page.text = nfkc(lines if scan else f"{page.text}\n{lines}")
        page.kinds = set()
        _classify(page)
    _carry_orphan_titles(pages)
    return read


# --- reading one page ----------------------------------------------------------------

_ENGINE: Any = None
_ENGINE_LOCK = threading.Lock()


def engine() -> Any:
    """The OCR engine, loaded on first use (models from the rapidocr wheel, no network)."""
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            from rapidocr_onnxruntime import RapidOCR

            # a strip is read as it is, not enlarged to 736 px high
            _ENGINE = RapidOCR(text_score=TEXT_SCORE, det_limit_side_len=STRIP_MIN)
        return _ENGINE


def ocr_page(page: Any, number: int, region: Sequence[float] | None = None) -> OcrPage:
    """Render a pypdfium2 page (its `region` only, when given) and read it."""
    start = time.perf_counter()
    width, height = page.get_size()
    scale = min(SCALE, MAX_SIDE_PX / max(width, height))
    image = page.render(scale=scale, grayscale=True).to_numpy()
    if image.ndim == 3:
        image = image[:, :, 0]
    dx = dy = 0
    if region is not None:
        dx, dy = max(0, int(region[0] * scale) - 4), max(0, int(region[1] * scale) - 4)
        image = image[dy : int(region[3] * scale) + 4, dx : int(region[2] * scale) + 4]
    boxes = read_image(image, scale, dx, dy)
    horizontal, vertical = rulings(image, scale, dx, dy)
    horizontal, vertical = _framed(horizontal, vertical)
    boxes = _split_at(boxes, vertical)
    return OcrPage(number, boxes, horizontal, vertical, time.perf_counter() - start)


def _read_strips(image: Any) -> list[Any]:
    """The engine's results for a tall image read in overlapping horizontal strips: the
    text detector's memory grows with the image's area (a whole A4 page at 144 dpi takes
    some 600 MB), a strip's is a fraction of it. A line of text (up to ``STRIP_OVERLAP``
    high) is kept from the one strip where its middle lies away from the cut, where it
    stands whole."""
    height, width = image.shape[:2]
    strip = max(STRIP_MIN, STRIP_AREA // max(1, width))
    if height <= strip:
        result, _ = engine()(image, use_cls=False, return_word_box=True)
        return list(result or [])
    items = []
    step = strip - STRIP_OVERLAP
    starts = list(range(0, max(1, height - STRIP_OVERLAP), step))
    for i, top in enumerate(starts):
        bottom = min(height, top + strip)
        keep_from = top + STRIP_OVERLAP / 2 if i else 0
        keep_to = bottom - STRIP_OVERLAP / 2 if i + 1 < len(starts) else height
        result, _ = engine()(image[top:bottom], use_cls=False, return_word_box=True)
        for item in result or []:
            quad = [[p[0], p[1] + top] for p in item[0]]
            middle = (min(p[1] for p in quad) + max(p[1] for p in quad)) / 2
            if keep_from <= middle < keep_to:
                words = item[3] if len(item) > 3 and item[3] else []
                words = [[[q[0], q[1] + top] for q in w] for w in words]
                items.append([quad, item[1], item[2], words])
    return items


def read_image(image: Any, scale: float, dx: int = 0, dy: int = 0) -> list[Box]:
    """The text boxes of a grey image; pixel (dx, dy) of the page is the image's origin."""
    boxes = []
    for item in _read_strips(image):
        quad, text, score = item[0], _mended(nfkc(str(item[1])).strip()), float(item[2])
        if not text or score < TEXT_SCORE:
            continue
        xs = [(p[0] + dx) / scale for p in quad]
        ys = [(p[1] + dy) / scale for p in quad]
        chars: tuple[tuple[float, float], ...] = ()
        words = item[3] if len(item) > 3 and item[3] else []
        if len(words) == len(text.replace(" ", "")):
            chars = tuple(
                ((min(q[0] for q in w) + dx) / scale, (max(q[0] for q in w) + dx) / scale)
                for w in words
            )
        boxes.append(Box(text, min(xs), min(ys), max(xs), max(ys), score, chars))
    return boxes


# The OCR model's usual confusions (入 read as 人) in words a budget prints.
_MENDS = {
    "收人": "收入",
    "转人": "转入",
    "投人": "投入",
    "纳人": "纳入",
    "列人": "列入",
    "拨人": "拨入",
}


_MEND_DEPARTMENT = re.compile(r"部内(?=预算|决算|收支|收入|支出|财政)")


def _mended(text: str) -> str:
    for wrong, right in _MENDS.items():
        text = text.replace(wrong, right)
    return _MEND_DEPARTMENT.sub("部门", text)


def rulings(
    image: Any, scale: float, dx: int = 0, dy: int = 0
) -> tuple[list[Segment], list[Segment]]:
    """The table rulings of a grey image: horizontal (y, x0, x1) and vertical (x, y0, y1)
    segments in points."""
    import cv2
    import numpy as np

    ink = (np.asarray(image) < 160).astype(np.uint8)
    found: list[list[Segment]] = []
    for kernel in ((_LINE_PX, 1), (1, _LINE_PX // 2)):
        mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones(kernel[::-1], np.uint8))
        count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        segments = []
        for x, y, w, h, _area in stats[1:count]:
            if kernel[0] > 1 and w >= _LINE_PX and h <= 8:
                segments.append(((y + h / 2 + dy) / scale, (x + dx) / scale, (x + w + dx) / scale))
            elif kernel[1] > 1 and h >= _LINE_PX // 2 and w <= 8:
                segments.append(((x + w / 2 + dx) / scale, (y + dy) / scale, (y + h + dy) / scale))
        found.append(segments)
    return found[0], found[1]


def _framed(
    horizontal: list[Segment], vertical: list[Segment]
) -> tuple[list[Segment], list[Segment]]:
    """Vertical segments that end on horizontal ones (cell borders, not strokes of large
    characters), and the horizontal ones they meet or that are long."""

    def touches(v: Segment, y: float) -> bool:
        return any(
            abs(h[0] - y) <= _SNAP and h[1] - _SNAP <= v[0] <= h[2] + _SNAP for h in horizontal
        )

    kept = [v for v in vertical if touches(v, v[1]) and touches(v, v[2])]
    return horizontal, kept


def _split_at(boxes: list[Box], vertical: list[Segment]) -> list[Box]:
    """Boxes that run over a vertical ruling (OCR joins close cells' text) cut there,
    by their characters' positions."""
    out: list[Box] = []
    for box in boxes:
        cuts = sorted(
            v[0]
            for v in vertical
            if box.x0 + 1 < v[0] < box.x1 - 1 and v[1] - _SNAP <= box.middle <= v[2] + _SNAP
        )
        if not cuts:
            out.append(box)
            continue
        chars = list(box.chars)
        text = box.text.replace(" ", "") if chars else box.text
        if not chars:
            step = (box.x1 - box.x0) / max(1, len(text))
            chars = [(box.x0 + i * step, box.x0 + (i + 1) * step) for i in range(len(text))]
        pieces: list[list[int]] = [[] for _ in range(len(cuts) + 1)]
        for i, (a, b) in enumerate(chars):
            pieces[sum(c < (a + b) / 2 for c in cuts)].append(i)
        for piece in pieces:
            part = "".join(text[i] for i in piece).strip()
            if part:
                x0 = min(chars[i][0] for i in piece)
                x1 = max(chars[i][1] for i in piece)
                out.append(
                    Box(
                        part, x0, box.top, x1, box.bottom, box.score, tuple(chars[i] for i in piece)
                    )
                )
    return out


def _lines(boxes: Iterable[Box]) -> list[list[Box]]:
    """Boxes grouped into lines (by vertical overlap), top to bottom, each left to right."""
    lines: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: (b.middle, b.x0)):
        if lines:
            last = lines[-1]
            middle = sum(b.middle for b in last) / len(last)
            height = min(min(b.bottom - b.top for b in last), box.bottom - box.top)
            if abs(box.middle - middle) <= 0.5 * height:
                last.append(box)
                continue
        lines.append([box])
    return [sorted(line, key=lambda b: b.x0) for line in lines]


# --- grids ----------------------------------------------------------------------------


def page_grids(page: OcrPage, amount_unit: str | None) -> list[Grid]:
    """Every ruled table of the page as a Grid; without any, one grid of the whole page cut
    by the boxes' positions (as pdfplumber's text strategy would)."""
    grids = []
    for horizontal, vertical in _tables(page.horizontal, page.vertical):
        grid = _ruled_grid(page, horizontal, vertical, amount_unit)
        if grid is not None:
            grids.append(grid)
    if not grids and page.boxes:
        grid = _loose_grid(page.boxes, page.number, amount_unit)
        if grid is not None:
            grids.append(grid)
    return grids


def _tables(
    horizontal: list[Segment], vertical: list[Segment]
) -> list[tuple[list[Segment], list[Segment]]]:
    """The rulings grouped into tables: segments that meet are one table."""
    segments = [("h", s) for s in horizontal] + [("v", s) for s in vertical]
    parent = list(range(len(segments)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (kind, s) in enumerate(segments):
        for j in range(i + 1, len(segments)):
            other_kind, t = segments[j]
            if kind == other_kind:
                continue
            h, v = (s, t) if kind == "h" else (t, s)
            if h[1] - _SNAP <= v[0] <= h[2] + _SNAP and v[1] - _SNAP <= h[0] <= v[2] + _SNAP:
                parent[find(i)] = find(j)
    groups: dict[int, tuple[list[Segment], list[Segment]]] = {}
    for i, (kind, s) in enumerate(segments):
        group = groups.setdefault(find(i), ([], []))
        group[0 if kind == "h" else 1].append(s)
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]


def _snap(values: Iterable[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= _SNAP:
            continue
        out.append(v)
    return out


def _ruled_grid(
    page: OcrPage, horizontal: list[Segment], vertical: list[Segment], amount_unit: str | None
) -> Grid | None:
    left, right = min(h[1] for h in horizontal), max(h[2] for h in horizontal)
    top, bottom = min(v[1] for v in vertical), max(v[2] for v in vertical)
    ys = _snap([h[0] for h in horizontal] + [top, bottom])
    xs = _snap([v[0] for v in vertical] + [left, right])
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    if n_rows < 2 or n_cols < 2:
        return None

    def ruled_down(k: int, r: int) -> bool:  # a vertical ruling at xs[k] through row band r
        mid = (ys[r] + ys[r + 1]) / 2
        return any(
            abs(v[0] - xs[k]) <= _SNAP and v[1] - _SNAP <= mid <= v[2] + _SNAP for v in vertical
        )

    def ruled_across(k: int, c: int) -> bool:  # a horizontal ruling at ys[k] over column c
        mid = (xs[c] + xs[c + 1]) / 2
        return any(
            abs(h[0] - ys[k]) <= _SNAP and h[1] - _SNAP <= mid <= h[2] + _SNAP for h in horizontal
        )

    owner = {(r, c): (r, c) for r in range(n_rows) for c in range(n_cols)}

    def find(p: tuple[int, int]) -> tuple[int, int]:
        while owner[p] != p:
            p = owner[p]
        return p

    def join(a: tuple[int, int], b: tuple[int, int]) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            owner[max(ra, rb)] = min(ra, rb)  # the top-left position owns the cell

    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and not ruled_down(c + 1, r):
                join((r, c), (r, c + 1))
            if r + 1 < n_rows and not ruled_across(r + 1, c):
                join((r, c), (r + 1, c))
    spans: dict[tuple[int, int], list[int]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            span = spans.setdefault(find((r, c)), [r, c, r, c])
            span[0], span[1] = min(span[0], r), min(span[1], c)
            span[2], span[3] = max(span[2], r), max(span[3], c)
    texts: dict[tuple[int, int], list[Box]] = {}
    for box in page.boxes:
        if not (xs[0] <= box.centre <= xs[-1] and ys[0] <= box.middle <= ys[-1]):
            continue
        r = min(n_rows - 1, max(0, _band(ys, box.middle)))
        c = min(n_cols - 1, max(0, _band(xs, box.centre)))
        texts.setdefault(find((r, c)), []).append(box)
    rows: list[Row] = []
    for r in range(n_rows):
        row: Row = []
        for c in range(n_cols):
            if find((r, c)) != (r, c):
                row.append(None)
                continue
            r0, c0, r1, c1 = spans[(r, c)]
            text = "\n".join(
                " ".join(b.cell_text for b in line) for line in _lines(texts.get((r, c), []))
            )
            row.append(Cell(text, xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]))
        rows.append(row)
    return Grid(page=page.number, rows=rows, amount_unit=amount_unit)


def _band(edges: list[float], value: float) -> int:
    """Index of the band between consecutive edges that holds value."""
    for i in range(len(edges) - 1):
        if value < edges[i + 1]:
            return i
    return len(edges) - 2


def _loose_grid(boxes: list[Box], number: int, amount_unit: str | None) -> Grid | None:
    """Rows: the lines; columns: the x ranges that boxes share (boxes wider than a third of
    the page's text, titles, are left out of the column finding)."""
    lines = _lines(boxes)
    span = max(b.x1 for b in boxes) - min(b.x0 for b in boxes)
    ranges: list[list[float]] = []
    for b in sorted((b for b in boxes if b.x1 - b.x0 <= span / 3), key=lambda b: b.x0):
        if ranges and b.x0 <= ranges[-1][1] + 1:
            ranges[-1][1] = max(ranges[-1][1], b.x1)
        else:
            ranges.append([b.x0, b.x1])
    if len(ranges) < 2:
        return None

    def column(b: Box) -> int:
        overlaps = [min(b.x1, hi) - max(b.x0, lo) for lo, hi in ranges]
        return max(
            range(len(ranges)), key=lambda j: (overlaps[j], -abs(b.centre - sum(ranges[j]) / 2))
        )

    rows: list[Row] = []
    for line in lines:
        top, bottom = min(b.top for b in line), max(b.bottom for b in line)
        cells: dict[int, list[Box]] = {}
        for b in line:
            cells.setdefault(column(b), []).append(b)
        row: Row = []
        for j, (lo, hi) in enumerate(ranges):
            parts = cells.get(j, [])
            if parts:
                row.append(
                    Cell(
                        " ".join(b.cell_text for b in parts),
                        min(lo, *(b.x0 for b in parts)),
                        top,
                        max(hi, *(b.x1 for b in parts)),
                        bottom,
                    )
                )
            else:
                row.append(Cell("", lo, top, hi, bottom))
        rows.append(row)
    return Grid(page=number, rows=rows, amount_unit=amount_unit)


# --- trust ----------------------------------------------------------------------------


def distrust(
    found: dict[str, Found], ocr_pages: Iterable[int], *, tables: bool = False
) -> dict[str, Found]:
    """Figures read from OCR'd pages: source ``ocr`` and weak (a reconciliation must confirm
    them). Of `tables` (figures read from grids), a 三公 total of 0 is dropped: an unread
    cell looks empty, and the parts that `extract.document` makes 0 from it would confirm it."""
    pages = set(ocr_pages)
    for name, hit in list(found.items()):
        if hit.page in pages:
            hit.source, hit.weak = "ocr", True
            if tables and name == "three_public_total" and hit.value == 0:
                del found[name]
    return found
