"""TRS WCM sections (very common on city and provincial sites).

Lists `index.htm(l)`, `index_1.htm(l)` … (from 0) or `common_list.shtml`,
`common_list_2.shtml` … (from 1), whose page count lives in a script
(`createPageHTML(...)` with four or six arguments, `var countPage = N`) or only in the
pager's 尾页 link; details `…/YYYYMM/tYYYYMMDD_N.html`, `…/YYYYMM/<32 hex>.shtml` or
`…/c<id>/content.shtml`, with `<meta name="ArticleTitle">` and attachments as `P0…pdf`
links (with `oldsrc`), `downloadFj(...)` handlers, or `var hasFJ` / `var att` script
strings. Evidence: ../shared/real/PORTALS.md and the saved TRS detail pages there;
FAMILIES.md; TRS's own template snippets (the `createPageHTML` 置标) and public crawlers
of TRS government sites.
"""

from __future__ import annotations

from crawler.families.listing import ListWalker
from crawler.families.pager import script_pages as page_urls

__all__ = ["TrsWalker", "page_urls"]


class TrsWalker(ListWalker):
    family = "trs"
    detail = (
        r"/t\d{8}_\d+(_\d+)?\.s?html?$",
        r"/20\d{4}/[0-9a-f]{16,40}\.s?html?$",
        r"/c\d+/content\.s?html$",
    )
