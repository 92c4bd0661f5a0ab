"""The one spider: every configured portal section, walked by its family's walker.

What all families share lives here: portals from configuration, politeness per portal,
revisiting known disclosures, reading a detail page, reporting what failed. What a family
knows (how its list pages are walked) is its walker in `crawler/families/`.

Spiders only yield items (`crawler/items.py`) and requests; they never touch the archive.
What they need to know of it comes as data in the settings (see `crawler/settings.py`):
`REVISIT_PAGES`, the known disclosure pages due for a visit (the archive's revisit
policy), revisited first, and `LISTED_PAGES`, those not due: when a list shows one it is
a `Listed` item, not a request; one its section's complete list no longer shows is
revisited at the section's end (a withdrawal, or a page moved).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from scrapy.settings import Settings
from twisted.python.failure import Failure
from w3lib.url import safe_url_string

from crawler.attachments import Attachment, looks_like_document
from crawler.dates import invalid_date, parse_date
from crawler.detect import Detection
from crawler.families import WALKERS, Walker
from crawler.items import (
    AttachmentLink,
    Disclosure,
    FetchProblem,
    Listed,
    PageGone,
    PortalSeen,
    Redirected,
    SectionSummary,
    Skipped,
)
from crawler.middlewares import SectionGivenUp, redirect_hops
from crawler.portals import Portal, Section, load_portals
from crawler.problems import describe_failure
from crawler.sniff import sniff_kind
from extract.titles import TitleFacts, classify_title, normalize

#: A known disclosure page answering one of these is withdrawn.
GONE_STATUSES = (404, 410)

_SHOWN_DATE = re.compile(
    r"(发布(时间|日期)|日期|时间)\s*[:：]?\s*(20\d{2}[-/.年]\s*\d{1,2}[-/.月]\s*\d{1,2}日?)"
)

Output = Iterator[Request | Any]


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


@dataclass
class _SectionWalk:
    """How far the walk of one section's list pages has come."""

    pending: int = 0  # list requests yielded and not yet answered
    pages: int = 0
    failures: int = 0
    entries: int = 0
    done: bool = False
    requested: int = 0  # list requests made
    capped: int = 0  # list requests not made: the section's bound was reached
    cap_reported: bool = False
    given_up: int = 0  # list requests dropped: too many of the section's list pages failed
    detected: Detection | None = None  # family = "auto": what the entry page showed
    walker: str | None = None  # … and the walker that took the section on
    # known pages not due for a visit (LISTED_PAGES), and those its lists showed
    not_due: set[str] = field(default_factory=set)
    listed_known: set[str] = field(default_factory=set)


#: Where scrapy-playwright takes over downloads (only requests with meta["playwright"]
#: go through the browser; the rest through Scrapy's own HTTP handler).
BROWSER_HANDLERS = {
    "http": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
    "https": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
}


