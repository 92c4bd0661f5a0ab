"""`budget-archive probe`: what the crawler makes of one entry page, before a crawl.

:func:`probe_page` reads a page (fetched by :func:`fetch`, politely: robots.txt obeyed,
the project's User-Agent, one request; or a saved file) and says which family it is,
which of its links are candidate disclosures, how its list paginates, and the portals
file entry that crawls it.
"""

from __future__ import annotations

import re
import urllib.request
import urllib.robotparser
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import urljoin, urlsplit

from parsel import Selector
from w3lib.encoding import html_to_unicode

from crawler.attachments import Attachment, find_attachments
from crawler.detect import Detection, detect
from crawler.families import WALKERS
from crawler.families.jpage import records_html
from crawler.families.listing import ListEntry, ListWalker, is_disclosure_title, list_links
from crawler.families.pager import link_pages, script_pages
from extract.titles import classify_title, normalize


class ProbeError(Exception):
    """The page could not be fetched (or robots.txt forbids it)."""


@dataclass
class Probe:
    url: str
    detection: Detection
    walker: str
    title: str
    candidates: list[ListEntry] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)  # further list pages
    pagination: str = "none found (one page)"
    # the page is itself a disclosure: its attachments
    attachments: list[Attachment] = field(default_factory=list)
    is_disclosure: bool = False

    def toml(self) -> str:
        """A portals file entry that crawls this page as one section."""
        parts = urlsplit(self.url)
        host = (parts.hostname or "portal").removeprefix("www.")
        ident = re.sub(r"[^\w.-]+", "-", host)

        def quoted(text: str) -> str:
            return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

        return "\n".join(
            [
                "[[portal]]",
                f"id = {quoted(ident)}",
                f"name = {quoted(self.title or host)}",
                f"base_url = {quoted(f'{parts.scheme}://{parts.netloc}/')}",
                "  [[portal.section]]",
                '  id = "main"',
                f"  family = {quoted(self.walker)}  # {self.detection.describe()}",
                f"  url = {quoted(self.url)}",
            ]
        )


def _page_title(sel: Selector) -> str:
    for query in ('meta[name="ArticleTitle"]::attr(content)', "title::text", "h1 ::text"):
        text = normalize(" ".join(sel.css(query).getall()))
        if text:
            return text.split("_")[0].split(" - ")[0].strip()
    return ""


def probe_page(url: str, html: str) -> Probe:
    """What the crawler makes of a page at `url` whose HTML is `html`."""
    found = detect(url, html)
    walker = found.walker if found.walker in WALKERS else "generic"
    sel = Selector(text=html or "<html></html>")
    report = Probe(url, found, walker, _page_title(sel))
    kind = WALKERS[walker]
    if walker == "jpage":
        records = records_html(html)
        report.candidates = [e for e in list_links(Selector(text=records), url) if e.title]
    elif issubclass(kind, ListWalker):
        # the walker's own choice of entries (it needs no spider for that)
        report.candidates = kind(cast(Any, None)).entries(sel, url)
    else:
        report.candidates = [e for e in list_links(sel, url) if is_disclosure_title(e.title)]
    scripted = script_pages(url, html)
    linked = link_pages(sel, url)
    if scripted:
        report.pagination = f"page-count script: {len(scripted) + 1} pages ({scripted[0]} …)"
    elif linked:
        report.pagination = f"pager links: {len(linked)} further page(s) ({linked[0]} …)"
    elif walker == "jpage":
        report.pagination = "Hanweb jpage data proxy (pages asked for by record number)"
    elif walker == "gkmlpt":
        report.pagination = "gkmlpt JSON list API (page=N)"
    elif walker == "rendered":
        report.pagination = "rendered in the browser: pages known only after its scripts ran"
    # what the crawl would skip by its title alone is no candidate
    report.candidates = [e for e in report.candidates if not classify_title(e.title).noise]
    report.pages = scripted or linked
    report.attachments = find_attachments(sel, url)
    report.is_disclosure = is_disclosure_title(report.title) and bool(report.attachments)
    return report


def fetch(url: str, user_agent: str, timeout: float = 30.0) -> tuple[str, str]:
    """The page at `url` (after redirects) and its text; robots.txt is obeyed."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise ProbeError(f"{url}: only http(s) URLs are fetched")
    robots = urllib.robotparser.RobotFileParser(urljoin(url, "/robots.txt"))
    try:
        robots.read()
    except OSError:
        pass  # no robots.txt to be read: allowed
    else:
        if not robots.can_fetch(user_agent, url):
            raise ProbeError(f"robots.txt of {urlsplit(url).netloc} does not allow {url}")
    request = urllib.request.Request(url, headers={"User-Agent": user_agent})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            body = answer.read(20 * 1024 * 1024)
            final = answer.geturl()
            content_type = answer.headers.get("Content-Type", "")
    except OSError as exc:
        raise ProbeError(f"{url}: {exc}") from exc
    return final, decode(body, content_type)


def decode(body: bytes, content_type: str = "") -> str:
    """Page bytes as text, by the header's charset, the page's own meta, or a guess."""
    _, text = html_to_unicode(content_type or None, body)
    return text
