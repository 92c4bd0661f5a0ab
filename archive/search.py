"""Full-text search that finds Chinese terms of any length, two characters included.

SQLite's tokenizers do not segment Chinese: unicode61 makes a whole run of characters one
token, trigram cannot match a two-character term (三公, 医保). So the archive indexes text
already cut into overlapping character pairs — 三公经费说明 is indexed as 三公 公经 经费 费说
说明 (a lone character as itself) — with words and numbers as they are, into SQLite FTS5
tables kept by sqlite-utils (`page_texts_fts`, `disclosure_search_fts`). A query is cut the
same way: a run of two or more characters becomes the phrase of its pairs (三公经费 →
"三公 公经 经费", which only matches the characters in that order), a lone character a
prefix (年 → 年*: 2024年 finds 2024 followed by 年), and the query's parts must all match.

What is indexed: every disclosure's title and unit name (`disclosure_search`), and the
text of every page of every stored PDF (`page_texts`), written by the extraction pass (no
second read of the file) and by `reextract`.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from archive.sql import dicts

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_PARTS = re.compile(rf"([{_HAN}]+)|([0-9a-z]+)")


def _parts(text: str) -> list[tuple[str, bool]]:
    """(part, is_han) in order: runs of Han characters, and words / numbers."""
    folded = unicodedata.normalize("NFKC", text or "").lower()
    return [(m.group(0), bool(m.group(1))) for m in _PARTS.finditer(folded)]


def _pairs(run: str) -> list[str]:
    return [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]


_LAYOUT_SPACE = re.compile(rf"(?<=[{_HAN}])\s+(?=[{_HAN}])")


def index_text(text: str) -> str:
    """The text as the index stores it: Han runs as overlapping pairs, words as words.
    White space between two Han characters is layout (a line broken inside a word, a
    table's cells), not a word boundary: the run goes on across it."""
    tokens: list[str] = []
    for part, han in _parts(_LAYOUT_SPACE.sub("", text or "")):
        tokens.extend(_pairs(part) if han else [part])
    return " ".join(tokens)


def fts_query(query: str) -> str | None:
    """An FTS5 query matching `query` as the index was cut; None when it has nothing to
    search for (punctuation only)."""
    terms = []
    for part, han in _parts(query):
        if han and len(part) == 1:
            terms.append(f'"{part}"*')
        else:
            terms.append('"' + " ".join(_pairs(part) if han else [part]) + '"')
    return " AND ".join(terms) if terms else None


def snippet(text: str, query: str, width: int = 40) -> str:
    """About `width` characters of `text` around the first place the query's first part
    appears (the start of the text when it does not), white space squeezed."""
    flat = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip()
    parts = _parts(query)
    at = flat.lower().find(parts[0][0]) if parts else -1
    start = max(0, at - width // 3) if at >= 0 else 0
    cut = flat[start : start + width]
    return ("…" if start else "") + cut + ("…" if start + width < len(flat) else "")


def query_words(query: str) -> list[str]:
    """The words of a query as matched (folded): 三公经费 2024 → ["三公经费", "2024"]."""
    return [part for part, _ in _parts(query)]


_ALL_HAN = re.compile(rf"[{_HAN}]{{2,}}")


def contains_query(value: str) -> str | None:
    """The FTS5 query that finds every text containing `value` — and some more — when
    `value` is two or more Han characters and nothing else (its pairs, in order, are in
    the index wherever it occurs); None otherwise (a lone character, or letters and digits,
    which the index holds as whole words, may sit inside a longer token)."""
    folded = unicodedata.normalize("NFKC", value or "").strip()
    return fts_query(folded) if _ALL_HAN.fullmatch(folded) else None


def register_functions(conn: sqlite3.Connection) -> None:
    """`search_query(text)` (the FTS5 query `fts_query` makes; a query that matches nothing
    when there is nothing to search for), `search_snippet(text, query)` and
    `contains_query(text)` in SQL, for Datasette's canned queries."""
    conn.create_function(
        "search_query", 1, lambda q: fts_query(q or "") or '""', deterministic=True
    )
    conn.create_function(
        "search_snippet", 2, lambda text, q: snippet(text or "", q or "", 60), deterministic=True
    )
    conn.create_function("contains_query", 1, contains_query, deterministic=True)


def index_disclosure(conn: sqlite3.Connection, disclosure_id: int, *texts: str | None) -> None:
    """(Re)index a disclosure's title and unit name (inside a transaction)."""
    conn.execute(
        "insert or replace into disclosure_search (id, tokens) values (?, ?)",
        [disclosure_id, index_text(" ".join(t for t in texts if t))],
    )


def index_unindexed(conn: sqlite3.Connection) -> int:
    """Index the disclosures that have no search row (written by hand or by other tools:
    the crawl indexes its own). Returns how many. Cheap when there are none: two counts.
    Filters narrowed by the index (title contains …) rely on every disclosure having one."""
    (pages,) = conn.execute("select count(*) from disclosures").fetchone()
    (indexed,) = conn.execute("select count(*) from disclosure_search").fetchone()
    if pages == indexed:
        return 0
    missing = conn.execute(
        """select d.id, d.title, d.unit_name from disclosures d
           where not exists (select 1 from disclosure_search s where s.id = d.id)"""
    ).fetchall()
    with conn:
        for disclosure_id, title, unit in missing:
            index_disclosure(conn, disclosure_id, title, unit)
    return len(missing)


def record_page_texts(conn: sqlite3.Connection, sha256: str, texts: Sequence[str]) -> None:
    """A stored file's page texts, indexed (inside a transaction); they replace those of
    an earlier extraction."""
    conn.execute("delete from page_texts where sha256 = ?", [sha256])
    conn.executemany(
        "insert into page_texts (sha256, page, text, tokens) values (?, ?, ?, ?)",
        [(sha256, n, text, index_text(text)) for n, text in enumerate(texts, 1)],
    )


@dataclass(frozen=True)
class Hit:
    disclosure_id: int
    title: str
    unit: str | None
    year: int | None
    url: str  # the disclosure page
    page: int | None = None  # a page of a file (None: the title or unit matched)
    file_url: str | None = None
    snippet: str = ""

    @property
    def link(self) -> str:
        """Where to read it: the file at that page, or the disclosure page."""
        return f"{self.file_url}#page={self.page}" if self.file_url and self.page else self.url


def search(
    conn: sqlite3.Connection,
    query: str,
    *,
    unit: str | None = None,
    year: int | None = None,
    limit: int = 50,
) -> list[Hit]:
    """Disclosures whose title or unit matches, then pages of their files that do."""
    match = fts_query(query)
    if match is None:
        return []
    where, params = _filters(unit, year)
    hits: list[Hit] = []
    for row in dicts(
        conn,
        f"""select d.id, d.title, d.unit_name, d.year, d.url from disclosures d
            where d.id in (select rowid from disclosure_search_fts
                           where disclosure_search_fts match ?) {where}
            order by d.publish_date desc, d.id desc limit ?""",
        [match, *params, limit],
    ):
        hits.append(Hit(row["id"], row["title"], row["unit_name"], row["year"], row["url"]))
    for row in dicts(
        conn,
        f"""select d.id, d.title, d.unit_name, d.year, d.url, p.page, p.text,
                   (select a.url from attachments a where a.disclosure_id = d.id
                      and a.current_sha256 = p.sha256 limit 1) as file_url
            from page_texts p
            join attachments a0 on a0.current_sha256 = p.sha256
            join disclosures d on d.id = a0.disclosure_id
            where p.id in (select rowid from page_texts_fts where page_texts_fts match ?) {where}
            group by d.id, p.sha256, p.page
            order by d.publish_date desc, d.id desc, p.page limit ?""",
        [match, *params, limit],
    ):
        hits.append(
            Hit(
                row["id"],
                row["title"],
                row["unit_name"],
                row["year"],
                row["url"],
                row["page"],
                row["file_url"],
                snippet(row["text"], query),
            )
        )
    return hits


def _filters(unit: str | None, year: int | None) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if unit:
        clauses.append("d.unit_name like ?")
        params.append(f"%{unit}%")
    if year:
        clauses.append("d.year = ?")
        params.append(year)
    return "".join(f" and {c}" for c in clauses), params
