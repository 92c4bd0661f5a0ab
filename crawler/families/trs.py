"""TRS WCM sections: `index.html`, `index_1.html`, … whose page count exists only in a
script (`createPageHTML(...)` or `var countPage = N`); details `…/tYYYYMMDD_N.html`."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from scrapy.http import Response

from crawler.attachments import looks_like_document
from crawler.families.base import LIST_DATE, Output, Walker
from extract.titles import normalize

# createPageHTML('page_div', 3, 0, 'index', 'html', 27): div, page count, current, name, ext
_CREATE_PAGE = re.compile(
    r"createPageHTML\(\s*(?:'[^']*'\s*,\s*)?(\d+)\s*,\s*(\d+)\s*,\s*['\"]([\w-]+)['\"]\s*,\s*['\"](s?html?)['\"]"
)
_COUNT_PAGE = re.compile(r"var\s+countPage\s*=\s*(\d+)")
_DETAIL = re.compile(r"/t\d{8}_\d+\.s?html?$")


def page_urls(list_url: str, text: str) -> list[str]:
    """All list pages of a TRS section, read from the pagination script of one page."""
    m = _CREATE_PAGE.search(text)
    if m:
        count, name, ext = int(m.group(1)), m.group(3), m.group(4)
    else:
        cm = _COUNT_PAGE.search(text)
        if not cm:
            return []
        count = int(cm.group(1))
        path = urlsplit(list_url).path.rsplit("/", 1)[-1] or "index.html"
        stem, _, ext = path.partition(".")
        name = re.sub(r"_\d+$", "", stem) or "index"
        ext = ext or "html"
    return [urljoin(list_url, f"{name}_{i}.{ext}") for i in range(1, count)]


class TrsWalker(Walker):
    family = "trs"

    def parse_entry(self, response: Response) -> Output:
        yield from self.parse_list(response)
        # every page carries the same pager script: read it once, not once a page
        # (that would build pages² requests)
        portal, section = self.spider.section_for(response.meta)
        for url in page_urls(response.url, response.text):
            yield self.list_request(url, portal, section)

    def parse_list(self, response: Response) -> Output:
        portal, section = self.spider.section_for(response.meta)
        for a in response.css("a[href]"):
            href = a.attrib["href"]
            if not (_DETAIL.search(urlsplit(href).path) or looks_like_document(href, "")):
                continue
            title = normalize(a.attrib.get("title") or " ".join(a.css("::text").getall()))
            context = " ".join(a.xpath("./ancestor::li[1]//text()").getall())
            date = LIST_DATE.search(context)
            entry = self.spider.listed(
                response, href, title, date and date.group(0), portal, section
            )
            if entry:
                yield entry

    def is_detail_url(self, url: str) -> bool:
        return bool(_DETAIL.search(urlsplit(url).path))
