"""What all components of one crawler share: the archive and the current crawl row."""

from __future__ import annotations

from scrapy.crawler import Crawler

from archive.recorder import Archive


def archive_for(crawler: Crawler) -> Archive:
    return Archive.shared(crawler.settings.get("ARCHIVE_DIR") or "archive")


def crawl_id_for(crawler: Crawler) -> int:
    """The crawl row this crawler records into; opened on first use when not given."""
    crawl_id = getattr(crawler, "_budget_crawl_id", None)
    if crawl_id is None:
        given = crawler.settings.get("ARCHIVE_CRAWL_ID")
        if given:
            crawl_id = int(given)
        else:
            spider = crawler.spider
            portals = list(getattr(spider, "portals", {}) or [])
            crawl_id = archive_for(crawler).start_crawl(portals)
            crawler._budget_crawl_owned = True  # type: ignore[attr-defined]
        crawler._budget_crawl_id = crawl_id  # type: ignore[attr-defined]
    return crawl_id
