"""The crawl-run record: one `crawls` row per run, with its counts and Scrapy stats."""

from __future__ import annotations

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.spiders import Spider

from crawler.run import archive_for, crawl_id_for


class CrawlRunExtension:
    """Opens the crawl row when the spider opens; closes it when the spider closes.

    Under `budget-archive crawl` the command owns the row (ARCHIVE_CRAWL_ID) and closes it
    after all spiders; here we only make sure it exists.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlRunExtension:
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        crawl_id_for(self.crawler)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if getattr(self.crawler, "_budget_crawl_owned", False):
            stats = {spider.name: self.crawler.stats.get_stats()}
            status = "finished" if reason == "finished" else f"closed: {reason}"
            archive_for(self.crawler).finish_crawl(crawl_id_for(self.crawler), status, stats)
