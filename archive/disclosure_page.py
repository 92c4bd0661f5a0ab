"""One page per disclosure, read top to bottom: `/-/disclosure/<id>` (and `.json`).

Title, unit, year, dates, the page it came from; its files with every version (links to
the stored bytes, sizes, dates); the key totals of each current PDF with where each was
read (page, table or sentence) and the checks that failed; its events, a revision's with
the figures it changed. Rendered with `templates/disclosure.html`.
"""

from __future__ import annotations

from typing import Any

from datasette.database import Database

from extract.fields import AMOUNT_FIELDS
from extract.fields import AMOUNT_LABELS as LABELS


async def _rows(db: Database, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    return [dict(r) for r in (await db.execute(sql, params)).rows]


async def context(db: Database, disclosure_id: int) -> dict[str, Any] | None:
    """What the page shows, or None when there is no such disclosure."""
    found = await _rows(
        db,
        """select d.*, p.name as portal_name from disclosures d
           left join portals p on p.id = d.portal_id where d.id = ?""",
        [disclosure_id],
    )
    if not found:
        return None
    d = found[0]
    parent = None
    if d.get("parent_id"):
        parents = await _rows(
            db, "select id, title from disclosures where id = ?", [d["parent_id"]]
        )
        parent = parents[0] if parents else None
    files = await _rows(
        db,
        "select * from attachments where disclosure_id = ? order by id",
        [disclosure_id],
    )
    for f in files:
        f["versions"] = await _rows(
            db,
            """select v.sha256, v.first_seen, v.last_seen, fl.size, fl.kind
               from versions v left join files fl on fl.sha256 = v.sha256
               where v.attachment_id = ? order by v.first_seen desc, v.id desc""",
            [f["id"]],
        )
    totals = []
    for f in files:
        sha = f.get("current_sha256")
        if not sha:
            continue
        # the newest extraction of the file (the one latest_totals shows)
        latest = await _rows(db, "select * from totals where sha256 = ? and latest = 1", [sha])
        if not latest:
            continue
        t = latest[0]
        version = t["extractor_version"]
        evidence = {
            e["field"]: e
            for e in await _rows(
                db,
                "select field, page, source, text from totals_evidence"
                " where sha256 = ? and extractor_version = ?",
                [sha, version],
            )
        }
        rows = [
            {"label": LABELS.get(name, name), "value": t[name], **evidence.get(name, {})}
            for name in AMOUNT_FIELDS
            if t.get(name) is not None
        ]
        failed = await _rows(
            db,
            "select name, detail from totals_checks"
            " where sha256 = ? and extractor_version = ? and status = 'failed' order by name",
            [sha, version],
        )
        totals.append(
            {
                "sha256": sha,
                "file_name": f.get("name"),
                "extractor_version": version,
                "status": t["status"],
                "error": t.get("error"),
                "rows": rows,
                "failed": failed,
            }
        )
    events = await _rows(
        db,
        """select e.id, e.time, e.type, e.note, a.name as attachment from events e
           left join attachments a on a.id = e.attachment_id
           where e.disclosure_id = ? order by e.time, e.id""",
        [disclosure_id],
    )
    for e in events:
        e["sentences"] = []
        if e["type"] != "revised":  # only a revision has figures that changed
            continue
        e["sentences"] = [
            r["sentence"]
            for r in await _rows(
                db,
                "select sentence from change_sentences where event_id = ? order by field",
                [e["id"]],
            )
        ]
    return {"d": d, "parent": parent, "files": files, "totals": totals, "events": events}
