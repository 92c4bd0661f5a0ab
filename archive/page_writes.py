"""How one observation of a disclosure page is written: its row, its history, its
attachments, the stored files' versions, its events and fetch problems.

`Store.record_page` / `record_gone` decide what changed (archive/revisions.py) and call
these inside their transaction; each takes the archive's connection.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from archive import changes
from archive.revisions import PAGE_FIELDS, FileSeen, KnownAttachment, KnownPage, Outcome

FACT_COLUMNS = [f for f in PAGE_FIELDS if f != "parent_url"]


def known(conn: sqlite3.Connection, url: str) -> tuple[int, KnownPage] | None:
    row = conn.execute(
        f"""select d.id, d.status, {", ".join("d." + c for c in FACT_COLUMNS)}, p.url
            from disclosures d left join disclosures p on p.id = d.parent_id
            where d.url = ?""",
        [url],
    ).fetchone()
    if row is None:
        return None
    return row[0], known_page(conn, row[0], url, row[1], row[2:])


def known_page(
    conn: sqlite3.Connection, disclosure_id: int, url: str, status: str, facts: Iterable[Any]
) -> KnownPage:
    attachments = tuple(
        KnownAttachment(a_url, name, a_status, sha)
        for a_url, name, a_status, sha in conn.execute(
            "select url, name, status, current_sha256 from attachments"
            " where disclosure_id = ? order by id",
            [disclosure_id],
        )
    )
    return KnownPage(url, status, dict(zip(PAGE_FIELDS, facts, strict=True)), attachments)


def sharing(
    conn: sqlite3.Connection, shas: Iterable[str], exclude: str
) -> list[tuple[int, KnownPage]]:
    """Known pages (other than `exclude`) with an attachment of one of these contents."""
    shas = list(shas)
    if not shas:
        return []
    marks = ",".join("?" for _ in shas)
    rows = conn.execute(
        f"""select distinct d.url from attachments a join disclosures d on d.id = a.disclosure_id
            where a.current_sha256 in ({marks}) and d.url != ?""",
        [*shas, exclude],
    ).fetchall()
    return [found for (url,) in rows if (found := known(conn, url))]


def parent_id(conn: sqlite3.Connection, parent_url: str | None) -> int | None:
    if not parent_url:
        return None
    row = conn.execute("select id from disclosures where url = ?", [parent_url]).fetchone()
    return row[0] if row else None


def insert_disclosure(
    conn: sqlite3.Connection,
    crawl_id: int,
    portal_id: str,
    section: str,
    url: str,
    outcome: Outcome,
    now: str,
) -> int:
    facts = outcome.facts
    cursor = conn.execute(
        f"""insert into disclosures (portal_id, section, url, {", ".join(FACT_COLUMNS)},
                parent_id, status, first_seen, last_seen, first_crawl_id, last_crawl_id)
            values (?, ?, ?, {", ".join("?" for _ in FACT_COLUMNS)}, ?, ?, ?, ?, ?, ?)""",
        [
            portal_id,
            section,
            url,
            *(facts.get(c) for c in FACT_COLUMNS),
            parent_id(conn, facts.get("parent_url")),
            outcome.status,
            now,
            now,
            crawl_id,
            crawl_id,
        ],
    )
    return int(cursor.lastrowid or 0)


def update_disclosure(
    conn: sqlite3.Connection,
    disclosure_id: int,
    crawl_id: int,
    section: str,
    outcome: Outcome,
    now: str,
) -> None:
    facts = outcome.facts
    conn.execute(
        f"""update disclosures set {", ".join(c + " = ?" for c in FACT_COLUMNS)},
                parent_id = coalesce(?, parent_id), section = ?, status = ?,
                withdrawn_at = case when ? = 'active' then null else withdrawn_at end,
                last_seen = ?, last_crawl_id = ?
            where id = ?""",
        [
            *(facts.get(c) for c in FACT_COLUMNS),
            parent_id(conn, facts.get("parent_url")),
            section,
            outcome.status,
            outcome.status,
            now,
            crawl_id,
            disclosure_id,
        ],
    )


def page_history(
    conn: sqlite3.Connection,
    disclosure_id: int,
    crawl_id: int,
    outcome: Outcome,
    *,
    created: bool,
    now: str,
) -> None:
    latest = None
    if not created:
        latest = conn.execute(
            "select max(id) from page_versions where disclosure_id = ?", [disclosure_id]
        ).fetchone()[0]
    if latest is None or outcome.facts_changed:
        conn.execute(
            f"""insert into page_versions (disclosure_id, {", ".join(PAGE_FIELDS)},
                    first_seen, last_seen, first_crawl_id, last_crawl_id)
                values (?, {", ".join("?" for _ in PAGE_FIELDS)}, ?, ?, ?, ?)""",
            [
                disclosure_id,
                *(outcome.facts.get(f) for f in PAGE_FIELDS),
                now,
                now,
                crawl_id,
                crawl_id,
            ],
        )
    else:
        conn.execute(
            "update page_versions set last_seen = ?, last_crawl_id = ? where id = ?",
            [now, crawl_id, latest],
        )


def write_attachments(
    conn: sqlite3.Connection,
    disclosure_id: int,
    crawl_id: int,
    outcome: Outcome,
    files: Iterable[FileSeen],
    now: str,
) -> dict[str, int]:
    """Write each attachment's state (and a stored file's row and version); return
    {url: attachment id} of the page's attachments."""
    seen = {f.url: f for f in files}
    ids = {
        url: att_id
        for att_id, url in conn.execute(
            "select id, url from attachments where disclosure_id = ?", [disclosure_id]
        )
    }
    for state in outcome.attachments:
        att_id = ids.get(state.url)
        if att_id is None:
            cursor = conn.execute(
                """insert into attachments (disclosure_id, url, name, status, current_sha256,
                       last_error, first_seen, last_seen) values (?, ?, ?, ?, ?, ?, ?, ?)""",
                [disclosure_id, state.url, state.name, state.status, state.sha256,
                 state.last_error, now, now],
            )  # fmt: skip
            att_id = ids[state.url] = int(cursor.lastrowid or 0)
        else:
            conn.execute(
                """update attachments set name = coalesce(?, name), status = ?,
                       current_sha256 = ?, last_error = ?,
                       last_seen = case when ? then ? else last_seen end
                   where id = ?""",
                [
                    state.name,
                    state.status,
                    state.sha256,
                    state.last_error,
                    state.seen,
                    now,
                    att_id,
                ],
            )
        f = seen.get(state.url)
        if state.seen and state.sha256 and f is not None:
            write_version(conn, att_id, crawl_id, f, state.new_version, now)
    return ids


