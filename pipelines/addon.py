"""The Scrapy add-on that plugs the archive into a crawl (`ADDONS` in crawler/settings.py).

It turns on the two pipelines (files, then archive), points the files pipeline at the
archive directory, and hands the spiders what they need to know of the archive as data:
`REVISIT_PAGES` (the known disclosure pages due for a visit, by the revisit policy of
archive/revisit.py), `LISTED_PAGES` (the known pages not due: recorded when listed, not
fetched) and `FILE_VALIDATORS` (ETag / Last-Modified of stored files, for conditional
requests).
Without this add-on (`ADDONS = {}`) the spiders crawl and yield items with no archive.
"""

from __future__ import annotations

from datetime import date

from scrapy.settings import Settings

from archive.calendar import today_in_china
from archive.revisit import Policy
from archive.store import Store

FILES_PIPELINE = "pipelines.files.ArchiveFilesPipeline"
ARCHIVE_PIPELINE = "pipelines.archive.ArchivePipeline"


def crawl_day(settings: Settings) -> date:
    """The day the crawl stands for (CRAWL_DAY), by default today in China."""
    given = settings.get("CRAWL_DAY")
    return date.fromisoformat(str(given)) if given else today_in_china()


class ArchiveAddon:
    def update_settings(self, settings: Settings) -> None:
        root = settings.get("ARCHIVE_DIR") or "archive"
        store = Store(root)
        try:
            policy = Policy(
                hot_days=settings.getint("REVISIT_HOT_DAYS"),
                max_days=settings.getint("REVISIT_MAX_DAYS"),
                everything=settings.get("REVISIT", "due") == "all",
            )
            revisit, rest = store.revisit_plan(policy, crawl_day(settings))
            validators = store.file_validators()
        finally:
            store.close()
        settings.set("ARCHIVE_DIR", str(store.root), priority="addon")
        settings.set("FILES_STORE", str(store.root), priority="addon")
        settings.set("REVISIT_PAGES", revisit, priority="addon")
        settings.set("LISTED_PAGES", rest, priority="addon")
        settings.set("FILE_VALIDATORS", validators, priority="addon")
        pipelines = settings.getdict("ITEM_PIPELINES")
        pipelines.setdefault(FILES_PIPELINE, 100)
        pipelines.setdefault(ARCHIVE_PIPELINE, 300)
        settings.set("ITEM_PIPELINES", pipelines, priority="addon")
