"""0009: full-text search that finds Chinese terms of two characters and more.

- `page_texts`: each page's text of each stored PDF (from the extraction pass), with
  `tokens`, the text cut as archive/search.py cuts it (Han runs into overlapping
  character pairs); `page_texts_fts` (FTS5, kept by triggers) indexes the tokens.
- `disclosure_search`: per disclosure (id = disclosures.id), its title and unit name so
  cut; `disclosure_search_fts` indexes them. Filled here for the disclosures known.

Pages of files stored before this migration are indexed by `budget-archive reextract
--all` (the extraction pass writes them).
"""

from __future__ import annotations

import sqlite_utils

from archive.search import index_text


def apply(db: sqlite_utils.Database) -> None:
    db.table("page_texts").create(
        {"id": int, "sha256": str, "page": int, "text": str, "tokens": str},
        pk="id",
        foreign_keys=[("sha256", "files", "sha256")],
    )
    db.table("page_texts").create_index(["sha256", "page"], unique=True)
    db.table("page_texts").enable_fts(["tokens"], fts_version="FTS5", create_triggers=True)
    db.table("disclosure_search").create(
        {"id": int, "tokens": str}, pk="id", foreign_keys=[("id", "disclosures", "id")]
    )
    db.table("disclosure_search").enable_fts(["tokens"], fts_version="FTS5", create_triggers=True)
    rows = db.execute("select id, title, unit_name from disclosures").fetchall()
    db.table("disclosure_search").insert_all(
        {"id": i, "tokens": index_text(" ".join(t for t in (title, unit) if t))}
        for i, title, unit in rows
    )
