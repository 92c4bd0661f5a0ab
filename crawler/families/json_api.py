"""`family = "json"`: a list API described by the section's keys, for platforms no walker
knows (a unified platform's list endpoint found with the browser's developer tools).

The section's `url` is the API's first page (GET, or POST with the `form` fields; `{n}` in
`pager` or in a form value is the page number, the first page being `page_base`). Each
answer's items sit at `json_items` (a dot path); an item's title, date and page URL at
`json_title`, `json_date`, `json_url` (a field or a template such as `/content?id={id}`).
With `json_files` (the item's list of files, each a URL or an object whose URL is
`json_file_url` or its url / path / href field), the disclosure is made from the list
alone; without, its page is fetched like any detail page. Pages are asked for until one
has no items.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode, urljoin

from scrapy import Request
from scrapy.http import Response

from crawler.attachments import Attachment
from crawler.families.base import Output, Walker, json_body
from crawler.portals import Portal, Section
from extract.titles import normalize

_FIELD = re.compile(r"\{(\w+(?:\.\w+)*)\}")


def pick(value: Any, path: str | None) -> Any:
    """The value at a dot path (`data.list`, `0.title`); None when absent."""
    for key in (path or "").split(".") if path else []:
        if isinstance(value, dict):
            value = value.get(key)
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        else:
            return None
    return value


def fill(template: str, item: dict[str, Any]) -> str:
    """A field's value (`id`) or a template's (`/content?id={id}`), from an item."""
    if "{" not in template:
        value = pick(item, template)
        return "" if value is None else str(value)
    return _FIELD.sub(lambda m: str(pick(item, m.group(1)) or ""), template)


class JsonWalker(Walker):
    family = "json"

    def start(self, portal: Portal, section: Section) -> Iterable[Request]:
        yield self.page_request(section.page_base, portal, section)

    def page_request(self, number: int, portal: Portal, section: Section) -> Request:
        url = section.url
        if number != section.page_base and section.pager:
            url = urljoin(section.url, section.pager.replace("{n}", str(number)))
        meta = {"page_no": number}
        if section.form:
            form = {k: v.replace("{n}", str(number)) for k, v in section.form}
            return self.list_request(
                url,
                portal,
                section,
                meta=meta,
                method="POST",
                body=urlencode(form),
                headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"},
            )
        return self.list_request(url, portal, section, meta=meta)

    def parse_list(self, response: Response) -> Output:
        portal, section = self.spider.section_for(response.meta)
        data = json_body(response)
        if data is None:
            self.spider.logger.warning("not JSON: %s", response.url)
            return
        items = pick(data, section.json_items) if section.json_items else data
        if not isinstance(items, list):
            return
        for item in items:
            if isinstance(item, dict):
                yield from self.item(response, item, portal, section)
        paged = section.pager or any("{n}" in v for _, v in section.form)
        if items and paged:
            yield self.page_request(response.meta["page_no"] + 1, portal, section)

    def item(
        self, response: Response, item: dict[str, Any], portal: Portal, section: Section
    ) -> Output:
        title = normalize(str(pick(item, section.json_title) or ""))
        date = pick(item, section.json_date)
        shown = str(date)[:10] if date else None
        page = fill(section.json_url, item) if section.json_url else ""
        url = urljoin(response.url, page) if page else f"{response.url}#{title}"
        if section.json_files is None:
            yield self.spider.listed(response, url, title, shown, portal, section)
            return
        files = []
        for f in pick(item, section.json_files) or []:
            if isinstance(f, str):
                link, name = f, f.rsplit("/", 1)[-1]
            elif isinstance(f, dict):
                link = (
                    fill(section.json_file_url, f)
                    if section.json_file_url
                    else str(f.get("url") or f.get("path") or f.get("href") or "")
                )
                name = str(f.get("name") or f.get("title") or f.get("filename") or link)
            else:
                continue
            if link:
                files.append(Attachment(urljoin(response.url, link), name))
        yield self.spider.listed_with_files(response, url, title, shown, portal, section, files)
