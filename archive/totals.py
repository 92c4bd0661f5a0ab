"""What the extractor read from each stored file: the `totals` tables, keyed by (SHA-256,
extractor version).

Each file is extracted once per extractor version. A new version adds its rows beside the
old ones (`latest` marks the newest of each file, which `latest_totals` shows); nothing is deleted. Only a failed
extraction (`status = 'error'`) may be replaced by a later one of the same version.
`extract_file()` runs in a worker process (a broken PDF must not take the crawl down), so
it returns plain data and never raises.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from archive import changes
from archive.search import record_page_texts
from archive.store import Store, utcnow
from extract.fields import AMOUNT_FIELDS, TEXT_FIELDS


def extractor_version() -> str:
    from extract.document import EXTRACTOR_VERSION

    return str(EXTRACTOR_VERSION)


def extract_file(path: str, context: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The extractor's JSON answer for one file, or {"error": reason}. Never raises.
    `context`: what the page that linked the file says (`file_context`)."""
    try:
        from extract.context import Context
        from extract.document import extract_pdf

        told = Context.from_json(dict(context)) if context else None
        extraction = extract_pdf(Path(path), told)
        return {**extraction.to_json(), "page_texts": extraction.page_texts}
    except Exception as exc:  # noqa: BLE001 - any failure is a recorded result
        return {"error": f"{type(exc).__name__}: {exc}"[:500]}


def extracted(store: Store, version: str) -> set[str]:
    """Files with a successful extraction of this version."""
    return {
        sha
        for (sha,) in store.conn.execute(
            "select sha256 from totals where extractor_version = ? and status = 'ok'", [version]
        )
    }


def pending_files(store: Store, version: str, *, everything: bool = False) -> list[dict]:
    """Stored PDFs without a successful extraction of this version (all PDFs when
    `everything`, e.g. to retry after a worker was killed)."""
    sql = "select f.sha256, f.path from files f where f.kind = 'pdf'"
    params: list[str] = []
    if not everything:
        sql += (
            " and not exists (select 1 from totals t where t.sha256 = f.sha256"
            " and t.extractor_version = ? and t.status = 'ok')"
        )
        params.append(version)
    return [
        {"sha256": sha, "path": path}
        for sha, path in store.conn.execute(sql + " order by f.first_seen", params)
    ]


_CONTEXT_SQL = """
select d.title, d.unit_name, d.year, d.doc_type, d.scope, a.name, a.url,
    (select count(*) from attachments b join files g on g.sha256 = b.current_sha256
     where b.disclosure_id = d.id and g.kind = 'pdf' and b.status != 'withdrawn') as documents
from attachments a join disclosures d on d.id = a.disclosure_id
where a.current_sha256 = ?
order by a.last_seen desc, a.id desc limit 1
"""


def file_context(store: Store, sha256: str) -> dict[str, Any] | None:
    """What the disclosure page that last linked this file says of it, for the extractor
    (`extract.context.Context`); None when no page links it."""
    row = store.conn.execute(_CONTEXT_SQL, [sha256]).fetchone()
    if row is None:
        return None
    title, unit, year, doc_type, scope, name, url, documents = row
    return {
        "page_title": title,
        "unit_name": unit,
        "year": year,
        "doc_type": doc_type,
        "scope": scope,
        "file_name": name or unquote(urlsplit(url).path.rsplit("/", 1)[-1]) or None,
        "sole": documents <= 1,
    }


def _evidence_rows(evidence: Any) -> Iterable[tuple[str, Any, Any, Any]]:
    items: Iterable[tuple[str, Any]]
    if isinstance(evidence, Mapping):
        items = evidence.items()
    elif isinstance(evidence, list):
        items = (
            (e.get("field", str(i)), e) for i, e in enumerate(evidence) if isinstance(e, Mapping)
        )
    else:
        return
    for field, e in items:
        if isinstance(e, Mapping):
            yield field, e.get("page"), e.get("source") or e.get("kind"), e.get("text")


