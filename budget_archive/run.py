"""Running the chosen portals in one process, as one crawl of the archive.

The runner opens the crawl row, starts the Scrapy crawler of the `portals` spider (with
the archive add-on, which hands the spider what it needs of the archive as data), shows
live progress, and closes the crawl row with the counts and Scrapy's stats.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console, ConsoleOptions, RenderResult
from rich.live import Live
from rich.table import Table
from scrapy import signals
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader

from archive.store import Store
from crawler.items import Disclosure, FetchProblem
from crawler.portals import Portal, load_portals


@dataclass
class CrawlSummary:
    crawl_id: int
    status: str
    row: dict[str, Any]
    events: dict[str, int] = field(default_factory=dict)
    per_portal: dict[str, Counter] = field(default_factory=dict)
    # portals that answered nothing at all: {portal id: the first problem recorded}
    unreachable: dict[str, str] = field(default_factory=dict)
    # what the crawl made of each section (rows of section_crawls)
    sections: list[dict[str, Any]] = field(default_factory=list)
    # what its revisions changed in the figures, a sentence each (the change_sentences view)
    changes: list[str] = field(default_factory=list)
    # the publication calendar's missing documents after the crawl (rows of `calendar`)
    missing: list[dict[str, Any]] = field(default_factory=list)
    # the monitors' flags after the crawl (rows of `monitors` with flags)
    flags: list[dict[str, Any]] = field(default_factory=list)


def project_settings(**overrides: Any) -> Settings:
    """The project's Scrapy settings, wherever the command runs (no scrapy.cfg needed)."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    for key, value in overrides.items():
        if value is not None:
            settings.set(key, value, priority="cmdline")
    return settings


def select_portals(
    portal_ids: Iterable[str], portals_file: str | None = None, demo_url: str | None = None
) -> list[Portal]:
    configured = load_portals(portals_file, demo_url)
    ids = list(portal_ids) or list(configured)
    unknown = [p for p in ids if p not in configured]
    if unknown:
        raise KeyError(f"unknown portal(s): {', '.join(unknown)}; known: {', '.join(configured)}")
    return [configured[p] for p in ids]


class _Progress:
    """Per-portal counts, updated as items come in; extraction progress from the stats.
    Rendered afresh at each refresh of the live display."""

    def __init__(self) -> None:
        self.counts: dict[str, Counter] = defaultdict(Counter)
        self.crawlers: list[Crawler] = []
        self._receivers: list[Any] = []

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.table()

    def table(self) -> Table:
        table = Table(title="crawl progress", show_lines=False)
        columns = ("portal", "pages", "disclosures", "files new", "not modified", "problems")
        for col in columns:
            table.add_column(col, justify="right" if col != "portal" else "left")
        for portal, c in sorted(self.counts.items()):
            table.add_row(
                portal,
                *(str(c[k]) for k in ("pages", "disclosures", "downloaded", "not_modified")),
                str(c["problems"]),
            )
        scheduled = done = 0
        for crawler in self.crawlers:
            stats = crawler.stats.get_stats() if crawler.stats else {}
            scheduled += stats.get("budget/extract_scheduled", 0)
            done += stats.get("budget/extract_ok", 0) + stats.get("budget/extract_error", 0)
        if scheduled:
            table.caption = f"key totals extracted: {done} / {scheduled} PDFs"
        return table

    def connect(self, crawler: Crawler) -> None:
        def on_item(item: Any, response: Any, spider: Any) -> None:
            if isinstance(item, Disclosure):
                c = self.counts[item.portal_id]
                c["disclosures"] += 1
                for outcome in item.files:
                    if not outcome.ok:
                        c["problems"] += 1
                    elif outcome.status == "not_modified":
                        c["not_modified"] += 1
                    else:
                        c["downloaded"] += 1
            elif isinstance(item, FetchProblem) and item.portal_id:
                self.counts[item.portal_id]["problems"] += 1

        def on_response(response: Any, request: Any, spider: Any) -> None:
            portal = request.meta.get("portal_id")
            if portal:
                self.counts[portal]["pages"] += 1

        # pydispatch holds receivers weakly: keep these alive as long as the progress.
        self._receivers.extend([on_item, on_response])
        self.crawlers.append(crawler)
        crawler.signals.connect(on_item, signal=signals.item_scraped)
        crawler.signals.connect(on_response, signal=signals.response_received)


def run_crawl(
    portal_ids: Iterable[str],
    archive_dir: Path,
    *,
    portals_file: str | None = None,
    demo_url: str | None = None,
    extraction: str = "drain",
    log_level: str = "WARNING",
    console: Console | None = None,
    as_of: date | None = None,
    revisit: str | None = None,
) -> CrawlSummary:
    """Crawl the portals (all configured when none named) into the archive; blocks."""
    console = console or Console(stderr=True)
    portals = select_portals(portal_ids, portals_file, demo_url)
    store = Store(archive_dir)
    try:
        crawl_id = store.start_crawl([p.id for p in portals])
    except BaseException:
        store.close()
        raise
    if store.interrupted:
        console.print(
            f"crawl(s) {', '.join(map(str, store.interrupted))} had died: closed as interrupted"
            + (f"; {store.swept} half-written file(s) removed" if store.swept else "")
        )
    settings = project_settings(
        ARCHIVE_DIR=str(store.root),
        ARCHIVE_CRAWL_ID=crawl_id,
        PORTALS_FILE=portals_file,
        DEMO_PORTAL_URL=demo_url,
        EXTRACTION=extraction,
        LOG_LEVEL=log_level,
        CRAWL_DAY=as_of.isoformat() if as_of else None,
        REVISIT=revisit,
    )
    process = CrawlerProcess(settings)
    progress = _Progress()
    crawler = process.create_crawler(SpiderLoader.from_settings(settings).load("portals"))
    progress.connect(crawler)
    crawlers = [crawler]
    process.crawl(crawler, portal=",".join(p.id for p in portals))
    status = "finished"
    try:
        with Live(progress, console=console, refresh_per_second=4, transient=False):
            process.start()
        console.line()
    except BaseException:
        status = "failed"
        raise
    finally:
        stats = {c.spider.name: c.stats.get_stats() for c in crawlers if c.spider}
        reasons = {s.get("finish_reason") for s in stats.values()}
        if status == "finished" and reasons - {"finished"}:
            status = "incomplete: " + ", ".join(sorted(str(r) for r in reasons - {"finished"}))
        row = store.finish_crawl(crawl_id, status, stats)
        events = store.event_counts(crawl_id)
        sections = store.section_outcomes(crawl_id)
        # a portal that answered nothing, or whose every list was unreachable (a 503 page)
        silent = [
            p.id
            for p in portals
            if not progress.counts[p.id]["pages"]
            or all(s["status"] == "unreachable" for s in sections if s["portal_id"] == p.id)
        ]
        unreachable = {pid: store.first_problem(crawl_id, pid) or "no answer" for pid in silent}
        changes = store.change_sentences(crawl_id)
        missing = store.missing()
        flags = store.monitors(flagged_only=True)
        store.close()
        logging.getLogger(__name__).info("crawl %s %s", crawl_id, status)
    return CrawlSummary(
        crawl_id,
        status,
        row,
        events,
        dict(progress.counts),
        unreachable,
        sections,
        changes,
        missing,
        flags,
    )