class PortalsSpider(Spider):
    """Crawls the configured portals. Argument: `-a portal=ID[,ID…]` (default: all)."""

    name = "portals"

    def __init__(self, portal: str | None = None, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.portal_filter = [p for p in (portal or "").split(",") if p]
        self.portals: dict[str, Portal] = {}
        self.walkers: dict[str, Walker] = {}
        self._walks: dict[tuple[str, str], _SectionWalk] = {}
        self._list_seen: set[bytes] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> PortalsSpider:
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
            if not spider.portal_filter or pid in spider.portal_filter
        }
        families = {s.family for p in spider.portals.values() for s in p.sections}
        spider.walkers = {family: walker(spider) for family, walker in WALKERS.items()}
        if any(spider.walkers[f].browser for f in families):
            handlers = {**crawler.settings.getdict("DOWNLOAD_HANDLERS"), **BROWSER_HANDLERS}
            crawler.settings.set("DOWNLOAD_HANDLERS", handlers, priority="spider")
        apply_politeness(crawler.settings, spider.portals.values())
        return spider

    # -- start ----------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        # read now: add-ons (the archive's among them) apply after the spider is made
        revisit: dict[str, dict[str, list[str]]] = self.crawler.settings.getdict("REVISIT_PAGES")
        not_due: dict[str, dict[str, list[str]]] = self.crawler.settings.getdict("LISTED_PAGES")
        for portal in self.portals.values():
            yield PortalSeen(
                portal_id=portal.id,
                name=portal.name,
                region=portal.region,
                base_url=portal.base_url,
                sections=[
                    {"id": s.id, "name": s.name, "family": s.family, "url": s.url}
                    for s in portal.sections
                ],
                deadlines=portal.deadlines,
            )
            for section in portal.sections:
                meta = self.context_meta(portal, section)
                self._walk(meta).not_due = set(not_due.get(portal.id, {}).get(section.id, []))
                # Known pages due first: a page that is gone (404/410) is a withdrawal.
                for url in revisit.get(portal.id, {}).get(section.id, []):
                    yield self.detail_request(url, portal, section, known=True)
                for request in self.walkers[section.family].start(portal, section):
                    if self._track_list(request):
                        yield request

    # -- list pages -----------------------------------------------------------------------

    def context_meta(self, portal: Portal, section: Section, **extra: Any) -> dict[str, Any]:
        return {"portal_id": portal.id, "section_id": section.id, "walker": section.family, **extra}

    def walker(self, meta: dict[str, Any]) -> Walker:
        return self.walkers[meta.get("walker") or self.section_for(meta)[1].family]

    def section_for(self, meta: dict[str, Any]) -> tuple[Portal, Section]:
        portal = self.portals[meta["portal_id"]]
        section = next(s for s in portal.sections if s.id == meta["section_id"])
        return portal, section

    def list_request(
        self,
        url: str,
        portal: Portal,
        section: Section,
        *,
        walker: Walker,
        callback: Callable[[Response], Output],
        **kw: Any,
    ) -> Request:
        """A request for a list page; its answer goes to the walker's `callback`.

        List requests are counted per section, so that the section's summary is yielded
        once all of them are answered, and each is made once (the spider dedupes them)."""
        meta = self.context_meta(portal, section, **kw.pop("meta", {}))
        meta["walker"] = walker.family
        meta["list_parse"] = callback.__name__
        return Request(
            url,
            meta=meta,
            callback=self._on_list_page,
            errback=self._on_list_error,
            dont_filter=True,  # deduped by _track_list
            **kw,
        )

    def _walk(self, meta: dict[str, Any]) -> _SectionWalk:
        key = (meta["portal_id"], meta["section_id"])
        return self._walks.setdefault(key, _SectionWalk())

    def detected(self, meta: dict[str, Any], detection: Detection, walker: str) -> None:
        """An `auto` section's family, recognised from its entry page."""
        self._walk(meta).detected = detection
        self._walk(meta).walker = walker
        self.crawler.stats.inc_value(f"budget/detected/{detection.family}")
        self.logger.info(
            "%s/%s: %s, walked by %s",
            meta["portal_id"],
            meta["section_id"],
            detection.describe(),
            walker,
        )

    def _track_list(self, request: Request) -> bool:
        """Count a new list request; False when the same request was made before."""
        fingerprint = self.crawler.request_fingerprinter.fingerprint(request)
        if request.meta.get("playwright"):  # a page rendered is not the page fetched
            fingerprint += b"/browser"
        if fingerprint in self._list_seen:
            return False
        walk = self._walk(request.meta)
        if walk.requested >= self.crawler.settings.getint("SECTION_MAX_LIST_PAGES"):
            walk.capped += 1
            return False
        self._list_seen.add(fingerprint)
        walk.requested += 1
        walk.pending += 1
        return True

    def _on_list_page(self, response: Response) -> Output:
        walk = self._walk(response.meta)
        walk.pages += 1
        self.crawler.stats.inc_value("budget/pages")
        yield from self.encoding_problem(response)
        yield from self.redirected(response)
        parse = getattr(self.walkers[response.meta["walker"]], response.meta["list_parse"])
        bound = self.crawler.settings.getint("PAGE_MAX_LINKS")
        entries = 0
        try:
            for out in parse(response):
                if isinstance(out, Request) and "list_parse" in out.meta:
                    if self._track_list(out):
                        yield out
                    continue
                entries += 1
                if entries > bound:
                    yield self.limit_reached(
                        response, "PAGE_MAX_LINKS", bound, "entries on one list page"
                    )
                    break
                yield out
        except Exception as exc:  # noqa: BLE001 - a page we cannot read is a recorded problem
            self.logger.warning("cannot read list page %s: %r", response.url, exc)
            yield FetchProblem(
                portal_id=response.meta["portal_id"],
                section=response.meta["section_id"],
                url=response.url,
                kind="parse_error",
                http_status=response.status,
                detail=f"list page: {type(exc).__name__}: {exc}"[:500],
            )
        if walk.capped and not walk.cap_reported:
            walk.cap_reported = True
            bound = self.crawler.settings.getint("SECTION_MAX_LIST_PAGES")
            yield FetchProblem(
                portal_id=response.meta["portal_id"],
                section=response.meta["section_id"],
                url=response.url,
                kind="limit_reached",
                detail=f"SECTION_MAX_LIST_PAGES = {bound}: the section's list claims more"
                " pages; the rest are not requested",
            )
        yield from self._list_answered(response.meta)

    def _on_list_error(self, failure: Failure) -> Output:
        request = failure.request  # type: ignore[attr-defined]
        walk = self._walk(request.meta)
        if isinstance(failure.value, SectionGivenUp):
            walk.given_up += 1
            if walk.given_up == 1:
                bound = self.crawler.settings.getint("SECTION_MAX_LIST_FAILURES")
                yield FetchProblem(
                    portal_id=request.meta.get("portal_id"),
                    section=request.meta.get("section_id"),
                    url=request.url,
                    kind="limit_reached",
                    detail=f"SECTION_MAX_LIST_FAILURES = {bound}: more of the section's list"
                    " pages failed than were read; the rest are not requested",
                )
        else:
            walk.failures += 1
            yield self.problem(failure)
        yield from self._list_answered(request.meta)

    def list_request_wanted(self, meta: dict[str, Any]) -> bool:
        """False once SECTION_MAX_LIST_FAILURES of a section's list pages failed and more
        failed than were read (a pager inventing pages, a portal gone): the rest of its
        list requests are dropped (crawler.middlewares.SectionFailuresMiddleware)."""
        walk = self._walk(meta)
        bound = self.crawler.settings.getint("SECTION_MAX_LIST_FAILURES")
        return not (walk.failures >= bound and walk.failures > walk.pages)

    def _list_answered(self, meta: dict[str, Any]) -> Output:
        walk = self._walk(meta)
        walk.pending -= 1
        if walk.pending == 0 and not walk.done:
            walk.done = True
            portal, section = self.section_for(meta)
            if walk.pages and not walk.failures and not walk.capped and not walk.given_up:
                # the whole list was read: a known page it no longer shows is visited now
                for url in sorted(walk.not_due - walk.listed_known):
                    yield self.detail_request(url, portal, section, known=True)
            yield SectionSummary(
                portal_id=meta["portal_id"],
                section=section.id,
                url=section.url,
                list_pages=walk.pages,
                list_failures=walk.failures,
                entries=walk.entries,
                family=walk.walker or section.family,
                detection=walk.detected.describe() if walk.detected else None,
            )

    def skip_reason(
        self, title: str, facts: TitleFacts, section: Section, *, from_list: bool = False
    ) -> str | None:
        """Why a title is not a wanted disclosure (None: it is): budget / final-account
        disclosures of the section's years and doc types are kept.

        From a list title (possibly truncated) only clear noise is dropped; the detail
        page's own title decides the rest.
        """
        extra = next((w for w in section.noise if w in title), None)
        if extra:
            return f"not a disclosure: {extra} (the section's noise words)"
        if section.since and facts.year and facts.year < section.since:
            return f"year {facts.year} before {section.since}"
        if facts.doc_type and facts.doc_type not in section.doc_types:
            return f"doc type {facts.doc_type} not among {', '.join(section.doc_types)}"
        if facts.noise:
            return f"not a disclosure: {facts.noise_word}"
        if not from_list and not facts.doc_type:
            return "no budget or final-account word in its title"
        return None

    def skipped(
        self, url: str, title: str, reason: str, portal: Portal, section: Section
    ) -> Skipped:
        self.crawler.stats.inc_value("budget/skipped")
        self.logger.debug("skipping %s (%s): %s", url, title, reason)
        return Skipped(
            portal_id=portal.id, section=section.id, url=url, title=title[:500], reason=reason
        )

    def listed(
        self,
        response: Response,
        url: str,
        title: str,
        date: str | None,
        portal: Portal,
        section: Section,
        files: list[Attachment] | None = None,
    ) -> Request | Disclosure | Skipped | Listed:
        """What to do with a list entry: fetch its detail page; or, when the entry links a
        document directly, a disclosure whose one attachment is that file; or, when its
        title says it is not wanted, a record of that. `files`: attachments the list
        itself names for the entry (a list API's attachment array), added to the detail
        page's own."""
        self._walk(response.meta).entries += 1
        url = urljoin(response.url, url)
        scheme = urlsplit(url).scheme
        if scheme not in ("http", "https"):  # only the web: never file://, data:, ftp://
            return self.skipped(url[:300], title, f"not a web link ({scheme}:)", portal, section)
        known = self.not_due(response.meta, url)
        if known:
            return known
        reason = self.skip_reason(title, classify_title(title), section, from_list=True)
        if reason:
            return self.skipped(url, title, reason, portal, section)
        if looks_like_document(url, title):
            return self.document_item(url, title, date, portal, section)
        request = self.detail_request(
            url, portal, section, title=title, date=date, walker=response.meta.get("walker")
        )
        if files:
            request.meta["list_files"] = [(a.url, a.name) for a in files]
        return request

    def not_due(self, meta: dict[str, Any], url: str) -> Listed | None:
        """A `Listed` record when `url` is a known page not due for a visit."""
        walk = self._walk(meta)
        if url not in walk.not_due:
            url = safe_url_string(url)  # as a request (and the archive) writes it
            if url not in walk.not_due:
                return None
        walk.listed_known.add(url)
        self.crawler.stats.inc_value("budget/listed_not_due")
        return Listed(portal_id=meta["portal_id"], section=meta["section_id"], url=url)

    def listed_with_files(
        self,
        response: Response,
        url: str,
        title: str,
        date: str | None,
        portal: Portal,
        section: Section,
        attachments: list[Attachment],
    ) -> Disclosure | Skipped | Listed:
        """A list entry whose files the list (a platform's API) names itself: the
        disclosure at once, no detail page fetched."""
        self._walk(response.meta).entries += 1
        known = self.not_due(response.meta, url)
        if known:
            return known
        facts = classify_title(title)
        reason = self.skip_reason(title, facts, section)
        if reason:
            return self.skipped(url, title, reason, portal, section)
        return self.disclosure(url, title, date, facts, portal, section, attachments)

    # -- detail pages ---------------------------------------------------------------------

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
        walker: str | None = None,
    ) -> Request:
        """A detail page's request; `walker` is the family that listed it (it reads the
        page's attachments), by default the section's."""
        meta = self.context_meta(
            portal, section, list_title=title, list_date=date, parent_url=parent_url, known=known
        )
        meta["walker"] = walker or section.family
        return Request(url, callback=self.parse_detail, errback=self.on_error, meta=meta)

    def document_item(
        self, url: str, title: str, date: str | None, portal: Portal, section: Section
    ) -> Disclosure | Skipped | Listed:
        """A disclosure that is a document itself (a list entry linking its PDF): its one
        attachment is that file."""
        facts = classify_title(title)
        reason = self.skip_reason(title, facts, section)
        if reason:
            return self.skipped(url, title, reason, portal, section)
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
    ) -> Disclosure:
        self.crawler.stats.inc_value("budget/disclosures")
        return Disclosure(
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
            attachments=[AttachmentLink(url=a.url, name=a.name) for a in attachments],
            file_urls=[a.url for a in attachments],
        )

    def parse_detail(self, response: Response) -> Output:
        self.crawler.stats.inc_value("budget/pages")
        yield from self.encoding_problem(response)
        yield from self.redirected(response)
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
            yield FetchProblem(
                portal_id=portal.id,
                section=section.id,
                url=response.url,
                kind="not_html",
                http_status=response.status,
                detail="a detail page link answered with neither HTML nor a document",
            )
            return
        title = self.detail_title(response) or response.meta.get("list_title") or ""
        facts = classify_title(title)
        reason = self.skip_reason(title, facts, section)
        if reason:
            yield self.skipped(response.url, title, reason, portal, section)
            return
        shown = self.detail_date(response) or response.meta.get("list_date")
        bad_date = self.bad_date(response)
        if bad_date is not None:
            yield bad_date[0]
            shown = shown if parse_date(shown) else bad_date[1]
        attachments = self.walker(response.meta).attachments(response)
        known = {a.url for a in attachments}
        attachments += [
            Attachment(url, name)
            for url, name in response.meta.get("list_files", [])
            if url not in known
        ]
        bound = self.crawler.settings.getint("PAGE_MAX_LINKS")
        if len(attachments) > bound:
            yield self.limit_reached(response, "PAGE_MAX_LINKS", bound, "attachments on one page")
            attachments = attachments[:bound]
        yield self.disclosure(
            response.url,
            title,
            shown,
            facts,
            portal,
            section,
            attachments,
            parent_url=response.meta.get("parent_url"),
        )
        depth = response.meta.get("child_depth", 0)
        children = [] if attachments else list(self.child_pages(response))
        max_depth = self.crawler.settings.getint("DETAIL_MAX_DEPTH")
        if children and depth >= max_depth:
            yield self.limit_reached(
                response, "DETAIL_MAX_DEPTH", max_depth, "levels of pages that link units' pages"
            )
            children = []
        for url, child_title in children:
            request = self.detail_request(
                url,
                portal,
                section,
                title=child_title,
                parent_url=response.url,
                walker=response.meta.get("walker"),
            )
            request.meta["child_depth"] = depth + 1
            yield request

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
        walker = self.walker(response.meta)
        for a in response.css("a[href]"):
            url = urljoin(response.url, a.attrib["href"])
            if urlsplit(url).path == own or not walker.is_detail_url(url):
                continue
            text = normalize(a.attrib.get("title") or " ".join(a.css("::text").getall()))
            if classify_title(text).is_disclosure:
                yield url, text

    # -- failures -------------------------------------------------------------------------

    def limit_reached(
        self, response: Response, setting: str, bound: int, what: str
    ) -> FetchProblem:
        """A bound that was hit: what was left out, and the setting that bounds it."""
        self.crawler.stats.inc_value(f"budget/limit_reached/{setting}")
        detail = f"{setting} = {bound}: more {what}; the rest are not followed"
        return self.page_problem(response, "limit_reached", detail)

    def page_problem(self, response: Response, kind: str, detail: str) -> FetchProblem:
        """A problem with a page that was fetched (its encoding, its dates, a bound)."""
        self.crawler.stats.inc_value(f"budget/problems/{kind}")
        return FetchProblem(
            portal_id=response.meta.get("portal_id"),
            section=response.meta.get("section_id"),
            url=response.url,
            kind=kind,
            http_status=response.status,
            detail=detail,
        )

    def bad_date(self, response: Response) -> tuple[FetchProblem, str] | None:
        """A publish date printed with a date's form that is no date (2025-02-30), on the
        page or in its list entry: a recorded problem, and the text as printed (kept as
        `publish_date_shown` when nothing better is shown; `publish_date` stays empty)."""
        for where, text in (
            ("the page's PubDate", response.css('meta[name="PubDate"]::attr(content)').get()),
            ("the list entry", response.meta.get("list_date")),
        ):
            bad = invalid_date(text)
            if bad:
                detail = f"{bad!r} ({where}) is not a date of the calendar"
                return self.page_problem(response, "bad_date", detail), bad
        return None

    def redirected(self, response: Response) -> Iterator[Redirected]:
        """The redirect chain a page came through, when it came through one."""
        hops = redirect_hops(response.meta)
        if hops:
            yield Redirected(
                portal_id=response.meta.get("portal_id"),
                url=hops[0].url,
                final_url=response.url,
                hops=hops,
            )

    def encoding_problem(self, response: Response) -> Iterator[FetchProblem]:
        """A page its declared encoding did not decode (crawler.encoding): recorded, and
        read in the encoding that decodes it, if any."""
        detail = response.meta.get("bad_encoding")
        if detail:
            yield self.page_problem(response, "bad_encoding", detail)

    def problem(self, failure: Failure) -> FetchProblem:
        request = failure.request  # type: ignore[attr-defined]
        problem = describe_failure(failure)
        self.crawler.stats.inc_value(f"budget/problems/{problem.kind}")
        self.logger.info("fetch problem %s: %s (%s)", problem.kind, request.url, problem.detail)
        return FetchProblem(
            portal_id=request.meta.get("portal_id"),
            section=request.meta.get("section_id"),
            url=request.url,
            kind=problem.kind,
            page_url=request.headers.get("Referer", b"").decode("latin-1") or None,
            http_status=problem.http_status,
            detail=problem.detail,
        )

    def on_error(self, failure: Failure) -> Output:
        request = failure.request  # type: ignore[attr-defined]
        problem = describe_failure(failure)
        if request.meta.get("known") and problem.http_status in GONE_STATUSES:
            self.logger.info("gone: %s answered %s", request.url, problem.http_status)
            yield PageGone(
                portal_id=request.meta["portal_id"],
                url=request.url,
                http_status=int(problem.http_status or 0),
            )
            return
        yield self.problem(failure)
