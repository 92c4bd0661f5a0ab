"""Sections whose list exists only after a browser has run the page's scripts (the data
endpoint is not named in the HTML). List pages go through scrapy-playwright driving
Chromium; detail pages and files are fetched with plain requests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scrapy import Request
from scrapy.http import Response
from scrapy_playwright.page import PageMethod

from crawler.families.base import Output, Walker
from crawler.portals import Portal, Section
from extract.titles import normalize

PAGER = "#pager a[href]::attr(href), .pager a[href]::attr(href), a.page[href]::attr(href)"


def browser_meta(section: Section) -> dict[str, Any]:
    """Request meta that sends a list page through the browser: it waits for the
    section's `wait_for` selector, else until the network is idle (the list's data
    requests answered)."""
    if section.wait_for:
        method = PageMethod("wait_for_selector", section.wait_for, timeout=20_000)
    else:
        method = PageMethod("wait_for_load_state", "networkidle", timeout=20_000)
    return {"playwright": True, "playwright_page_methods": [method]}


class RenderedWalker(Walker):
    family = "rendered"
    browser = True

    def start(self, portal: Portal, section: Section) -> Iterable[Request]:
        yield self.list_request(section.url, portal, section, meta=browser_meta(section))

    def parse_entry(self, response: Response) -> Output:
        """An entry page fetched without the browser (the family was detected from it):
        fetch it again through the browser."""
        if response.meta.get("playwright"):
            yield from self.parse_list(response)
            return
        portal, section = self.spider.section_for(response.meta)
        yield self.list_request(response.url, portal, section, meta=browser_meta(section))

    def parse_list(self, response: Response) -> Output:
        portal, section = self.spider.section_for(response.meta)
        if not section.wait_for:
            # nothing says which links are the list: read the rendered page as the
            # generic walker reads a static one
            yield from self.spider.walkers["generic"].parse_list(response)
            return
        # The links the section waits for are the list entries.
        for a in response.css(section.wait_for):
            if "href" not in a.attrib:
                continue
            title = normalize(a.attrib.get("title") or " ".join(a.css("::text").getall()))
            date = normalize(" ".join(a.xpath("./ancestor::li[1]//span//text()").getall()))
            entry = self.spider.listed(
                response, a.attrib["href"], title, date or None, portal, section
            )
            if entry:
                yield entry
        for href in response.css(PAGER).getall():
            yield self.list_request(
                response.urljoin(href), portal, section, meta=browser_meta(section)
            )
