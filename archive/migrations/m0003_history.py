"""0003: history never lost.

- `page_versions`: every distinct set of facts a disclosure page showed (title, dates, unit,
  year, type, scope, parent), with first / last seen; filled with one row per existing page.
- `disclosures.scope` (department | unit), which was computed and dropped before.
- `events`: `details` (JSON: a `page_changed` event's old and new values) and the other
  half of a `moved` event (`related_disclosure_id`, `related_attachment_id`).
- `section_crawls`: what each crawl found in each section (list pages, failures, entries).
- `totals` and its child tables keyed by (file, extractor version): a new extractor
  version adds rows beside the old ones instead of replacing them. `latest_totals` is the
  newest extraction of each file.
- the attachments of a withdrawn disclosure are withdrawn too (they stayed `active`).
"""

from __future__ import annotations

import sqlite_utils


def apply(db: sqlite_utils.Database) -> None:
    db.table("page_versions").create(
        {
            "id": int,
            "disclosure_id": int,
            "title": str,
            "publish_date_shown": str,
            "publish_date": str,
            "unit_name": str,
            "year": int,
            "doc_type": str,
            "scope": str,
            "parent_url": str,
            "first_seen": str,
            "last_seen": str,
            "first_crawl_id": int,
            "last_crawl_id": int,
        },
        pk="id",
        foreign_keys=[
            ("disclosure_id", "disclosures", "id"),
            ("first_crawl_id", "crawls", "id"),
            ("last_crawl_id", "crawls", "id"),
        ],
    )
    db.table("page_versions").create_index(["disclosure_id", "id"])
    db.table("disclosures").add_column("scope", str)
    db.execute(
        """insert into page_versions (disclosure_id, title, publish_date_shown, publish_date,
               unit_name, year, doc_type, scope, parent_url, first_seen, last_seen,
               first_crawl_id, last_crawl_id)
           select d.id, d.title, d.publish_date_shown, d.publish_date, d.unit_name, d.year,
               d.doc_type, d.scope, p.url, d.first_seen, d.last_seen, d.first_crawl_id,
               d.last_crawl_id
           from disclosures d left join disclosures p on p.id = d.parent_id order by d.id"""
    )

    db.table("events").add_column("details", str)
    db.table("events").add_column("related_disclosure_id", int)
    db.table("events").add_column("related_attachment_id", int)
    db.table("attachments").create_index(["current_sha256"])
    db.execute(
        """update attachments set status = 'withdrawn',
               last_error = coalesce(last_error, 'the page was withdrawn')
           where status != 'withdrawn'
             and disclosure_id in (select id from disclosures where status = 'withdrawn')"""
    )

    db.table("section_crawls").create(
        {
            "crawl_id": int,
            "portal_id": str,
            "section": str,
            "time": str,
            "list_pages": int,
            "list_failures": int,
            "entries": int,
        },
        pk=("crawl_id", "portal_id", "section"),
        foreign_keys=[("crawl_id", "crawls", "id"), ("portal_id", "portals", "id")],
    )

    db.table("totals").transform(pk=("sha256", "extractor_version"))
    for child, key in (
        ("totals_by_function", "name"),
        ("totals_evidence", "field"),
        ("totals_checks", "name"),
    ):
        db.table(child).add_column("extractor_version", str)
        db.execute(
            f"update {child} set extractor_version ="
            f" (select t.extractor_version from totals t where t.sha256 = {child}.sha256)"
        )
        db.table(child).transform(
            pk=("sha256", "extractor_version", key),
            drop_foreign_keys=["sha256"],
            add_foreign_keys=[("sha256", "files", "sha256")],
            column_order=["sha256", "extractor_version", key],
        )
    db.execute(
        """create view latest_totals as
           select t.* from totals t
           where t.rowid = (select max(u.rowid) from totals u where u.sha256 = t.sha256)"""
    )
