"""Guangdong "gkmlpt" sections (every Guangdong government site): the list is a JSON API,
`/gkmlpt/api/all/{catId}?page=N&sid={siteId}` → `{"articles": [{"url", "title", "date"}],
"total": N}`; details `/gkmlpt/content/…/post_{id}.html` with ordinary attachment links.

The section's `url` is the API address of page 1, or the catalogue page
(`…/gkmlpt/index#{catId}`, possibly under a path prefix) whose script names the site id
(`SID: '757'`); the category is the URL's fragment (0, every category, when absent).
Evidence: public crawler code that reads the `SID: '…'` of a catalogue page's script and
builds `url.split('/gkmlpt/')[0] + /gkmlpt/api/all/{hash}?page=1&sid={sid}`; API users
addressing `…/<prefix>/gkmlpt/api/all/0?page=1&sid=…`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.http import Response

from crawler.attachments import Attachment, looks_like_document
from crawler.families.base import Output, Walker, json_body
from crawler.families.pager import with_query
from crawler.portals import Portal, Section
from extract.titles import normalize

#: Where an article of the list API keeps its date (text or epoch seconds).
DATE_KEYS = ("date", "display_publish_time", "first_publish_time", "create_time", "created_at")


def list_files(article: dict[str, Any], api_url: str) -> list[Attachment]:
    """Documents an article of the list API names itself (its attachment arrays): any
    string value, however deep, that is a document's URL; its name from a sibling
    `name` / `title` / `filename`."""
    found: dict[str, Attachment] = {}

    def walk(value: Any, siblings: dict[str, Any]) -> None:
        if isinstance(value, dict):
            for v in value.values():
                walk(v, value)
        elif isinstance(value, list):
            for v in value:
                walk(v, siblings)
        elif isinstance(value, str) and "/" in value:  # a path or URL, not a bare name
            url = urljoin(api_url, value.strip())
            if urlsplit(url).scheme in ("http", "https") and looks_like_document(url, ""):
                name = next(
                    (str(siblings[k]) for k in ("name", "title", "filename") if siblings.get(k)),
                    url.rsplit("/", 1)[-1],
                )
                found.setdefault(url, Attachment(url, name))

    for key, value in article.items():
        if key not in ("url", "post_url"):
            walk(value, article)
    return list(found.values())


def shown_date(value: Any) -> str | None:
    """Dates come as text or as epoch seconds / milliseconds."""
    if isinstance(value, int | float) and value > 0:
        seconds = value / 1000 if value > 10**11 else value
        return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d")
    return str(value) if value else None


_SID = re.compile(r"""\bSID\s*[:=]\s*['"]?(\d+)""")


def api_url(page_url: str, html: str, fragment: str) -> str | None:
    """The list API's first page, from a catalogue page; None when its site id is not in it."""
    sid = _SID.search(html)
    if "/gkmlpt/" not in page_url or not sid:
        return None
    prefix = page_url.split("/gkmlpt/", 1)[0]
    category = fragment if fragment.isdigit() else "0"
    return f"{prefix}/gkmlpt/api/all/{category}?page=1&sid={sid.group(1)}"


class GkmlptWalker(Walker):
    family = "gkmlpt"

    def start(self, portal: Portal, section: Section) -> Iterable[Request]:
        if "/gkmlpt/api/" in section.url:
            yield self.list_request(section.url, portal, section, meta={"page": 1})
        else:
            yield self.list_request(section.url, portal, section, callback=self.parse_entry)

    def parse_entry(self, response: Response) -> Output:
        """A catalogue page: on to its list API."""
        if "/gkmlpt/api/" in response.url:
            yield from self.parse_list(response)
            return
        portal, section = self.spider.section_for(response.meta)
        url = api_url(response.url, response.text, urlsplit(section.url).fragment)
        if url is None:
            self.spider.logger.warning("no gkmlpt site id in %s", response.url)
            return
        yield self.list_request(url, portal, section, meta={"page": 1})

    def parse_list(self, response: Response) -> Output:
        portal, section = self.spider.section_for(response.meta)
        data = json_body(response)
        if data is None:
            self.spider.logger.warning("not JSON: %s", response.url)
            return
        articles = data.get("articles") or []
        for article in articles:
            url = article.get("url") or article.get("post_url")
            if not url:
                continue
            title = normalize(article.get("title") or "")
            date = next((article[k] for k in DATE_KEYS if article.get(k)), None)
            entry = self.spider.listed(
                response,
                url,
                title,
                shown_date(date),
                portal,
                section,
                files=list_files(article, response.url),
            )
            if entry:
                yield entry
        page = response.meta.get("page", 1)
        if page == 1 and articles and data.get("total"):
            for n in range(2, math.ceil(int(data["total"]) / len(articles)) + 1):
                yield self.list_request(
                    with_query(response.url, "page", n), portal, section, meta={"page": n}
                )
