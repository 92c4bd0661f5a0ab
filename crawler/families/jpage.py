"""Hanweb jcms "jpage" sections: the first page's records sit in
`<script type="text/xml"><datastore>…<record><![CDATA[…]]></record>`, further pages come
from the data proxy as the same XML, in one of two ways:

- GET `/module/web/jpage/dataproxy.jsp?page=N&…`, the address in the datastore's
  `<nextgroup>`;
- POST `{proxyUrl}?startrecord=A&endrecord=B&perpage=P` whose form is the `ajaxParam`
  of the page's `$('#…').jpage({proxyUrl: …, perPage: …, totalRecord: …, groupSize: …,
  ajaxParam: {col: 1, appid: 1, webid: …, columnid: …, unitid: …, …}})` call, a group of
  pages at a time.

Evidence: ../shared/real/PORTALS.md (both data-proxy forms, `totalRecord` / `perPage`),
public crawlers of Hanweb sites."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from urllib.parse import urlencode, urljoin

from parsel import Selector
from scrapy import Request
from scrapy.http import Response

from crawler.attachments import unescape_js
from crawler.families.base import Output, Walker
from crawler.families.pager import with_query
from crawler.portals import Portal, Section
from extract.titles import normalize

_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[.*?href=['\"]([^'\"]+)['\"]", re.S)
_TOTAL_RECORD = re.compile(r"totalRecord\s*[:=]\s*['\"]?(\d+)", re.I)
_PER_PAGE = re.compile(r"perPage\s*[:=]\s*['\"]?(\d+)", re.I)
_TOTAL_PAGE = re.compile(r"<totalpage>\s*(\d+)\s*</totalpage>", re.I)
_DATE = re.compile(r"20\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?")
_DATA_STORE = re.compile(r"dataStore\s*:\s*(InitData\w*)")
_JS_STRING = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"", re.S)
_PROXY_URL = re.compile(r"proxyUrl\s*:\s*['\"]([^'\"]+)['\"]")
_GROUP_SIZE = re.compile(r"groupSize\s*:\s*['\"]?(\d+)")
_AJAX_PARAM = re.compile(r"ajaxParam\s*:\s*\{(.*?)\}", re.S)
_PARAM = re.compile(r"""(\w+)\s*:\s*(?:'([^']*)'|"([^"]*)"|([\w./-]+))""")


def ajax_form(text: str) -> dict[str, str] | None:
    """The fields of a `jpage({… ajaxParam: {…}})` call (JavaScript object literal)."""
    m = _AJAX_PARAM.search(text)
    if not m:
        return None
    return {k: quoted or double or bare for k, quoted, double, bare in _PARAM.findall(m.group(1))}


def record_list(text: str) -> list[str]:
    """The list entries of a page or a proxy's answer, as HTML fragments: the records of a
    `<datastore>`, or (older jcms) the strings of the `dataStore` array the page's
    `jpage({dataStore: InitData123, …})` call names (`InitData123 = ['<li>…', …]`)."""
    found = _RECORD.findall(text)
    if found:
        return found
    store = _DATA_STORE.search(text)
    if not store:
        return []
    array = re.search(rf"\b{re.escape(store.group(1))}\s*=\s*\[(.*?)\]\s*;", text, re.S)
    if not array:
        return []
    return [
        unescape_js(m.group(1) if m.group(1) is not None else m.group(2))
        for m in _JS_STRING.finditer(array.group(1))
    ]


def records_html(text: str) -> str:
    """The list entries of a page or a proxy's answer as one HTML text."""
    return "\n".join(record_list(text))


class JpageWalker(Walker):
    family = "jpage"

    def records(self, response: Response, text: str) -> Output:
        portal, section = self.spider.section_for(response.meta)
        for record in record_list(text):
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
        total, per_page = _TOTAL_RECORD.search(text), _PER_PAGE.search(text)
        form, post_url = ajax_form(text), _PROXY_URL.search(text)
        if form and post_url and total and per_page:
            yield from self.post_groups(
                urljoin(response.url, post_url.group(1)),
                form,
                first=len(record_list(text)) + 1,
                total=int(total.group(1)),
                per_page=int(per_page.group(1)),
                group=int(m.group(1)) if (m := _GROUP_SIZE.search(text)) else 3,
                portal=portal,
                section=section,
            )
            return
        proxy = _NEXTGROUP.search(text)
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
                with_query(proxy_url, "page", page),
                portal,
                section,
                callback=self.parse_proxy,
                meta={"proxy_url": proxy_url, "page": page, "pages": last},
            )

    def post_groups(
        self,
        proxy_url: str,
        form: dict[str, str],
        *,
        first: int,
        total: int,
        per_page: int,
        group: int,
        portal: Portal,
        section: Section,
    ) -> Iterator[Request]:
        """POST requests for records `first`…`total`, a group of pages each."""
        step = max(1, per_page * max(1, group))
        for start in range(first, total + 1, step):
            end = min(total, start + step - 1)
            query = urlencode({"startrecord": start, "endrecord": end, "perpage": per_page})
            yield self.list_request(
                f"{proxy_url}{'&' if '?' in proxy_url else '?'}{query}",
                portal,
                section,
                callback=self.parse_records,
                method="POST",
                body=urlencode(form),
                headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"},
            )

    def parse_records(self, response: Response) -> Output:
        """A POST answer of the data proxy: records only."""
        yield from self.records(response, response.text)

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
