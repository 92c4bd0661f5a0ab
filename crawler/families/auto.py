"""`family = "auto"`: the entry page says which family walks the section.

The entry page is fetched once, recognised (`crawler/detect.py`) and handed to that
family's walker as its own entry page (a URL certain of its family, a platform's own
host or API, is handed over unfetched); a family without a walker of its own, or none
recognised, goes to the generic walker.
"""

from __future__ import annotations

from collections.abc import Iterable

from scrapy import Request
from scrapy.http import Response, TextResponse

from crawler.detect import GENERIC, detect, from_url
from crawler.families.base import Output, Walker
from crawler.portals import Portal, Section


class AutoWalker(Walker):
    family = "auto"
    browser = True  # the entry may turn out to need the browser

    def start(self, portal: Portal, section: Section) -> Iterable[Request]:
        """A URL certain of its family (a platform's own host or API) needs no first look."""
        found = from_url(section.url, certain=True)
        walker = self.spider.walkers.get(found.walker) if found else None
        if found and walker:
            self.spider.detected(
                {"portal_id": portal.id, "section_id": section.id}, found, walker.family
            )
            yield from walker.start(portal, section)
            return
        yield from super().start(portal, section)

    def parse_entry(self, response: Response) -> Output:
        html = response.text if isinstance(response, TextResponse) else ""
        found = detect(response.url, html) if html else GENERIC
        walker = self.spider.walkers.get(found.walker) or self.spider.walkers["generic"]
        self.spider.detected(response.meta, found, walker.family)
        # what the page leads to is the detected family's (its detail pages too)
        response.meta["walker"] = walker.family
        yield from walker.parse_entry(response)

    def parse_list(self, response: Response) -> Output:
        yield from self.parse_entry(response)
