"""Storing what the extractor read from each file: the `totals` tables, keyed by SHA-256.

A file is extracted once per extractor version: `needs_extraction()` says whether a stored
result is missing or was made by another version, and `store_totals()` replaces a file's
rows in one transaction. `extract_file()` runs in a worker process (a broken PDF must not
take the crawl down), so it returns plain data and never raises.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from archive.recorder import Archive, utcnow
from extract.fields import AMOUNT_FIELDS as TOTAL_AMOUNT_FIELDS
from extract.fields import TEXT_FIELDS as TOTAL_TEXT_FIELDS


def extractor_version() -> str:
    from extract.document import EXTRACTOR_VERSION

    return str(EXTRACTOR_VERSION)


def extract_file(path: str) -> dict[str, Any]:
    """The extractor's JSON answer for one file, or {"error": reason}. Never raises."""
    try:
        from extract.document import extract_pdf

        return dict(extract_pdf(Path(path)).to_json())
    except Exception as exc:  # noqa: BLE001 - any failure is a recorded result
        return {"error": f"{type(exc).__name__}: {exc}"[:500]}


def needs_extraction(archive: Archive, sha256: str, version: str) -> bool:
    row = archive.db.execute(
        "select extractor_version from totals where sha256 = ?", [sha256]
    ).fetchone()
    return row is None or row[0] != version


def pending_files(archive: Archive, version: str, *, everything: bool = False) -> list[dict]:
    """Stored PDFs without a result of this extractor version (all PDFs if `everything`)."""
    sql = "select f.sha256, f.path from files f left join totals t on t.sha256 = f.sha256 where f.kind = 'pdf'"
    params: list[Any] = []
    if not everything:
        sql += " and (t.sha256 is null or t.extractor_version != ?)"
        params.append(version)
    return list(archive.db.query(sql + " order by f.first_seen", params))


def _evidence_rows(sha256: str, evidence: Any) -> Iterable[dict[str, Any]]:
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
        if not isinstance(e, Mapping):
            continue
        yield {
            "sha256": sha256,
            "field": field,
            "page": e.get("page"),
            "source": e.get("source") or e.get("kind"),
            "text": e.get("text"),
        }


def _check_rows(sha256: str, checks: Any) -> Iterable[dict[str, Any]]:
    items: Iterable[tuple[str, Any]]
    if isinstance(checks, Mapping):
        items = checks.items()
    elif isinstance(checks, list):
        items = ((c.get("name", str(i)), c) for i, c in enumerate(checks) if isinstance(c, Mapping))
    else:
        return
    for name, c in items:
        c = c if isinstance(c, Mapping) else {"status": c}
        detail = {k: v for k, v in c.items() if k not in ("name", "status")}
        yield {
            "sha256": sha256,
            "name": name,
            "status": c.get("status"),
            "detail": json.dumps(detail, ensure_ascii=False) if detail else None,
        }


def store_totals(archive: Archive, sha256: str, result: Mapping[str, Any], version: str) -> None:
    """Replace the stored extraction of one file."""
    error = result.get("error")
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
        **{k: result.get(k) for k in TOTAL_TEXT_FIELDS},
        **{k: result.get(k) for k in TOTAL_AMOUNT_FIELDS},
        "result": json.dumps(result, ensure_ascii=False),
    }
    checks = list(_check_rows(sha256, result.get("checks")))
    row["checks_failed"] = sum(c["status"] == "failed" for c in checks)
    db = archive.db
    with db.atomic():
        for child in ("totals_by_function", "totals_evidence", "totals_checks"):
            db.execute(f"delete from {child} where sha256 = ?", [sha256])
        db.table("totals").upsert(row, pk="sha256")
        by_function = result.get("by_function") or {}
        if isinstance(by_function, Mapping):
            db.table("totals_by_function").insert_all(
                {"sha256": sha256, "name": name, "amount": amount}
                for name, amount in by_function.items()
            )
        db.table("totals_evidence").insert_all(_evidence_rows(sha256, result.get("evidence")))
        db.table("totals_checks").insert_all(checks)


def _bool(value: Any) -> int | None:
    return None if value is None else int(bool(value))
