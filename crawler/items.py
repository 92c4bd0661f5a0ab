"""What the spiders yield: the one declared schema of the crawl's items.

Spiders only yield these; the pipelines write them (`pipelines/archive.py`). Each is a
dataclass, so a missing or unknown field fails when the item is built, and `check()`
verifies every value against the declared types (the archive pipeline runs it on every
item, so a wrong type fails loudly in the tests).

| item | yielded when |
|---|---|
| `PortalSeen` | a crawl of a portal starts: the portal as configured |
| `Disclosure` | a disclosure (detail) page was read, with the attachments it links |
| `FetchProblem` | a page could not be fetched or read |
| `PageGone` | a known disclosure page answered 404 / 410 |
| `SectionSummary` | a section's list pages are all read |
| `Skipped` | a list entry or page is not a wanted disclosure |
| `Listed` | a list shows a known page the revisit policy does not make due (not fetched) |
| `Redirected` | a page was reached through redirects (files: `FileOutcome.redirects`) |

`Disclosure.file_urls` feeds Scrapy's FilesPipeline; `Disclosure.files` is filled by it
(`FileOutcome`, one per attachment URL).
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, Literal, Union, get_args, get_origin


@dataclass(kw_only=True)
class PortalSeen:
    portal_id: str
    name: str
    region: str
    base_url: str
    sections: list[dict[str, str]]  # [{id, name, family, url}]
    deadlines: Deadlines = field(default_factory=lambda: Deadlines())


@dataclass(frozen=True, kw_only=True)
class Approval:
    """The date a portal's budget (or final account) of one year was approved."""

    year: int
    doc_type: Literal["budget", "final_account"]
    date: str  # YYYY-MM-DD


@dataclass(frozen=True, kw_only=True)
class Deadlines:
    """When a portal's units must publish, as its portals file says (None: the archive's
    default). A year's budget is due `publish_within_days` after its approval, taken as
    `budget_approved` (month-day) of that year unless `approvals` names the date; a final
    account likewise, from `final_account_approved` of the year after."""

    publish_within_days: int | None = None
    budget_approved: str | None = None  # "MM-DD"
    final_account_approved: str | None = None  # "MM-DD", of the year after
    approvals: list[Approval] = field(default_factory=list)


@dataclass(kw_only=True)
class Listed:
    """A known disclosure page seen in its section's list and not fetched: the revisit
    policy did not make it due this crawl (it is still there, so not withdrawn)."""

    portal_id: str
    section: str
    url: str


@dataclass(kw_only=True)
class AttachmentLink:
    url: str
    name: str


@dataclass(kw_only=True)
class Hop:
    """One redirect of a chain: the URL asked and how it answered (301, 302, meta refresh)."""

    url: str
    reason: str


@dataclass(kw_only=True)
class FileOutcome:
    """What fetching one attachment URL gave: a stored file, the unchanged stored file
    (HTTP 304), or a failure with its kind (`http_404`, `not_pdf`, `timeout`, …)."""

    url: str
    status: Literal["downloaded", "not_modified", "failed"]
    sha256: str | None = None
    size: int | None = None
    kind: str | None = None  # pdf | ole | zip | rar | other: sniffed from the bytes
    path: str | None = None  # relative to the archive directory
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    final_url: str | None = None  # after redirects, when it differs
    redirects: list[Hop] = field(default_factory=list)  # the chain before final_url
    problem: str | None = None  # failed: the kind of failure
    http_status: int | None = None
    detail: str | None = None

    @property
    def ok(self) -> bool:
        return self.status != "failed"


@dataclass(kw_only=True)
class Disclosure:
    portal_id: str
    section: str
    url: str
    title: str
    publish_date_shown: str | None = None  # as the page prints it
    publish_date: str | None = None  # ISO, when it could be read
    unit_name: str | None = None
    year: int | None = None
    doc_type: Literal["budget", "final_account"] | None = None
    scope: Literal["department", "unit"] | None = None
    parent_url: str | None = None  # a department page that links this unit's page
    attachments: list[AttachmentLink] = field(default_factory=list)
    file_urls: list[str] = field(default_factory=list)
    files: list[FileOutcome] = field(default_factory=list)


