"""Health of each portal section across crawls, and the monitors that flag trouble.

Scrapy's stats (and Spidermon, which checks them) see one run; what a watcher needs spans
runs: a list that has shown nothing for three crawls, a portal gone for two. So the
archive's `section_crawls` (one row per crawl and section, with its status, counts and
problems) is the record, and `monitors` is rebuilt from it after each crawl:

- `silent`: the section's list has yielded no disclosure for `empty_crawls` crawls in a
  row (empty, failed, blocked or unreachable): its layout changed or the portal stopped
  publishing there;
- `unreachable`: no list page of the section could be read in the last crawl;
- `blocked`: at least `block_share` of the section's requests in the last crawl were
  answered by a block (captcha, WAF page);
- `failing`: its list pages failed in the last crawl.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from archive.sql import dicts

DEFAULT_EMPTY_CRAWLS = 2
DEFAULT_BLOCK_SHARE = 0.2


@dataclass(frozen=True)
class Thresholds:
    empty_crawls: int = DEFAULT_EMPTY_CRAWLS
    block_share: float = DEFAULT_BLOCK_SHARE


def build(conn: sqlite3.Connection, limits: Thresholds) -> list[dict[str, Any]]:
    """One row per portal and section ever crawled, newest state first."""
    history: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in dicts(
        conn,
        """select s.crawl_id, s.portal_id, s.section, s.time, s.status, s.list_pages,
                  s.disclosures, s.blocked, s.errors
           from section_crawls s join crawls c on c.id = s.crawl_id
           where s.status is not null
           order by s.portal_id, s.section, s.crawl_id desc""",
    ):
        history.setdefault((row["portal_id"], row["section"]), []).append(row)
    out = []
    for (portal_id, section), crawls in sorted(history.items()):
        last = crawls[0]
        without = 0
        for c in crawls:
            if c["status"] == "ok":
                break
            without += 1
        last_yield = next((c["time"] for c in crawls if c["status"] == "ok"), None)
        requests = (last["list_pages"] or 0) + (last["disclosures"] or 0) + (last["blocked"] or 0)
        share = round((last["blocked"] or 0) / requests, 3) if requests else 0.0
        flags: list[tuple[str, str]] = []
        if without >= limits.empty_crawls:
            flags.append(("silent", f"no disclosure from its list for {without} crawls in a row"))
        if last["status"] == "unreachable":
            flags.append(("unreachable", "no list page could be read"))
        if share >= limits.block_share and last["blocked"]:
            flags.append(("blocked", f"{share:.0%} of its requests answered by a block"))
        if last["status"] == "failed":
            flags.append(("failing", "its list pages failed"))
        out.append(
            {
                "portal_id": portal_id,
                "section": section,
                "last_crawl_id": last["crawl_id"],
                "last_crawled": last["time"],
                "last_status": last["status"],
                "last_yield": last_yield,
                "crawls_without_yield": without,
                "crawls": len(crawls),
                "block_share": share,
                "errors": last["errors"] or 0,
                "flags": ",".join(f for f, _ in flags) or None,
                "detail": "; ".join(d for _, d in flags) or None,
            }
        )
    return out


def flag_sentence(row: dict[str, Any]) -> str:
    """`demo/trs: silent, unreachable — no disclosure from its list for 2 crawls in a row; …`"""
    return f"{row['portal_id']}/{row['section']}: {row['flags']} — {row['detail']}"
