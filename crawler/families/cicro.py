"""Cicro WCM sections.

Lists `/info/iList.jsp?cat_id=N` (or `tm_id=`; parents `iIndex.jsp`), page N by
`&cur_page=N` (from 1), named by the pager's query-only links (下一页, and 末页 printed
`未页`) and 共N页; details are static files `<category folder>/<info_id>.htm` (or
`iList.jsp?…&info_id=`); attachments `/wcm.files/upload/<site>/<yyyymm>/<stamp>.pdf`.
Evidence: the vendor's public code (373974360/cicroCms: `InfoUtilData`, the list
template generator) and public crawlers of Cicro government sites.
"""

from __future__ import annotations

from crawler.families.listing import ListWalker


class CicroWalker(ListWalker):
    family = "cicro"
    detail = (r"/[\w/]*/\d{3,}\.htm$", r"/info/i(List|Index)\.jsp\?[^#]*\binfo_id=\d+")
