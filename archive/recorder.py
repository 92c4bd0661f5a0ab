"""Writes to the archive and the revision tracking that turns observations into events.

Every write is idempotent and committed per observation (one disclosure page with its
attachments is one transaction), so a crash mid-crawl loses nothing already recorded and a
re-run of the same observation adds nothing. Rows are never deleted: a withdrawn
disclosure keeps its rows and versions, with `status = 'withdrawn'`.

Events:
- `published`: a disclosure seen for the first time, or a new attachment on a known one;
- `revised`: an attachment URL now serves content with another SHA-256 (old and new kept);
- `withdrawn`: a known disclosure page answers 404/410, or a known attachment is no longer
  linked or answers 404/410;
- `reappeared`: something withdrawn is seen again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from archive.filestore import FileStore
from archive.schema import migrate

GONE_STATUSES = (404, 410)
# What `record_disclosure()` reads of a disclosure page.
PAGE_FIELDS = (
    "portal_id",
    "section",
    "url",
    "title",
    "publish_date_shown",
    "publish_date",
    "unit_name",
    "year",
    "doc_type",
    "parent_url",
)


def utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Validators:
    """What a conditional request for a file URL can send, and the content it stands for."""

    sha256: str
    etag: str | None
    last_modified: str | None


class Archive:
    """An archive directory: `archive.db` and the content-addressed `files/`."""

    _open: dict[Path, Archive] = {}

    def __init__(self, root: Path | str):
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self.db = sqlite_utils.Database(self.root / "archive.db")
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA busy_timeout=30000")
        migrate(self.db)
        self.files = FileStore(self.root)

    @classmethod
    def shared(cls, root: Path | str) -> Archive:
        """One Archive per directory and process, shared by the crawl's components."""
        key = Path(root).resolve()
        if key not in cls._open:
            cls._open[key] = cls(key)
        return cls._open[key]

    # -- crawls and portals -------------------------------------------------------------

    def start_crawl(self, portal_ids: Iterable[str]) -> int:
        with self.db.atomic():
            table = self.db.table("crawls").insert(
                {
                    "started_at": utcnow(),
                    "status": "running",
                    "portals": json.dumps(list(portal_ids)),
                }
            )
        return _pk(table.last_pk)

    def finish_crawl(self, crawl_id: int, status: str = "finished", stats: Any = None) -> dict:
        """Close a crawl row with counts read back from what it recorded."""
        q = self.db.execute

        def one(sql: str) -> int:
            return int(q(sql, [crawl_id]).fetchone()[0] or 0)

        counts = {
            "disclosures_seen": one("select count(*) from disclosures where last_crawl_id = ?"),
            "attachments_seen": one(
                "select count(distinct attachment_id) from versions where last_crawl_id = ?"
            ),
            "files_new": one("select count(*) from versions where first_crawl_id = ?"),
            "events": one("select count(*) from events where crawl_id = ?"),
            "problems": one("select count(*) from fetch_problems where crawl_id = ?"),
        }
        row: dict[str, Any] = {"finished_at": utcnow(), "status": status, **counts}
        if stats is not None:
            row["stats"] = json.dumps(stats, default=str, ensure_ascii=False)
            row["pages_fetched"] = _sum_stat(stats, "budget/pages")
            row["files_downloaded"] = _sum_stat(stats, "budget/files_downloaded")
            row["files_not_modified"] = _sum_stat(stats, "budget/files_not_modified")
        with self.db.atomic():
            self.db.table("crawls").update(crawl_id, row)
        return row

    def upsert_portal(self, portal: Mapping[str, Any]) -> None:
        with self.db.atomic():
            existing = self.db.execute(
                "select first_seen from portals where id = ?", [portal["id"]]
            ).fetchone()
            self.db.table("portals").upsert(
                {
                    **portal,
                    "first_seen": existing[0] if existing else utcnow(),
                    "last_crawled": utcnow(),
                },
                pk="id",
            )

    # -- reading what is known ------------------------------------------------------------

    def known_disclosures(self, portal_id: str, sections: Iterable[str]) -> list[dict]:
        """Active disclosure pages of these sections: a recrawl revisits each of them."""
        sections = list(sections)
        marks = ",".join("?" for _ in sections)
        return list(
            self.db.query(
                f"select id, url, section from disclosures where portal_id = ? and status = 'active'"
                f" and section in ({marks}) order by id",
                [portal_id, *sections],
            )
        )

    def validators(self, url: str) -> Validators | None:
        """The newest stored version fetched from `url`, if its file is still on disk."""
        row = self.db.execute(
            """select v.sha256, v.etag, v.last_modified, f.path from versions v
               join attachments a on a.id = v.attachment_id join files f on f.sha256 = v.sha256
               where a.url = ? and (v.etag is not null or v.last_modified is not null)
               order by v.last_seen desc, v.id desc limit 1""",
            [url],
        ).fetchone()
        if not row or not self.files.exists(row[3]):
            return None
        return Validators(sha256=row[0], etag=row[1], last_modified=row[2])

    # -- recording observations -----------------------------------------------------------

    def record_problem(
        self,
        crawl_id: int,
        portal_id: str | None,
        url: str,
        kind: str,
        *,
        page_url: str | None = None,
        http_status: int | None = None,
        detail: str | None = None,
    ) -> None:
        with self.db.atomic():
            self._problem(crawl_id, portal_id, url, kind, page_url, http_status, detail)

    def record_gone(self, crawl_id: int, url: str, http_status: int) -> bool:
        """A known disclosure page answered 404/410: withdraw it. True when it was active."""
        with self.db.atomic():
            row = self.db.execute(
                "select id, portal_id, status from disclosures where url = ?", [url]
            ).fetchone()
            if not row or row[2] != "active":
                return False
            now = utcnow()
            # last_seen / last_crawl_id stay: the page was not seen; the event says when.
            self.db.table("disclosures").update(
                row[0], {"status": "withdrawn", "withdrawn_at": now}
            )
            self._event(crawl_id, "withdrawn", row[1], row[0], note=f"page answered {http_status}")
        return True

    def record_disclosure(
        self,
        crawl_id: int,
        page: Mapping[str, Any],
        attachments: list[Mapping[str, Any]],
        results: Mapping[str, Mapping[str, Any]],
    ) -> int:
        """Record one disclosure page as seen now, with the outcome for each attachment.

        `page`: portal_id, section, url, title, publish_date_shown, publish_date, unit_name,
        year, doc_type, parent_url. `attachments`: [{url, name}]. `results[url]` is either
        `{"ok": True, sha256, size, kind, path, content_type, etag, last_modified}` or
        `{"ok": False, kind, http_status, detail}`.
        """
        now = utcnow()
        with self.db.atomic():
            disclosure_id, created = self._upsert_disclosure(crawl_id, page, now)
            portal_id = page["portal_id"]
            linked: set[str] = set()
            for att in attachments:
                linked.add(att["url"])
                result = results.get(att["url"]) or {
                    "ok": False,
                    "kind": "not_fetched",
                    "detail": "no fetch result",
                }
                self._record_attachment(
                    crawl_id, portal_id, disclosure_id, page["url"], att, result, created, now
                )
            self._withdraw_unlinked(crawl_id, portal_id, disclosure_id, linked, now)
        return disclosure_id

    # -- internals (called inside a transaction) ------------------------------------------

    def _upsert_disclosure(
        self, crawl_id: int, page: Mapping[str, Any], now: str
    ) -> tuple[int, bool]:
        fields = {k: page.get(k) for k in PAGE_FIELDS if k != "parent_url"}
        parent_url = page.get("parent_url")
        if parent_url:
            parent = self.db.execute(
                "select id from disclosures where url = ?", [parent_url]
            ).fetchone()
            fields["parent_id"] = parent[0] if parent else None
        row = self.db.execute(
            "select id, status from disclosures where url = ?", [page["url"]]
        ).fetchone()
        if row is None:
            table = self.db.table("disclosures").insert(
                {
                    **fields,
                    "status": "active",
                    "first_seen": now,
                    "last_seen": now,
                    "first_crawl_id": crawl_id,
                    "last_crawl_id": crawl_id,
                }
            )
            disclosure_id = _pk(table.last_pk)
            self._event(crawl_id, "published", page["portal_id"], disclosure_id)
            return disclosure_id, True
        disclosure_id, status = row
        update = {k: v for k, v in fields.items() if v is not None}
        update.update(last_seen=now, last_crawl_id=crawl_id, status="active")
        self.db.table("disclosures").update(disclosure_id, update)
        if status == "withdrawn":
            self._event(crawl_id, "reappeared", page["portal_id"], disclosure_id)
            self.db.table("disclosures").update(disclosure_id, {"withdrawn_at": None})
        return disclosure_id, False

    def _record_attachment(
        self,
        crawl_id: int,
        portal_id: str,
        disclosure_id: int,
        page_url: str,
        att: Mapping[str, Any],
        result: Mapping[str, Any],
        disclosure_created: bool,
        now: str,
    ) -> None:
        row = self.db.execute(
            "select id, status, current_sha256 from attachments where disclosure_id = ? and url = ?",
            [disclosure_id, att["url"]],
        ).fetchone()
        if row is None:
            table = self.db.table("attachments").insert(
                {
                    "disclosure_id": disclosure_id,
                    "url": att["url"],
                    "name": att.get("name"),
                    "status": "active",
                    "first_seen": now,
                    "last_seen": now,
                }
            )
            attachment_id, status, current = _pk(table.last_pk), None, None
        else:
            attachment_id, status, current = row

        if not result.get("ok"):
            kind = str(result.get("kind") or "error")
            http_status = result.get("http_status")
            self._problem(
                crawl_id, portal_id, att["url"], kind, page_url, http_status, result.get("detail")
            )
            if current and http_status in GONE_STATUSES and status != "withdrawn":
                self.db.table("attachments").update(
                    attachment_id, {"status": "withdrawn", "last_error": kind}
                )
                self._event(
                    crawl_id, "withdrawn", portal_id, disclosure_id, attachment_id, old=current
                )
            elif status != "withdrawn":
                new_status = "active" if current else "failed"
                self.db.table("attachments").update(
                    attachment_id, {"status": new_status, "last_error": kind}
                )
            return

        sha = result["sha256"]
        self._upsert_file(result, att["url"], now)
        self.db.table("attachments").update(
            attachment_id,
            {
                "status": "active",
                "current_sha256": sha,
                "last_error": None,
                "last_seen": now,
                "name": att.get("name"),
            },
        )
        if status == "withdrawn":
            self._event(
                crawl_id,
                "reappeared",
                portal_id,
                disclosure_id,
                attachment_id,
                old=current,
                new=sha,
            )
        if current == sha:
            latest = self.db.execute(
                "select id from versions where attachment_id = ? order by id desc limit 1",
                [attachment_id],
            ).fetchone()
            update: dict[str, Any] = {"last_seen": now, "last_crawl_id": crawl_id}
            for key in ("etag", "last_modified"):
                if result.get(key):
                    update[key] = result[key]
            self.db.table("versions").update(latest[0], update)
            return
        self.db.table("versions").insert(
            {
                "attachment_id": attachment_id,
                "sha256": sha,
                "first_seen": now,
                "last_seen": now,
                "first_crawl_id": crawl_id,
                "last_crawl_id": crawl_id,
                "etag": result.get("etag"),
                "last_modified": result.get("last_modified"),
                "content_type": result.get("content_type"),
            }
        )
        if current is not None:
            self._event(crawl_id, "revised", portal_id, disclosure_id, attachment_id, current, sha)
        elif not disclosure_created and status is None:
            self._event(crawl_id, "published", portal_id, disclosure_id, attachment_id, new=sha)

    def _withdraw_unlinked(
        self, crawl_id: int, portal_id: str, disclosure_id: int, linked: set[str], now: str
    ) -> None:
        rows = self.db.execute(
            "select id, url, current_sha256 from attachments"
            " where disclosure_id = ? and status != 'withdrawn'",
            [disclosure_id],
        ).fetchall()
        for attachment_id, url, current in rows:
            if url in linked:
                continue
            self.db.table("attachments").update(
                attachment_id, {"status": "withdrawn", "last_error": "no longer linked"}
            )
            self._event(
                crawl_id,
                "withdrawn",
                portal_id,
                disclosure_id,
                attachment_id,
                old=current,
                note="no longer linked from the page",
            )

    def _upsert_file(self, result: Mapping[str, Any], url: str, now: str) -> None:
        self.db.table("files").insert(
            {
                "sha256": result["sha256"],
                "size": result["size"],
                "content_type": result.get("content_type"),
                "kind": result["kind"],
                "path": result["path"],
                "first_seen": now,
                "first_url": url,
            },
            pk="sha256",
            ignore=True,
        )

    def _event(
        self,
        crawl_id: int,
        type_: str,
        portal_id: str,
        disclosure_id: int,
        attachment_id: int | None = None,
        old: str | None = None,
        new: str | None = None,
        note: str | None = None,
    ) -> None:
        self.db.table("events").insert(
            {
                "time": utcnow(),
                "crawl_id": crawl_id,
                "type": type_,
                "portal_id": portal_id,
                "disclosure_id": disclosure_id,
                "attachment_id": attachment_id,
                "old_sha256": old,
                "new_sha256": new,
                "note": note,
            },
            ignore=True,
        )

    def _problem(
        self,
        crawl_id: int,
        portal_id: str | None,
        url: str,
        kind: str,
        page_url: str | None,
        http_status: int | None,
        detail: str | None,
    ) -> None:
        self.db.table("fetch_problems").insert(
            {
                "crawl_id": crawl_id,
                "time": utcnow(),
                "portal_id": portal_id,
                "url": url,
                "page_url": page_url,
                "kind": kind,
                "http_status": http_status,
                "detail": (detail or "")[:1000] or None,
            },
            ignore=True,
        )


def _pk(value: Any) -> int:
    assert value is not None, "insert gave no primary key"
    return int(value)


def _sum_stat(stats: Any, key: str) -> int:
    """Sum a counter over the per-spider stats dicts ({spider: {key: n}}) or one flat dict."""
    if isinstance(stats, Mapping) and key in stats:
        return int(stats[key] or 0)
    if isinstance(stats, Mapping):
        return sum(int(s.get(key, 0) or 0) for s in stats.values() if isinstance(s, Mapping))
    return 0
