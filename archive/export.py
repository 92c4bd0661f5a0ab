"""The key totals for spreadsheet users: one row per disclosure, each figure a column.

A disclosure's figures come from the newest extraction of each of its current files (a
disclosure often splits its prose and its tables into two PDFs). Where its files agree on
a figure, or only one gives it, that is the cell; where they give different values the
cell stays empty and the figure is named in `conflicts` — a wrong number in a spreadsheet
is worse than an empty cell.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator
from typing import IO, Any

from extract.fields import AMOUNT_FIELDS

COLUMNS = (
    "disclosure_id",
    "portal_id",
    "unit_name",
    "year",
    "doc_type",
    "scope",
    "title",
    "publish_date",
    "status",
    "url",
    "files",
    *AMOUNT_FIELDS,
    "conflicts",
)


def rows(conn: sqlite3.Connection, year: int | None = None) -> Iterator[dict[str, Any]]:
    """One dict per disclosure (newest publish date first), COLUMNS as keys."""
    where = "where d.year = ?" if year else ""
    params: list[Any] = [year] if year else []
    disclosures = conn.execute(
        f"""select d.id, d.portal_id, d.unit_name, d.year, d.doc_type, d.scope, d.title,
                   d.publish_date, d.status, d.url
            from disclosures d {where}
            order by d.publish_date desc, d.id desc""",
        params,
    ).fetchall()
    figures: dict[int, list[dict[str, Any]]] = {}
    cursor = conn.execute(
        f"""select a.disclosure_id, {", ".join("t." + f for f in AMOUNT_FIELDS)}
            from attachments a join latest_totals t on t.sha256 = a.current_sha256
            where t.status = 'ok' and a.status = 'active'"""
    )
    for values in cursor:
        figures.setdefault(values[0], []).append(dict(zip(AMOUNT_FIELDS, values[1:], strict=True)))
    for d in disclosures:
        found = figures.get(d[0], [])
        row: dict[str, Any] = dict(zip(COLUMNS[:10], d, strict=True))
        row["files"] = len(found)
        conflicts = []
        for name in AMOUNT_FIELDS:
            values = {f[name] for f in found if f[name] is not None}
            if len(values) > 1:
                conflicts.append(name)
            row[name] = values.pop() if len(values) == 1 else None
        row["conflicts"] = ",".join(conflicts) or None
        yield row


def write(conn: sqlite3.Connection, out: IO[str], fmt: str = "csv", year: int | None = None) -> int:
    """Write the rows as CSV (with a header) or JSON lines; return how many."""
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows(conn, year):
            writer.writerow(row)
            count += 1
    else:
        for row in rows(conn, year):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count
