"""Server-rendered list pages, the commonest kind: a family differs only in data.

A :class:`ListWalker` reads every link of a list page. A link is a list entry when its
URL has the family's detail-page shape (`detail`), or it is a document, or its text or
title names a budget or final account of a year. Further pages come from the page-count
script (read on a list's first page) and the pager links (read on every page; each page
is requested once: the spider dedupes them), `crawler/families/pager.py`.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import urldefrag, urljoin, urlsplit

from parsel import Selector
from scrapy.http import Response, TextResponse

from crawler.attachments import looks_like_document
from crawler.families.base import LIST_DATE, Output, Walker
from crawler.families.pager import link_pages, script_pages
from crawler.portals import Section
from extract.titles import classify_title, normalize

#: a list page's parse: yields requests and items, returns the URLs of the entries found
Found = Generator[Any, None, set[str]]


def _matches(patterns: tuple[str, ...], url: str) -> bool:
    """Whether a URL's path (and query) matches one of the regexes."""
    parts = urlsplit(url)
    target = parts.path + ("?" + parts.query if parts.query else "")
    return any(re.search(p, target) for p in patterns)


@dataclass(frozen=True)
class ListEntry:
    url: str
    title: str  # the link's title attribute or text, whichever is longer
    date: str | None  # the date printed beside it


def list_links(sel: Selector, page_url: str, selector: str | None = None) -> Iterator[ListEntry]:
    """Every link of a page (or of what `selector` picks), once (in page order),
    with the longest title any of its anchors gives (an image link and a text link often
    share a URL) and the date printed beside it."""
    found: dict[str, ListEntry] = {}
    here = urldefrag(page_url).url
    anchors = (
        [
            a
            for node in sel.css(selector)
            for a in (node.xpath("self::a[@href]") or node.css("a[href]"))
        ]
        if selector
        else sel.xpath("//a[@href]")
    )
    for a in anchors:
        url = urldefrag(urljoin(page_url, a.attrib["href"].strip())).url
        # links to no resource; other schemes (file:, data:, ftp:) stay, so that an entry
        # such as a local file is recorded as skipped, never fetched (`spider.listed`)
        if urlsplit(url).scheme in ("javascript", "mailto", "tel", "") or url == here:
            continue
        text = normalize(" ".join(a.css("::text").getall()))
        title = normalize(a.attrib.get("title") or "")
        title = title if len(title) > len(text) else text
        context = " ".join(a.xpath("./ancestor::*[self::li or self::tr][1]//text()").getall())
        m = LIST_DATE.search(normalize(context))
        before = found.get(url)
        if before is None:
            found[url] = ListEntry(url, title, m and m.group(0))
        elif len(title) > len(before.title) or (m and not before.date):
            longer = title if len(title) > len(before.title) else before.title
            found[url] = ListEntry(url, longer, before.date or (m and m.group(0)))
    yield from found.values()


def is_first_page(response: Response) -> bool:
    """Whether a list page is the first of its list (requested as an entry page)."""
    return response.meta.get("list_parse") == "parse_entry"


def is_disclosure_title(title: str) -> bool:
    """A budget or final account of a year, not a notice about one."""
    facts = classify_title(title)
    return bool(facts.doc_type and facts.year and not facts.noise)


def names_a_budget(title: str) -> bool:
    """A budget or final account of a year, or a notice about one: a list entry (the
    spider keeps the first and records the second as skipped)."""
    facts = classify_title(title)
    return bool(facts.doc_type and facts.year)


class ListWalker(Walker):
    """Subclasses set `family` and their data."""

    #: regexes on a link's path (and query) that make it a detail page of the family
    detail: ClassVar[tuple[str, ...]] = ()

    def parse_entry(self, response: Response) -> Output:
        yield from self.parse_list(response)

    def parse_list(self, response: Response) -> Found:
        """The entries and further pages of one list page; returns the entries' URLs."""
        if not isinstance(response, TextResponse):
            return set()
        portal, section = self.spider.section_for(response.meta)
        found: set[str] = set()
        for link in self.entries(response.selector, response.url, section):
            found.add(link.url)
            yield self.spider.listed(response, link.url, link.title, link.date, portal, section)
        for url in self.further_pages(response):
            yield self.list_request(url, portal, section, meta=self.page_meta(response))
        if section.pager and found:
            # pages named by the section's template: the next one, while pages list entries
            number = response.meta.get("page_no", section.page_base) + 1
            url = urljoin(section.url, section.pager.replace("{n}", str(number)))
            meta = {**self.page_meta(response), "page_no": number}
            yield self.list_request(url, portal, section, meta=meta)
        return found

    def entries(
        self, sel: Selector, page_url: str, section: Section | None = None
    ) -> list[ListEntry]:
        """The list entries of a page (also what `probe` shows): links of the family's
        (or the section's) detail-page shape, documents, and links whose title names a
        disclosure; only among the section's `item_selector` when it has one."""
        selector = section.item_selector if section else None
        patterns = self.detail + (
            (section.detail_pattern,) if section and section.detail_pattern else ()
        )
        return [
            e
            for e in list_links(sel, page_url, selector)
            if (patterns and _matches(patterns, e.url))
            or looks_like_document(e.url, e.title)
            or names_a_budget(e.title)
            or (selector is not None and bool(e.title))
        ]

    def is_detail_url(self, url: str) -> bool:
        return _matches(self.detail, url)

    def further_pages(self, response: TextResponse) -> list[str]:
        """Pages named by the pager's links, and on a list's first page (only there: its
        index says where the numbers start) by its page-count script."""
        scripted = script_pages(response.url, response.text) if is_first_page(response) else []
        return scripted + link_pages(response.selector, response.url)

    def page_meta(self, response: Response) -> dict[str, Any]:
        """Meta carried from a list page to the next ones."""
        return {}
