"""What watchers live in: the publication calendar (missing and late), the monitors, and
the notifications sent after a crawl (apprise, to a real local HTTP receiver).

The rules are pinned on small archives written here; `test_four_days_of_the_demo_portal`
drives the real demo portal through its four days with the real command line.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from archive.health import Thresholds
from archive.publish import datasette_app
from archive.store import Store
from archive.totals import store_totals
from extract.titles import unit_key

ROOT = Path(__file__).resolve().parent.parent


# -- a notification receiver --------------------------------------------------------------


class Receiver:
    """A local HTTP server that records each JSON POST; paths under /down, and every path
    while `failing` is set, answer 500."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, dict]] = []
        self.failing = False
        received, receiver = self.posts, self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                received.append((self.path, json.loads(body)))
                broken = receiver.failing or self.path.startswith("/down")
                self.send_response(500 if broken else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"json://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> Receiver:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()

    def to(self, path: str) -> list[dict]:
        return [body for p, body in self.posts if p == path]


# -- small archives -----------------------------------------------------------------------


def archive_with(tmp_path: Path, rows: list[tuple], deadlines: dict | None = None) -> Store:
    """A store with portal `p` and disclosures (unit, year, doc_type, publish_date, status)."""
    store = Store(tmp_path / "a")
    store.upsert_portal("p", "P", "", "http://p.example", [], deadlines=deadlines or {})
    for n, (unit, year, doc_type, published, status) in enumerate(rows, 1):
        store.conn.execute(
            """insert into disclosures (portal_id, section, url, title, unit_name, year,
                 doc_type, publish_date, status, first_seen, last_seen)
               values ('p', 's', ?, ?, ?, ?, ?, ?, ?, '2026-01-01T00:00:00Z',
                       '2026-01-01T00:00:00Z')""",
            [f"http://p.example/{n}", f"{unit}{year}", unit, year, doc_type, published, status],
        )
    store.conn.commit()
    return store


def calendar(store: Store) -> dict[tuple, dict]:
    return {
        (r["unit"], r["year"], r["doc_type"]): r
        for r in store.rows("select * from calendar order by unit, year, doc_type")
    }


def test_unit_names_are_one_unit_whatever_their_markers():
    names = [
        "某市教育局（本级）",
        "某市教育局及所属单位",
        "某市教育局(更正)",
        "某市教育局【更正版】",
    ]
    assert {unit_key(n) for n in names} == {"某市教育局"}
    assert unit_key("某市教育考试院") == "某市教育考试院"


def test_missing_only_after_the_deadline(tmp_path):
    store = archive_with(
        tmp_path,
        [
            ("某局", 2025, "budget", "2025-03-01", "active"),
            ("某局（本级）", 2024, "budget", "2024-03-01", "active"),
            ("他局", 2025, "budget", "2025-03-01", "active"),
            ("他局", 2026, "budget", "2026-05-20", "active"),
        ],
    )
    # default: approved 03-31, due 40 days later (05-10)
    assert store.refresh_calendar(date(2026, 5, 10)) == []
    (missing,) = store.refresh_calendar(date(2026, 5, 14))
    assert (missing["unit"], missing["year"], missing["doc_type"], missing["due"]) == (
        "某局",
        2026,
        "budget",
        "2026-05-10",
    )
    assert missing["days_late"] == 4 and "2025 budget" in missing["expected_because"]
    rows = calendar(store)
    assert rows[("他局", 2026, "budget")]["days_late"] == 10  # published 05-20
    assert rows[("他局", 2025, "budget")]["days_late"] == 0
    assert rows[("某局", 2024, "budget")]["status"] == "published"  # 本级 is the unit
    # told once, however often the calendar is rebuilt
    store.refresh_calendar(date(2026, 5, 15))
    events = store.rows("select note, details from events where type = 'missing'")
    assert len(events) == 1 and json.loads(events[0]["details"])["unit"] == "某局"
    store.close()


def test_a_portals_approval_date_moves_the_deadline(tmp_path):
    deadlines = {
        "publish_within_days": 20,
        "budget_approved": "01-20",
        "final_account_approved": None,
        "approvals": [{"year": 2026, "doc_type": "budget", "date": "2026-02-01"}],
    }
    rows = [("某局", 2025, "budget", "2025-02-20", "active")]
    store = archive_with(tmp_path, rows, deadlines)
    assert store.refresh_calendar(date(2026, 2, 21)) == []  # 2026: 02-01 + 20 days
    (missing,) = store.refresh_calendar(date(2026, 2, 22))
    assert (missing["approved"], missing["due"], missing["days_late"]) == (
        "2026-02-01",
        "2026-02-21",
        1,
    )
    assert calendar(store)[("某局", 2025, "budget")]["days_late"] == 11  # 01-20 + 20 = 02-09
    store.close()


def test_final_accounts_expected_only_where_the_portal_carries_them(tmp_path):
    rows = [
        ("甲局", 2024, "budget", "2024-03-01", "active"),
        ("乙局", 2024, "budget", "2024-03-01", "active"),
        ("甲局", 2025, "budget", "2025-03-01", "active"),
        ("乙局", 2025, "budget", "2025-03-01", "active"),
    ]
    store = archive_with(tmp_path, rows)
    # 2024 final accounts due 2025-10-10 (08-31 + 40): the portal carries none, no alarm
    assert store.refresh_calendar(date(2025, 12, 1)) == []
    store.close()
    rows.append(("乙局", 2024, "final_account", "2025-09-01", "active"))
    store = archive_with(tmp_path / "b", rows)
    (missing,) = store.refresh_calendar(date(2025, 12, 1))
    assert (missing["unit"], missing["doc_type"], missing["days_late"]) == (
        "甲局",
        "final_account",
        52,
    )
    store.close()


def test_an_alias_joins_two_spellings(tmp_path):
    rows = [
        ("某市教育局", 2025, "budget", "2025-03-01", "active"),
        ("某市教育体育局", 2026, "budget", "2026-03-01", "active"),
    ]
    store = archive_with(tmp_path, rows)
    assert len(store.refresh_calendar(date(2026, 6, 1))) == 1
    store.add_alias("某市教育体育局", "某市教育局")
    assert store.refresh_calendar(date(2026, 6, 1)) == []
    assert set(calendar(store)) == {("某市教育局", 2025, "budget"), ("某市教育局", 2026, "budget")}
    store.close()


def test_a_withdrawn_document_is_withdrawn_not_missing(tmp_path):
    rows = [
        ("某局", 2025, "budget", "2025-03-01", "active"),
        ("某局", 2026, "budget", "2026-03-01", "withdrawn"),
    ]
    store = archive_with(tmp_path, rows)
    assert store.refresh_calendar(date(2026, 6, 1)) == []
    assert calendar(store)[("某局", 2026, "budget")]["status"] == "withdrawn"
    store.close()


# -- monitors -----------------------------------------------------------------------------


def with_sections(tmp_path: Path, history: list[tuple[str, int, int, int]]) -> Store:
    """Crawls of section p/s: (status, list_pages, disclosures, blocked) per crawl."""
    store = archive_with(tmp_path, [])
    for n, (status, pages, found, blocked) in enumerate(history, 1):
        store.conn.execute(
            "insert into crawls (id, started_at, status) values (?, ?, 'finished')",
            [n, f"2026-05-{n:02d}T00:00:00Z"],
        )
        store.conn.execute(
            """insert into section_crawls (crawl_id, portal_id, section, time, list_pages,
                 list_failures, entries, disclosures, blocked, errors, status)
               values (?, 'p', 's', ?, ?, 0, ?, ?, ?, 0, ?)""",
            [n, f"2026-05-{n:02d}T00:00:00Z", pages, found, found, blocked, status],
        )
    store.conn.commit()
    return store


@pytest.mark.parametrize(
    ("history", "flags", "without"),
    [
        ([("ok", 1, 5, 0), ("empty", 1, 0, 0)], None, 1),
        ([("ok", 1, 5, 0), ("empty", 1, 0, 0), ("empty", 1, 0, 0)], "silent", 2),
        ([("ok", 1, 5, 0), ("empty", 1, 0, 0), ("unreachable", 0, 0, 0)], "silent,unreachable", 2),
        ([("empty", 1, 0, 0), ("ok", 1, 5, 0)], None, 0),
        ([("ok", 1, 5, 0), ("ok", 2, 6, 2)], "blocked", 0),  # 2 of 10
        ([("ok", 1, 5, 0), ("ok", 2, 7, 1)], None, 0),  # 1 of 10
    ],
)
def test_monitors_flag_a_section(tmp_path, history, flags, without):
    store = with_sections(tmp_path, history)
    (row,) = store.refresh_monitors(Thresholds(empty_crawls=2, block_share=0.2))
    assert (row["flags"], row["crawls_without_yield"], row["crawls"]) == (
        flags,
        without,
        len(history),
    )
    ok = [n for n, h in enumerate(history, 1) if h[0] == "ok"]
    assert row["last_yield"] == (f"2026-05-{ok[-1]:02d}T00:00:00Z" if ok else None)
    store.close()


# -- notifications ------------------------------------------------------------------------


def test_a_failed_notification_is_sent_again_next_crawl(tmp_path):
    store = archive_with(tmp_path, [("某局", 2025, "budget", "2025-03-01", "active")])
    crawl = store.start_crawl(["p"])
    store.conn.execute(
        "insert into events (time, crawl_id, type, portal_id, disclosure_id)"
        " values ('2026-05-01T00:00:00Z', ?, 'published', 'p', 1)",
        [crawl],
    )
    store.conn.commit()
    store.finish_crawl(crawl)
    with Receiver() as rx:
        target = rx.url + "/up"
        rx.failing = True
        (first,) = store.notify(crawl, [target])
        assert first["status"] == "failed" and "500" in first["last_error"]
        # the next crawl names the target again, now answering: the old message goes
        rx.failing = False
        later = store.start_crawl(["p"])
        store.finish_crawl(later)
        sent = store.notify(later, [target])
    assert [(n["id"], n["status"]) for n in sent] == [(first["id"], "sent")]  # nothing new
    tried, body = rx.to("/up")
    assert tried == body
    assert body["title"].startswith(f"budget-archive crawl {crawl} (p): 1 new")
    assert "某局2025" in body["message"]
    row = store.rows("select attempts, status, sent_at from notifications")[0]
    assert (row["attempts"], row["status"]) == (2, "sent") and row["sent_at"]
    store.close()


def test_a_pending_revision_is_told_and_its_diff_follows(tmp_path):
    store = archive_with(tmp_path, [("某局", 2026, "budget", "2026-03-01", "active")])
    for sha in ("a" * 64, "b" * 64):
        store.conn.execute("insert into files (sha256, size, path) values (?, 1, 'x')", [sha])
    crawl = store.start_crawl(["p"])
    store.conn.execute(
        """insert into events (time, crawl_id, type, portal_id, disclosure_id, old_sha256,
             new_sha256) values ('2026-05-21T00:00:00Z', ?, 'revised', 'p', 1, ?, ?)""",
        [crawl, "a" * 64, "b" * 64],
    )
    store.conn.commit()
    store.finish_crawl(crawl)
    with Receiver() as rx:
        store.notify(crawl, [rx.url + "/w"])
        for sha, total in (("a" * 64, 100.0), ("b" * 64, 101.5)):  # both read now
            store_totals(store, sha, {"expenditure_total": total}, "9")
        later = store.start_crawl(["p"])
        store.finish_crawl(later)
        store.notify(later, [rx.url + "/w"])
        store.notify(later, [rx.url + "/w"])  # told once: nothing more
    first, second = rx.to("/w")
    assert "figures not read yet" in first["message"]
    assert "figures now read for earlier revisions (1)" in second["message"]
    assert "支出总计 100.00 → 101.50 万元 (+1.50)" in second["message"]
    store.close()


# -- four days of the demo portal ---------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def demo_day(archive: Path, port: int, state: str, *notify: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "budget_archive", "demo", "--no-serve", "--archive"]
    command += [str(archive), "--portal-port", str(port), "--state", state]
    for url in notify:
        command += ["--notify", url]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=400)


