"""Recognising block pages, so they are recorded as blocked and never archived; redirect
loops, so they are recorded rather than dropped."""

from __future__ import annotations

import re
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from crawler.items import Hop
from crawler.problems import BlockedFetch

BLOCK_STATUSES = {412, 521}
_CHALLENGE = re.compile(
    rb"__jsl_clearance|acw_sc__v2|_waf_|cf-chl|challenge-platform|"
    rb"\xe5\xae\x89\xe5\x85\xa8\xe9\xaa\x8c\xe8\xaf\x81|"  # 安全验证
    rb"\xe8\xae\xbf\xe9\x97\xae\xe9\xaa\x8c\xe8\xaf\x81|"  # 访问验证
    rb"enable javascript|\xe8\xaf\xb7\xe5\xbc\x80\xe5\x90\xaf ?javascript",  # 请开启JavaScript
    re.I,
)
_REDIRECT_SCRIPT = re.compile(rb"document\.cookie\s*=.*?(location\.(reload|href|replace))", re.S)


def block_reason(response: Response) -> str | None:
    """Why a response looks like a block page, or None."""
    if response.status in BLOCK_STATUSES:
        return f"HTTP {response.status}"
    ctype = (response.headers.get(b"Content-Type") or b"").lower()
    body = response.body
    if b"html" not in ctype and not body[:200].lstrip().lower().startswith((b"<", b"<!")):
        return None
    if len(body) > 16_384 or b"<a " in body.lower():
        return None  # a real page with links, not an interstitial
    if _CHALLENGE.search(body):
        return "JavaScript challenge"
    if _REDIRECT_SCRIPT.search(body):
        return "cookie-setting redirect script"
    return None


class BlockDetectionMiddleware:
    def process_response(self, request: Request, response: Response) -> Response:
        reason = block_reason(response)
        if reason:
            raise BlockedFetch(request.url, response.status, reason)
        return response


class RedirectLoopMiddleware(RedirectMiddleware):
    """Scrapy's redirects, except that a redirect back to a URL of the same chain is not
    filtered as a duplicate (the request would vanish without a trace): the loop runs to
    REDIRECT_MAX_TIMES and ends as a recorded `redirect_loop`."""

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        chain = [*request.meta.get("redirect_urls", []), request.url]
        result = super()._redirect(redirected, request, reason)
        if redirected.url in chain:
            result.dont_filter = True
        return result


def redirect_hops(meta: dict[str, Any]) -> list[Hop]:
    """The redirects a response came through (Scrapy's `redirect_urls` and reasons)."""
    urls = meta.get("redirect_urls") or []
    reasons = list(meta.get("redirect_reasons") or [])
    reasons += [""] * (len(urls) - len(reasons))
    return [Hop(url=url, reason=str(reason)) for url, reason in zip(urls, reasons, strict=False)]


class SectionGivenUp(IgnoreRequest):
    """A list request dropped: too many of its section's list pages failed."""


class SectionFailuresMiddleware:
    """Drops the list requests of a section the spider has given up on (its
    `list_request_wanted`), before they reach the network."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SectionFailuresMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        wanted = getattr(self.crawler.spider, "list_request_wanted", None)
        if "list_parse" in request.meta and wanted is not None and not wanted(request.meta):
            raise SectionGivenUp(f"section given up: {request.url}")
