"""Server-rendered list pages, the commonest kind: a family differs only in data.

A :class:`ListWalker` reads every link of a list page. A link is a list entry when its
URL has the family's detail-page shape (`detail`), or it is a document, or its text or
title names a budget or final account of a year. Further pages come from the page-count
script and the pager links (`crawler/families/pager.py`), read on the entry page and
again on every page (each page is requested once: the spider dedupes them).
"""

from __future__ import annotations

import re
from collections.abc import Generator
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

from scrapy.http import Response, TextResponse

from crawler.attachments import looks_like_document
from crawler.families.base import LIST_DATE, Output, Walker
from crawler.families.pager import link_pages, script_pages
from extract.titles import classify_title, normalize

Found = Generator[Any, None, int]


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
        seen: set[str] = set()
        for a in response.xpath("//a[@href]"):
            href = a.attrib["href"].strip()
            url = urljoin(response.url, href)
            if url in seen or urlsplit(url).scheme not in ("http", "https"):
                continue
            text = normalize(" ".join(a.css("::text").getall()))
            title = normalize(a.attrib.get("title") or "")
            title = title if len(title) > len(text) else text
            if not self.is_entry(url, title):
                continue
            seen.add(url)
            found += 1
            context = " ".join(a.xpath("./ancestor::*[self::li or self::tr][1]//text()").getall())
            date = LIST_DATE.search(normalize(context))
            entry = self.spider.listed(
                response, url, title, date and date.group(0), portal, section
            )
            if entry:
                yield entry
        for url in self.further_pages(response):
            yield self.list_request(url, portal, section, meta=self.page_meta(response))
        return found

    def is_entry(self, url: str, title: str) -> bool:
        if self.is_detail_url(url) and self.detail:
            return True
        if looks_like_document(url, title):
            return True
        facts = classify_title(title)
        return bool(facts.doc_type and facts.year and not facts.noise)

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
