"""0004: what each crawl made of each section, and where problems happened.

- `section_crawls` gains the walker that crawled the section (`family`; for an `auto`
  section, the family recognised from its entry page, with the evidence in `detection`),
  counts (`disclosures` seen, `new` ones, `files` linked, `blocked` and `errors` among
  the fetch problems) and a `status`: ok, empty, blocked, unreachable or failed.
- `fetch_problems.section`: the section a problem happened in (NULL when unknown).
- `skipped`: list entries and pages that are not wanted disclosures (notices about budget
  work, execution reports, other years …), each with the reason, per crawl.
"""

from __future__ import annotations

import sqlite_utils


def apply(db: sqlite_utils.Database) -> None:
    sections = db.table("section_crawls")
    for column, kind in (
        ("family", str),
        ("detection", str),
        ("disclosures", int),
        ("new", int),
        ("files", int),
        ("blocked", int),
        ("errors", int),
        ("status", str),
    ):
        sections.add_column(column, kind)
    db.table("fetch_problems").add_column("section", str)
    db.table("skipped").create(
        {
            "crawl_id": int,
            "portal_id": str,
            "section": str,
            "url": str,
            "title": str,
            "reason": str,
            "time": str,
        },
        pk=("crawl_id", "url"),
        foreign_keys=[("crawl_id", "crawls", "id"), ("portal_id", "portals", "id")],
    )
