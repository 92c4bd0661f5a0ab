"""0010: browsing a large archive fast (100,000 disclosures: every default page ≤200 ms).

- Indexes on the columns the served pages sort and facet by (metadata.json's `sort_desc`
  and `facets`), so that a page reads the newest hundred rows from an index and counts a
  facet from an index instead of reading every row (a `totals` row carries the
  extractor's JSON: a scan of 100,000 of them took 40-100 ms per facet), also once a
  reader has picked a value of another facet.
- `totals.latest`: 1 on the newest extraction of each file (what `latest_totals` shows),
  0 on the older ones; kept by `store_totals`. The view used to find the newest row of
  each file with a subquery per row (3.8 s for one page of it).
- `changes` is a table (it was a view comparing every extraction with every other on each
  read: 4.5 s). Its rows are written when both files of a revision have been read
  (archive/changes.py); filled here from the view it replaces. `change_sentences` reads it.
- `withdrawn`, `revised_files` and `late_or_missing` are views (they were canned queries,
  which Datasette shows whole: a thousand rows rendered took 0.3-0.5 s). As views they are
  paged a hundred rows at a time, sorted, faceted and filtered like any table.
"""

from __future__ import annotations

import sqlite_utils

from archive.migrations.m0006_changes import _SENTENCES

# Sorts: an index leading with the column a page sorts by (it reads the newest hundred).
_SORTS = (
    ("disclosures", ["publish_date"]),
    ("disclosures", ["first_seen"]),
    ("files", ["first_seen"]),
    ("attachments", ["first_seen"]),
    ("versions", ["first_seen"]),
    ("fetch_problems", ["time"]),
    ("totals", ["extracted_at"]),
    ("totals", ["latest", "extracted_at"]),
    ("page_versions", ["first_seen"]),
    ("section_crawls", ["time"]),
    ("skipped", ["time"]),
    ("fixity_problems", ["time"]),
    ("redirects", ["time"]),
    ("calendar", ["days_late"]),
    ("changes", ["time"]),
)

# Facets: each facet column of a table leads an index that holds the table's sort column
# next and then its other facet columns, so a page counts each facet from an index alone,
# also once a reader has picked a value of another facet (disclosures of 2024 by portal:
# 155 → 5 ms), and lists the picked value's newest rows from it in order. `latest` first
# for the facets of latest_totals.
_FACETS = {  # table: (the column its pages sort by, its facets)
    "disclosures": ("publish_date", ["portal_id", "unit_name", "year", "doc_type", "status"]),
    "totals": ("extracted_at", ["status", "extractor_version"]),
    "events": ("time", ["type", "portal_id"]),
    "files": ("first_seen", ["kind"]),
    "attachments": ("first_seen", ["status"]),
    "fetch_problems": ("time", ["kind", "portal_id", "crawl_id"]),
    "totals_by_function": (None, ["name"]),
    "totals_evidence": (None, ["field", "source"]),
    "totals_checks": (None, ["name", "status"]),
    "page_versions": ("first_seen", ["doc_type", "year"]),
    "section_crawls": ("time", ["portal_id", "section", "status", "family"]),
    "skipped": ("time", ["portal_id", "section", "reason"]),
    "fixity_problems": ("time", ["kind", "run_id"]),
    "redirects": ("time", ["portal_id"]),
    "calendar": ("days_late", ["portal_id", "status", "doc_type", "year"]),
    "changes": ("time", ["portal_id", "field"]),
}
_LATEST_FACETS = ["doc_type", "year", "status", "checks_failed"]  # latest_totals

_OTHERS = (
    ("events", ["disclosure_id"]),
    ("events", ["attachment_id"]),
    # a file's revisions, found when it is extracted (archive/changes.py)
    ("events", ["old_sha256"]),
    ("events", ["new_sha256"]),
    ("changes", ["disclosure_id"]),
    # the row id again: a search counts its matching pages from this small index instead
    # of the pages' rows with their text (170,000 matches: 170 → 60 ms)
    ("page_texts", ["id"]),
)


def _indexes() -> list[tuple[str, list[str]]]:
    out = list(_SORTS)
    for table, (sort, facets) in _FACETS.items():
        then = [sort] if sort else []
        out += [(table, [f, *then, *(o for o in facets if o != f)]) for f in facets]
    out += [
        ("totals", ["latest", f, "extracted_at", *(o for o in _LATEST_FACETS if o != f)])
        for f in _LATEST_FACETS
    ]
    return out + list(_OTHERS)


