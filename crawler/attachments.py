r"""Finding the attachments a detail page offers, in every form portals use.

- plain links: `<a href="./P0…pdf">`, Hanweb `downfile.jsp?…filename=….pdf`, `/cmsres/….pdf`;
- TRS `onclick="downloadFj('名称.pdf','./W0…pdf')"` with no href;
- TRS attachments injected by a script variable: `var hasFJ = '<a href=…>…</a><BR/>…'`;
- links that exist only inside a script's data: an article's JSON (`"content":
  "<p><a href=\"\/attachment\/….pdf\">…"`) or an escaped JavaScript string, read after
  undoing the escapes (`\/`, `\"`, `\uXXXX`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urljoin, urlsplit

from parsel import Selector

DOCUMENT_EXTENSIONS = (".pdf", ".xls", ".xlsx", ".doc", ".docx", ".wps", ".et", ".zip", ".rar")

_DOWNLOAD_FJ = re.compile(r"downloadFj\(\s*'([^']*)'\s*,\s*'([^']+)'\s*\)")
_JS_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)")
# an <a> element inside script data, after its escapes are undone
_SCRIPT_ANCHOR = re.compile(r"<a\b[^>]*\bhref\s*=\s*[\"'][^\"']+[\"'][^>]*>.*?</a>", re.S | re.I)
# a quoted document URL inside script data ("url": "/attachment/1/2/3.pdf")
_SCRIPT_URL = re.compile(
    r"[\"']((?:https?:)?/[^\"'<>\s]+?\.(?:pdf|xlsx?|docx?|wps|et|zip|rar))[\"']", re.I
)


@dataclass(frozen=True)
class Attachment:
    url: str
    name: str


def looks_like_document(url: str, name: str) -> bool:
    parts = urlsplit(url)
    path = parts.path.lower()
    if path.endswith(DOCUMENT_EXTENSIONS):
        return True
    # download scripts: downfile.jsp?filename=x.pdf, download.do?fileName=…
    for values in parse_qs(parts.query).values():
        if any(v.lower().endswith(DOCUMENT_EXTENSIONS) for v in values):
            return True
    return name.strip().lower().endswith(DOCUMENT_EXTENSIONS) and "download" in path


def unescape_js(text: str) -> str:
    """A JavaScript / JSON string's escapes undone (`\\/` → `/`, `\\u4e2d` → 中)."""

    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        if code[0] in "ux" and len(code) > 1:
            return chr(int(code[1:], 16))
        return {"n": "\n", "t": "\t", "r": ""}.get(code, code)

    return _JS_ESCAPE.sub(one, text)


def _clean_name(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text or "")).strip()


def find_attachments(sel: Selector, base_url: str) -> list[Attachment]:
    """Attachments of a detail page, in page order, each URL once."""
    found: dict[str, Attachment] = {}

    def add(href: str, name: str) -> None:
        href = html.unescape(href.strip())
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            return
        url = urljoin(base_url, href)
        if urlsplit(url).scheme not in ("http", "https"):  # only the web (no file://, data:)
            return
        name = _clean_name(name) or url.rsplit("/", 1)[-1]
        if looks_like_document(url, name) and url not in found:
            found[url] = Attachment(url, name)

    # lxml's elements directly: a page has hundreds of links, a Selector each is costly
    root = sel.root
    for a in root.iter("a") if hasattr(root, "iter") else ():
        text = " ".join(a.itertext())
        href = a.get("href")
        if href:
            add(href, a.get("title") or text)
        for m in _DOWNLOAD_FJ.finditer(a.get("onclick") or ""):
            add(m.group(2), m.group(1) or text)

    for script in root.iter("script") if hasattr(root, "iter") else ():
        code = script.text or ""
        if "\\" in code or "<a" in code or "." in code:
            data = unescape_js(code)
            for fragment in _SCRIPT_ANCHOR.findall(data):
                for a in Selector(text=fragment).root.iter("a"):
                    if a.get("href"):
                        add(a.get("href"), a.get("title") or " ".join(a.itertext()))
            for m in _SCRIPT_URL.finditer(data):
                add(m.group(1), "")
    return list(found.values())
