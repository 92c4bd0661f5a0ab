"""Boda VSB (博达 Visual SiteBuilder) sections.

Columns `/{path}/{col}.htm`; page k ≥ 2 is `{col}/{N-k+1}.htm` (numbers count down, the
last page is `{col}/1.htm`), named by the pager's 下页 / 尾页 links; details
`/info/{treeid}/{newsid}.htm` (dynamic sites: `content.jsp?…wbnewsid=`); attachments
`/system/_content/download.jsp?urltype=news.DownloadAttachUrl&owner=…&wbfileid=…` whose
link text is the file name. Evidence: real saved VSB pages, a mirrored VSB site and public
crawlers of VSB sites (the pager script `/system/resource/js/gotopage.js`).
"""

from __future__ import annotations

from crawler.families.listing import ListWalker


class VsbWalker(ListWalker):
    family = "vsb"
    detail = (r"/info/\d+/\d+\.htm$", r"content\.jsp\?[^#]*\bwbnewsid=\d+")
