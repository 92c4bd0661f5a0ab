"""Lonsun (龙讯) EX8/EX9 sections (Anhui and beyond).

Public-information columns `/public/column/{organId}?type=4&catId={catId}&action=list`
and news columns `/content/column/{columnId}`, paged by `pageIndex=N` (from 1) as the
list's `Ls.pagination("#page_…", function(pageIndex){ location.href='…?pageIndex=' +
pageIndex; }, {currPage: (0+1), pageCount: N})` script says; details
`/public/{organId}/{contentId}.html` or `/{path}/{contentId}.html`; attachments plain
links to the FastDFS store `/group{N}/M00/….pdf|xls|doc`. Evidence: the vendor's public
Java code (`cn.lonsun`) that builds the column URLs, and public crawlers of Lonsun sites.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from scrapy.http import TextResponse

from crawler.families.listing import ListWalker
from crawler.families.pager import DEFAULT_LIMIT, with_query

_PAGINATION = re.compile(
    r"Ls\.pagination\s*\((?P<args>.*?pageCount\s*:\s*(?P<count>\d+).*?)\)\s*;?", re.S
)
_TEMPLATE = re.compile(r"""location\.href\s*=\s*['"](?P<url>[^'"]+)['"]\s*\+\s*pageIndex""")


def pagination_pages(page_url: str, text: str, limit: int = DEFAULT_LIMIT) -> list[str]:
    """Pages 2… of a list, from its `Ls.pagination(...)` call."""
    m = _PAGINATION.search(text)
    if not m:
        return []
    count = min(int(m.group("count")), limit)
    template = _TEMPLATE.search(m.group("args"))
    if template:
        base = urljoin(page_url, template.group("url"))
        return [f"{base}{n}" for n in range(2, count + 1)]
    return [with_query(page_url, "pageIndex", n) for n in range(2, count + 1)]


class LonsunWalker(ListWalker):
    family = "lonsun"
    detail = (r"/public/\d+/\d+\.html$", r"/\d{6,}\.html$")

    def further_pages(self, response: TextResponse) -> list[str]:
        return pagination_pages(response.url, response.text) + super().further_pages(response)
