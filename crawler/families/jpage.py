"""Hanweb jcms "jpage" sections: the first page's records sit in
`<script type="text/xml"><datastore>…<record><![CDATA[…]]></record>`, further pages come
from `/module/web/jpage/dataproxy.jsp?page=N&…` as the same XML."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from urllib.parse import urljoin

from parsel import Selector
from scrapy import Request
from scrapy.http import Response

from crawler.families.base import Output, Walker
from crawler.portals import Portal, Section
from extract.titles import normalize

_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[.*?href=['\"]([^'\"]+)['\"]", re.S)
_TOTAL_RECORD = re.compile(r"totalRecord\s*[:=]\s*['\"]?(\d+)", re.I)
_PER_PAGE = re.compile(r"perPage\s*[:=]\s*['\"]?(\d+)", re.I)
_TOTAL_PAGE = re.compile(r"<totalpage>\s*(\d+)\s*</totalpage>", re.I)
_DATE = re.compile(r"20\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?")


def records_html(text: str) -> str:
    """The list entries of a `<datastore>` (a page's island or a proxy's answer) as HTML."""
    return "\n".join(_RECORD.findall(text))


def with_page(proxy_url: str, page: int) -> str:
    if re.search(r"[?&]page=\d+", proxy_url):
        return re.sub(r"([?&]page=)\d+", rf"\g<1>{page}", proxy_url)
    return proxy_url + ("&" if "?" in proxy_url else "?") + f"page={page}"


class JpageWalker(Walker):
    family = "jpage"

    def records(self, response: Response, text: str) -> Output:
        portal, section = self.spider.section_for(response.meta)
        for record in _RECORD.findall(text):
            sel = Selector(text=record)
            a = sel.css("a[href]")
            if not a:
                continue
            title = normalize(a[0].attrib.get("title") or " ".join(a[0].css("::text").getall()))
            date = _DATE.search(normalize(" ".join(sel.css("::text").getall())))
            entry = self.spider.listed(
                response, a[0].attrib["href"], title, date and date.group(0), portal, section
            )
            if entry:
                yield entry

    def parse_list(self, response: Response) -> Output:
        portal, section = self.spider.section_for(response.meta)
        text = response.text
        yield from self.records(response, text)
        proxy = _NEXTGROUP.search(text)
        total, per_page = _TOTAL_RECORD.search(text), _PER_PAGE.search(text)
        if not (proxy and total and per_page):
            return
        pages = math.ceil(int(total.group(1)) / max(1, int(per_page.group(1))))
        proxy_url = urljoin(response.url, proxy.group(1).replace("&amp;", "&"))
        yield from self.proxy_pages(proxy_url, 2, pages, portal, section)

    def proxy_pages(
        self, proxy_url: str, first: int, last: int, portal: Portal, section: Section
    ) -> Iterator[Request]:
        for page in range(first, last + 1):
            yield self.list_request(
                with_page(proxy_url, page),
                portal,
                section,
                callback=self.parse_proxy,
                meta={"proxy_url": proxy_url, "page": page, "pages": last},
            )

    def parse_proxy(self, response: Response) -> Output:
        """One dataproxy.jsp answer; asks for pages beyond those already requested (the
        list grew since its first page was read)."""
        portal, section = self.spider.section_for(response.meta)
        yield from self.records(response, response.text)
        total_pages = _TOTAL_PAGE.search(response.text)
        known = response.meta["pages"]
        if total_pages and int(total_pages.group(1)) > known:
            proxy_url = response.meta["proxy_url"]
            yield from self.proxy_pages(
                proxy_url, known + 1, int(total_pages.group(1)), portal, section
            )
