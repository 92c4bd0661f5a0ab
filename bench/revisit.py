"""The revisit policy at scale: requests of an unchanged recrawl, and how soon a revision
under an old link is caught.

    .venv/bin/python bench/revisit.py [--details 10000] [--revised 20] [--concurrency 8]

What it does:

1. writes the generated TRS WCM section of bench/crawl_scale.py (N detail pages, 20 a list
   page, one real budget PDF each) and serves it from a local static server with
   Last-Modified / If-Modified-Since (Python's http.server), counting requests by kind;
2. crawls it once (`budget-archive crawl --extraction off`, the day D), then ages the
   archive by a year (every page first seen and every event a year before D: an archive
   that has watched the portal long);
3. day D+1, unchanged: a recrawl by the policy (`--revisit due`), then one revisiting
   everything (`--revisit all`, what every crawl did before the policy); prints both
   request counts and their ratio (target ≤ 60%);
4. revises `--revised` PDFs under their old links (new bytes, new Last-Modified), then
   crawls daily by the policy from D+2 until each is caught (a `revised` event); prints
   the days each took (target: within REVISIT_MAX_DAYS, 7) and each day's requests.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import date, timedelta
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from crawl_scale import LIST_DIR, PORTAL_ID, base_pdfs, build_site, portals_toml  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
START = date(2026, 3, 2)


class Counted(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, site: Path) -> None:
        self.counts: Counter[str] = Counter()
        self.lock = threading.Lock()
        counts, lock = self.counts, self.lock

        class Handler(SimpleHTTPRequestHandler):
            def __init__(self, *args: object, **kwargs: object) -> None:
                super().__init__(*args, directory=str(site), **kwargs)  # type: ignore[arg-type]

            def send_response(self, code: int, message: str | None = None) -> None:
                path = self.path.split("?")[0]
                kind = (
                    "pdf"
                    if path.endswith(".pdf")
                    else "list"
                    if "/index" in path
                    else "detail"
                    if path.endswith(".html")
                    else "other"
                )
                with lock:
                    counts[kind] += 1
                    counts["304" if code == 304 else "answered"] += 1
                super().send_response(code, message)

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def snapshot(self) -> Counter[str]:
        with self.lock:
            return Counter(self.counts)


def crawl(archive: Path, toml: Path, day: date, revisit: str) -> tuple[float, int]:
    command = [str(BIN / "budget-archive"), "crawl", PORTAL_ID, "--archive", str(archive)]
    command += ["--portals", str(toml), "--extraction", "off", "--as-of", day.isoformat()]
    command += ["--revisit", revisit]
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"crawl failed ({done.returncode}): {done.stderr[-2000:]}")
    return time.monotonic() - started, done.returncode


def sql(archive: Path, query: str, params: tuple = ()) -> list[tuple]:
    db = sqlite3.connect(archive / "archive.db")
    try:
        with db:
            return db.execute(query, params).fetchall()
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", type=int, default=10000)
    parser.add_argument("--revised", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-revisit-"))
    site, archive = work / "site", work / "archive"
    site.mkdir()
    build_site(site, args.details, base_pdfs(12))
    server = Counted(site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    toml = portals_toml(work / "portals.toml", server.url, args.concurrency)
    print(f"site: {args.details} detail pages, {args.details} PDFs at {server.url}{LIST_DIR}/")

    def day_crawl(day: date, revisit: str) -> tuple[Counter[str], float]:
        before = server.snapshot()
        seconds, _ = crawl(archive, toml, day, revisit)
        after = server.snapshot()
        return after - before, seconds

    first, seconds = day_crawl(START, "due")
    print(f"day 0, first crawl: {sum_requests(first)} requests ({fmt(first)}), {seconds:.0f} s")
    year_ago = (START - timedelta(days=365)).isoformat() + "T00:00:00Z"
    sql(archive, "update disclosures set first_seen = ?", (year_ago,))
    sql(archive, "update events set time = ?", (year_ago,))

    # the policy first: a full revisit the same day would leave nothing due
    due, s_due = day_crawl(START + timedelta(days=1), "due")
    every, s_all = day_crawl(START + timedelta(days=1), "all")
    ratio = sum_requests(due) / sum_requests(every)
    print(
        f"day 1, unchanged, --revisit all: {sum_requests(every)} requests ({fmt(every)}), {s_all:.0f} s"
    )
    print(
        f"day 1, unchanged, --revisit due: {sum_requests(due)} requests ({fmt(due)}), {s_due:.0f} s"
    )
    print(
        f"policy / all: {ratio:.1%} of the requests (target <= 60%), {s_due / s_all:.1%} of the time"
    )

    rng = random.Random(7)
    chosen = rng.sample(range(1, args.details + 1), min(args.revised, args.details))
    for n in chosen:
        pdf = next(site.rglob(f"P0{n}.pdf"))
        pdf.write_bytes(pdf.read_bytes() + b"\n%% revised\n")
    urls = {n: f"{server.url}{LIST_DIR}/202503/P0{n}.pdf" for n in chosen}
    caught: dict[int, int] = {}
    for offset in range(2, 2 + 14):
        day = START + timedelta(days=offset)
        counts, seconds = day_crawl(day, "due")
        crawl_id = sql(archive, "select max(id) from crawls")[0][0]
        revised = {
            url
            for (url,) in sql(
                archive,
                "select a.url from events e join attachments a on a.id = e.attachment_id"
                " where e.crawl_id = ? and e.type = 'revised'",
                (crawl_id,),
            )
        }
        for n, url in urls.items():
            if url in revised and n not in caught:
                caught[n] = offset - 1
        print(
            f"day {offset}: {sum_requests(counts)} requests, {seconds:.0f} s;"
            f" revisions caught so far {len(caught)}/{len(chosen)}"
        )
        if len(caught) == len(chosen):
            break
    days = sorted(caught.values())
    print(
        "days until a revision was caught: "
        + json.dumps(Counter(days), sort_keys=True)
        + f"; max {max(days) if days else '-'} (target <= 7); missed {len(chosen) - len(caught)}"
    )
    server.shutdown()
    shutil.rmtree(work, ignore_errors=True)


def sum_requests(c: Counter[str]) -> int:
    return c["answered"] + c["304"]


def fmt(c: Counter[str]) -> str:
    return ", ".join(f"{k} {c[k]}" for k in ("list", "detail", "pdf", "304") if c[k])


if __name__ == "__main__":
    main()
