"""0007: what watchers need — the publication calendar (who published what, when it was
due, who is missing), the health of each section across crawls, and the notifications sent.

- `portal_deadlines`: a portal's deadline settings from the portals file (NULL: the
  archive's default): days to publish after approval, the month-day a year's budget and
  final account are taken as approved.
- `approvals`: a portal's approval date of one year's budget or final account, where the
  portals file names it.
- `unit_aliases`: other spellings of a unit's name (`alias`) and the unit they stand for;
  edited by users (`budget-archive alias`), read by the calendar.
- `calendar`: one row per (portal, unit, year, doc type): published (first seen, the date
  the page shows, revisions, withdrawn) or missing (due and not on the portal), with the
  approval date, the deadline and the days late. Rebuilt from the disclosures after each
  crawl (and by `budget-archive calendar`), as of a date it records.
- `monitors`: per portal and section, across crawls: the last crawl and its status, when
  it last yielded disclosures, how many crawls in a row it has not, the share of its
  requests answered by a block, its errors, and the flags raised (silent, unreachable,
  blocked, failing). Rebuilt after each crawl.
- `notifications`: one message per crawl and target (the target's URL with its secrets
  masked; `target_key` is a digest of the whole URL), sent or failed, attempts and the last
  error; a failed one is sent again by the next crawl that names the same target.
  `notification_events`: which events each message told, and whether a revision's figures
  were still pending (their diff follows in a later message).
- events of type `missing` (a unit's document due and not on the portal) carry no
  disclosure; `idx_events_type` serves the event filters.
"""

from __future__ import annotations

import sqlite_utils


def apply(db: sqlite_utils.Database) -> None:
    db.table("portal_deadlines").create(
        {
            "portal_id": str,
            "publish_within_days": int,
            "budget_approved": str,
            "final_account_approved": str,
        },
        pk="portal_id",
        foreign_keys=[("portal_id", "portals", "id")],
    )
    db.table("approvals").create(
        {"portal_id": str, "year": int, "doc_type": str, "approved": str},
        pk=("portal_id", "year", "doc_type"),
        foreign_keys=[("portal_id", "portals", "id")],
    )
    db.table("unit_aliases").create(
        {"alias": str, "unit": str, "note": str, "added_at": str}, pk="alias"
    )
    db.table("calendar").create(
        {
            "portal_id": str,
            "unit": str,
            "year": int,
            "doc_type": str,
            "status": str,  # published | withdrawn | missing
            "disclosure_id": int,  # the first published disclosure of the slot
            "disclosures": int,
            "title": str,
            "first_seen": str,
            "publish_date_shown": str,
            "publish_date": str,
            "revisions": int,
            "approved": str,
            "due": str,
            "days_late": int,  # > 0: published (or still missing) that many days after due
            "expected_because": str,  # missing: what made the document expected
            "as_of": str,
        },
        pk=("portal_id", "unit", "year", "doc_type"),
        foreign_keys=[("portal_id", "portals", "id"), ("disclosure_id", "disclosures", "id")],
    )
    db.table("calendar").create_index(["status", "days_late"])
    db.table("monitors").create(
        {
            "portal_id": str,
            "section": str,
            "last_crawl_id": int,
            "last_crawled": str,
            "last_status": str,
            "last_yield": str,  # the last crawl whose list gave disclosures
            "crawls_without_yield": int,  # in a row, up to the last crawl
            "crawls": int,
            "block_share": float,  # blocked answers / requests of the section, last crawl
            "errors": int,  # last crawl
            "flags": str,  # comma-separated: silent, unreachable, blocked, failing
            "detail": str,  # the flags in words
        },
        pk=("portal_id", "section"),
        foreign_keys=[("portal_id", "portals", "id"), ("last_crawl_id", "crawls", "id")],
    )
    db.table("notifications").create(
        {
            "id": int,
            "crawl_id": int,
            "target": str,  # the URL with its secrets masked
            "target_key": str,  # sha256 of the whole URL
            "title": str,
            "body": str,
            "status": str,  # sent | failed
            "attempts": int,
            "created_at": str,
            "last_attempt": str,
            "sent_at": str,
            "last_error": str,
        },
        pk="id",
        foreign_keys=[("crawl_id", "crawls", "id")],
    )
    db.table("notifications").create_index(["target_key", "status"])
    db.table("notification_events").create(
        {"notification_id": int, "event_id": int, "pending": int},
        pk=("notification_id", "event_id"),
        foreign_keys=[("notification_id", "notifications", "id"), ("event_id", "events", "id")],
    )
    db.table("events").create_index(["type", "time"])
