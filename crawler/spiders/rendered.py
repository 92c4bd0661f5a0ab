"""Sections whose list exists only after a browser has run the page's scripts (the data
endpoint is not named in the HTML). List pages go through scrapy-playwright driving
Chromium; detail pages and files are fetched with plain requests."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from scrapy import Request
from scrapy.http import Response
from scrapy_playwright.page import PageMethod

from crawler.items import Disclosure
from crawler.portals import Portal, Section
from crawler.spiders.base import BudgetSpider
from extract.titles import normalize

PAGER = "#pager a[href]::attr(href), .pager a[href]::attr(href), a.page[href]::attr(href)"


class RenderedSpider(BudgetSpider):
    name = "rendered"
    family = "rendered"
    custom_settings = {
        "DOWNLOAD_HANDLERS": {
            "http": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
            "https": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
        },
    }

    def browser_meta(self, section: Section) -> dict[str, Any]:
        methods = []
        if section.wait_for:
            methods.append(PageMethod("wait_for_selector", section.wait_for, timeout=20_000))
        return {"playwright": True, "playwright_page_methods": methods}

    def list_requests(self, portal: Portal, section: Section) -> Iterable[Request]:
        yield self.list_request(section.url, portal, section, meta=self.browser_meta(section))

    def parse_list(self, response: Response) -> Iterator[Request | Disclosure]:
        portal, section = self.section_for(response.meta)
        # The links the section waits for are the list entries.
        for a in response.css(section.wait_for or "a[href]"):
            if "href" not in a.attrib:
                continue
            title = normalize(a.attrib.get("title") or " ".join(a.css("::text").getall()))
            date = normalize(" ".join(a.xpath("./ancestor::li[1]//span//text()").getall()))
            entry = self.listed(response, a.attrib["href"], title, date or None, portal, section)
            if entry:
                yield entry
        for href in response.css(PAGER).getall():
            yield self.list_request(
                response.urljoin(href), portal, section, meta=self.browser_meta(section)
            )
