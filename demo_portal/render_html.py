"""Seed documents → PDFs a second way: HTML printed by headless Chromium.

:mod:`demo_portal.render` typesets a :class:`~demo_portal.render.SeedDoc` with reportlab
and its CID font ``STSong-Light``. This module builds an HTML page from the same blocks
(:func:`demo_portal.render._blocks`: title, headings and prose as ``<h*>``/``<p>``, table
rows as a bordered ``<table>``) in Noto CJK, and prints it to A4 with Chromium through
Playwright's sync API. The result is a PDF from a different producer — Skia's content
streams, Chromium's own ToUnicode maps, table rules drawn as paths — so code that reads
PDFs can be tried on both. Because Noto CJK is a CFF font (in a ``.ttc``), Skia embeds it
as Type3 fonts (glyphs as drawings, several hundred KB per document; pdfminer/pdfplumber
log "Could not get FontBBox from font descriptor" for each page). Text extracted from
Chromium-printed CJK may come out as Kangxi radicals (``⼀`` U+2F00 for ``一``);
``unicodedata.normalize("NFKC", ...)`` maps them back, but also turns full-width
punctuation (``（），：``) into ASCII.

Chromium is launched with :func:`crawler.browser.chromium_launch_options` (Playwright's own
browser when installed, else ``/usr/bin/chromium``). The sync API cannot run inside a
running asyncio event loop; call these functions from plain threads or processes.

Example:

    >>> from demo_portal.render import load_seeds
    >>> render_pdf_chromium(load_seeds()[0])[:5]
    b'%PDF-'
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from crawler.browser import chromium_launch_options
from demo_portal.render import SeedDoc, _blocks

__all__ = ["FONT_FAMILY", "render_pdf_chromium", "render_pdfs_chromium", "seed_html"]

#: CSS font stack of the page (fonts-noto-cjk provides the first two).
FONT_FAMILY = '"Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif'

# block kind from _blocks() → HTML element
_TAGS = {"title": "h1", "h1": "h2", "h2": "h3", "body": "p"}

_NUMBER = re.compile(r"[-+]?[\d,]*\.?\d+%?")

_CSS = f"""
@page {{ size: A4; margin: 15mm; }}
html {{ font-family: {FONT_FAMILY}; font-size: 10.5pt; line-height: 1.5; color: #000; }}
body {{ margin: 0; }}
h1 {{ font-size: 18pt; text-align: center; margin: 0 0 4pt; line-height: 1.4; }}
h2 {{ font-size: 14pt; margin: 10pt 0 4pt; }}
h3 {{ font-size: 11.5pt; margin: 6pt 0 2pt; }}
p {{ margin: 0; text-indent: 2em; }}
table {{ border-collapse: collapse; margin: 4pt auto 8pt; max-width: 100%; }}
table.c6 {{ font-size: 8pt; }}
table.c9 {{ font-size: 7pt; }}
table.cn {{ font-size: 6pt; }}
td {{ border: 0.5pt solid #000; padding: 1.5pt 2pt; vertical-align: middle; line-height: 1.25;
     word-break: break-all; }}
td.num {{ text-align: right; white-space: nowrap; }}
tr {{ page-break-inside: avoid; }}
"""


def _table_html(rows: list[list[str]]) -> str:
    """One table block as a bordered ``<table>``; short rows are padded with empty cells."""
    ncols = max(len(r) for r in rows)
    size_class = "c6" if ncols <= 6 else "c9" if ncols <= 9 else "cn"
    out = [f'<table class="{size_class}">']
    for row in rows:
        cells = []
        for cell in row + [""] * (ncols - len(row)):
            attr = ' class="num"' if _NUMBER.fullmatch(cell) else ""
            cells.append(f"<td{attr}>{html.escape(cell)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def seed_html(doc: SeedDoc) -> str:
    """The document as a standalone UTF-8 HTML page (no external resources).

    Blocks come from :func:`demo_portal.render._blocks`, so headings, prose and tables
    are the same ones the reportlab rendering shows.
    """
    body: list[str] = []
    title = ""
    for kind, lines in _blocks(doc.text):
        if kind == "table":
            body.append(_table_html(lines))
            continue
        if kind == "title" and not title:
            title = lines[0]
        tag = _TAGS[kind]
        body.append(f"<{tag}>{html.escape(lines[0])}</{tag}>")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title or doc.name)}</title>\n"
        f"<style>{_CSS}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def render_pdfs_chromium(docs: Iterable[SeedDoc]) -> list[bytes]:
    """Each document as an A4 PDF printed by headless Chromium, with one browser launch."""
    from playwright.sync_api import sync_playwright  # heavy; only when rendering

    pdfs: list[bytes] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(**chromium_launch_options())
        try:
            page = browser.new_page()
            for doc in docs:
                page.set_content(seed_html(doc), wait_until="load")
                page.evaluate("document.fonts.ready.then(() => true)")
                pdfs.append(page.pdf(format="A4", print_background=True, prefer_css_page_size=True))
        finally:
            browser.close()
    return pdfs


def render_pdf_chromium(doc: SeedDoc) -> bytes:
    """The document as an A4 PDF printed by headless Chromium (one browser launch per call)."""
    return render_pdfs_chromium([doc])[0]
