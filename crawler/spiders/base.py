"""What every portal-family spider shares: portals from configuration, politeness per
portal, revisiting known disclosures, reading a detail page, recording failed fetches.

A family spider (TRS, Hanweb jpage, browser-rendered) only knows how to walk its list
pages: it implements `list_requests()` and yields `detail_request()`s.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

from scrapy import Request, Selector, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from scrapy.settings import Settings
from twisted.python.failure import Failure

from archive.filestore import sniff_kind
from archive.recorder import GONE_STATUSES
from crawler.attachments import Attachment, find_attachments, looks_like_document
from crawler.dates import parse_date
from crawler.items import DisclosureItem
from crawler.portals import Portal, Section, load_portals
from crawler.problems import describe_failure
from crawler.run import archive_for, crawl_id_for
from extract.titles import TitleFacts, classify_title, normalize

_SHOWN_DATE = re.compile(
    r"(发布(时间|日期)|日期|时间)\s*[:：]?\s*(20\d{2}[-/.年]\s*\d{1,2}[-/.月]\s*\d{1,2}日?)"
)


def apply_politeness(settings: Settings, portals: Iterable[Portal]) -> None:
    """Per-portal concurrency and delay as download slots (keyed by host)."""
    slots = dict(settings.getdict("DOWNLOAD_SLOTS"))
    portals = list(portals)
    for portal in portals:
        hosts = {urlsplit(s.url).hostname for s in portal.sections} | {
            urlsplit(portal.base_url).hostname
        }
        slot: dict[str, Any] = {}
        if portal.concurrency is not None:
            slot["concurrency"] = portal.concurrency
        if portal.download_delay is not None:
            slot["delay"] = portal.download_delay
        for host in hosts - {None}:
            if slot:
                slots[host] = slot
    settings.set("DOWNLOAD_SLOTS", slots, priority="spider")
    if portals and all(p.autothrottle is False for p in portals):
        settings.set("AUTOTHROTTLE_ENABLED", False, priority="spider")
    loosest = max((p.concurrency or 0 for p in portals), default=0)
    if loosest > settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"):
        # slots cap each portal; the global per-domain cap must not undercut them
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", loosest, priority="spider")


class BudgetSpider(Spider):
    """Base of the family spiders. Argument: `-a portal=ID[,ID…]` (default: all portals
    with a section of this family)."""

    family: ClassVar[str] = ""

    def __init__(self, portal: str | None = None, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.portal_filter = [p for p in (portal or "").split(",") if p]
        self.portals: dict[str, Portal] = {}
        self.entries_listed: Counter[tuple[str, str]] = Counter()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> BudgetSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        configured = load_portals(
            crawler.settings.get("PORTALS_FILE"), crawler.settings.get("DEMO_PORTAL_URL")
        )
        unknown = [p for p in spider.portal_filter if p not in configured]
        if unknown:
            raise ValueError(f"unknown portal(s): {', '.join(unknown)}")
        spider.portals = {
            pid: p
            for pid, p in configured.items()
            if p.sections_of(cls.family)
            and (not spider.portal_filter or pid in spider.portal_filter)
        }
        apply_politeness(crawler.settings, spider.portals.values())
        return spider

    # -- start ----------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        archive = archive_for(self.crawler)
        for portal in self.portals.values():
            archive.upsert_portal(portal.as_row())
            for section in portal.sections_of(self.family):
                # Known pages first: a page that is gone (404/410) is a withdrawal.
                for known in archive.known_disclosures(portal.id, [section.id]):
                    yield self.detail_request(known["url"], portal, section, known=True)
                for request in self.list_requests(portal, section):
                    yield request

    def list_requests(self, portal: Portal, section: Section) -> Iterable[Request]:
        raise NotImplementedError

    # -- requests -------------------------------------------------------------------------

    def context_meta(self, portal: Portal, section: Section, **extra: Any) -> dict[str, Any]:
        return {"portal_id": portal.id, "section_id": section.id, **extra}

    def section_for(self, meta: dict[str, Any]) -> tuple[Portal, Section]:
        portal = self.portals[meta["portal_id"]]
        section = next(s for s in portal.sections if s.id == meta["section_id"])
        return portal, section

    def list_request(self, url: str, portal: Portal, section: Section, **kw: Any) -> Request:
        kw.setdefault("callback", self.parse_list)
        meta = self.context_meta(portal, section, **kw.pop("meta", {}))
        return Request(url, meta=meta, errback=self.on_error, **kw)

    def detail_request(
        self,
        url: str,
        portal: Portal,
        section: Section,
        *,
        title: str | None = None,
        date: str | None = None,
        parent_url: str | None = None,
        known: bool = False,
    ) -> Request:
        meta = self.context_meta(
            portal, section, list_title=title, list_date=date, parent_url=parent_url, known=known
        )
        return Request(url, callback=self.parse_detail, errback=self.on_error, meta=meta)

    def parse_list(self, response: Response) -> Iterator[Request | DisclosureItem]:
        raise NotImplementedError

    def wanted(self, facts: TitleFacts, section: Section, *, from_list: bool = False) -> bool:
        """Keep budget / final-account disclosures of the section's years and doc types.

        From a list title (possibly truncated) only clear noise is dropped; the detail
        page's own title decides the rest.
        """
        stats = self.crawler.stats
        if section.since and facts.year and facts.year < section.since:
            stats.inc_value("budget/skipped_old_year")
            return False
        if facts.doc_type and facts.doc_type not in section.doc_types:
            stats.inc_value("budget/skipped_doc_type")
            return False
        if from_list:
            if facts.noise:
                stats.inc_value("budget/skipped_not_budget")
                return False
            return True
        if not facts.is_disclosure:
            stats.inc_value("budget/skipped_not_budget")
            return False
        return True

    def listed(
        self,
        response: Response,
        url: str,
        title: str,
        date: str | None,
        portal: Portal,
        section: Section,
    ) -> Request | DisclosureItem | None:
        """What to do with a list entry: fetch its detail page; or, when the entry links a
        document directly, record it as a disclosure whose one attachment is that file;
        or nothing, when its title says it is not wanted."""
        self.entries_listed[(portal.id, section.id)] += 1
        facts = classify_title(title)
        if not self.wanted(facts, section, from_list=True):
            self.logger.debug("skipping listed %s (%s)", url, title)
            return None
        url = urljoin(response.url, url)
        if looks_like_document(url, title):
            return self.document_item(url, title, date, portal, section)
        return self.detail_request(url, portal, section, title=title, date=date)

    def document_item(
        self, url: str, title: str, date: str | None, portal: Portal, section: Section
    ) -> DisclosureItem | None:
        """A disclosure that is a document itself (a list entry linking its PDF): its one
        attachment is that file."""
        facts = classify_title(title)
        if not self.wanted(facts, section):
            return None
        return self.disclosure(url, title, date, facts, portal, section, [Attachment(url, title)])

    def disclosure(
        self,
        url: str,
        title: str,
        shown_date: str | None,
        facts: TitleFacts,
        portal: Portal,
        section: Section,
        attachments: list[Attachment],
        parent_url: str | None = None,
    ) -> DisclosureItem:
        self.crawler.stats.inc_value("budget/disclosures")
        return DisclosureItem(
            portal_id=portal.id,
            section=section.id,
            url=url,
            title=title,
            publish_date_shown=shown_date,
            publish_date=parse_date(shown_date),
            unit_name=facts.unit_name,
            year=facts.year,
            doc_type=facts.doc_type,
            scope=facts.scope,
            parent_url=parent_url,
            attachments=[{"url": a.url, "name": a.name} for a in attachments],
            file_urls=[a.url for a in attachments],
        )

    # -- detail pages ---------------------------------------------------------------------

    def parse_detail(self, response: Response) -> Iterator[DisclosureItem | Request]:
        self.crawler.stats.inc_value("budget/pages")
        portal, section = self.section_for(response.meta)
        if sniff_kind(response.body)[0] not in ("html", "other"):
            # the "detail page" is the document itself
            item = self.document_item(
                response.url,
                response.meta.get("list_title") or response.url.rsplit("/", 1)[-1],
                response.meta.get("list_date"),
                portal,
                section,
            )
            if item:
                yield item
            return
        if not isinstance(response, TextResponse):
            archive_for(self.crawler).record_problem(
                crawl_id_for(self.crawler),
                portal.id,
                response.url,
                "not_html",
                http_status=response.status,
                detail="a detail page link answered with neither HTML nor a document",
            )
            return
        title = self.detail_title(response) or response.meta.get("list_title") or ""
        facts = classify_title(title)
        if not self.wanted(facts, section):
            return
        shown = self.detail_date(response) or response.meta.get("list_date")
        attachments = find_attachments(Selector(response), response.url)
        item = self.disclosure(
            response.url,
            title,
            shown,
            facts,
            portal,
            section,
            attachments,
            parent_url=response.meta.get("parent_url"),
        )
        yield item
        if not attachments:
            for url, child_title in self.child_pages(response):
                yield self.detail_request(
                    url, portal, section, title=child_title, parent_url=response.url
                )

    def detail_title(self, response: Response) -> str | None:
        for query in (
            'meta[name="ArticleTitle"]::attr(content)',
            'meta[name="articletitle"]::attr(content)',
            "h1 ::text",
            "title::text",
        ):
            text = normalize(" ".join(response.css(query).getall()))
            if text:
                return text
        return None

    def detail_date(self, response: Response) -> str | None:
        for query in (
            'meta[name="PubDate"]::attr(content)',
            'meta[name="pubdate"]::attr(content)',
            ".date::text",
        ):
            text = normalize(response.css(query).get() or "")
            if text and parse_date(text):
                return text
        m = _SHOWN_DATE.search(normalize(" ".join(response.css("body ::text").getall())))
        return m.group(3) if m else None

    def child_pages(self, response: Response) -> Iterator[tuple[str, str]]:
        """Links from a department page to its units' own disclosure pages."""
        own = urlsplit(response.url).path
        for a in response.css("a[href]"):
            url = urljoin(response.url, a.attrib["href"])
            if urlsplit(url).path == own or not self.is_detail_url(url):
                continue
            text = normalize(a.attrib.get("title") or " ".join(a.css("::text").getall()))
            if classify_title(text).is_disclosure:
                yield url, text

    def is_detail_url(self, url: str) -> bool:
        return True

    # -- failures -------------------------------------------------------------------------

    def closed(self, reason: str) -> None:
        """A section whose list yielded no entry at all is a problem worth recording: the
        portal most likely changed its layout, and silence would hide it."""
        if reason != "finished":
            return
        archive = archive_for(self.crawler)
        for portal in self.portals.values():
            for section in portal.sections_of(self.family):
                if not self.entries_listed[(portal.id, section.id)]:
                    archive.record_problem(
                        crawl_id_for(self.crawler),
                        portal.id,
                        section.url,
                        "empty_section",
                        detail="the section's list pages yielded no entries",
                    )
                    self.logger.warning("section %s/%s listed nothing", portal.id, section.id)

    def on_error(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        problem = describe_failure(failure)
        archive = archive_for(self.crawler)
        crawl_id = crawl_id_for(self.crawler)
        if request.meta.get("known") and problem.http_status in GONE_STATUSES:
            archive.record_gone(crawl_id, request.url, problem.http_status)
            self.logger.info("withdrawn: %s answered %s", request.url, problem.http_status)
            return
        archive.record_problem(
            crawl_id,
            request.meta.get("portal_id"),
            request.url,
            problem.kind,
            page_url=request.headers.get("Referer", b"").decode("latin-1") or None,
            http_status=problem.http_status,
            detail=problem.detail,
        )
        self.crawler.stats.inc_value(f"budget/problems/{problem.kind}")
        self.logger.warning("fetch problem %s: %s (%s)", problem.kind, request.url, problem.detail)
