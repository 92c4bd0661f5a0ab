"""Server-rendered list pages, the commonest kind: a family differs only in data.

A :class:`ListWalker` reads every link of a list page. A link is a list entry when its
URL has the family's detail-page shape (`detail`), or it is a document, or its text or
title names a budget or final account of a year. Further pages come from the page-count
script and the pager links (`crawler/families/pager.py`), read on the entry page and
again on every page (each page is requested once: the spider dedupes them).
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
from extract.titles import classify_title, normalize

Found = Generator[Any, None, int]


@dataclass(frozen=True)
class ListEntry:
    url: str
    title: str  # the link's title attribute or text, whichever is longer
    date: str | None  # the date printed beside it


def list_links(sel: Selector, page_url: str) -> Iterator[ListEntry]:
    """Every http(s) link of a page, once (in page order), with the longest title any of
    its anchors gives (an image link and a text link often share a URL) and the date
    printed beside it."""
    found: dict[str, ListEntry] = {}
    here = urldefrag(page_url).url
    for a in sel.xpath("//a[@href]"):
        url = urldefrag(urljoin(page_url, a.attrib["href"].strip())).url
        if urlsplit(url).scheme not in ("http", "https") or url == here:
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


def is_disclosure_title(title: str) -> bool:
    """A budget or final account of a year, not a notice about one."""
    facts = classify_title(title)
    return bool(facts.doc_type and facts.year and not facts.noise)


class ListWalker(Walker):
    """Subclasses set `family` and their data."""

    #: regexes on a link's path (and query) that make it a detail page of the family
    detail: ClassVar[tuple[str, ...]] = ()

    def parse_entry(self, response: Response) -> Output:
        yield from self.parse_list(response)

    def parse_list(self, response: Response) -> Found:
        """The entries and further pages of one list page; returns how many entries."""
        if not isinstance(response, TextResponse):
            return 0
        portal, section = self.spider.section_for(response.meta)
        found = 0
        for link in self.entries(response.selector, response.url):
            found += 1
            entry = self.spider.listed(response, link.url, link.title, link.date, portal, section)
            if entry:
                yield entry
        for url in self.further_pages(response):
            yield self.list_request(url, portal, section, meta=self.page_meta(response))
        return found

    def entries(self, sel: Selector, page_url: str) -> list[ListEntry]:
        """The list entries of a page (also what `probe` shows)."""
        return [e for e in list_links(sel, page_url) if self.is_entry(e.url, e.title)]

    def is_entry(self, url: str, title: str) -> bool:
        if self.is_detail_url(url) and self.detail:
            return True
        return looks_like_document(url, title) or is_disclosure_title(title)

    def is_detail_url(self, url: str) -> bool:
        parts = urlsplit(url)
        target = parts.path + ("?" + parts.query if parts.query else "")
        return any(re.search(p, target) for p in self.detail)

    def further_pages(self, response: TextResponse) -> list[str]:
        return script_pages(response.url, response.text) + link_pages(
            response.selector, response.url
        )

    def page_meta(self, response: Response) -> dict[str, Any]:
        """Meta carried from a list page to the next ones."""
        return {}
