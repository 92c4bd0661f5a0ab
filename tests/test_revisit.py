"""The revisit policy: which known pages a crawl fetches again.

The rules on a small archive written here; then the demo portal, its archive aged by a
year, crawled on successive days: far fewer requests than a full revisit, every page still
seen, a withdrawal caught at once and a revision under an old link within REVISIT_MAX_DAYS.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from archive.revisit import Policy
from archive.store import Store
from demo_portal.server import DemoPortal

ROOT = Path(__file__).resolve().parent.parent
DAY = date(2026, 6, 1)


def archive_of(tmp_path: Path, pages: list[tuple[str, str, str | None]]) -> Store:
    """Active pages (url, first_seen, parent url or None), last visited on their first day."""
    store = Store(tmp_path / "a")
    store.upsert_portal("p", "P", "", "http://p.example", [])
    for url, first_seen, parent in pages:
        store.conn.execute(
            """insert into disclosures (portal_id, section, url, title, status, first_seen,
                 last_seen, last_visited, parent_id)
               values ('p', 's', ?, ?, 'active', ?, ?, ?,
                       (select id from disclosures where url = ?))""",
            [url, url, first_seen, first_seen, first_seen[:10], parent],
        )
    store.conn.commit()
    return store


def urls(pages: dict) -> set[str]:
    return {u for sections in pages.values() for us in sections.values() for u in us}


def test_new_and_recently_changed_pages_are_due_every_crawl(tmp_path):
    store = archive_of(
        tmp_path,
        [
            ("http://p.example/new", "2026-05-20T00:00:00Z", None),
            ("http://p.example/old", "2025-01-01T00:00:00Z", None),
            ("http://p.example/revised", "2025-01-01T00:00:00Z", None),
        ],
    )
    store.conn.execute(
        "insert into events (time, type, portal_id, disclosure_id) values"
        " ('2026-05-25T00:00:00Z', 'revised', 'p', 3)"
    )
    store.conn.execute("update disclosures set last_visited = '2026-05-31'")
    store.conn.commit()
    for day in (DAY, DAY + timedelta(days=1)):
        due, rest = store.revisit_plan(Policy(), day)
        assert {"http://p.example/new", "http://p.example/revised"} <= urls(due)
    assert urls(store.revisit_plan(Policy(everything=True), DAY)[0]) == {
        "http://p.example/new",
        "http://p.example/old",
        "http://p.example/revised",
    }
    store.close()


def test_quiet_pages_are_spread_and_never_wait_longer_than_max_days(tmp_path):
    pages = [(f"http://p.example/{n}", "2025-01-01T00:00:00Z", None) for n in range(700)]
    store = archive_of(tmp_path, pages)
    store.conn.execute("update disclosures set last_visited = ?", [DAY.isoformat()])
    policy = Policy(hot_days=30, max_days=7)
    visits: dict[str, list[date]] = {url: [DAY] for url, _, _ in pages}
    shares = []
    for n in range(1, 29):  # four weeks of daily crawls
        day = DAY + timedelta(days=n)
        due, rest = store.revisit_plan(policy, day)
        assert urls(due) | urls(rest) == set(visits)
        shares.append(len(urls(due)) / len(pages))
        for url in urls(due):
            visits[url].append(day)
            store.conn.execute(
                "update disclosures set last_visited = ? where url = ?", [day.isoformat(), url]
            )
    gaps = [(b - a).days for days in visits.values() for a, b in pairwise(days)]
    assert max(gaps) <= 7 and min(gaps) >= 1
    assert max(shares) < 0.3 and abs(sum(shares) / len(shares) - 1 / 7) < 0.03
    store.close()


def test_a_units_page_not_due_is_left_to_its_departments_page(tmp_path):
    store = archive_of(
        tmp_path,
        [
            ("http://p.example/dept", "2025-01-01T00:00:00Z", None),
            ("http://p.example/unit", "2025-01-01T00:00:00Z", "http://p.example/dept"),
        ],
    )
    store.conn.execute("update disclosures set last_visited = ?", [DAY.isoformat()])
    store.conn.commit()
    # not due and under a parent: never among the pages waited for in a list (none shows
    # it); visited on its due days, and whenever its department's page is
    days = [DAY + timedelta(days=n) for n in range(1, 8)]
    plans = [store.revisit_plan(Policy(), day) for day in days]
    assert all("http://p.example/unit" not in urls(rest) for _, rest in plans)
    assert any("http://p.example/unit" in urls(due) for due, _ in plans)
    store.close()


# -- the demo portal over days ------------------------------------------------------------


def crawl(archive: Path, portal: DemoPortal, day: date, *options: str) -> None:
    command = [sys.executable, "-m", "budget_archive", "crawl", "demo", "--archive"]
    command += [str(archive), "--demo-url", portal.url, "--extraction", "off"]
    command += ["--as-of", day.isoformat(), *options]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]


def age(archive: Path) -> None:
    """Make every known page and event a year old (an archive that has watched long)."""
    db = sqlite3.connect(archive / "archive.db")
    with db:
        db.execute("update disclosures set first_seen = '2025-05-01T00:00:00Z'")
        db.execute("update events set time = '2025-05-01T00:00:00Z'")
    db.close()


def rows(archive: Path, sql: str) -> list[tuple]:
    db = sqlite3.connect(archive / "archive.db")
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


@pytest.mark.skipif(
    not (shutil.which("chromium") or os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE")),
    reason="needs Chromium for the browser-rendered section",
)
def test_recrawls_of_an_aged_archive(tmp_path):
    archive = tmp_path / "a"
    start = date(2026, 5, 20)
    with DemoPortal(port=0, state="initial") as portal:
        crawl(archive, portal, start)
        full = len(portal.requests)
        age(archive)

        before = len(portal.requests)
        crawl(archive, portal, start + timedelta(days=1))
        unchanged = len(portal.requests) - before
        # every disclosure listed is still seen; nothing withdrawn, nothing new
        assert unchanged <= 0.6 * full, (unchanged, full)
        (seen,) = rows(archive, "select disclosures_seen from crawls where id = 2")[0]
        children = rows(archive, "select count(*) from disclosures where parent_id is not null")
        assert seen >= 57 - children[0][0]
        assert rows(archive, "select count(*) from events where crawl_id = 2") == [(0,)]

        before = len(portal.requests)
        crawl(archive, portal, start + timedelta(days=1), "--revisit", "all")
        assert len(portal.requests) - before > unchanged

        # the portal a day later: a revision under an old link, a withdrawal, a new page
        portal.state = "revised"
        caught = None
        for n in range(2, 10):
            crawl(archive, portal, start + timedelta(days=n))
            crawl_id = rows(archive, "select max(id) from crawls")[0][0]
            kinds = {
                k for (k,) in rows(archive, f"select type from events where crawl_id = {crawl_id}")
            }
            if n == 2:  # gone from its list: visited at once, withdrawn; the new one found
                assert {"withdrawn", "published"} <= kinds
            if "revised" in kinds:
                caught = n - 1
                break
    assert caught is not None and caught <= 7, caught
