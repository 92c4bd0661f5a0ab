"""The baseline of bench/crawl_scale.py: the least a Scrapy spider must do to fetch a TRS
section, with nothing of the project (no archive, no classification, no extraction).

It starts at the list's ``index.html``, reads the page count from its ``createPageHTML()``
call and requests ``index_1.html`` … ``index_{count-1}.html``, follows every ``tYYYYMMDD_N``
detail link, and yields ``{"file_urls": [pdf, …]}`` per detail page for Scrapy's stock
``FilesPipeline``. When the spider closes it writes its stats (and its own counts) as JSON.

Run it outside the project folder (else ``scrapy.cfg`` loads the project's settings)::

    cd /tmp && /work/main/.venv/bin/scrapy runspider /work/main/bench/bare_spider.py \\
        -a start_url=http://127.0.0.1:8080/zwgk/ys/index.html -a stats_file=stats.json \\
        -s FILES_STORE=files
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

_CREATE_PAGE = re.compile(
    r"createPageHTML\(\s*(?:'[^']*'\s*,\s*)?(\d+)\s*,\s*(\d+)\s*,\s*['\"]([\w-]+)['\"]\s*,\s*['\"](s?html?)['\"]"
)
_DETAIL = re.compile(r"/t\d{8}_\d+\.s?html?$")


class BareSpider(scrapy.Spider):
    name = "bare"
    custom_settings = {
        "ITEM_PIPELINES": {"scrapy.pipelines.files.FilesPipeline": 1},
        "TELNETCONSOLE_ENABLED": False,
    }

    def __init__(self, start_url: str = "", stats_file: str = "", **kwargs: Any):
        super().__init__(**kwargs)
        if not start_url:
            raise ValueError("-a start_url=… is required")
        self.start_url = start_url
        self.stats_file = stats_file
        self.list_pages = 0
        self.details = 0

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.start_url, callback=self.parse_list, cb_kwargs={"first": True})

    def parse_list(self, response: Response, first: bool = False) -> Iterator[scrapy.Request]:
        self.list_pages += 1
        for href in response.css("a::attr(href)").getall():
            if _DETAIL.search(href):
                yield response.follow(href, callback=self.parse_detail)
        if first:
            m = _CREATE_PAGE.search(response.text)
            if m:
                count, name, ext = int(m.group(1)), m.group(3), m.group(4)
                for i in range(1, count):
                    yield response.follow(f"{name}_{i}.{ext}", callback=self.parse_list)

    def parse_detail(self, response: Response) -> Iterator[dict[str, list[str]]]:
        self.details += 1
        urls = [
            response.urljoin(href)
            for href in response.css("a::attr(href)").getall()
            if href.lower().endswith(".pdf")
        ]
        if urls:
            yield {"file_urls": urls}

    def closed(self, reason: str) -> None:
        if not self.stats_file:
            return
        stats = dict(self.crawler.stats.get_stats())
        stats.update(
            {
                "bare/reason": reason,
                "bare/list_pages": self.list_pages,
                "bare/details": self.details,
            }
        )
        with open(self.stats_file, "w", encoding="utf-8") as out:
            json.dump(stats, out, default=str, indent=1)
