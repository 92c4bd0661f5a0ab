"""Pages whose declared encoding does not decode them: a GBK page labelled UTF-8 (or the
reverse) is read in the encoding that decodes it cleanly and the mismatch recorded
(`bad_encoding`); a page no candidate decodes is recorded too, never dropped in silence."""

from __future__ import annotations

import codecs

from scrapy import Request
from scrapy.http import Response, TextResponse

# what Chinese portals serve, in the order tried
CANDIDATES = ("utf-8", "gb18030", "big5")
# a page is misread when more than this share of its characters fail to decode (a stray
# byte or two is common and harmless)
MISREAD_SHARE = 0.002
MISREAD_MIN = 8


def _errors(body: bytes, encoding: str) -> int:
    """How many replacement characters decoding with `encoding` puts in."""
    try:
        body.decode(encoding)  # most pages: one strict pass, no error
        return 0
    except LookupError:
        return len(body)
    except UnicodeDecodeError:
        pass
    text = body.decode(encoding, errors="replace")
    return text.count("\ufffd") - body.decode(encoding, errors="ignore").count("\ufffd")


def reading(body: bytes, declared: str) -> tuple[str | None, str | None]:
    """(the encoding to read the body in when not the declared one, what was wrong)."""
    errors = _errors(body, declared)
    if errors < max(MISREAD_MIN, MISREAD_SHARE * len(body)):
        return None, None
    name = codecs.lookup(declared).name if _known(declared) else declared
    for candidate in CANDIDATES:
        if candidate != name and _errors(body, candidate) == 0:
            return (
                candidate,
                f"declared {declared} but {errors} bytes do not decode; read as {candidate}",
            )
    return (
        None,
        f"declared {declared} but {errors} bytes do not decode, nor in {', '.join(CANDIDATES)}",
    )


def _known(encoding: str) -> bool:
    try:
        codecs.lookup(encoding)
    except LookupError:
        return False
    return True


class EncodingMiddleware:
    """Re-reads a misdeclared page; the mismatch goes in `meta["bad_encoding"]` for the
    spider to record."""

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse) or response.body[:5] == b"%PDF-":
            return response
        encoding, problem = reading(response.body, response.encoding)
        if problem:
            request.meta["bad_encoding"] = problem
        if encoding:
            return response.replace(encoding=encoding)
        return response