def _check_rows(checks: Any) -> list[tuple[str, Any, str | None]]:
    items: Iterable[tuple[str, Any]]
    if isinstance(checks, Mapping):
        items = checks.items()
    elif isinstance(checks, list):
        items = ((c.get("name", str(i)), c) for i, c in enumerate(checks) if isinstance(c, Mapping))
    else:
        return []
    rows = []
    for name, c in items:
        c = c if isinstance(c, Mapping) else {"status": c}
        detail = {k: v for k, v in c.items() if k not in ("name", "status")}
        rows.append(
            (name, c.get("status"), json.dumps(detail, ensure_ascii=False) if detail else None)
        )
    return rows


_TOTALS_COLUMNS = (
    "sha256",
    "extractor_version",
    "extracted_at",
    "status",
    "error",
    "text_layer",
    "is_budget_disclosure",
    "pages",
    "year",
    *TEXT_FIELDS,
    *AMOUNT_FIELDS,
    "checks_failed",
    "result",
)


def store_totals(store: Store, sha256: str, result: Mapping[str, Any], version: str) -> bool:
    """Record one extraction of a file by an extractor version. False when a successful
    one of that version is already recorded (it stays)."""
    texts = result.get("page_texts")
    result = {k: v for k, v in result.items() if k != "page_texts"}  # not in `result`
    error = result.get("error")
    checks = _check_rows(result.get("checks"))
    row: dict[str, Any] = {
        "sha256": sha256,
        "extractor_version": version,
        "extracted_at": utcnow(),
        "status": "error" if error else "ok",
        "error": error,
        "text_layer": _bool(result.get("text_layer")),
        "is_budget_disclosure": _bool(result.get("is_budget_disclosure")),
        "pages": result.get("pages"),
        "year": result.get("year"),
        **{k: result.get(k) for k in TEXT_FIELDS},
        **{k: result.get(k) for k in AMOUNT_FIELDS},
        "checks_failed": sum(status == "failed" for _, status, _ in checks),
        "result": json.dumps(result, ensure_ascii=False),
    }
    conn = store.conn
    key = [sha256, version]
    with store.db.atomic():
        previous = conn.execute(
            "select status from totals where sha256 = ? and extractor_version = ?", key
        ).fetchone()
        if previous is not None and previous[0] == "ok":
            # a failed extraction of this version gives way to a new attempt; a file read
            # before its pages were indexed gets them now
            if isinstance(texts, list) and not _indexed(conn, sha256):
                record_page_texts(conn, sha256, [str(t) for t in texts])
            return False
        inserted = conn.execute(
            f"insert or replace into totals ({', '.join(_TOTALS_COLUMNS)})"
            f" values ({', '.join('?' for _ in _TOTALS_COLUMNS)})",
            [row[c] for c in _TOTALS_COLUMNS],
        ).lastrowid
        # the newest extraction of the file is the one `latest_totals` shows
        conn.execute("update totals set latest = (rowid = ?) where sha256 = ?", [inserted, sha256])
        by_function = result.get("by_function") or {}
        if isinstance(by_function, Mapping):
            conn.executemany(
                "insert or ignore into totals_by_function (sha256, extractor_version, name, amount)"
                " values (?, ?, ?, ?)",
                [(*key, name, amount) for name, amount in by_function.items()],
            )
        conn.executemany(
            "insert or ignore into totals_evidence (sha256, extractor_version, field, page, source, text)"
            " values (?, ?, ?, ?, ?, ?)",
            [(*key, *e) for e in _evidence_rows(result.get("evidence"))],
        )
        conn.executemany(
            "insert or ignore into totals_checks (sha256, extractor_version, name, status, detail)"
            " values (?, ?, ?, ?, ?)",
            [(*key, *c) for c in checks],
        )
        if isinstance(texts, list) and not error:
            record_page_texts(conn, sha256, [str(t) for t in texts])
        changes.refresh(conn, sha256=sha256)  # a revision of (or to) this file, now comparable
    return True


def _indexed(conn: Any, sha256: str) -> bool:
    found = conn.execute("select 1 from page_texts where sha256 = ? limit 1", [sha256])
    return found.fetchone() is not None


def _bool(value: Any) -> int | None:
    return None if value is None else int(bool(value))
