"""Epoint WebBuilder (新点) sections.

Lists are the category-number chain `/…/009002/009002010/1.html`, page N `N.html` (from
1; page 1 may be a named file), with a pager of `ewb-page-*` items that prints `cur/total`
and links the next and last pages; older (.NET) sites page a list folder by `?pageing=N`
up to the script's `var totalPageNums = N`; details `/…/<categorynum>/<YYYYMMDD>/<GUID>.html` or
`InfoDetail/?InfoID=…&CategoryNum=…`; attachments
`…/WebbuilderMIS/attach/downloadZtbAttach.jspx?attachGuid=…` or
`…/webbuildermis/attach/downloadztbattach?attachGuid=…`, named by their link text.
Evidence: public crawlers of many Epoint sites (mostly public-resource trading portals,
some government portals) and fixtures quoting their markup.
"""

from __future__ import annotations

import re

from scrapy.http import TextResponse

from crawler.families.listing import ListWalker
from crawler.families.pager import DEFAULT_LIMIT, with_query

_TOTAL_PAGES = re.compile(r"var\s+totalPageNums\s*=\s*(\d+)")


class EpointWalker(ListWalker):
    family = "epoint"
    detail = (
        r"/20\d{6}/[0-9a-fA-F]{8}-[0-9a-fA-F-]{27}\.html$",
        r"(?i)/infodetail/\?infoid=",
    )

    def further_pages(self, response: TextResponse) -> list[str]:
        m = _TOTAL_PAGES.search(response.text)
        pages = []
        if m and "pageing=" not in response.url:  # read once, on the first page
            count = min(int(m.group(1)), DEFAULT_LIMIT)
            pages = [with_query(response.url, "pageing", n) for n in range(2, count + 1)]
        return pages + super().further_pages(response)
