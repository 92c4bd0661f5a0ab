"""Key totals of every new PDF, extracted while the crawl goes on.

Each PDF the crawl stores is extracted once per extractor version (by SHA-256: the same
file linked twice, or unchanged on a recrawl, is not extracted again). Extraction runs in
a worker process: downloads never wait for it, and a PDF that crashes or exhausts the
parser cannot take the crawl down. Results are written to the `totals` tables as they
arrive; closing the spider waits for the last ones.

Settings: EXTRACT_TOTALS (default True), EXTRACT_WORKERS (default 1).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from functools import partial
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from archive.totals import extract_file, extractor_version, needs_extraction, store_totals
from crawler.run import archive_for

logger = logging.getLogger(__name__)


class ExtractTotalsPipeline:
    def __init__(self, crawler: Crawler, workers: int):
        self.crawler = crawler
        self.archive = archive_for(crawler)
        self.version = extractor_version()
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        self.scheduled: set[str] = set()
        self.pending: set[asyncio.Future[Any]] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractTotalsPipeline:
        if not crawler.settings.getbool("EXTRACT_TOTALS", True):
            raise NotConfigured("EXTRACT_TOTALS is off")
        try:
            return cls(crawler, max(1, crawler.settings.getint("EXTRACT_WORKERS", 1)))
        except ImportError as exc:  # the extractor is not installed
            raise NotConfigured(f"no extractor: {exc}") from exc

    def process_item(self, item: Any) -> Any:
        for outcome in (ItemAdapter(item).get("results") or {}).values():
            sha = outcome.get("sha256")
            if not outcome.get("ok") or outcome.get("kind") != "pdf" or sha in self.scheduled:
                continue
            self.scheduled.add(sha)
            if needs_extraction(self.archive, sha, self.version):
                self._schedule(sha, outcome["path"])
        return item

    def _schedule(self, sha: str, path: str) -> None:
        if self.pool is None:
            # spawn, not fork: the crawl process runs threads (the reactor's, the browser's)
            context = multiprocessing.get_context("spawn")
            self.pool = ProcessPoolExecutor(self.workers, mp_context=context)
        loop = asyncio.get_event_loop()
        future = loop.run_in_executor(self.pool, extract_file, str(self.archive.root / path))
        self.pending.add(future)
        future.add_done_callback(partial(self._store, sha))
        self.crawler.stats.inc_value("budget/extract_scheduled")

    def _store(self, sha: str, future: Future[Any] | asyncio.Future[Any]) -> None:
        self.pending.discard(future)  # type: ignore[arg-type]
        try:
            result = future.result()
        except Exception as exc:  # noqa: BLE001 - a dead worker is a recorded error
            result = {"error": f"worker failed: {type(exc).__name__}: {exc}"}
        store_totals(self.archive, sha, result, self.version)
        kind = "error" if result.get("error") else "ok"
        self.crawler.stats.inc_value(f"budget/extract_{kind}")

    async def close_spider(self) -> None:
        if self.pending:
            logger.info("waiting for %d extractions", len(self.pending))
            await asyncio.gather(*list(self.pending), return_exceptions=True)
        if self.pool is not None:
            self.pool.shutdown()
