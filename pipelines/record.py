"""Recording each disclosure with its attachments' outcomes in the archive."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from archive.recorder import PAGE_FIELDS
from crawler.run import archive_for, crawl_id_for


class ArchiveRecordPipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.archive = archive_for(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveRecordPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        page = {key: adapter.get(key) for key in PAGE_FIELDS}
        self.archive.record_disclosure(
            crawl_id_for(self.crawler),
            page,
            list(adapter.get("attachments") or []),
            dict(adapter.get("results") or {}),
        )
        return item