# `+d.year`, `+d.doc_type`: a filter on them (a picked facet) is checked on the few
# withdrawn rows instead of leading SQLite to read every disclosure of that year (68 → 7 ms)
_WITHDRAWN = """
create view withdrawn as
select * from (
  select
    'page' as what,
    d.withdrawn_at,
    d.title as disclosure,
    d.unit_name as unit,
    +d.year as year,
    +d.doc_type as doc_type,
    null as attachment,
    d.url,
    null as last_sha256,
    d.first_seen,
    d.last_seen,
    d.id as disclosure_id,
    null as attachment_id
  from disclosures d
  where d.status = 'withdrawn'
  union all
  select
    'file' as what,
    (
      select max(e.time) from events e
      where e.type = 'withdrawn' and e.attachment_id = a.id
    ) as withdrawn_at,
    d.title as disclosure,
    d.unit_name as unit,
    +d.year as year,
    +d.doc_type as doc_type,
    a.name as attachment,
    a.url,
    a.current_sha256 as last_sha256,
    a.first_seen,
    a.last_seen,
    d.id as disclosure_id,
    a.id as attachment_id
  from attachments a
  join disclosures d on d.id = a.disclosure_id
  where a.status = 'withdrawn' and d.status != 'withdrawn'
)
"""

_REVISED_FILES = """
create view revised_files as
with revised as (
  select
    e.*,
    (
      select v.id from versions v
      where v.attachment_id = e.attachment_id and v.sha256 = e.old_sha256 and v.first_seen <= e.time
      order by v.first_seen desc, v.id desc limit 1
    ) as old_version_id,
    (
      select v.id from versions v
      where v.attachment_id = e.attachment_id and v.sha256 = e.new_sha256 and v.first_seen <= e.time
      order by v.first_seen desc, v.id desc limit 1
    ) as new_version_id
  from events e
  where e.type = 'revised'
)
select
  r.time as revised_at,
  d.title as disclosure,
  d.unit_name as unit,
  a.name as attachment,
  a.url as attachment_url,
  r.old_sha256,
  ov.first_seen as old_first_seen,
  ov.last_seen as old_last_seen,
  fo.size as old_size,
  fo.path as old_path,
  r.new_sha256,
  nv.first_seen as new_first_seen,
  nv.last_seen as new_last_seen,
  fn.size as new_size,
  fn.path as new_path,
  r.disclosure_id,
  r.attachment_id,
  r.crawl_id
from revised r
join disclosures d on d.id = r.disclosure_id
left join attachments a on a.id = r.attachment_id
left join versions ov on ov.id = r.old_version_id
left join versions nv on nv.id = r.new_version_id
left join files fo on fo.sha256 = r.old_sha256
left join files fn on fn.sha256 = r.new_sha256
"""

_LATE_OR_MISSING = """
create view late_or_missing as
select c.status, c.days_late, c.unit, c.year,
  case c.doc_type when 'budget' then '预算' else '决算' end as doc,
  c.due, c.publish_date, c.expected_because, c.portal_id, c.disclosure_id, c.title, c.as_of
from calendar c
where c.status = 'missing' or c.days_late > 0
"""


def _changes_table(db: sqlite_utils.Database) -> None:
    db.table("changes_new").create(
        {
            "event_id": int,
            "time": str,
            "crawl_id": int,
            "portal_id": str,
            "disclosure_id": int,
            "attachment_id": int,
            "old_sha256": str,
            "new_sha256": str,
            "extractor_version": str,
            "field": str,
            "old": float,
            "new": float,
            "difference": float,
        },
        pk=("event_id", "field"),
        foreign_keys=[
            ("event_id", "events", "id"),
            ("crawl_id", "crawls", "id"),
            ("portal_id", "portals", "id"),
            ("disclosure_id", "disclosures", "id"),
            ("attachment_id", "attachments", "id"),
        ],
    )
    db.execute("insert or ignore into changes_new select * from changes")
    db.execute("drop view change_sentences")
    db.execute("drop view changes")
    db.rename_table("changes_new", "changes")
    db.execute(_SENTENCES)


def apply(db: sqlite_utils.Database) -> None:
    db.table("totals").add_column("latest", int, not_null_default=0)
    db.execute(
        "update totals set latest = 1"
        " where rowid in (select max(rowid) from totals group by sha256)"
    )
    db.execute("drop view latest_totals")
    db.execute("create view latest_totals as select * from totals where latest = 1")
    _changes_table(db)
    for view in (_WITHDRAWN, _REVISED_FILES, _LATE_OR_MISSING):
        db.execute(view)
    for table, columns in _indexes():
        db.table(table).create_index(columns, if_not_exists=True)
