"""0001: portals, crawls, files, disclosures, attachments, versions, events, fetch_problems.

Shipped in 0.1 (2026-11-22). Never edit a shipped migration: add a new one.
"""

from __future__ import annotations

import sqlite_utils


def apply(db: sqlite_utils.Database) -> None:
    db.table("portals").create(
        {
            "id": str,
            "name": str,
            "region": str,
            "base_url": str,
            "sections": str,  # JSON: [{"id", "name", "family", "url"}]
            "first_seen": str,
            "last_crawled": str,
        },
        pk="id",
    )
    db.table("crawls").create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "status": str,  # running | finished | failed
            "portals": str,  # JSON list of portal ids
            "pages_fetched": int,
            "disclosures_seen": int,
            "attachments_seen": int,
            "files_downloaded": int,
            "files_not_modified": int,
            "files_new": int,
            "events": int,
            "problems": int,
            "stats": str,  # JSON: Scrapy stats per spider
        },
        pk="id",
    )
    db.table("files").create(
        {
            "sha256": str,
            "size": int,
            "content_type": str,
            "kind": str,  # pdf | xls | doc | zip | other (from the bytes, not the name)
            "path": str,  # relative to the archive directory
            "first_seen": str,
            "first_url": str,
        },
        pk="sha256",
    )
    db.table("disclosures").create(
        {
            "id": int,
            "portal_id": str,
            "section": str,
            "url": str,
            "title": str,
            "publish_date_shown": str,  # as the portal prints it
            "publish_date": str,  # ISO date when it could be read
            "unit_name": str,
            "year": int,
            "doc_type": str,  # budget | final_account
            "parent_id": int,  # a department page that links this unit's page
            "status": str,  # active | withdrawn
            "first_seen": str,
            "last_seen": str,
            "first_crawl_id": int,
            "last_crawl_id": int,
            "withdrawn_at": str,
        },
        pk="id",
        foreign_keys=[("portal_id", "portals", "id"), ("parent_id", "disclosures", "id")],
    )
    db.table("disclosures").create_index(["url"], unique=True)
    db.table("disclosures").create_index(["portal_id", "status"])
    db.table("disclosures").create_index(["unit_name", "year"])
    db.table("attachments").create(
        {
            "id": int,
            "disclosure_id": int,
            "url": str,
            "name": str,
            "status": str,  # active | failed | withdrawn
            "current_sha256": str,
            "last_error": str,
            "first_seen": str,
            "last_seen": str,
        },
        pk="id",
        foreign_keys=[
            ("disclosure_id", "disclosures", "id"),
            ("current_sha256", "files", "sha256"),
        ],
    )
    db.table("attachments").create_index(["disclosure_id", "url"], unique=True)
    db.table("attachments").create_index(["url"])
    db.table("versions").create(
        {
            "id": int,
            "attachment_id": int,
            "sha256": str,
            "first_seen": str,
            "last_seen": str,
            "first_crawl_id": int,
            "last_crawl_id": int,
            "etag": str,
            "last_modified": str,
            "content_type": str,
        },
        pk="id",
        foreign_keys=[
            ("attachment_id", "attachments", "id"),
            ("sha256", "files", "sha256"),
            ("first_crawl_id", "crawls", "id"),
            ("last_crawl_id", "crawls", "id"),
        ],
    )
    db.table("versions").create_index(["attachment_id", "first_seen"])
    db.table("events").create(
        {
            "id": int,
            "time": str,
            "crawl_id": int,
            "type": str,  # published | revised | withdrawn | reappeared
            "portal_id": str,
            "disclosure_id": int,
            "attachment_id": int,
            "old_sha256": str,
            "new_sha256": str,
            "note": str,
        },
        pk="id",
        foreign_keys=[
            ("crawl_id", "crawls", "id"),
            ("portal_id", "portals", "id"),
            ("disclosure_id", "disclosures", "id"),
            ("attachment_id", "attachments", "id"),
        ],
    )
    # One event of a kind per thing per crawl: recording the same item twice adds nothing.
    db.execute(
        "CREATE UNIQUE INDEX idx_events_once ON events"
        " (crawl_id, type, disclosure_id, ifnull(attachment_id, 0))"
    )
    db.table("events").create_index(["time"])
    db.table("fetch_problems").create(
        {
            "id": int,
            "crawl_id": int,
            "time": str,
            "portal_id": str,
            "url": str,
            "page_url": str,  # the page that linked it
            "kind": str,  # http_404, http_500, not_pdf, blocked, timeout, too_large, robots, ...
            "http_status": int,
            "detail": str,
        },
        pk="id",
        foreign_keys=[("crawl_id", "crawls", "id"), ("portal_id", "portals", "id")],
    )
    db.execute(
        "CREATE UNIQUE INDEX idx_fetch_problems_once ON fetch_problems (crawl_id, url, kind)"
    )