@pytest.mark.skipif(
    not (shutil.which("chromium") or os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE")),
    reason="needs Chromium for the browser-rendered section",
)
def test_four_days_of_the_demo_portal(tmp_path):
    archive, port = tmp_path / "a", free_port()
    with Receiver() as rx:
        hook, broken = rx.url + "/hook", rx.url + "/down"
        days = {
            state: demo_day(archive, port, state, hook, broken)
            for state in ("initial", "revised", "empty", "down")
        }
    codes = {state: done.returncode for state, done in days.items()}
    assert codes == {"initial": 0, "revised": 0, "empty": 0, "down": 5}, {
        s: d.stderr[-2000:] for s, d in days.items()
    }
    store = Store(archive)

    # the revision's diff, printed and in `changes`
    changes = store.rows("select field, old, new, difference from changes")
    assert [(c["field"], c["difference"]) for c in changes] == [("operating_expenses", 1.5)]
    sentence = store.change_sentences(2)[0]
    assert (
        sentence.startswith("演示市财政局 2026 部门预算: 机关运行经费 ") and "(+1.50)" in sentence
    )
    assert sentence in days["revised"].stderr.replace("\n", "")

    # the calendar: one unit missing (judged as of each demo day), one published late
    missing = store.missing()
    assert [(m["unit"], m["year"], m["doc_type"], m["due"]) for m in missing] == [
        ("演示市民政局", 2026, "budget", "2026-05-10")
    ]
    assert missing[0]["days_late"] == 13 and missing[0]["as_of"] == "2026-05-23"
    assert "演示市民政局 2026 预算: not published" in days["revised"].stderr
    late = store.rows(
        "select unit, days_late from calendar where days_late > 0 and status != 'missing'"
    )
    assert late == [{"unit": "演示市体育局", "days_late": 11}]  # published 05-21
    withdrawn = store.rows("select unit from calendar where status = 'withdrawn'")
    assert withdrawn == [{"unit": "演示市城市管理局"}]
    assert len(store.rows("select id from events where type = 'missing'")) == 1

    # monitors: the blank TRS list, then the portal down
    flags = {m["section"]: m["flags"] for m in store.monitors()}
    assert flags == {"trs": "silent,unreachable", "jpage": "unreachable", "spa": "unreachable"}
    sections = store.rows(
        "select crawl_id, section, status from section_crawls where section = 'trs'"
    )
    assert [s["status"] for s in sections] == ["ok", "ok", "empty", "unreachable"]
    status = subprocess.run(
        [sys.executable, "-m", "budget_archive", "status", "--archive", str(archive), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    report = json.loads(status.stdout)
    assert {m["section"]: m["flags"] for m in report["monitors"]} == flags
    assert [n["crawl_id"] for n in report["notifications_failed"]] == [1, 2, 4]

    # notifications: one per crawl with news (the empty day had none), none lost
    bodies = rx.to("/hook")
    assert [b["title"].split(":")[0] for b in bodies] == [
        "budget-archive crawl 1 (demo)",
        "budget-archive crawl 2 (demo)",
        "budget-archive crawl 4 (demo)",
    ]
    assert "57 new, 1 missing" in bodies[0]["title"]
    assert "1 new, 1 revised, 1 withdrawn" in bodies[1]["title"]
    assert sentence in bodies[1]["message"] and "演示市体育局2026年部门预算" in bodies[1]["message"]
    assert "demo/trs: silent,unreachable" in bodies[2]["message"]
    # the Atom feed: the revision with its diff, the missing unit
    ds = datasette_app(archive)
    atom = "{http://www.w3.org/2005/Atom}"

    def entries(**params: str) -> list[tuple[str, str]]:
        params = {"portal": "", "unit": "", "type": "", **params}
        feed = asyncio.run(ds.client.get("/archive/events_feed.atom", params=params))
        assert feed.status_code == 200, feed.text
        return [
            (e.findtext(f"{atom}title"), e.findtext(f"{atom}content"))
            for e in ET.fromstring(feed.text).findall(f"{atom}entry")
        ]

    ((title, content),) = entries(type="revised")
    assert title.startswith("演示市财政局 2026: revised") and content == sentence
    ((title, content),) = entries(type="missing")
    assert title == "演示市民政局 2026: missing" and content.startswith("演示市民政局 2026 预算")
    assert {t for t, _ in entries(unit="民政局")} == {
        "演示市民政局 2026: missing",
        "演示市民政局 2025: published",
    }
    overdue = asyncio.run(ds.client.get("/archive/late_or_missing.json?_shape=objects")).json()
    assert [(r["status"], r["unit"], r["days_late"]) for r in overdue["rows"]] == [
        ("missing", "演示市民政局", 13),
        ("published", "演示市体育局", 11),
    ]

    # the broken target: each message tried, and tried again by every later crawl (crawl 1:
    # one; 2: the first again and its own; 3: both again; 4: both again and its own)
    assert len(rx.to("/down")) == 1 + 2 + 2 + 3
    store.close()