@dataclass(kw_only=True)
class FetchProblem:
    portal_id: str | None
    url: str
    kind: str  # http_404, http_500, blocked, timeout, dns, not_html, empty_section, …
    page_url: str | None = None  # the page that linked it
    http_status: int | None = None
    detail: str | None = None
    section: str | None = None  # the section it happened in, when known


@dataclass(kw_only=True)
class PageGone:
    portal_id: str
    url: str
    http_status: int


@dataclass(kw_only=True)
class SectionSummary:
    portal_id: str
    section: str
    url: str  # the section's entry (list) page
    list_pages: int  # list pages read
    list_failures: int  # list pages that could not be fetched
    entries: int  # list entries seen, wanted or not
    family: str | None = None  # the walker that crawled it
    detection: str | None = None  # family = "auto": what the entry page showed


@dataclass(kw_only=True)
class Skipped:
    """A list entry or page that is not a wanted disclosure, and why."""

    portal_id: str
    section: str
    url: str
    title: str
    reason: str  # e.g. "not a disclosure: 招聘", "year 2019 before 2022"


@dataclass(kw_only=True)
class Redirected:
    """A page reached through redirects: each hop, and where the chain ended."""

    portal_id: str | None
    url: str  # the URL asked first
    final_url: str
    hops: list[Hop]


ITEM_TYPES: tuple[type, ...] = (
    PortalSeen,
    Disclosure,
    FetchProblem,
    PageGone,
    SectionSummary,
    Skipped,
    Redirected,
    Listed,
)


class InvalidItem(TypeError):
    """An item whose value does not match the declared schema."""


def check(item: Any) -> None:
    """Raise InvalidItem unless `item` is one of ITEM_TYPES with every value of its
    declared type."""
    if type(item) not in ITEM_TYPES:
        raise InvalidItem(f"not an item of the schema: {type(item).__name__}")
    error = _validator(type(item))(item)
    if error:
        raise InvalidItem(f"{type(item).__name__}{error}")


# A validator returns None for a good value, else where and what is wrong. Each declared
# type is compiled once into one (the check runs on every item of a crawl).
Validator = Callable[[Any], str | None]
_VALIDATORS: dict[Any, Validator] = {}


def _validator(expected: Any) -> Validator:
    if expected not in _VALIDATORS:
        _VALIDATORS[expected] = _compile(expected)
    return _VALIDATORS[expected]


def _compile(expected: Any) -> Validator:
    origin, args = get_origin(expected), get_args(expected)
    if origin in (Union, types.UnionType):
        options = [_validator(a) for a in args]

        def union(value: Any) -> str | None:
            if any(option(value) is None for option in options):
                return None
            return f": {value!r} is none of {expected}"

        return union
    if expected is type(None):
        return lambda value: None if value is None else f": expected None, got {value!r}"
    if origin is Literal:
        return lambda value: None if value in args else f": {value!r} is not one of {args}"
    if origin is list:
        inner = _validator(args[0])

        def each(value: Any) -> str | None:
            if not isinstance(value, list):
                return f": expected a list, got {type(value).__name__}"
            for i, v in enumerate(value):
                if error := inner(v):
                    return f"[{i}]{error}"
            return None

        return each
    if origin is dict:
        key, inner = _validator(args[0]), _validator(args[1])

        def mapping(value: Any) -> str | None:
            if not isinstance(value, dict):
                return f": expected a dict, got {type(value).__name__}"
            for k, v in value.items():
                if error := key(k) or inner(v):
                    return f"[{k!r}]{error}"
            return None

        return mapping
    if isinstance(expected, type) and is_dataclass(expected):
        hints = typing.get_type_hints(expected)
        checks = [(f.name, _validator(hints[f.name])) for f in fields(expected)]

        def record(value: Any) -> str | None:
            if type(value) is not expected:
                return f": expected {expected.__name__}, got {type(value).__name__}"
            for name, validate in checks:
                if error := validate(getattr(value, name)):
                    return f".{name}{error}"
            return None

        return record
    if expected is int:
        return lambda value: (
            None
            if isinstance(value, int) and not isinstance(value, bool)
            else f": expected int, got {type(value).__name__}"
        )
    return lambda value: (
        None
        if isinstance(value, expected)
        else f": expected {expected.__name__}, got {type(value).__name__}"
    )
