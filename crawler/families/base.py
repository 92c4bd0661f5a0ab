"""What a portal software family knows: how to walk its list pages.

A walker is the family-specific part of the crawl. The one spider
(`crawler/spiders/portals.py`) owns everything families share: portals from
configuration, politeness, revisiting known pages, reading detail pages, reporting what
failed. A walker yields list requests (made with :meth:`Walker.list_request`, so that the
spider counts them per section) and hands each list entry to the spider's `listed()`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from scrapy import Request
from scrapy.http import Response, TextResponse

from crawler.attachments import Attachment, find_attachments
from crawler.portals import Portal, Section

if TYPE_CHECKING:
    from crawler.spiders.portals import PortalsSpider

Output = Iterator[Request | Any]

#: A date as list pages print it beside an entry.
LIST_DATE = re.compile(r"20\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?|\[\d{2}-\d{2}\]")


class Walker:
    """Base of the family walkers. Subclasses set `family` and implement `parse_list`."""

    family: ClassVar[str] = ""
    #: True when its list pages need the browser (scrapy-playwright).
    browser: ClassVar[bool] = False

    def __init__(self, spider: PortalsSpider) -> None:
        self.spider = spider

    def start(self, portal: Portal, section: Section) -> Iterable[Request]:
        """The first requests of a section: its entry page, parsed by `parse_entry`."""
        yield self.list_request(section.url, portal, section, callback=self.parse_entry)

    def parse_entry(self, response: Response) -> Output:
        """The section's entry page (a family reads its pager here, once)."""
        yield from self.parse_list(response)

    def parse_list(self, response: Response) -> Output:
        raise NotImplementedError

    def list_request(
        self,
        url: str,
        portal: Portal,
        section: Section,
        *,
        callback: Callable[[Response], Output] | None = None,
        **kw: Any,
    ) -> Request:
        return self.spider.list_request(
            url, portal, section, walker=self, callback=callback or self.parse_list, **kw
        )

    def is_detail_url(self, url: str) -> bool:
        """Whether a link of a detail page may be a unit's own disclosure page."""
        return True

    def attachments(self, response: Response) -> list[Attachment]:
        """The attachments of a detail page (an HTML page)."""
        assert isinstance(response, TextResponse)
        return find_attachments(response.selector, response.url)


def json_body(response: Response) -> Any:
    """A JSON answer's value; None when the body is not JSON (a block or error page)."""
    try:
        return json.loads(response.text)
    except ValueError:
        return None
