"""The publication calendar: per portal, unit, year and document type, what was published
and when, against when it was due; and who has not published what they should have.

Deadlines. 预算法 gives a department 20 days to publish its budget once the finance bureau
has issued it (批复), and the bureau 20 days after the people's congress approved the
budget: so a budget is due `publish_within_days` (default 40) after its approval. The
approval date is a fixed date per year and portal: the portals file may name it
(`[[portal.approval]]`), else each year's budget counts as approved on `budget_approved`
(default 03-31: every local congress has met by then, so the default never calls a unit
late too early) and its final account on `final_account_approved` of the year after
(default 08-31: standing committees approve final accounts June to August).

Missing. As of a date, for each portal and document type, the latest year whose deadline
has passed is checked: a unit is expected to have published that year's budget when it
published the year before's on the portal; that year's final account when it published
the year before's, or when it published that year's budget and the portal carries other
units' final accounts of that year (so a portal that keeps final accounts elsewhere raises
no alarm). A unit is its name without scope or correction markers
(extract.titles.unit_key), mapped through `unit_aliases`.

The `calendar` table is rebuilt from the disclosures each time (it is derived: the
history is in the disclosures and events); a unit newly found missing becomes a `missing`
event once.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from archive.sql import dicts
from extract.titles import unit_key

DEFAULT_WITHIN_DAYS = 40
DEFAULT_BUDGET_APPROVED = "03-31"
DEFAULT_FINAL_ACCOUNT_APPROVED = "08-31"
DOC_TYPES = ("budget", "final_account")
DOC_WORDS = {"budget": "预算", "final_account": "决算"}

#: Deadlines are Chinese dates.
CHINA = timezone(timedelta(hours=8), "CST")


def today_in_china() -> date:
    return datetime.now(CHINA).date()


@dataclass(frozen=True)
class Rules:
    """One portal's deadlines."""

    within_days: int = DEFAULT_WITHIN_DAYS
    budget_approved: str = DEFAULT_BUDGET_APPROVED
    final_account_approved: str = DEFAULT_FINAL_ACCOUNT_APPROVED
    approvals: dict[tuple[int, str], date] = field(default_factory=dict)

    def approved(self, year: int, doc_type: str) -> date:
        named = self.approvals.get((year, doc_type))
        if named:
            return named
        if doc_type == "budget":
            return date.fromisoformat(f"{year}-{self.budget_approved}")
        return date.fromisoformat(f"{year + 1}-{self.final_account_approved}")

    def due(self, year: int, doc_type: str) -> date:
        return self.approved(year, doc_type) + timedelta(days=self.within_days)

    def latest_due_year(self, doc_type: str, as_of: date) -> int:
        """The latest year whose document of this type was due before `as_of`."""
        year = as_of.year + 1
        while self.due(year, doc_type) >= as_of:
            year -= 1
        return year


def portal_rules(conn: sqlite3.Connection) -> dict[str, Rules]:
    """Every portal's deadlines, as the portals file set them (defaults elsewhere)."""
    approvals: dict[str, dict[tuple[int, str], date]] = defaultdict(dict)
    for portal_id, year, doc_type, approved in conn.execute(
        "select portal_id, year, doc_type, approved from approvals"
    ):
        approvals[portal_id][(int(year), doc_type)] = date.fromisoformat(approved)
    settings = {
        row[0]: row[1:]
        for row in conn.execute(
            "select portal_id, publish_within_days, budget_approved, final_account_approved"
            " from portal_deadlines"
        )
    }
    rules = {}
    for (portal_id,) in conn.execute("select id from portals"):
        within, budget, final = settings.get(portal_id, (None, None, None))
        rules[portal_id] = Rules(
            within_days=DEFAULT_WITHIN_DAYS if within is None else int(within),
            budget_approved=budget or DEFAULT_BUDGET_APPROVED,
            final_account_approved=final or DEFAULT_FINAL_ACCOUNT_APPROVED,
            approvals=approvals.get(portal_id, {}),
        )
    return rules


def record_deadlines(conn: sqlite3.Connection, portal_id: str, deadlines: dict[str, Any]) -> None:
    """A portal's deadline settings as its portals file gives them now (inside a
    transaction); approvals the file no longer names go."""
    conn.execute(
        """insert or replace into portal_deadlines
           (portal_id, publish_within_days, budget_approved, final_account_approved)
           values (?, ?, ?, ?)""",
        [
            portal_id,
            deadlines.get("publish_within_days"),
            deadlines.get("budget_approved"),
            deadlines.get("final_account_approved"),
        ],
    )
    conn.execute("delete from approvals where portal_id = ?", [portal_id])
    conn.executemany(
        "insert or replace into approvals (portal_id, year, doc_type, approved) values (?,?,?,?)",
        [
            (portal_id, int(a["year"]), a["doc_type"], a["date"])
            for a in deadlines.get("approvals") or ()
        ],
    )


def resolver(conn: sqlite3.Connection) -> Any:
    """name → unit: the name's key, through the alias table (aliases match by key too)."""
    aliases = {
        unit_key(alias) or alias: unit_key(unit) or unit
        for alias, unit in conn.execute("select alias, unit from unit_aliases")
    }

    def resolve(name: str | None) -> str | None:
        key = unit_key(name)
        seen = set()
        while key in aliases and key not in seen:  # an alias of an alias
            seen.add(key)
            key = aliases[key]
        return key

    return resolve


@dataclass
class Slot:
    portal_id: str
    unit: str
    year: int
    doc_type: str
    rows: list[dict[str, Any]] = field(default_factory=list)


