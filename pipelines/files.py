"""Attachment downloads through Scrapy's FilesPipeline, stored by SHA-256.

Overrides only FilesPipeline's documented hooks:
- `get_media_requests`: one request per attachment URL, conditional (If-None-Match /
  If-Modified-Since from the newest stored version of that URL, given as data in the
  `FILE_VALIDATORS` setting) so unchanged files are not downloaded again, with the size
  limit;
- `media_to_download`: always ask the server (the conditional request decides);
- `media_downloaded`: 304 → the stored version; 200 → check the bytes (an HTML page
  saved as `.pdf` is an error, not a document), store by SHA-256, never overwriting;
- `media_failed` / `item_completed`: every failure becomes a named `FileOutcome`, so the
  crawl records it and goes on.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.pipelines.files import FilesPipeline
from twisted.python.failure import Failure

from archive.filestore import FileStore
from crawler.items import Disclosure, FileOutcome
from crawler.middlewares import redirect_hops
from crawler.problems import AttachmentError, describe_failure
from crawler.sniff import sniff_kind

_PDF_NAME = re.compile(r"\.pdf$", re.I)


def expects_pdf(url: str, name: str | None, content_type: str) -> bool:
    """Whether the link promises a PDF (by its name, its URL or its Content-Type)."""
    parts = urlsplit(url)
    if _PDF_NAME.search(parts.path) or (name and _PDF_NAME.search(name.strip())):
        return True
    if any(_PDF_NAME.search(v) for vs in parse_qs(parts.query).values() for v in vs):
        return True
    return "application/pdf" in content_type


def _html_title(body: bytes) -> str:
    m = re.search(rb"<title[^>]*>(.*?)</title>", body[:4096], re.I | re.S)
    if not m:
        return ""
    raw = m.group(1).strip()
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)[:100]
        except UnicodeDecodeError:
            continue
    return ""


class ArchiveFilesPipeline(FilesPipeline):
    """Settings: FILES_STORE (the archive directory), FILE_VALIDATORS ({url: {sha256, etag,
    last_modified, size, kind, path, content_type}}), ARCHIVE_MAX_FILE_SIZE."""

    # Failures are recorded in the archive (fetch_problems); no second log of each.
    LOG_FAILED_RESULTS = False

    def __init__(self, store_uri: str, *, crawler: Crawler):
        super().__init__(store_uri, crawler=crawler)
        self.files = FileStore(Path(store_uri))
        self.validators: dict[str, dict[str, Any]] = crawler.settings.getdict("FILE_VALIDATORS")
        self.max_size = crawler.settings.getint("ARCHIVE_MAX_FILE_SIZE")

    def get_media_requests(self, item: Any, info: Any) -> list[Request]:
        if not isinstance(item, Disclosure):
            return []
        requests = []
        for url in item.file_urls:
            headers = {"Referer": item.url}
            meta: dict[str, Any] = {"download_maxsize": self.max_size}
            known = self.validators.get(url)
            if known:
                meta["known_file"] = known
                if known.get("etag"):
                    headers["If-None-Match"] = known["etag"]
                if known.get("last_modified"):
                    headers["If-Modified-Since"] = known["last_modified"]
            requests.append(Request(url, headers=headers, meta=meta))
        return requests

    def media_to_download(self, request: Request, info: Any, *, item: Any = None) -> None:
        """Always ask the server: the conditional request decides what is transferred."""

    async def media_downloaded(  # type: ignore[override]  # a FileOutcome, not a FileInfo
        self, response: Response, request: Request, info: Any, *, item: Any = None
    ) -> FileOutcome:
        stats = self.crawler.stats
        final_url = response.url if response.url != request.url else None
        known = request.meta.get("known_file")
        if response.status == 304 and known:
            stats.inc_value("budget/files_not_modified")
            return FileOutcome(
                url=request.url,
                status="not_modified",
                sha256=known["sha256"],
                size=known.get("size"),
                kind=known.get("kind"),
                path=known.get("path"),
                content_type=known.get("content_type"),
                final_url=final_url,
                redirects=redirect_hops(response.meta),
                **self._validators(response, known),
            )
        try:
            if response.status != 200:
                raise AttachmentError(
                    f"http_{response.status}", f"HTTP {response.status}", response.status
                )
            body = response.body
            if not body:
                raise AttachmentError("empty", "empty body", response.status)
            content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
            kind, ext = sniff_kind(body)
            self._check(kind, body, request.url, self._name_of(item, request.url), content_type)
        except AttachmentError as exc:
            # An expected outcome, recorded by the crawl: a result, not a pipeline error.
            stats.inc_value(f"budget/file_problems/{exc.kind}")
            return FileOutcome(
                url=request.url,
                status="failed",
                problem=exc.kind,
                http_status=exc.http_status,
                detail=exc.detail,
                final_url=final_url,
                redirects=redirect_hops(response.meta),
            )
        # hashing and the fsync of a new file off the reactor's thread
        stored = await asyncio.to_thread(self.files.put, body, ext)
        stats.inc_value("budget/files_downloaded")
        if stored.created:
            stats.inc_value("budget/files_stored")
        return FileOutcome(
            url=request.url,
            status="downloaded",
            sha256=stored.sha256,
            size=stored.size,
            kind=kind,
            path=stored.path,
            content_type=content_type or None,
            final_url=final_url,
            redirects=redirect_hops(response.meta),
            **self._validators(response, None),
        )

    def _check(self, kind: str, body: bytes, url: str, name: str | None, content_type: str) -> None:
        """Refuse what is not the document the link promises."""
        if kind == "html":
            title = _html_title(body)
            raise AttachmentError(
                "not_pdf" if expects_pdf(url, name, content_type) else "html_page",
                f"an HTML page ({content_type or 'no Content-Type'}, {len(body)} bytes)"
                + (f": {title}" if title else ""),
                200,
            )
        if kind != "pdf" and expects_pdf(url, name, content_type):
            raise AttachmentError(
                "not_pdf",
                f"no %PDF- header ({content_type or 'no Content-Type'}, {len(body)} bytes)",
                200,
            )

    @staticmethod
    def _validators(response: Response, known: dict[str, Any] | None) -> dict[str, Any]:
        """ETag and Last-Modified of an answer (a 304 may repeat or omit them)."""
        etag = response.headers.get(b"ETag")
        last_modified = response.headers.get(b"Last-Modified")
        lm = last_modified.decode("latin-1") if last_modified else None
        if lm:
            try:
                parsedate_to_datetime(lm)
            except (TypeError, ValueError):
                lm = None
        known = known or {}
        return {
            "etag": etag.decode("latin-1") if etag else known.get("etag"),
            "last_modified": lm or known.get("last_modified"),
        }

    @staticmethod
    def _name_of(item: Any, url: str) -> str | None:
        if isinstance(item, Disclosure):
            for att in item.attachments:
                if att.url == url:
                    return att.name
        return None

    def media_failed(self, failure: Failure, request: Request, info: Any) -> Any:
        """No response at all (timeout, refused, too large, blocked, robots.txt)."""
        if isinstance(failure.value, IgnoreRequest):
            # FilesPipeline treats these as filtered: logged quietly; the cause is kept.
            return super().media_failed(failure, request, info)
        problem = describe_failure(failure, "ARCHIVE_MAX_FILE_SIZE")
        raise AttachmentError(problem.kind, problem.detail, problem.http_status)

    def item_completed(self, results: list[Any], item: Any, info: Any) -> Any:
        if not isinstance(item, Disclosure):
            return item
        outcomes = []
        for url, (ok, value) in zip(item.file_urls, results, strict=True):
            if ok:
                # the URL as the page linked it (the request's is percent-encoded)
                outcomes.append(replace(value, url=url))
            else:
                problem = describe_failure(value, "ARCHIVE_MAX_FILE_SIZE")
                outcomes.append(
                    FileOutcome(
                        url=url,
                        status="failed",
                        problem=problem.kind,
                        http_status=problem.http_status,
                        detail=problem.detail,
                    )
                )
        item.files = outcomes
        return item
