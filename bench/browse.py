"""Browsing a large archive: how fast Datasette answers its default pages, canned queries
and searches on a synthetic archive of N disclosures (default 100,000).

    .venv/bin/python bench/browse.py [--disclosures 100000] [--pages 3] [--repeat 20]
        [--archive DIR]   # reuse (or keep) the built archive there

What it does:

1. builds an archive with the project's schema (migrations) and its own write paths for
   the derived parts: N disclosures across 30 portals and ~3,000 units, years 2019-2026,
   budgets and final accounts, one PDF each (a `files` row; no bytes), a version, a
   `published` event (and some `revised` / `withdrawn`), latest totals with evidence,
   checks and function classes, and `--pages` pages of real budget text per file (the
   demo's seed disclosures, cut into pages, the unit and year put in) indexed for search
   through the same code as a crawl (archive/search.py); one file in 40 revised (the old
   file, its figures, the `changes` rows); a year of daily crawls (sections, skipped links,
   fetch problems); then the calendar and monitors;
2. asks Datasette (in-process, the project's metadata and plugins) for every table's and
   view's default page and JSON, every canned query as first opened and filled in, a
   two-character search on `page_texts` and `disclosures`, a `title__contains` filter, the
   disclosure page and the dashboard; then each faceted page with one facet's commonest
   value picked (one click from the default page); each `--repeat` times;
3. prints p50 / p95 / max in ms per URL and the answers other than 200, and flags those
   over the targets (200 ms; a search 300 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive import changes  # noqa: E402
from archive.calendar import today_in_china  # noqa: E402
from archive.health import Thresholds  # noqa: E402
from archive.publish import datasette_app, load_metadata  # noqa: E402
from archive.search import index_text  # noqa: E402
from archive.store import Store  # noqa: E402
from demo_portal.render import load_seeds  # noqa: E402
from extract.fields import AMOUNT_FIELDS  # noqa: E402

UNIT_WORDS = (
    "教育",
    "财政",
    "卫生健康",
    "医疗保障",
    "民政",
    "公安",
    "司法",
    "交通运输",
    "水利",
    "农业农村",
    "商务",
    "文化旅游",
    "应急管理",
    "市场监督管理",
    "生态环境",
    "自然资源",
    "住房和城乡建设",
    "人力资源和社会保障",
    "统计",
    "审计",
    "体育",
    "林业",
    "科学技术",
    "工业和信息化",
    "退役军人事务",
    "城市管理",
    "档案",
    "信访",
    "机关事务",
    "粮食和物资储备",
)
UNIT_KINDS = ("局", "委员会", "中心", "服务中心", "事务中心", "研究院", "学校")
TARGET_MS, SEARCH_TARGET_MS = 200, 300


def build(root: Path, n: int, pages: int, rng: random.Random) -> None:
    store = Store(root)
    db = store.db
    seeds = [s.text for s in load_seeds()]
    chunks = [[text[i : i + 1500] for i in range(0, len(text), 1500)] for text in seeds]
    portals = [f"p{k:02d}" for k in range(30)]
    for p in portals:
        store.upsert_portal(p, f"某市{p}人民政府", "某省", f"http://{p}.example", [])
    units = [
        f"某{rng.choice('甲乙丙丁戊己庚辛壬癸')}市{w}{kind}"
        for w in UNIT_WORDS
        for kind in UNIT_KINDS
        for _ in range(15)
    ]
    started = time.monotonic()
    batch = 5000
    for start in range(1, n + 1, batch):
        disclosures, files, attachments, versions, events = [], [], [], [], []
        totals, evidence, page_rows, searched = [], [], [], []
        for i in range(start, min(n + 1, start + batch)):
            unit = units[i % len(units)]
            year = 2019 + i % 8
            final = i % 5 == 0
            doc = "决算" if final else "预算"
            title = f"{unit}{year}年部门{doc}"
            day = f"{year + (1 if final else 0)}-{1 + i % 9:02d}-{1 + i % 28:02d}"
            portal = portals[i % len(portals)]
            sha = f"{i:064x}"
            status = "withdrawn" if i % 97 == 0 else "active"
            disclosures.append(
                {
                    "id": i,
                    "portal_id": portal,
                    "section": "ys",
                    "url": f"http://{portal}.example/a/{i}.html",
                    "title": title,
                    "publish_date_shown": day,
                    "publish_date": day,
                    "unit_name": unit,
                    "year": year,
                    "doc_type": "final_account" if final else "budget",
                    "scope": "department",
                    "status": status,
                    "first_seen": f"{day}T02:00:00Z",
                    "last_seen": "2026-12-01T02:00:00Z",
                    "first_crawl_id": 1,
                    "last_crawl_id": 1,
                    "last_visited": "2026-12-01",
                }
            )
            searched.append({"id": i, "tokens": index_text(f"{title} {unit}")})
            files.append(
                {
                    "sha256": sha,
                    "size": 200_000 + i,
                    "content_type": "application/pdf",
                    "kind": "pdf",
                    "path": f"files/{sha[:2]}/{sha}.pdf",
                    "first_seen": f"{day}T02:00:00Z",
                    "first_url": f"http://{portal}.example/a/{i}.pdf",
                }
            )
            attachments.append(
                {
                    "id": i,
                    "disclosure_id": i,
                    "url": f"http://{portal}.example/a/{i}.pdf",
                    "name": f"{title}.pdf",
                    "status": status,
                    "current_sha256": sha,
                    "first_seen": f"{day}T02:00:00Z",
                    "last_seen": "2026-12-01T02:00:00Z",
                }
            )
            versions.append(
                {
                    "attachment_id": i,
                    "sha256": sha,
                    "first_seen": f"{day}T02:00:00Z",
                    "last_seen": "2026-12-01T02:00:00Z",
                    "first_crawl_id": 1,
                    "last_crawl_id": 1,
                }
            )
            events.append(
                {
                    "time": f"{day}T02:00:00Z",
                    "crawl_id": 1,
                    "type": "published",
                    "portal_id": portal,
                    "disclosure_id": i,
                    "attachment_id": i,
                    "new_sha256": sha,
                }
            )
            if status == "withdrawn":
                events.append(
                    {
                        "time": "2026-11-01T02:00:00Z",
                        "crawl_id": 1,
                        "type": "withdrawn",
                        "portal_id": portal,
                        "disclosure_id": i,
                    }
                )
            spent = round(1000 + (i * 7919) % 90000 / 7, 2)
            row: dict[str, Any] = {f: None for f in AMOUNT_FIELDS}
            row.update(
                expenditure_total=spent,
                revenue_total=spent,
                basic_expenditure=round(spent * 0.4, 2),
                project_expenditure=round(spent * 0.6, 2),
                three_public_total=round(spent / 300, 2),
            )
            figures = {
                "sha256": sha,
                "extractor_version": "4",
                "extracted_at": f"{day}T03:00:00Z",
                "status": "ok",
                "text_layer": 1,
                "is_budget_disclosure": 1,
                "pages": pages,
                "year": year,
                "unit_name": unit,
                "doc_type": "final_account" if final else "budget",
                "scope": "department",
                "amount_unit": "万元",
                "checks_failed": i % 3 == 0,
                "result": json.dumps({"unit_name": unit, "year": year, **row}, ensure_ascii=False),
                **row,
                "latest": 1,
            }
            totals.append(figures)
            if i % 40 == 0:  # revised in place: the file before, its figures, the event
                old = "f" + sha[1:]
                files.append({**files[-1], "sha256": old, "path": f"files/{old[:2]}/{old}.pdf"})
                versions.append({**versions[-1], "sha256": old, "last_seen": f"{day}T02:00:00Z"})
                before = round(spent - 1.5 - i % 7, 2)
                totals.append(
                    {**figures, "sha256": old, "expenditure_total": before, "revenue_total": before}
                )
                events.append(
                    {
                        "time": f"{day}T02:00:00Z",
                        "crawl_id": 1,
                        "type": "revised",
                        "portal_id": portal,
                        "disclosure_id": i,
                        "attachment_id": i,
                        "old_sha256": old,
                        "new_sha256": sha,
                    }
                )
            evidence.append(
                {
                    "sha256": sha,
                    "extractor_version": "4",
                    "field": "expenditure_total",
                    "page": 2,
                    "source": "table",
                    "text": f"支出总计 | {spent}",
                }
            )
            seed = chunks[i % len(chunks)]
            for k in range(pages):
                text = seed[(i + k) % len(seed)].replace("演示市", unit[:3])
                page_rows.append(
                    {
                        "sha256": sha,
                        "page": k + 1,
                        "text": f"{unit} {year}年\n{text}",
                        "tokens": index_text(f"{unit} {year}年\n{text}"),
                    }
                )
        with db.atomic():
            db["disclosures"].insert_all(disclosures)
            db["disclosure_search"].insert_all(searched)
            db["files"].insert_all(files)
            db["attachments"].insert_all(attachments)
            db["versions"].insert_all(versions)
            db["events"].insert_all(events)
            db["totals"].insert_all(totals)
            db["totals_evidence"].insert_all(evidence)
            db["page_texts"].insert_all(page_rows)
        done = min(n, start + batch - 1)
        print(f"  {done:,} disclosures written ({time.monotonic() - started:.0f} s)", flush=True)
    with db.atomic():
        db["crawls"].insert(
            {
                "id": 1,
                "started_at": "2026-12-01T02:00:00Z",
                "finished_at": "2026-12-01T05:00:00Z",
                "status": "finished",
                "portals": json.dumps(portals),
            },
            replace=True,
        )
        for p in portals:
            db["section_crawls"].insert(
                {
                    "crawl_id": 1,
                    "portal_id": p,
                    "section": "ys",
                    "time": "2026-12-01T03:00:00Z",
                    "list_pages": 50,
                    "list_failures": 0,
                    "entries": 1000,
                    "disclosures": 1000,
                    "new": 0,
                    "files": 1000,
                    "blocked": 0,
                    "errors": 0,
                    "status": "ok",
                }
            )
    history(db, portals, rng)
    revised = [eid for (eid,) in store.conn.execute("select id from events where type = 'revised'")]
    with db.atomic():
        changes.refresh(store.conn, event_ids=revised)
    store.refresh_calendar(today_in_china(), 1)
    store.refresh_monitors(Thresholds())
    store.db.execute("analyze")
    store.close()


def history(db: Any, portals: list[str], rng: random.Random, crawls: int = 365) -> None:
    """A year of daily crawls: each portal's sections per crawl, links skipped as not
    budgets, fetch problems and redirects, as a long-running archive gathers them."""
    with db.atomic():
        for c in range(2, crawls + 1):
            day = f"2026-{1 + (c - 2) * 12 // crawls:02d}-{1 + c % 28:02d}"
            db["crawls"].insert(
                {"id": c, "started_at": f"{day}T02:00:00Z", "finished_at": f"{day}T05:00:00Z",
                 "status": "finished", "portals": json.dumps(portals)},
                replace=True,
            )  # fmt: skip
            db["section_crawls"].insert_all(
                {"crawl_id": c, "portal_id": p, "section": "ys", "time": f"{day}T03:00:00Z",
                 "list_pages": 50, "list_failures": c % 11 == 0, "entries": 1000,
                 "disclosures": 1000, "new": c % 3, "files": c % 3, "blocked": 0,
                 "errors": c % 11 == 0, "status": "failing" if c % 11 == 0 else "ok",
                 "family": "trs"}
                for p in portals
            )  # fmt: skip
            db["skipped"].insert_all(
                {"crawl_id": c, "portal_id": p, "section": "ys",
                 "url": f"http://{p}.example/n/{c}-{k}.html", "title": f"关于{k}的通知",
                 "reason": rng.choice(("not a budget disclosure", "year out of range")),
                 "time": f"{day}T03:00:00Z"}
                for p in portals[:10] for k in range(5)
            )  # fmt: skip
            db["fetch_problems"].insert_all(
                {"time": f"{day}T03:00:00Z", "crawl_id": c, "portal_id": p,
                 "url": f"http://{p}.example/a/{c}.pdf",
                 "kind": rng.choice(("http_404", "timeout", "not_pdf")), "detail": "bench"}
                for p in portals[:5]
            )  # fmt: skip


def urls(unit: str) -> list[tuple[str, dict[str, str], int]]:
    metadata = load_metadata()["databases"]["archive"]
    out: list[tuple[str, dict[str, str], int]] = []
    for table in metadata["tables"]:
        out.append((f"/archive/{table}", {}, TARGET_MS))
        out.append((f"/archive/{table}.json", {}, TARGET_MS))
    # a reader's values: a portal, a unit's name as the portal writes it, an event type
    filled = {"portal": "p03", "unit": unit, "type": "revised", "year": "2024", "q": "医保"}
    for name, query in metadata["queries"].items():
        names = [p for p in filled if f":{p}" in query["sql"]]
        out.append((f"/archive/{name}", {p: "" for p in names}, TARGET_MS))  # as first opened
        if names:
            target = SEARCH_TARGET_MS if "q" in names else TARGET_MS
            out.append((f"/archive/{name}", {p: filled[p] for p in names}, target))
            if "q" in names:
                out.append((f"/archive/{name}", {"q": "三公经费", "unit": "", "year": ""}, target))
    out += [
        ("/archive/page_texts", {"_search": "医保"}, SEARCH_TARGET_MS),
        ("/archive/page_texts.json", {"_search": "三公"}, SEARCH_TARGET_MS),
        ("/archive/disclosures", {"_search": "教育"}, SEARCH_TARGET_MS),
        ("/archive/disclosures", {"title__contains": "医保"}, TARGET_MS),
        ("/-/disclosure/4242", {}, TARGET_MS),
        ("/-/dashboards/archive", {}, TARGET_MS),
    ]
    return out


def measure(root: Path, repeat: int) -> None:
    ds = datasette_app(root)
    db = Store(root)
    unit = db.conn.execute("select unit_name from disclosures where id = 4242").fetchone()[0]
    db.close()

    async def picked() -> list[tuple[str, dict[str, str], int]]:
        """Each faceted table's page with one facet's commonest value picked: the page a
        reader reaches with one click from the default one."""
        out = []
        for table, meta in load_metadata()["databases"]["archive"]["tables"].items():
            if not meta.get("facets"):
                continue
            body = (await ds.client.get(f"/archive/{table}.json")).json()
            for facet in meta["facets"]:
                results = body["facet_results"].get(facet, {}).get("results")
                if results:
                    out.append((f"/archive/{table}", {facet: str(results[0]["value"])}, TARGET_MS))
        return out

    async def timed(group: str, pages: list[tuple[str, dict[str, str], int]]) -> int:
        slow = 0
        print(f"\n{group}\n{'p50':>7} {'p95':>7} {'max':>7}  status  url")
        for path, params, target in pages:
            times, statuses = [], set()
            for _ in range(repeat):
                t0 = time.perf_counter()
                response = await ds.client.get(path, params=params)
                times.append((time.perf_counter() - t0) * 1000)
                statuses.add(response.status_code)
                if "facets timed out" in response.text:  # Datasette left a facet out
                    statuses.add("facet timeout")
            times.sort()
            p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
            flag = "  OVER" if p95 > target or statuses != {200} else ""
            slow += bool(flag)
            shown = path + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")
            print(
                f"{statistics.median(times):7.0f} {p95:7.0f} {times[-1]:7.0f}  "
                f"{','.join(map(str, sorted(statuses))):6}  {shown}{flag}",
                flush=True,
            )
        print(f"{group}: {slow} of {len(pages)} over target", flush=True)
        return slow

    async def run() -> None:
        slow = await timed("default pages, canned queries, searches", urls(unit))
        slow += await timed("one facet value picked", await picked())
        print(f"\n{slow} URL(s) over target (p95 {TARGET_MS} ms, search {SEARCH_TARGET_MS} ms)")

    asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--disclosures", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--archive", type=Path, default=None)
    args = parser.parse_args()
    root = args.archive or Path(tempfile.mkdtemp(prefix="bench-browse-"))
    db = root / "archive.db"
    if not db.exists():
        print(f"building {args.disclosures:,} disclosures in {root}")
        t0 = time.monotonic()
        build(root, args.disclosures, args.pages, random.Random(11))
        print(f"built in {time.monotonic() - t0:.0f} s: {db.stat().st_size / 2**20:,.0f} MB")
    else:
        print(f"reusing {db} ({db.stat().st_size / 2**20:,.0f} MB)")
    measure(root, args.repeat)


if __name__ == "__main__":
    main()
