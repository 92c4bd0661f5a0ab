"""Telling watchers what a crawl found: one message per crawl and target, sent with apprise
(webhooks, e-mail, chat services: any URL apprise knows, e.g. ``json://host/path``,
``mailtos://…``, ``tgram://…``).

A message lists the crawl's events — new documents, revisions with the figures they
changed, withdrawals, documents gone missing past their deadline — and the monitors'
flags. A revision whose figures are not read yet is told as pending; its diff follows in a
later message to the same target. A crawl with nothing to tell sends nothing.

Every attempt is recorded in `notifications` (the target's URL with secrets masked, a
digest of the whole URL to match it again): a message that failed is sent again, before the
new one, by the next crawl that names the same target, so none is lost.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field

import apprise

from archive.health import flag_sentence
from archive.sql import dicts

#: events listed per kind in one message (the rest counted)
MAX_LISTED = 20
KINDS = (
    ("published", "new"),
    ("revised", "revised"),
    ("page_changed", "page changed"),
    ("withdrawn", "withdrawn"),
    ("reappeared", "reappeared"),
    ("moved", "moved"),
    ("missing", "missing past the deadline"),
)


@dataclass
class Message:
    title: str
    body: str
    events: list[tuple[int, bool]] = field(default_factory=list)  # (event id, pending)


def target_key(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()


def _revision_state(conn: sqlite3.Connection, event_id: int) -> tuple[str, list[str]]:
    """('changed', sentences) | ('unchanged', []) | ('unreadable', []) | ('pending', [])"""
    sentences = [
        s
        for (s,) in conn.execute(
            "select sentence from change_sentences where event_id = ? order by field", [event_id]
        )
    ]
    if sentences:
        return "changed", sentences
    row = conn.execute(
        """select min(o.status = 'ok' and n.status = 'ok') from events e
           join totals o on o.sha256 = e.old_sha256
           join totals n on n.sha256 = e.new_sha256 and n.extractor_version = o.extractor_version
           where e.id = ?""",
        [event_id],
    ).fetchone()
    if row is None or row[0] is None:
        return "pending", []
    return ("unchanged" if row[0] else "unreadable"), []


def compose(conn: sqlite3.Connection, crawl_id: int, key: str) -> Message | None:
    """The message for one crawl and target, or None when there is nothing to tell."""
    cursor = conn.execute(
        """select e.id, e.type, e.note, d.title, d.url, a.name as attachment
           from events e
           left join disclosures d on d.id = e.disclosure_id
           left join attachments a on a.id = e.attachment_id
           where e.crawl_id = ? order by e.id""",
        [crawl_id],
    )
    by_kind: dict[str, list[tuple[int, str, list[str], bool]]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for event_id, kind, note, title, url, attachment in cursor.fetchall():
        counts[kind] += 1
        if len(by_kind[kind]) >= MAX_LISTED:
            continue
        line = (
            note if kind == "missing" else f"{title}" + (f" ({attachment})" if attachment else "")
        )
        if url and kind != "missing":
            line += f" <{url}>"
        extra: list[str] = []
        pending = False
        if kind == "revised":
            state, extra = _revision_state(conn, event_id)
            pending = state == "pending"
            if state == "pending":
                extra = ["figures not read yet: their diff follows in a later message"]
            elif state == "unchanged":
                extra = ["no key figure changed"]
            elif state == "unreadable":
                extra = ["the figures of one version could not be read"]
        by_kind[kind].append((event_id, line or kind, extra, pending))

    followed = _follow_ups(conn, key)
    flags = [
        flag_sentence(r)
        for r in dicts(conn, "select * from monitors where flags is not null order by 1, 2")
    ]
    if not counts and not followed and not flags:
        return None

    lines: list[str] = []
    told: list[tuple[int, bool]] = []
    for kind, heading in KINDS:
        if not counts.get(kind):
            continue
        lines.append(f"{heading} ({counts[kind]}):")
        for event_id, line, extra, pending in by_kind[kind]:
            lines.append(f"- {line}")
            lines.extend(f"    {x}" for x in extra)
            told.append((event_id, pending))
        if counts[kind] > len(by_kind[kind]):
            lines.append(f"- … and {counts[kind] - len(by_kind[kind])} more")
    if followed:
        lines.append(f"figures now read for earlier revisions ({len(followed)}):")
        for event_id, sentences in followed:
            lines.extend(f"- {s}" for s in sentences)
            told.append((event_id, False))
    if flags:
        lines.append(f"monitors ({len(flags)}):")
        lines.extend(f"- {f}" for f in flags)
    summary = ", ".join(f"{counts[k]} {h.split(' ')[0]}" for k, h in KINDS if counts.get(k))
    portals = conn.execute("select portals from crawls where id = ?", [crawl_id]).fetchone()
    names = ", ".join(json.loads(portals[0] or "[]")) if portals else ""
    title = f"budget-archive crawl {crawl_id}" + (f" ({names})" if names else "")
    title += ": " + ", ".join(p for p in (summary, f"{len(flags)} flag(s)" if flags else "") if p)
    return Message(title, "\n".join(lines), told)


def _follow_ups(conn: sqlite3.Connection, key: str) -> list[tuple[int, list[str]]]:
    """Revisions told to this target as pending whose figures have been read since."""
    rows = conn.execute(
        """select distinct ne.event_id from notification_events ne
           join notifications n on n.id = ne.notification_id
           where n.target_key = ? and ne.pending = 1
             and not exists (select 1 from notification_events later
                               join notifications m on m.id = later.notification_id
                              where m.target_key = n.target_key
                                and later.event_id = ne.event_id and later.pending = 0)
           order by ne.event_id""",
        [key],
    ).fetchall()
    out = []
    for (event_id,) in rows:
        state, sentences = _revision_state(conn, event_id)
        if state != "pending":
            out.append((event_id, sentences or [f"event {event_id}: no key figure changed"]))
    return out


def masked(url: str) -> str:
    """The target's URL with its secrets (passwords, tokens) masked, as apprise shows it."""
    server = apprise.Apprise.instantiate(url)
    shown = server.url(privacy=True) if server else url.split("://", 1)[0] + "://…"
    return shown.split("?", 1)[0]  # apprise's own options, said again, are noise


def deliver(url: str, title: str, body: str) -> str | None:
    """Send one message; None when sent, else what went wrong (one line)."""
    notifier = apprise.Apprise()
    if not notifier.add(url):
        return "not a notification URL apprise knows"
    logger = logging.getLogger("apprise")
    propagate, logger.propagate = logger.propagate, False  # said once, by us, not twice
    try:
        with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as log:
            ok = notifier.notify(title=title, body=body, body_format=apprise.NotifyFormat.TEXT)
    finally:
        logger.propagate = propagate
    if ok:
        return None
    said = [ln.strip() for ln in log.getvalue().splitlines() if ln.strip()]
    return (said[-1] if said else "the service did not accept the message")[:500]
