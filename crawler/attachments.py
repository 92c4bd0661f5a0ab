"""Finding the attachments a detail page offers, in every form portals use.

- plain links: `<a href="./P0…pdf">`, Hanweb `downfile.jsp?…filename=….pdf`, `/cmsres/….pdf`;
- TRS `onclick="downloadFj('名称.pdf','./W0…pdf')"` with no href;
- TRS attachments injected by a script variable: `var hasFJ = '<a href=…>…</a><BR/>…'`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urljoin, urlsplit

from parsel import Selector

DOCUMENT_EXTENSIONS = (".pdf", ".xls", ".xlsx", ".doc", ".docx", ".wps", ".et", ".zip", ".rar")

_DOWNLOAD_FJ = re.compile(r"downloadFj\(\s*'([^']*)'\s*,\s*'([^']+)'\s*\)")
_SCRIPT_VAR_HTML = re.compile(r"var\s+hasFJ\s*=\s*'((?:[^'\\]|\\.)*)'", re.S)


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
        for m in _SCRIPT_VAR_HTML.finditer(script.text or ""):
            fragment = re.sub(r"\\(.)", r"\1", m.group(1))  # JS string escapes
            inner = Selector(text=fragment or "<p></p>").root
            for a in inner.iter("a"):
                if a.get("href"):
                    add(a.get("href"), a.get("title") or " ".join(a.itertext()))
    return list(found.values())
