"""What a revision changed in the figures: the `changes` table.

One row per figure that differs between the two files of a `revised` event — a key total or
a function-class line (`by_function:<class>`) — read under one extractor version, the newest
that read both files successfully; old, new and their difference (万元). A figure only one
side gives has the other side null.

The rows are written when the second of the two extractions arrives (`store_totals`) or when
the revision is recorded with both files already read, and rewritten when a newer extractor
version reads both. They used to be a view over every extraction, which scanned all of
`totals` sixteen times for each page of it (4.5 s on 100,000 disclosures).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from extract.fields import AMOUNT_FIELDS

EPSILON = 0.000001  # amounts are 万元 with at most 6 decimals: smaller is no change

# `+type`: a file's revisions are found by its digest, not among all events of the type
_REVISIONS = """
select id, time, crawl_id, portal_id, disclosure_id, attachment_id, old_sha256, new_sha256
  from events
 where +type = 'revised' and old_sha256 is not null and new_sha256 is not null and ({})
"""

# the newest extractor version that read both files successfully (`+status`: found by
# the file's key, never by an index on status, whatever SQLite's statistics say)
_COMMON_VERSION = """
select o.extractor_version from totals o join totals n
    on n.sha256 = ? and n.extractor_version = o.extractor_version and +n.status = 'ok'
 where o.sha256 = ? and +o.status = 'ok'
 order by cast(o.extractor_version as integer) desc limit 1
"""

_COLUMNS = (
    "event_id",
    "time",
    "crawl_id",
    "portal_id",
    "disclosure_id",
    "attachment_id",
    "old_sha256",
    "new_sha256",
    "extractor_version",
    "field",
    "old",
    "new",
    "difference",
)


def figures(conn: sqlite3.Connection, sha256: str, version: str) -> dict[str, float]:
    """The figures one extraction gave: key totals by field, function classes as
    `by_function:<class>` (empty unless that extraction succeeded)."""
    row = conn.execute(
        f"select {', '.join(AMOUNT_FIELDS)} from totals"
        " where sha256 = ? and extractor_version = ? and status = 'ok'",
        [sha256, version],
    ).fetchone()
    if row is None:
        return {}
    out = {
        field: value for field, value in zip(AMOUNT_FIELDS, row, strict=True) if value is not None
    }
    for name, amount in conn.execute(
        "select name, amount from totals_by_function where sha256 = ? and extractor_version = ?"
        " order by rowid",
        [sha256, version],
    ):
        if amount is not None:
            out[f"by_function:{name}"] = amount
    return out


Difference = tuple[str, float | None, float | None, float | None]


def differences(old: dict[str, float], new: dict[str, float]) -> list[Difference]:
    """(field, old, new, difference) for each figure that differs or that one side lacks."""
    out: list[Difference] = []
    for field in [*old, *(f for f in new if f not in old)]:
        a, b = old.get(field), new.get(field)
        if a is not None and b is not None:
            if abs(b - a) <= EPSILON:
                continue
            out.append((field, a, b, round(b - a, 6)))
        else:
            out.append((field, a, b, None))
    return out


def refresh(
    conn: sqlite3.Connection, *, event_ids: Iterable[int] = (), sha256: str | None = None
) -> int:
    """Rewrite the `changes` rows of the given revised events, or of every revised event
    naming `sha256` on either side. Returns the number of rows written."""
    ids = list(event_ids)
    if sha256 is not None:
        revisions = conn.execute(
            _REVISIONS.format("old_sha256 = ? or new_sha256 = ?"), [sha256, sha256]
        ).fetchall()
    elif ids:
        marks = ", ".join("?" for _ in ids)
        revisions = conn.execute(_REVISIONS.format(f"id in ({marks})"), ids).fetchall()
    else:
        return 0
    written = 0
    for event in revisions:
        event_id, old_sha, new_sha = event[0], event[6], event[7]
        conn.execute("delete from changes where event_id = ?", [event_id])
        found = conn.execute(_COMMON_VERSION, [new_sha, old_sha]).fetchone()
        if found is None:
            continue  # one side not (successfully) read yet: its rows come with it
        version = found[0]
        rows = [
            (*event, version, *diff)
            for diff in differences(
                figures(conn, old_sha, version), figures(conn, new_sha, version)
            )
        ]
        conn.executemany(
            f"insert into changes ({', '.join(_COLUMNS)})"
            f" values ({', '.join('?' for _ in _COLUMNS)})",
            rows,
        )
        written += len(rows)
    return written
