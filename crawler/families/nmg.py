"""Inner Mongolia's unified budget-disclosure platform (内蒙古自治区预决算公开平台), one
JSON API for every unit of a region.

Entry `…/yjs/business/page/index?cityCode=&areaCode={area}`; the region's list
`/yjs/business/basic/select?id={area}zf&type=2&p={n}` → `{"list": [{"id", "title",
"publishTime"}]}` (pages from 1 until one is empty); an entry's files
`/yjs/business/basic/result/{id}` → `{"files": [{"id", "name", "suffix"}]}`, each downloaded
from `/yjs/business/file/download/{fileId}`; its page `/yjs/business/page/content?contentId={id}`.
Evidence: ../shared/real/FAMILIES.md ("Unified platforms"), from public crawler code and a
public user script for the platform.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qs, urljoin, urlsplit

from scrapy import Request
from scrapy.http import Response

from crawler.attachments import Attachment
from crawler.families.base import Output, Walker, json_body
from crawler.families.pager import with_query
from crawler.portals import Portal, Section
from extract.titles import classify_title, normalize

LIST = "/yjs/business/basic/select?id={area}zf&type=2&p=1"
FILES = "/yjs/business/basic/result/{id}"
DOWNLOAD = "/yjs/business/file/download/{id}"
PAGE = "/yjs/business/page/content?contentId={id}"


class NmgWalker(Walker):
    family = "nmg"

    def parse_entry(self, response: Response) -> Output:
        """The platform's entry page (auto-detection read it): on to the region's list."""
        yield from self.start(*self.spider.section_for(response.meta))

    def start(self, portal: Portal, section: Section) -> Iterable[Request]:
        if "/basic/select" in section.url:
            yield self.list_request(section.url, portal, section, meta={"page_no": 1})
            return
        query = parse_qs(urlsplit(section.url).query)
        # the entry page (…/page/index?areaCode=) or the list page (…/page/list?basicId={area}zf)
        area = (query.get("areaCode") or query.get("cityCode") or [""])[0] or (
            query.get("basicId") or [""]
        )[0].removesuffix("zf")
        if not area:
            self.spider.logger.warning("%s names no areaCode or cityCode", section.url)
            return
        url = urljoin(section.url, LIST.format(area=area))
        yield self.list_request(url, portal, section, meta={"page_no": 1})

    def parse_list(self, response: Response) -> Output:
        portal, section = self.spider.section_for(response.meta)
        data = json_body(response)
        rows = (data or {}).get("list") or []
        for row in rows:
            if not isinstance(row, dict) or not row.get("id"):
                continue
            title = normalize(str(row.get("title") or ""))
            page = urljoin(response.url, PAGE.format(id=row["id"]))
            reason = self.spider.skip_reason(title, classify_title(title), section, from_list=True)
            if reason:  # not worth asking for its files
                yield self.spider.skipped(page, title, reason, portal, section)
                continue
            yield self.list_request(
                urljoin(response.url, FILES.format(id=row["id"])),
                portal,
                section,
                callback=self.parse_files,
                meta={
                    "entry_id": str(row["id"]),
                    "entry_title": title,
                    "entry_date": str(row.get("publishTime") or "")[:10] or None,
                },
            )
        if rows:  # the next page, until one is empty
            number = response.meta["page_no"] + 1
            url = with_query(response.url, "p", number)
            yield self.list_request(url, portal, section, meta={"page_no": number})

    def parse_files(self, response: Response) -> Output:
        portal, section = self.spider.section_for(response.meta)
        data = json_body(response) or {}
        files = [
            Attachment(
                urljoin(response.url, DOWNLOAD.format(id=f["id"])),
                f"{f.get('name') or f['id']}"
                + (f".{f['suffix'].lstrip('.')}" if f.get("suffix") else ""),
            )
            for f in data.get("files") or []
            if isinstance(f, dict) and f.get("id")
        ]
        meta = response.meta
        yield self.spider.listed_with_files(
            response,
            urljoin(response.url, PAGE.format(id=meta["entry_id"])),
            meta["entry_title"],
            meta["entry_date"],
            portal,
            section,
            files,
        )
