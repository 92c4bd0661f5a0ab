"""Which known disclosure pages a crawl revisits: by age and change history.

A page new or changed within `hot_days` (default 30) is revisited every crawl. A quieter
one every `interval` days, longer the longer it has been quiet (one more day per
`hot_days` of quiet), never longer than `max_days` (default 7): so a file revised under
an old link is caught within `max_days`. The day a quiet page falls due is spread by its
URL (its slot), so a daily crawl visits about 1/interval of the quiet pages each day
rather than all of them every `max_days`. A page that missed its slot (no crawl that day)
is due at the next crawl.

Pages not due are still recognised in the lists: the spider records them as listed (seen,
not fetched), and revisits at once any that its section's list no longer shows (a
withdrawal, or a page moved). List pages are always read.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from datetime import date

DEFAULT_HOT_DAYS = 30
DEFAULT_MAX_DAYS = 7
#: events that count as a change of the page or its files
CHANGES = ("published", "revised", "page_changed", "reappeared", "moved")


@dataclass(frozen=True)
class Policy:
    hot_days: int = DEFAULT_HOT_DAYS
    max_days: int = DEFAULT_MAX_DAYS
    everything: bool = False  # revisit every known page (REVISIT = "all")

    def interval(self, quiet_days: int) -> int:
        """Days between visits of a page quiet for `quiet_days` (1: every crawl)."""
        if quiet_days < self.hot_days:
            return 1
        return max(1, min(self.max_days, 1 + quiet_days // self.hot_days))

    def due(self, url: str, quiet_days: int, since_visit: int | None, day: date) -> bool:
        interval = self.interval(quiet_days)
        if self.everything or interval == 1 or since_visit is None:
            return True
        if since_visit >= interval:
            return True
        slot = int(hashlib.sha256(url.encode()).hexdigest()[:8], 16)
        return since_visit >= 1 and (day.toordinal() + slot) % interval == 0


Pages = dict[str, dict[str, list[str]]]  # {portal: {section: [url, …]}}


def plan(conn: sqlite3.Connection, policy: Policy, day: date) -> tuple[Pages, Pages]:
    """(pages due for a visit, pages known and not due), each {portal: {section: [url]}},
    of the active disclosures."""
    due: Pages = {}
    rest: Pages = {}
    # one pass over the events (a subquery per page would scan them once per page)
    changed_at = dict(
        conn.execute(
            f"""select disclosure_id, max(time) from events
                where type in ({", ".join("?" for _ in CHANGES)}) and disclosure_id is not null
                group by disclosure_id""",
            CHANGES,
        ).fetchall()
    )
    rows = conn.execute(
        """select d.id, d.portal_id, d.section, d.url, d.parent_id, d.first_seen, d.last_visited
           from disclosures d where d.status = 'active' order by d.id"""
    )
    for disclosure_id, portal_id, section, url, parent_id, first_seen, last_visited in rows:
        changed = changed_at.get(disclosure_id)
        quiet_since = max(first_seen or "", changed or "")[:10]
        quiet = (day - date.fromisoformat(quiet_since)).days if quiet_since else 0
        since = (day - date.fromisoformat(last_visited[:10])).days if last_visited else None
        if policy.due(url, quiet, since, day):
            due.setdefault(portal_id, {}).setdefault(section, []).append(url)
        elif parent_id is None:  # a unit's page under a department's: no list shows it
            rest.setdefault(portal_id, {}).setdefault(section, []).append(url)
    return due, rest
