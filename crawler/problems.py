"""Turning a failed fetch into a recorded problem: a short kind, a status, a detail."""

from __future__ import annotations

from dataclasses import dataclass

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure


class BlockedFetch(IgnoreRequest):
    """The site answered with a block page (HTTP 412/521, a JavaScript challenge)."""

    def __init__(self, url: str, status: int, reason: str):
        super().__init__(f"blocked ({status}, {reason}): {url}")
        self.status = status
        self.reason = reason


class AttachmentError(Exception):
    """An attachment could not be archived; `kind` names why."""

    def __init__(self, kind: str, detail: str = "", http_status: int | None = None):
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.detail = detail
        self.http_status = http_status


@dataclass(frozen=True)
class Problem:
    kind: str
    http_status: int | None
    detail: str


def describe_failure(
    failure: Failure | BaseException, size_bound: str = "DOWNLOAD_MAXSIZE"
) -> Problem:
    """The problem a failed fetch records; `size_bound` names the setting that bounds the
    size of what was fetched (pages: DOWNLOAD_MAXSIZE, files: ARCHIVE_MAX_FILE_SIZE)."""
    exc = failure.value if isinstance(failure, Failure) else failure
    # FilesPipeline wraps some errors; look through the chain for ours.
    seen = exc
    while seen is not None:
        if isinstance(seen, AttachmentError):
            return Problem(seen.kind, seen.http_status, seen.detail)
        if isinstance(seen, BlockedFetch):
            return Problem("blocked", seen.status, seen.reason)
        seen = seen.__cause__ or seen.__context__
    if isinstance(exc, HttpError):
        status = exc.response.status
        return Problem(f"http_{status}", status, f"HTTP {status}")
    text = str(exc)
    if isinstance(exc, IgnoreRequest) and "during decompression" in text:
        return Problem("decompression_bomb", None, f"{text} (limit: {size_bound})")
    if isinstance(exc, DownloadCancelledError) or "max size" in text:
        return Problem("too_large", None, f"{text} (limit: {size_bound})")
    if isinstance(exc, IgnoreRequest) and "max redirections" in text:
        return Problem("redirect_loop", None, f"{text} (limit: REDIRECT_MAX_TIMES)")
    if _data_loss(exc):
        return Problem("truncated", None, f"the transfer ended before the body did: {text}")
    if isinstance(exc, DownloadTimeoutError) or type(exc).__name__ in (
        "TimeoutError",
        "TCPTimedOutError",
    ):
        return Problem("timeout", None, str(exc))
    if isinstance(exc, CannotResolveHostError):
        return Problem("dns", None, str(exc))
    if isinstance(exc, DownloadConnectionRefusedError) or "refused" in str(exc).lower():
        return Problem("connection_refused", None, str(exc))
    if isinstance(exc, IgnoreRequest):
        text = str(exc)
        kind = "robots" if "robots.txt" in text else "ignored"
        return Problem(kind, None, text)
    return Problem("error", None, f"{type(exc).__name__}: {exc}")


def _data_loss(exc: BaseException) -> bool:
    """A body cut short (fewer bytes than its Content-Length, a broken chunked stream)."""
    if isinstance(exc, ResponseDataLossError):
        return True
    reasons = getattr(exc, "reasons", None) or []  # twisted's ResponseFailed
    return any("DataLoss" in type(getattr(r, "value", r)).__name__ for r in reasons)
