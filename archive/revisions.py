"""The revision rules: (what the archive knew, what this crawl saw) → (new state, events).

Pure: no database, no clock. `archive/store.py` reads what is known, calls these, and
writes the outcome in one transaction.

Events, each about a disclosure page or one of its attachments:

| event | when |
|---|---|
| `published` | a page seen for the first time; an attachment new on a known page, or fetched for the first time after failing |
| `revised` | an attachment URL now serves other content (old and new SHA-256) |
| `withdrawn` | a known page answers 404/410 (its attachments go with it); an attachment no longer linked, or answering 404/410 |
| `reappeared` | a withdrawn page is seen again; an attachment withdrawn on its own is linked again |
| `page_changed` | a known page now shows another title, date, unit, year, type, scope or parent (old and new values) |
| `moved` | the same content under another URL: a new page whose files are those of a withdrawn page, a known page gone while another page has its files, an attachment relinked under a new URL |

A move is recorded by whichever half is seen second: the first half gets its own event
(`published` or `withdrawn`), the second half is `moved`, naming the other URL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: What a disclosure page says about itself; a change of any of them is `page_changed`.
PAGE_FIELDS = (
    "title",
    "publish_date_shown",
    "publish_date",
    "unit_name",
    "year",
    "doc_type",
    "scope",
    "parent_url",
)
GONE_STATUSES = (404, 410)

Facts = Mapping[str, Any]


@dataclass(frozen=True)
class FileSeen:
    """One attachment URL of a page as this crawl found it: its content (SHA-256) or why
    it could not be fetched. The other fields are stored, not judged."""

    url: str
    name: str | None = None
    sha256: str | None = None  # None: the fetch failed
    problem: str | None = None  # failed: the kind (http_404, not_pdf, timeout, …)
    http_status: int | None = None
    detail: str | None = None
    size: int | None = None
    kind: str | None = None
    path: str | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    final_url: str | None = None


@dataclass(frozen=True)
class PageSeen:
    url: str
    facts: Facts  # PAGE_FIELDS; None where the page did not say
    files: tuple[FileSeen, ...] = ()


@dataclass(frozen=True)
class KnownAttachment:
    url: str
    name: str | None
    status: str  # active | failed | withdrawn
    sha256: str | None  # current content; None when never fetched


@dataclass(frozen=True)
class KnownPage:
    url: str
    status: str  # active | withdrawn
    facts: Facts
    attachments: tuple[KnownAttachment, ...] = ()

    def content(self) -> frozenset[str]:
        """The files the page offers (a withdrawn page: those it offered)."""
        return frozenset(
            a.sha256
            for a in self.attachments
            if a.sha256 and (a.status != "withdrawn" or self.status == "withdrawn")
        )


@dataclass(frozen=True)
class Event:
    type: str
    attachment_url: str | None = None  # None: the disclosure page itself
    old_sha256: str | None = None
    new_sha256: str | None = None
    note: str | None = None
    changes: Mapping[str, tuple[Any, Any]] | None = None  # page_changed: field → (old, new)
    related_url: str | None = None  # moved: the other page, or the attachment's old URL


@dataclass(frozen=True)
class AttachmentState:
    """An attachment as it is to be written."""

    url: str
    name: str | None
    status: str  # active | failed | withdrawn
    sha256: str | None
    last_error: str | None
    seen: bool  # in this crawl's observation (extend its current version)
    new_version: bool = False  # its content starts a new version


@dataclass(frozen=True)
class Outcome:
    status: str  # the page: active | withdrawn
    facts: Facts
    facts_changed: bool  # starts a new row of the page's history
    attachments: tuple[AttachmentState, ...]
    events: tuple[Event, ...] = field(default=())


def page_seen(known: KnownPage | None, seen: PageSeen, others: Sequence[KnownPage] = ()) -> Outcome:
    """A disclosure page read in this crawl. `others`: known pages (other URLs) that
    share content with it, for recognising a move."""
    if known is None:
        return _new_page(seen, others)
    events: list[Event] = []
    reappeared = known.status == "withdrawn"
    if reappeared:
        events.append(Event("reappeared"))
    facts = {k: known.facts.get(k) for k in PAGE_FIELDS}
    for k in PAGE_FIELDS:
        if seen.facts.get(k) is not None:  # what this visit did not show is not a change
            facts[k] = seen.facts[k]
    changes = {
        k: (known.facts.get(k), facts[k]) for k in PAGE_FIELDS if known.facts.get(k) != facts[k]
    }
    if changes:
        events.append(Event("page_changed", changes=changes))
    states, attachment_events = _attachments(known, seen, reappeared)
    return Outcome("active", facts, bool(changes), states, (*events, *attachment_events))


def page_gone(
    known: KnownPage | None, http_status: int, others: Sequence[KnownPage] = ()
) -> Outcome | None:
    """A known page answered 404/410. None when there is nothing to change."""
    if known is None or known.status == "withdrawn":
        return None
    content = known.content()
    moved_to = next(
        (
            o
            for o in others
            if o.url != known.url and o.status == "active" and content and o.content() == content
        ),
        None,
    )
    event = (
        Event("moved", related_url=moved_to.url, note=f"page answered {http_status}")
        if moved_to
        else Event("withdrawn", note=f"page answered {http_status}")
    )
    states = tuple(
        AttachmentState(a.url, a.name, "withdrawn", a.sha256, None, seen=False)
        for a in known.attachments
        if a.status != "withdrawn"
    )
    return Outcome("withdrawn", dict(known.facts), False, states, (event,))


def _new_page(seen: PageSeen, others: Sequence[KnownPage]) -> Outcome:
    content = frozenset(f.sha256 for f in seen.files if f.sha256)
    moved_from = next(
        (
            o
            for o in others
            if o.url != seen.url and o.status == "withdrawn" and content and o.content() == content
        ),
        None,
    )
    event = Event("moved", related_url=moved_from.url) if moved_from else Event("published")
    states = tuple(_first_sight(f) for f in seen.files)
    facts = {k: seen.facts.get(k) for k in PAGE_FIELDS}
    return Outcome("active", facts, True, states, (event,))


def _first_sight(f: FileSeen) -> AttachmentState:
    """An attachment URL the page never linked before."""
    status = "active" if f.sha256 else "failed"
    return AttachmentState(
        f.url, f.name, status, f.sha256, f.problem, seen=True, new_version=bool(f.sha256)
    )


def _attachments(
    known: KnownPage, seen: PageSeen, page_reappeared: bool
) -> tuple[tuple[AttachmentState, ...], list[Event]]:
    by_url = {a.url: a for a in known.attachments}
    linked = {f.url for f in seen.files}
    # known attachments no longer linked, by content: a new URL with that content is a move
    unlinked = {
        a.sha256: a
        for a in known.attachments
        if a.url not in linked and a.sha256 and a.status != "withdrawn"
    }
    moved: set[str] = set()
    states: list[AttachmentState] = []
    events: list[Event] = []
    for f in seen.files:
        k = by_url.get(f.url)
        if k is None:
            old = unlinked.get(f.sha256 or "")
            if old is not None and old.url not in moved:
                moved.add(old.url)
                events.append(Event("moved", f.url, f.sha256, f.sha256, related_url=old.url))
            elif f.sha256:
                events.append(Event("published", f.url, new_sha256=f.sha256))
            states.append(_first_sight(f))
        elif f.sha256:
            states.append(_fetched(k, f, page_reappeared, events))
        else:
            states.append(_failed(k, f, page_reappeared, events))
    for k in known.attachments:
        if k.url in linked or k.status == "withdrawn":
            continue
        if k.url in moved:
            note = "moved to another URL of the page"
        else:
            note = "no longer linked from the page"
            if k.sha256:  # one that never had content was never published
                events.append(Event("withdrawn", k.url, old_sha256=k.sha256, note=note))
        states.append(AttachmentState(k.url, k.name, "withdrawn", k.sha256, note, seen=False))
    return tuple(states), events


def _fetched(
    k: KnownAttachment, f: FileSeen, page_reappeared: bool, events: list[Event]
) -> AttachmentState:
    if k.status == "withdrawn" and k.sha256 and not page_reappeared:
        events.append(Event("reappeared", f.url, k.sha256, f.sha256))
    new_version = k.sha256 != f.sha256
    if k.sha256 is None:
        events.append(
            Event("published", f.url, new_sha256=f.sha256, note="fetched after failing before")
        )
    elif new_version:
        events.append(Event("revised", f.url, k.sha256, f.sha256))
    return AttachmentState(
        f.url, f.name, "active", f.sha256, None, seen=True, new_version=new_version
    )


def _failed(
    k: KnownAttachment, f: FileSeen, page_reappeared: bool, events: list[Event]
) -> AttachmentState:
    gone = f.http_status in GONE_STATUSES
    if k.status == "withdrawn" and (gone or not page_reappeared):
        return AttachmentState(f.url, f.name, "withdrawn", k.sha256, f.problem, seen=False)
    if gone and k.sha256:
        events.append(
            Event("withdrawn", f.url, old_sha256=k.sha256, note=f"answered {f.http_status}")
        )
        return AttachmentState(f.url, f.name, "withdrawn", k.sha256, f.problem, seen=False)
    # a passing failure (500, timeout): the content stays what it was
    return AttachmentState(
        f.url, f.name, "active" if k.sha256 else "failed", k.sha256, f.problem, seen=False
    )
