"""The Scrapy add-on that plugs the archive into a crawl (`ADDONS` in crawler/settings.py).

It turns on the two pipelines (files, then archive), points the files pipeline at the
archive directory, and hands the spiders what they need to know of the archive as data:
`REVISIT_PAGES` (the known disclosure pages, revisited every crawl) and
`FILE_VALIDATORS` (ETag / Last-Modified of stored files, for conditional requests).
Without this add-on (`ADDONS = {}`) the spiders crawl and yield items with no archive.
"""

from __future__ import annotations

from scrapy.settings import Settings

from archive.store import Store

FILES_PIPELINE = "pipelines.files.ArchiveFilesPipeline"
ARCHIVE_PIPELINE = "pipelines.archive.ArchivePipeline"


class ArchiveAddon:
    def update_settings(self, settings: Settings) -> None:
        root = settings.get("ARCHIVE_DIR") or "archive"
        store = Store(root)
        try:
            revisit, validators = store.revisit_pages(), store.file_validators()
        finally:
            store.close()
        settings.set("ARCHIVE_DIR", str(store.root), priority="addon")
        settings.set("FILES_STORE", str(store.root), priority="addon")
        settings.set("REVISIT_PAGES", revisit, priority="addon")
        settings.set("FILE_VALIDATORS", validators, priority="addon")
        pipelines = settings.getdict("ITEM_PIPELINES")
        pipelines.setdefault(FILES_PIPELINE, 100)
        pipelines.setdefault(ARCHIVE_PIPELINE, 300)
        settings.set("ITEM_PIPELINES", pipelines, priority="addon")
