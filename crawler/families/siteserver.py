"""SiteServer CMS sections.

Channels `/channels/{channelId}.html`, page k ≥ 2 `/channels/{channelId}_{k}.html`, named
by the pager's 下一页 / 末页 / `[n]` links; contents `/contents/{channelId}/{contentId}.html`;
attachments `/upload/files/{yyyy}/{M}/…` or the counted download
`/api/sys/stl/actions/download?…&fileUrl=…` (its link text is the file name).
Evidence: the vendor's public source (siteserver/cms: `PathUtility`, `StlPageItem`) and
public crawlers of government SiteServer sites.
"""

from __future__ import annotations

from crawler.families.listing import ListWalker


class SiteServerWalker(ListWalker):
    family = "siteserver"
    detail = (r"/contents/\d+/\d+(_\d+)?\.s?html$",)