def write_version(
    conn: sqlite3.Connection, attachment_id: int, crawl_id: int, f: FileSeen, new: bool, now: str
) -> None:
    conn.execute(
        """insert or ignore into files (sha256, size, content_type, kind, path, first_seen, first_url)
           values (?, ?, ?, ?, ?, ?, ?)""",
        [f.sha256, f.size, f.content_type, f.kind, f.path, now, f.url],
    )
    latest = None
    if not new:
        latest = conn.execute(
            "select max(id) from versions where attachment_id = ? and sha256 = ?",
            [attachment_id, f.sha256],
        ).fetchone()[0]
    if latest is None:
        conn.execute(
            """insert into versions (attachment_id, sha256, first_seen, last_seen,
                   first_crawl_id, last_crawl_id, etag, last_modified, content_type)
               values (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [attachment_id, f.sha256, now, now, crawl_id, crawl_id, f.etag,
             f.last_modified, f.content_type],
        )  # fmt: skip
    else:
        conn.execute(
            """update versions set last_seen = ?, last_crawl_id = ?,
                   etag = coalesce(?, etag), last_modified = coalesce(?, last_modified)
               where id = ?""",
            [now, crawl_id, f.etag, f.last_modified, latest],
        )


def write_events(
    conn: sqlite3.Connection,
    crawl_id: int,
    portal_id: str,
    disclosure_id: int,
    outcome: Outcome,
    attachment_ids: Mapping[str, int],
    others: list[tuple[int, KnownPage]],
    now: str,
) -> None:
    pages = {page.url: page_id for page_id, page in others}
    for event in outcome.events:
        related_page = related_attachment = None
        if event.related_url and event.attachment_url:
            related_attachment = attachment_ids.get(event.related_url)
        elif event.related_url:
            related_page = pages.get(event.related_url)
        details = (
            json.dumps({k: list(v) for k, v in event.changes.items()}, ensure_ascii=False)
            if event.changes
            else None
        )
        inserted = conn.execute(
            """insert or ignore into events (time, crawl_id, type, portal_id, disclosure_id,
                   attachment_id, old_sha256, new_sha256, note, details,
                   related_disclosure_id, related_attachment_id)
               values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                now,
                crawl_id,
                event.type,
                portal_id,
                disclosure_id,
                attachment_ids.get(event.attachment_url) if event.attachment_url else None,
                event.old_sha256,
                event.new_sha256,
                event.note or (f"moved: {event.related_url}" if event.related_url else None),
                details,
                related_page,
                related_attachment,
            ],
        )
        if event.type == "revised" and inserted.rowcount and inserted.lastrowid:
            # both files already read (e.g. content seen before): its figures now
            changes.refresh(conn, event_ids=[inserted.lastrowid])


def write_problem(
    conn: sqlite3.Connection,
    crawl_id: int,
    portal_id: str | None,
    url: str,
    kind: str,
    page_url: str | None,
    http_status: int | None,
    detail: str | None,
    now: str,
    section: str | None = None,
) -> None:
    conn.execute(
        """insert or ignore into fetch_problems
               (crawl_id, time, portal_id, url, page_url, kind, http_status, detail,
                section)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            crawl_id,
            now,
            portal_id,
            url,
            page_url,
            kind,
            http_status,
            (detail or "")[:1000] or None,
            section,
        ],
    )
