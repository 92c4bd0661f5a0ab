"""The one pipeline that writes the archive: every item the spiders yield ends here.

- `PortalSeen` → the `portals` row;
- `Disclosure` (with its files' outcomes from the files pipeline) → the revision rules and
  the store: disclosures, page history, attachments, versions, events, problems; each new
  PDF goes to the extraction workers;
- `FetchProblem` → `fetch_problems`;
- `PageGone` → a withdrawal (or a move);
- `SectionSummary` → `section_crawls`, and an `empty_section` problem when the section
  listed nothing (a silent layout change made visible).

Every item is checked against the declared schema (`crawler/items.py`) first: a wrong
field is a bug and fails loudly.

The crawl row: under `budget-archive crawl` the command owns it (ARCHIVE_CRAWL_ID); under
plain `scrapy crawl` this pipeline opens one when the spider opens and closes it after.

Extraction (EXTRACTION = drain | later | off): workers read new PDFs while the crawl goes
on; when downloads end, `drain` waits for the rest (the progress shows how many are left),
`later` leaves them for `budget-archive reextract`.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from dataclasses import asdict
from functools import partial
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.spiders import Spider

from archive.extraction import ExtractionPool, Limits
from archive.health import Thresholds
from archive.revisions import PAGE_FIELDS, FileSeen, PageSeen
from archive.store import Store
from archive.totals import extracted, extractor_version, file_context, store_totals
from crawler.items import (
    Disclosure,
    FetchProblem,
    Hop,
    Listed,
    PageGone,
    PortalSeen,
    Redirected,
    SectionSummary,
    Skipped,
    check,
)
from pipelines.addon import crawl_day

logger = logging.getLogger(__name__)

EXTRACTION_MODES = ("drain", "later", "off")


class ArchivePipeline:
    def __init__(self, crawler: Crawler, store: Store):
        self.crawler = crawler
        self.store = store
        settings = crawler.settings
        given = settings.get("ARCHIVE_CRAWL_ID")
        self.crawl_id: int | None = int(given) if given else None
        self.owns_crawl = self.crawl_id is None
        self.extraction = settings.get("EXTRACTION", "drain")
        if self.extraction not in EXTRACTION_MODES:
            raise NotConfigured(f"EXTRACTION must be one of {EXTRACTION_MODES}")
        self.pool: ExtractionPool | None = None
        self.version = ""
        self.day = crawl_day(settings)  # the day the crawl stands for
        self.extracted: set[str] = set()
        self.waiting: deque[tuple[str, str]] = deque()  # (sha256, path) not yet submitted
        self.running: set[asyncio.Future[Any]] = set()
        self.idle = asyncio.Event()
        if self.extraction != "off":
            limits = Limits(
                memory=settings.getint("EXTRACT_MAX_MEMORY") * 1024 * 1024,
                seconds=settings.getfloat("EXTRACT_TIME_LIMIT"),
            )
            self.pool = ExtractionPool(settings.getint("EXTRACT_WORKERS") or None, limits)
            self.version = extractor_version()
            self.extracted = extracted(store, self.version)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        pipeline = cls(crawler, Store(crawler.settings["ARCHIVE_DIR"]))
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        if self.crawl_id is None:
            spider = self.crawler.spider
            self.crawl_id = self.store.start_crawl(list(getattr(spider, "portals", {}) or []))

    @property
    def crawl(self) -> int:
        assert self.crawl_id is not None, "the spider is not open"
        return self.crawl_id

    def process_item(self, item: Any) -> Any:
        check(item)
        if isinstance(item, Disclosure):
            self._disclosure(item)
        elif isinstance(item, FetchProblem):
            self.store.record_problem(
                self.crawl,
                item.portal_id,
                item.url,
                item.kind,
                page_url=item.page_url,
                http_status=item.http_status,
                detail=item.detail,
                section=item.section,
            )
        elif isinstance(item, PageGone):
            if self.store.record_gone(self.crawl, item.portal_id, item.url, item.http_status):
                logger.info("withdrawn: %s answered %s", item.url, item.http_status)
        elif isinstance(item, SectionSummary):
            self._section(item)
        elif isinstance(item, Redirected):
            self.store.record_redirect(
                self.crawl, item.portal_id, item.url, item.final_url, _hops(item.hops)
            )
        elif isinstance(item, Skipped):
            self.store.record_skipped(
                self.crawl, item.portal_id, item.section, item.url, item.title, item.reason
            )
        elif isinstance(item, Listed):
            self.store.record_listed(self.crawl, item.url)
        elif isinstance(item, PortalSeen):
            self.store.upsert_portal(
                item.portal_id,
                item.name,
                item.region,
                item.base_url,
                item.sections,
                deadlines=asdict(item.deadlines),
            )
        return item

    def _disclosure(self, item: Disclosure) -> None:
        names = {a.url: a.name for a in item.attachments}
        files = tuple(
            FileSeen(
                url=f.url,
                name=names.get(f.url),
                sha256=f.sha256,
                problem=f.problem,
                http_status=f.http_status,
                detail=f.detail,
                size=f.size,
                kind=f.kind,
                path=f.path,
                content_type=f.content_type,
                etag=f.etag,
                last_modified=f.last_modified,
                final_url=f.final_url,
            )
            for f in item.files
        )
        for f in item.files:
            if f.redirects and f.final_url:
                self.store.record_redirect(
                    self.crawl, item.portal_id, f.url, f.final_url, _hops(f.redirects)
                )
        facts = {name: getattr(item, name) for name in PAGE_FIELDS}
        disclosure_id = self.store.record_page(
            self.crawl, item.portal_id, item.section, PageSeen(item.url, facts, files), self.day
        )
        for f in item.files:
            if f.sha256 and f.kind == "pdf" and f.path:
                self._extract(f.sha256, f.path)
        # a revision's figures are compared under one extractor version: the file it
        # replaced is read by this one too (when an older one read it)
        for sha, path in self.store.revised_from(self.crawl, disclosure_id):
            self._extract(sha, path)

    def _section(self, item: SectionSummary) -> None:
        self.store.record_section(
            self.crawl,
            item.portal_id,
            item.section,
            list_pages=item.list_pages,
            list_failures=item.list_failures,
            entries=item.entries,
            family=item.family,
            detection=item.detection,
        )
        if item.entries == 0:
            self.store.record_problem(
                self.crawl,
                item.portal_id,
                item.url,
                "empty_section",
                section=item.section,
                detail=(
                    f"section {item.section} listed no entries: {item.list_pages} list page(s)"
                    f" read, {item.list_failures} failed"
                ),
            )
            logger.warning("section %s/%s listed nothing", item.portal_id, item.section)

    # -- extraction -----------------------------------------------------------------------

    def _extract(self, sha: str, path: str) -> None:
        if self.pool is None or sha in self.extracted:
            return
        self.extracted.add(sha)
        self.waiting.append((sha, path))
        self.crawler.stats.inc_value("budget/extract_scheduled")
        self._feed()

    def _feed(self) -> None:
        """Keep the workers busy with a few files at a time; the rest wait here."""
        assert self.pool is not None
        loop = asyncio.get_event_loop()
        while self.waiting and len(self.running) < self.pool.window:
            sha, path = self.waiting.popleft()
            context = file_context(self.store, sha)
            future = asyncio.wrap_future(
                self.pool.submit(str(self.store.root / path), context), loop=loop
            )
            self.running.add(future)
            future.add_done_callback(partial(self._extracted, sha))

    def _extracted(self, sha: str, future: asyncio.Future[Any]) -> None:
        self.running.discard(future)
        if future.cancelled():
            return
        try:
            result = future.result()
        except Exception as exc:  # noqa: BLE001 - a dead worker is a recorded error
            result = {"error": f"worker failed: {type(exc).__name__}: {exc}"}
        store_totals(self.store, sha, result, self.version)
        if result.get("limit"):  # over a bound: a problem of this crawl, naming the setting
            self._extract_failed(sha, result)
        kind = "error" if result.get("error") else "ok"
        self.crawler.stats.inc_value(f"budget/extract_{kind}")
        self._feed()
        if not self.running and not self.waiting:
            self.idle.set()

    def _extract_failed(self, sha: str, result: dict[str, Any]) -> None:
        url, portal_id = self.store.conn.execute(
            """select a.url, d.portal_id from attachments a
               join disclosures d on d.id = a.disclosure_id
               where a.current_sha256 = ? order by a.id desc limit 1""",
            [sha],
        ).fetchone() or (f"sha256:{sha}", None)
        self.store.record_problem(
            self.crawl, portal_id, url, "extract_failed", detail=str(result["error"])[:500]
        )

    async def close_spider(self) -> None:
        await self._drain()
        self.store.close_sections(self.crawl)
        self.store.refresh_calendar(crawl_day(self.crawler.settings), self.crawl)
        settings = self.crawler.settings
        self.store.refresh_monitors(
            Thresholds(
                empty_crawls=settings.getint("MONITOR_EMPTY_CRAWLS"),
                block_share=settings.getfloat("MONITOR_BLOCK_SHARE"),
            )
        )

    async def _drain(self) -> None:
        if self.pool is None:
            return
        if self.extraction == "drain" and (self.running or self.waiting):
            left = len(self.running) + len(self.waiting)
            logger.info("downloads done; waiting for %d extractions", left)
            self.idle.clear()
            await self.idle.wait()
        left = len(self.running) + len(self.waiting)
        self.waiting.clear()
        self.pool.shutdown(cancel=True)
        if left:
            self.crawler.stats.set_value("budget/extract_left", left)
            logger.info("%d extractions left for `budget-archive reextract`", left)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Close the crawl row this pipeline opened (the reason is known only now)."""
        if self.owns_crawl and self.crawl_id is not None:
            status = "finished" if reason == "finished" else f"closed: {reason}"
            self.store.finish_crawl(
                self.crawl_id, status, {spider.name: self.crawler.stats.get_stats()}
            )
        self.store.close()


def _hops(hops: list[Hop]) -> list[dict[str, str]]:
    return [{"url": hop.url, "reason": hop.reason} for hop in hops]
