"""The long tail: any server-rendered list, walked by what its links say.

CrawlSpider-style rules:
- a link whose text or title names a budget or final account and a year is a disclosure
  (its detail page, or the document itself): `ListWalker.is_entry`, with no family
  detail-URL shape;
- 下一页 / 尾页 / numbered links and page-count scripts are further pages of the same list
  (`crawler/families/pager.py`);
- `SUBLISTS` (Scrapy's LinkExtractor): a link of the same site whose text names budgets
  or final accounts without a year (a department's own budget column on an aggregator
  page) is a second-level list, followed to a bounded depth (the section's `depth`,
  default 1);
- a section's entry page with none of these is fetched again through the browser
  (scrapy-playwright), once: its list may only exist after its scripts ran.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor

from crawler.families.base import Output
from crawler.families.listing import Found, ListWalker
from crawler.families.rendered import browser_meta
from extract.titles import classify_title

SUBLISTS = LinkExtractor(restrict_text=r"[预决]\s*算", deny_extensions=[], canonicalize=False)
DEFAULT_DEPTH = 1


def same_site(a: str, b: str) -> bool:
    """Whether two URLs belong to one government's sites (`czj.x.gov.cn`, `www.x.gov.cn`)."""

    def site(url: str) -> str:
        labels = (urlsplit(url).hostname or "").lower().split(".")
        keep = 3 if labels[-2:-1] in (["gov"], ["com"], ["org"], ["edu"]) else 2
        return ".".join(labels[-keep:])

    return site(a) == site(b)


class GenericWalker(ListWalker):
    family = "generic"
    browser = True  # a list that only exists in the browser is rendered

    def parse_entry(self, response: Response) -> Output:
        found = yield from self.parse_list(response)
        if (
            not found
            and not response.meta.get("playwright")
            and not response.meta.get("list_depth")
        ):
            portal, section = self.spider.section_for(response.meta)
            self.spider.logger.info("no list in %s: rendering it in the browser", response.url)
            meta = {**browser_meta(section), **self.page_meta(response)}
            yield self.list_request(response.url, portal, section, meta=meta)

    def parse_list(self, response: Response) -> Found:
        found = yield from super().parse_list(response)
        if not isinstance(response, TextResponse):
            return found
        portal, section = self.spider.section_for(response.meta)
        depth = response.meta.get("list_depth", 0)
        if depth >= (section.depth if section.depth is not None else DEFAULT_DEPTH):
            return found
        for link in SUBLISTS.extract_links(response):
            facts = classify_title(link.text)
            if link.url in found or facts.year or facts.noise:
                continue
            if not same_site(link.url, response.url):
                continue
            found.add(link.url)
            yield self.list_request(
                link.url,
                portal,
                section,
                callback=self.parse_entry,
                meta={"list_depth": depth + 1},
            )
        return found

    def page_meta(self, response: Response) -> dict[str, Any]:
        """A rendered list's further pages are rendered too."""
        meta: dict[str, Any] = {"list_depth": response.meta.get("list_depth", 0)}
        if response.meta.get("playwright"):
            meta["playwright"] = True
            meta["playwright_page_methods"] = response.meta.get("playwright_page_methods", [])
        return meta