def build(conn: sqlite3.Connection, as_of: date) -> list[dict[str, Any]]:
    """The calendar's rows as of a date (published, withdrawn and missing)."""
    rules = portal_rules(conn)
    resolve = resolver(conn)
    revisions = dict(
        conn.execute(
            "select disclosure_id, count(*) from events where type = 'revised'"
            " group by disclosure_id"
        ).fetchall()
    )
    slots: dict[tuple[str, str, int, str], Slot] = {}
    for row in dicts(
        conn,
        """select id, portal_id, unit_name, year, doc_type, status, title, first_seen,
                  publish_date_shown, publish_date
           from disclosures
           where doc_type in ('budget', 'final_account') and year is not null
             and unit_name is not null
           order by id""",
    ):
        unit = resolve(row["unit_name"])
        if not unit:
            continue
        key = (row["portal_id"], unit, int(row["year"]), row["doc_type"])
        slots.setdefault(key, Slot(*key)).rows.append(row)

    out = []
    for (portal_id, unit, year, doc_type), slot in sorted(slots.items()):
        portal = rules.get(portal_id, Rules())
        first = min(slot.rows, key=lambda r: (r["publish_date"] or r["first_seen"][:10], r["id"]))
        due = portal.due(year, doc_type)
        shown = first["publish_date"]
        active = any(r["status"] == "active" for r in slot.rows)
        out.append(
            {
                "portal_id": portal_id,
                "unit": unit,
                "year": year,
                "doc_type": doc_type,
                "status": "published" if active else "withdrawn",
                "disclosure_id": first["id"],
                "disclosures": len(slot.rows),
                "title": first["title"],
                "first_seen": min(r["first_seen"] for r in slot.rows),
                "publish_date_shown": first["publish_date_shown"],
                "publish_date": shown,
                "revisions": sum(revisions.get(r["id"], 0) for r in slot.rows),
                "approved": portal.approved(year, doc_type).isoformat(),
                "due": due.isoformat(),
                # without a date on the page, lateness is not known (the archive may have
                # come to the portal late)
                "days_late": max(0, (date.fromisoformat(shown) - due).days) if shown else None,
                "expected_because": None,
                "as_of": as_of.isoformat(),
            }
        )
    out.extend(_missing(slots, rules, as_of))
    return out


def _missing(
    slots: dict[tuple[str, str, int, str], Slot], rules: dict[str, Rules], as_of: date
) -> list[dict[str, Any]]:
    have = set(slots)
    by_portal: dict[str, set[tuple[str, int, str]]] = defaultdict(set)
    for portal_id, unit, year, doc_type in have:
        by_portal[portal_id].add((unit, year, doc_type))
    out = []
    for portal_id, published in sorted(by_portal.items()):
        portal = rules.get(portal_id, Rules())
        expected: dict[tuple[str, int, str], str] = {}
        year = portal.latest_due_year("budget", as_of)
        for unit, y, t in published:
            if t == "budget" and y == year - 1:
                expected[(unit, year, "budget")] = f"published its {year - 1} budget"
        year = portal.latest_due_year("final_account", as_of)
        carries = any(t == "final_account" and y == year for _, y, t in published)
        for unit, y, t in published:
            if t == "final_account" and y == year - 1:
                expected[(unit, year, "final_account")] = f"published its {year - 1} final account"
            elif t == "budget" and y == year and carries:
                expected.setdefault(
                    (unit, year, "final_account"),
                    f"published its {year} budget; the portal carries {year} final accounts",
                )
        for (unit, y, t), because in sorted(expected.items()):
            if (unit, y, t) in published:
                continue
            due = portal.due(y, t)
            out.append(
                {
                    "portal_id": portal_id,
                    "unit": unit,
                    "year": y,
                    "doc_type": t,
                    "status": "missing",
                    "disclosure_id": None,
                    "disclosures": 0,
                    "title": None,
                    "first_seen": None,
                    "publish_date_shown": None,
                    "publish_date": None,
                    "revisions": 0,
                    "approved": portal.approved(y, t).isoformat(),
                    "due": due.isoformat(),
                    "days_late": (as_of - due).days,
                    "expected_because": because,
                    "as_of": as_of.isoformat(),
                }
            )
    return out


def missing_sentence(row: dict[str, Any]) -> str:
    """`演示市民政局 2026 预算: not published, due 2026-05-10 (11 days overdue; published
    its 2025 budget)`."""
    return (
        f"{row['unit']} {row['year']} {DOC_WORDS[row['doc_type']]}: not published, due"
        f" {row['due']} ({row['days_late']} days overdue; {row['expected_because']})"
    )


def record_missing(
    conn: sqlite3.Connection, rows: list[dict[str, Any]], crawl_id: int | None, now: str
) -> list[dict[str, Any]]:
    """Record a `missing` event for each of the calendar's documents newly found missing
    (inside a transaction); return the missing rows."""
    missing = [r for r in rows if r["status"] == "missing"]
    told = {
        tuple(json.loads(d)[k] for k in ("unit", "year", "doc_type")) + (p,)
        for p, d in conn.execute(
            "select portal_id, details from events where type = 'missing' and details is not null"
        )
    }
    for row in missing:
        if (row["unit"], row["year"], row["doc_type"], row["portal_id"]) in told:
            continue
        details = {k: row[k] for k in ("unit", "year", "doc_type", "due", "days_late")}
        details["expected_because"] = row["expected_because"]
        conn.execute(
            """insert into events (time, crawl_id, type, portal_id, note, details)
               values (?, ?, 'missing', ?, ?, ?)""",
            [
                now,
                crawl_id,
                row["portal_id"],
                missing_sentence(row),
                json.dumps(details, ensure_ascii=False),
            ],
        )
    return missing
