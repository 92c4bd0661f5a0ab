"""The archive's store: `archive.db` (SQLite) and the content-addressed `files/`.

A thin layer: it reads what the archive knows, asks the revision rules
(`archive/revisions.py`) what an observation changes, and writes the outcome in one
transaction (the rows of a page's observation: `archive/page_writes.py`). Every write is
idempotent (recording the same observation twice in a crawl adds nothing), and rows are
never deleted: a withdrawn disclosure keeps its rows, versions and page history, with
`status = 'withdrawn'`.

The crawler never sees this: what a crawl needs to know of the archive (the pages to
revisit, the validators of stored files) is handed to it as plain data
(`revisit_plan()`, `file_validators()`).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from archive import calendar, health, notifications, page_writes, revisions, revisit, search
from archive.filestore import FileStore
from archive.lock import CrawlLock
from archive.migrations import migrate
from archive.revisions import KnownPage, PageSeen
from archive.sql import dicts

# the facts of a page as stored: disclosures has parent_id, page_versions parent_url


def utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class Store:
    """An archive directory: `archive.db` and the content-addressed `files/`."""

    def __init__(self, root: Path | str):
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self.db = sqlite_utils.Database(self.root / "archive.db")
        self.db.execute("PRAGMA journal_mode=WAL")
        # WAL + NORMAL: a crash of the process loses nothing committed; only a power cut
        # may lose the last transactions (never corrupts).
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA busy_timeout=30000")
        migrate(self.db)
        search.index_unindexed(self.conn)  # e.g. disclosures written by hand
        self.files = FileStore(self.root)
        self.lock = CrawlLock(self.root)
        self.interrupted: list[int] = []  # crawls a dead process left running (start_crawl)
        self.swept = 0  # half-written files it left

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    def close(self) -> None:
        self.lock.release()
        with contextlib.suppress(sqlite3.Error):
            # statistics for SQLite's query planner (Datasette's pages choose their indexes
            # by them), gathered where this connection's queries lacked them; bounded
            self.conn.execute("pragma analysis_limit = 400")
            self.conn.execute("pragma optimize")
        self.db.close()

    # -- crawls and portals ---------------------------------------------------------------

    def start_crawl(self, portal_ids: Iterable[str]) -> int:
        """Open a crawl row, holding the archive's crawl lock until `finish_crawl` (or
        `close`, or the process's death): raises ArchiveBusy while another crawl runs.
        With the lock taken, what a dead crawl left is tidied first: its row, still
        `running`, is closed as `interrupted`, and its half-written files (`*.tmp`) go."""
        now = utcnow()
        self.lock.acquire(f"a crawl starting at {now}")
        try:
            self.interrupted = self._close_interrupted(now)
            self.swept = self.files.sweep()
            with self.db.atomic():
                cursor = self.conn.execute(
                    "insert into crawls (started_at, status, portals) values (?, 'running', ?)",
                    [now, json.dumps(list(portal_ids))],
                )
        except BaseException:
            self.lock.release()
            raise
        crawl_id = int(cursor.lastrowid or 0)
        self.lock.note(f"crawl {crawl_id} since {now}")
        return crawl_id

    def _close_interrupted(self, now: str) -> list[int]:
        """Crawls left `running` by a process that died (the lock is ours: none runs)."""
        dead = [
            row[0] for row in self.conn.execute("select id from crawls where status = 'running'")
        ]
        for crawl_id in dead:
            self.close_sections(crawl_id)
            with self.db.atomic():
                self.conn.execute(
                    "update crawls set status = 'interrupted', finished_at = ? where id = ?",
                    [now, crawl_id],
                )
        return dead

    def finish_crawl(self, crawl_id: int, status: str = "finished", stats: Any = None) -> dict:
        """Close a crawl row with counts read back from what it recorded."""

        def one(sql: str) -> int:
            return int(self.conn.execute(sql, [crawl_id]).fetchone()[0] or 0)

        row: dict[str, Any] = {
            "finished_at": utcnow(),
            "status": status,
            "disclosures_seen": one("select count(*) from disclosures where last_crawl_id = ?"),
            "attachments_seen": one(
                "select count(distinct attachment_id) from versions where last_crawl_id = ?"
            ),
            "files_new": one("select count(*) from versions where first_crawl_id = ?"),
            "events": one("select count(*) from events where crawl_id = ?"),
            "problems": one("select count(*) from fetch_problems where crawl_id = ?"),
        }
        if stats is not None:
            row["stats"] = json.dumps(stats, default=str, ensure_ascii=False)
            row["pages_fetched"] = _sum_stat(stats, "budget/pages")
            row["files_downloaded"] = _sum_stat(stats, "budget/files_downloaded")
            row["files_not_modified"] = _sum_stat(stats, "budget/files_not_modified")
        with self.db.atomic():
            self.db.table("crawls").update(crawl_id, row)
        self.lock.release()
        return row

    def upsert_portal(
        self,
        portal_id: str,
        name: str,
        region: str,
        base_url: str,
        sections: list,
        deadlines: dict[str, Any] | None = None,
    ) -> None:
        now = utcnow()
        with self.db.atomic():
            self.conn.execute(
                """insert into portals (id, name, region, base_url, sections, first_seen, last_crawled)
                   values (?, ?, ?, ?, ?, ?, ?)
                   on conflict (id) do update set name = excluded.name, region = excluded.region,
                     base_url = excluded.base_url, sections = excluded.sections,
                     last_crawled = excluded.last_crawled""",
                [
                    portal_id,
                    name,
                    region,
                    base_url,
                    json.dumps(sections, ensure_ascii=False),
                    now,
                    now,
                ],
            )
            if deadlines is not None:
                calendar.record_deadlines(self.conn, portal_id, deadlines)

    # -- the publication calendar ---------------------------------------------------------

    def refresh_calendar(self, as_of: date, crawl_id: int | None = None) -> list[dict[str, Any]]:
        """Rebuild the publication calendar as of a date; record newly missing documents
        as events; return the missing rows."""
        with self.db.atomic():
            rows = calendar.build(self.conn, as_of)
            self._replace("calendar", rows)
            return calendar.record_missing(self.conn, rows, crawl_id, utcnow())

    def _replace(self, table: str, rows: list[dict[str, Any]]) -> None:
        """A derived table's rows, all of them anew (inside a transaction)."""
        self.db.table(table).delete_where()
        self.db.table(table).insert_all(rows)

    def refresh_monitors(self, limits: health.Thresholds) -> list[dict[str, Any]]:
        """Rebuild the per-section monitors from every crawl's section outcomes."""
        with self.db.atomic():
            rows = health.build(self.conn, limits)
            self._replace("monitors", rows)
            return rows

    def monitors(self, flagged_only: bool = False) -> list[dict[str, Any]]:
        return self.rows(
            "select * from monitors"
            + (" where flags is not null" if flagged_only else "")
            + " order by portal_id, section"
        )

    def rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        """The query's rows as dicts."""
        return dicts(self.conn, sql, params)

    def missing(self) -> list[dict[str, Any]]:
        """The calendar's missing documents, most overdue first."""
        return self.rows(
            "select * from calendar where status = 'missing'"
            " order by days_late desc, portal_id, unit, year, doc_type"
        )

    # -- notifications --------------------------------------------------------------------

    def notify(self, crawl_id: int, urls: Iterable[str]) -> list[dict[str, Any]]:
        """Tell each target what the crawl found (and send again what failed before);
        record every attempt. Returns one dict per message attempted: id, crawl_id,
        target (masked), status, last_error."""
        done: list[dict[str, Any]] = []
        for url in urls:
            key = notifications.target_key(url)
            target = notifications.masked(url)
            for row in self.rows(
                "select id, crawl_id, title, body from notifications"
                " where target_key = ? and status = 'failed' order by id",
                [key],
            ):
                error = notifications.deliver(url, row["title"], row["body"])
                self._attempted(row["id"], error)
                done.append(
                    {**row, "target": target, "status": _status(error), "last_error": error}
                )
            message = notifications.compose(self.conn, crawl_id, key)
            if message is None:
                continue
            error = notifications.deliver(url, message.title, message.body)
            now = utcnow()
            with self.db.atomic():
                cursor = self.conn.execute(
                    """insert into notifications (crawl_id, target, target_key, title, body,
                         status, attempts, created_at, last_attempt, sent_at, last_error)
                       values (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)""",
                    [
                        crawl_id,
                        target,
                        key,
                        message.title,
                        message.body,
                        _status(error),
                        now,
                        now,
                        None if error else now,
                        error,
                    ],
                )
                notification_id = int(cursor.lastrowid or 0)
                self.conn.executemany(
                    "insert or ignore into notification_events (notification_id, event_id,"
                    " pending) values (?, ?, ?)",
                    [(notification_id, e, int(p)) for e, p in message.events],
                )
            done.append(
                {
                    "id": notification_id,
                    "crawl_id": crawl_id,
                    "title": message.title,
                    "body": message.body,
                    "target": target,
                    "status": _status(error),
                    "last_error": error,
                }
            )
        return done

    def _attempted(self, notification_id: int, error: str | None) -> None:
        now = utcnow()
        with self.db.atomic():
            self.conn.execute(
                """update notifications set attempts = attempts + 1, last_attempt = ?,
                     status = ?, last_error = ?, sent_at = case when ? then ? end
                   where id = ?""",
                [now, _status(error), error, error is None, now, notification_id],
            )

    def add_alias(self, alias: str, unit: str, note: str | None = None) -> None:
        """Another spelling of a unit's name (the calendar groups it with `unit`)."""
        with self.db.atomic():
            self.conn.execute(
                "insert or replace into unit_aliases (alias, unit, note, added_at)"
                " values (?, ?, ?, ?)",
                [alias, unit, note, utcnow()],
            )

    # -- what a crawl needs to know, as data ----------------------------------------------

    def revisit_plan(
        self, policy: revisit.Policy, day: date
    ) -> tuple[revisit.Pages, revisit.Pages]:
        """(pages due for a visit, known pages not due), {portal: {section: [url, …]}}: the
        revisit policy (archive/revisit.py) as of the crawl's day."""
        return revisit.plan(self.conn, policy, day)

    def record_listed(self, crawl_id: int, url: str) -> bool:
        """A known page seen in its list and not fetched (not due): seen by this crawl.
        False when it is no active disclosure."""
        with self.db.atomic():
            cursor = self.conn.execute(
                "update disclosures set last_seen = ?, last_crawl_id = ?"
                " where url = ? and status = 'active'",
                [utcnow(), crawl_id, url],
            )
        return cursor.rowcount > 0

    def file_validators(self) -> dict[str, dict[str, Any]]:
        """{file URL: the newest stored version fetched from it}: what a conditional
        request can send (ETag, Last-Modified) and the stored file it stands for. Only
        versions whose file is still on disk."""
        validators: dict[str, dict[str, Any]] = {}
        rows = self.conn.execute(
            """select a.url, v.sha256, v.etag, v.last_modified, f.size, f.kind, f.path,
                      f.content_type
               from versions v join attachments a on a.id = v.attachment_id
               join files f on f.sha256 = v.sha256
               where v.etag is not null or v.last_modified is not null
               order by v.last_seen, v.id"""
        )
        for url, sha, etag, last_modified, size, kind, path, content_type in rows:
            validators[url] = {  # newest last: it wins
                "sha256": sha,
                "etag": etag,
                "last_modified": last_modified,
                "size": size,
                "kind": kind,
                "path": path,
                "content_type": content_type,
            }
        return {url: v for url, v in validators.items() if self.files.exists(v["path"])}

    # -- observations ---------------------------------------------------------------------

    def record_page(
        self,
        crawl_id: int,
        portal_id: str,
        section: str,
        seen: PageSeen,
        visited_on: date | None = None,
    ) -> int:
        """Record a disclosure page as fetched now (on the crawl's day `visited_on`, by
        default today in China); return its id."""
        now = utcnow()
        day = (visited_on or calendar.today_in_china()).isoformat()
        with self.db.atomic():
            found = page_writes.known(self.conn, seen.url)
            known = found[1] if found else None
            others: list[tuple[int, KnownPage]] = []
            if known is None:
                others = page_writes.sharing(
                    self.conn, {f.sha256 for f in seen.files if f.sha256}, exclude=seen.url
                )
            outcome = revisions.page_seen(known, seen, [p for _, p in others])
            if found is None:
                disclosure_id = page_writes.insert_disclosure(
                    self.conn, crawl_id, portal_id, section, seen.url, outcome, now
                )
            else:
                disclosure_id = found[0]
                page_writes.update_disclosure(
                    self.conn, disclosure_id, crawl_id, section, outcome, now
                )
            page_writes.page_history(
                self.conn, disclosure_id, crawl_id, outcome, created=found is None, now=now
            )
            ids = page_writes.write_attachments(
                self.conn, disclosure_id, crawl_id, outcome, seen.files, now
            )
            for f in seen.files:
                if f.problem:
                    page_writes.write_problem(
                        self.conn,
                        crawl_id,
                        portal_id,
                        f.url,
                        f.problem,
                        seen.url,
                        f.http_status,
                        f.detail,
                        now,
                    )
            page_writes.write_events(
                self.conn, crawl_id, portal_id, disclosure_id, outcome, ids, others, now
            )
            self.conn.execute(
                "update disclosures set last_visited = ? where id = ?", [day, disclosure_id]
            )
            search.index_disclosure(
                self.conn, disclosure_id, outcome.facts.get("title"), outcome.facts.get("unit_name")
            )
        return disclosure_id

    def revised_from(self, crawl_id: int, disclosure_id: int) -> list[tuple[str, str]]:
        """(sha256, path) of the stored PDFs that this crawl's revisions of a disclosure
        replaced: their figures are compared with the new ones (the `changes` table)."""
        return [
            (sha, path)
            for sha, path in self.conn.execute(
                """select f.sha256, f.path from events e join files f on f.sha256 = e.old_sha256
                   where e.crawl_id = ? and e.disclosure_id = ? and e.type = 'revised'
                     and f.kind = 'pdf'""",
                [crawl_id, disclosure_id],
            )
        ]

    def record_gone(self, crawl_id: int, portal_id: str, url: str, http_status: int) -> bool:
        """A known disclosure page answered 404/410. True when that withdrew it."""
        now = utcnow()
        with self.db.atomic():
            found = page_writes.known(self.conn, url)
            if found is None:
                return False
            disclosure_id, known = found
            others = page_writes.sharing(self.conn, known.content(), exclude=url)
            outcome = revisions.page_gone(known, http_status, [p for _, p in others])
            if outcome is None:
                return False
            # last_seen / last_crawl_id stay: the page was not seen; the event says when.
            self.conn.execute(
                "update disclosures set status = 'withdrawn', withdrawn_at = ? where id = ?",
                [now, disclosure_id],
            )
            ids = page_writes.write_attachments(
                self.conn, disclosure_id, crawl_id, outcome, (), now
            )
            page_writes.write_events(
                self.conn, crawl_id, portal_id, disclosure_id, outcome, ids, others, now
            )
        return True

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
        section: str | None = None,
    ) -> None:
        with self.db.atomic():
            page_writes.write_problem(
                self.conn,
                crawl_id,
                portal_id,
                url,
                kind,
                page_url,
                http_status,
                detail,
                utcnow(),
                section,
            )

    def record_section(
        self,
        crawl_id: int,
        portal_id: str,
        section: str,
        *,
        list_pages: int,
        list_failures: int,
        entries: int,
        family: str | None = None,
        detection: str | None = None,
    ) -> None:
        with self.db.atomic():
            self.conn.execute(
                """insert or replace into section_crawls
                   (crawl_id, portal_id, section, time, list_pages, list_failures, entries,
                    family, detection)
                   values (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [
                    crawl_id,
                    portal_id,
                    section,
                    utcnow(),
                    list_pages,
                    list_failures,
                    entries,
                    family,
                    detection,
                ],
            )

    def record_redirect(
        self,
        crawl_id: int,
        portal_id: str | None,
        url: str,
        final_url: str,
        hops: list[dict[str, str]],
    ) -> None:
        """A page or file reached through redirects (once per crawl and URL)."""
        with self.db.atomic():
            self.conn.execute(
                """insert or ignore into redirects
                   (crawl_id, portal_id, url, final_url, hops, time) values (?, ?, ?, ?, ?, ?)""",
                [crawl_id, portal_id, url, final_url, json.dumps(hops), utcnow()],
            )

    def record_skipped(
        self, crawl_id: int, portal_id: str, section: str, url: str, title: str, reason: str
    ) -> None:
        """A list entry or page that is no wanted disclosure (once per crawl and URL)."""
        with self.db.atomic():
            self.conn.execute(
                """insert or ignore into skipped
                   (crawl_id, portal_id, section, url, title, reason, time)
                   values (?, ?, ?, ?, ?, ?, ?)""",
                [crawl_id, portal_id, section, url, title, reason, utcnow()],
            )

    def close_sections(self, crawl_id: int) -> None:
        """Count what the crawl found in each of its sections and give each a status, from
        its list: `unreachable` (no list page read), `blocked` (a block answered instead),
        `failed` (list pages failed), `empty` (the list showed no entries, or none of them
        a disclosure), else `ok`."""
        with self.db.atomic():
            self.conn.execute(
                """update section_crawls set
                     disclosures = (select count(*) from disclosures d
                        where d.portal_id = section_crawls.portal_id
                          and d.section = section_crawls.section
                          and d.last_crawl_id = section_crawls.crawl_id),
                     new = (select count(*) from disclosures d
                        where d.portal_id = section_crawls.portal_id
                          and d.section = section_crawls.section
                          and d.first_crawl_id = section_crawls.crawl_id),
                     files = (select count(*) from attachments a
                        join disclosures d on d.id = a.disclosure_id
                        where d.portal_id = section_crawls.portal_id
                          and d.section = section_crawls.section
                          and d.last_crawl_id = section_crawls.crawl_id
                          and a.status = 'active'),
                     blocked = (select count(*) from fetch_problems p
                        where p.crawl_id = section_crawls.crawl_id
                          and p.portal_id = section_crawls.portal_id
                          and p.section = section_crawls.section and p.kind = 'blocked'),
                     errors = (select count(*) from fetch_problems p
                        where p.crawl_id = section_crawls.crawl_id
                          and p.portal_id = section_crawls.portal_id
                          and p.section = section_crawls.section
                          and p.kind not in ('blocked', 'empty_section'))
                   where crawl_id = ?""",
                [crawl_id],
            )
            # judged by the list: known pages revisited do not make a blank or broken
            # list `ok` (a layout change, a portal that stopped publishing)
            self.conn.execute(
                """update section_crawls set status = case
                     when list_pages = 0 and blocked > 0 then 'blocked'
                     when list_pages = 0 then 'unreachable'
                     when entries = 0 and blocked > 0 then 'blocked'
                     when entries = 0 and list_failures > 0 then 'failed'
                     when entries = 0 then 'empty'
                     when disclosures > 0 then 'ok'
                     when blocked > 0 then 'blocked'
                     when list_failures > 0 or errors > 0 then 'failed'
                     else 'empty' end
                   where crawl_id = ?""",
                [crawl_id],
            )

    # -- reads ----------------------------------------------------------------------------

    def event_counts(self, crawl_id: int) -> dict[str, int]:
        return dict(
            self.conn.execute(
                "select type, count(*) from events where crawl_id = ? group by type", [crawl_id]
            ).fetchall()
        )

    def change_sentences(self, crawl_id: int) -> list[str]:
        """What the crawl's revisions changed in the figures, a sentence each."""
        return [
            sentence
            for (sentence,) in self.conn.execute(
                """select s.sentence from change_sentences s join events e on e.id = s.event_id
                   where e.crawl_id = ? order by s.event_id, s.field""",
                [crawl_id],
            )
        ]

    def section_outcomes(self, crawl_id: int) -> list[dict[str, Any]]:
        """The crawl's rows of `section_crawls`, by portal and section."""
        return self.rows(
            "select * from section_crawls where crawl_id = ? order by portal_id, section",
            [crawl_id],
        )

    def first_problem(self, crawl_id: int, portal_id: str) -> str | None:
        """The first fetch problem a crawl recorded for a portal, as one line."""
        row = self.conn.execute(
            "select kind, detail, url from fetch_problems where crawl_id = ? and portal_id = ?"
            " order by id limit 1",
            [crawl_id, portal_id],
        ).fetchone()
        return f"{row[0]} at {row[2]}: {row[1]}" if row else None

    # -- internals (inside a transaction) --------------------------------------------------


def _status(error: str | None) -> str:
    return "failed" if error else "sent"


def _sum_stat(stats: Any, key: str) -> int:
    """Sum a counter over the per-spider stats dicts ({spider: {key: n}}) or one flat dict."""
    if isinstance(stats, Mapping) and key in stats:
        return int(stats[key] or 0)
    if isinstance(stats, Mapping):
        return sum(int(s.get(key, 0) or 0) for s in stats.values() if isinstance(s, Mapping))
    return 0
