"""0005: fixity — each `budget-archive verify` run and what it found; redirect chains.

- `fixity_runs`: when a run checked the stored files, how many and how many bytes, and
  how many were missing, corrupt or orphaned.
- `fixity_problems`: one row a finding: `missing` (a file the database lists is not on
  disk), `corrupt` (its bytes no longer hash to its name; moved aside to `moved_to`, so
  the next crawl fetches it again), `orphaned` (a file under `files/` that the database
  does not list).
- `redirects`: a page or file reached through redirects, per crawl: the URL asked, each
  hop (URL and how it answered) and the final URL.
"""

from __future__ import annotations

import sqlite_utils


def apply(db: sqlite_utils.Database) -> None:
    db.table("fixity_runs").create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "files_checked": int,
            "bytes_checked": int,
            "missing": int,
            "corrupt": int,
            "orphaned": int,
        },
        pk="id",
    )
    db.table("fixity_problems").create(
        {
            "id": int,
            "run_id": int,
            "time": str,
            "kind": str,  # missing | corrupt | orphaned
            "path": str,  # relative to the archive directory
            "sha256": str,  # as the database records it (NULL for an orphan)
            "detail": str,
            "moved_to": str,  # where a corrupt file was put aside
        },
        pk="id",
        foreign_keys=[("run_id", "fixity_runs", "id"), ("sha256", "files", "sha256")],
    )
    db.table("fixity_problems").create_index(["sha256"])
    db.table("redirects").create(
        {
            "crawl_id": int,
            "portal_id": str,
            "url": str,  # the URL asked first
            "final_url": str,
            "hops": str,  # JSON: [{"url", "reason"}] in order (reason: 301, 302, meta refresh)
            "time": str,
        },
        pk=("crawl_id", "url"),
        foreign_keys=[("crawl_id", "crawls", "id"), ("portal_id", "portals", "id")],
    )
    db.table("redirects").create_index(["final_url"])
