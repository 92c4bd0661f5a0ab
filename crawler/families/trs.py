"""TRS WCM sections (very common on city and provincial sites).

Lists `index.html`, `index_1.html` … (also `.shtml`, `common_list_1.shtml`,
`column-index-2.shtml`), whose page count lives in a script (`createPageHTML(...)`,
`var countPage = N`) or only in the pager's 尾页 link; details `…/YYYYMM/tYYYYMMDD_N.html`
or `…/YYYYMM/<32 hex digits>.shtml`, with `<meta name="ArticleTitle">` and attachments as
`P0…pdf` links, `downloadFj(...)` handlers or a `var hasFJ` script string.
Evidence: ../shared/real/PORTALS.md and the saved TRS detail pages there; FAMILIES.md.
"""

from __future__ import annotations

from crawler.families.listing import ListWalker
from crawler.families.pager import script_pages as page_urls

__all__ = ["TrsWalker", "page_urls"]


class TrsWalker(ListWalker):
    family = "trs"
    detail = (
        r"/t\d{8}_\d+\.s?html?$",
        r"/20\d{4}/[0-9a-f]{16,40}\.s?html?$",
    )
