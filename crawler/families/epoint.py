"""Epoint WebBuilder (新点) sections.

Lists are the category-number chain `/…/009002/009002010/1.html`, page N `N.html` (from
1; page 1 may be a named file), with a pager of `ewb-page-*` items that prints `cur/total`
and links the next and last pages; details `/…/<categorynum>/<YYYYMMDD>/<GUID>.html` or
`InfoDetail/?InfoID=…&CategoryNum=…`; attachments
`…/WebbuilderMIS/attach/downloadZtbAttach.jspx?attachGuid=…` or
`…/webbuildermis/attach/downloadztbattach?attachGuid=…`, named by their link text.
Evidence: public crawlers of many Epoint sites (mostly public-resource trading portals,
some government portals) and fixtures quoting their markup.
"""

from __future__ import annotations

from crawler.families.listing import ListWalker


class EpointWalker(ListWalker):
    family = "epoint"
    detail = (
        r"/20\d{6}/[0-9a-fA-F]{8}-[0-9a-fA-F-]{27}\.html$",
        r"(?i)/infodetail/\?infoid=",
    )
