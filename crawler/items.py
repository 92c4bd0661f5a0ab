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

`Disclosure.file_urls` feeds Scrapy's FilesPipeline; `Disclosure.files` is filled by it
(`FileOutcome`, one per attachment URL).
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, Literal, Union, get_args, get_origin


@dataclass(kw_only=True)
class PortalSeen:
    portal_id: str
    name: str
    region: str
    base_url: str
    sections: list[dict[str, str]]  # [{id, name, family, url}]


@dataclass(kw_only=True)
class AttachmentLink:
    url: str
    name: str


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


@dataclass(kw_only=True)
class PageGone:
    portal_id: str
    url: str
    http_status: int


@dataclass(kw_only=True)
class SectionSummary:
    portal_id: str
    section: str
    list_pages: int  # list pages read
    list_failures: int  # list pages that could not be fetched
    entries: int  # list entries seen, wanted or not


ITEM_TYPES: tuple[type, ...] = (PortalSeen, Disclosure, FetchProblem, PageGone, SectionSummary)


class InvalidItem(TypeError):
    """An item whose value does not match the declared schema."""


def check(item: Any) -> None:
    """Raise InvalidItem unless `item` is one of ITEM_TYPES with every value of its
    declared type."""
    if type(item) not in ITEM_TYPES:
        raise InvalidItem(f"not an item of the schema: {type(item).__name__}")
    _check_dataclass(item, type(item).__name__)


def _check_dataclass(value: Any, where: str) -> None:
    hints = _hints(type(value))
    for f in fields(value):
        _check_value(getattr(value, f.name), hints[f.name], f"{where}.{f.name}")


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _check_value(value: Any, expected: Any, where: str) -> None:
    origin = get_origin(expected)
    if origin in (Union, types.UnionType):
        for option in get_args(expected):
            try:
                _check_value(value, option, where)
                return
            except InvalidItem:
                continue
        raise InvalidItem(f"{where}: {value!r} is none of {expected}")
    if expected is type(None):
        if value is not None:
            raise InvalidItem(f"{where}: expected None, got {value!r}")
        return
    if origin is Literal:
        if value not in get_args(expected):
            raise InvalidItem(f"{where}: {value!r} is not one of {get_args(expected)}")
        return
    if origin is list:
        if not isinstance(value, list):
            raise InvalidItem(f"{where}: expected a list, got {type(value).__name__}")
        (inner,) = get_args(expected)
        for i, v in enumerate(value):
            _check_value(v, inner, f"{where}[{i}]")
        return
    if origin is dict:
        if not isinstance(value, dict):
            raise InvalidItem(f"{where}: expected a dict, got {type(value).__name__}")
        key_type, value_type = get_args(expected)
        for k, v in value.items():
            _check_value(k, key_type, f"{where} key")
            _check_value(v, value_type, f"{where}[{k!r}]")
        return
    if isinstance(expected, type) and is_dataclass(expected):
        if type(value) is not expected:
            raise InvalidItem(f"{where}: expected {expected.__name__}, got {type(value).__name__}")
        _check_dataclass(value, where)
        return
    if expected is int and isinstance(value, bool):
        raise InvalidItem(f"{where}: expected int, got bool")
    if not isinstance(value, expected):
        raise InvalidItem(f"{where}: expected {expected.__name__}, got {type(value).__name__}")
