"""Guangdong "gkmlpt" sections (every Guangdong government site): the list is a JSON API,
`/gkmlpt/api/all/{catId}?page=N&sid={siteId}` → `{"articles": [{"url", "title", "date"}],
"total": N}`; details `/gkmlpt/content/…/post_{id}.html` with ordinary attachment links.

The section's `url` is the API address of page 1.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from scrapy import Request
from scrapy.http import Response

from crawler.items import Disclosure
from crawler.portals import Portal, Section
from crawler.spiders.base import BudgetSpider
from extract.titles import normalize


def with_page(url: str, page: int) -> str:
    if re.search(r"[?&]page=\d+", url):
        return re.sub(r"([?&]page=)\d+", rf"\g<1>{page}", url)
    return url + ("&" if "?" in url else "?") + f"page={page}"


def shown_date(value: Any) -> str | None:
    """Dates come as text or as epoch seconds / milliseconds."""
    if isinstance(value, int | float) and value > 0:
        seconds = value / 1000 if value > 10**11 else value
        return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d")
    return str(value) if value else None


class GkmlptSpider(BudgetSpider):
    name = "gkmlpt"
    family = "gkmlpt"

    def list_requests(self, portal: Portal, section: Section) -> Iterable[Request]:
        yield self.list_request(section.url, portal, section, meta={"page": 1})

    def parse_list(self, response: Response) -> Iterator[Request | Disclosure]:
        portal, section = self.section_for(response.meta)
        try:
            data = json.loads(response.text)
        except ValueError:
            self.logger.warning("not JSON: %s", response.url)
            return
        articles = data.get("articles") or []
        for article in articles:
            url = article.get("url")
            if not url:
                continue
            title = normalize(article.get("title") or "")
            entry = self.listed(
                response, url, title, shown_date(article.get("date")), portal, section
            )
            if entry:
                yield entry
        page = response.meta.get("page", 1)
        if page == 1 and articles and data.get("total"):
            for n in range(2, math.ceil(int(data["total"]) / len(articles)) + 1):
                yield self.list_request(
                    with_page(response.url, n), portal, section, meta={"page": n}
                )
