"""Handled failures are one log line, not a traceback.

Scrapy's robots.txt middleware logs a robots.txt it could not fetch (a portal that does not
answer at all) with the whole traceback, although the crawl goes on and the page request
that follows is recorded as a fetch problem. This extension keeps such records to their
one-line message.
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler

QUIETED = ("scrapy.downloadermiddlewares.robotstxt",)


class _OneLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True


class QuietHandledErrors:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> QuietHandledErrors:
        for name in QUIETED:
            logger = logging.getLogger(name)
            if not any(isinstance(f, _OneLine) for f in logger.filters):
                logger.addFilter(_OneLine())
        return cls()
