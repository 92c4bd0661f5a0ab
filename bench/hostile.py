"""Peak memory and time of the crawl against a hostile portal, and of `extract` on the
worst files, with the project's default bounds.

    .venv/bin/python bench/hostile.py [--bomb-mb N]

1. The hostile portal of the test suite (`tests/test_hostile_portal.py`: a misdeclared
   encoding, a page over the size bound, a gzip bomb, a redirect loop, a cut transfer, an
   error message served as a PDF, an impossible date), with a list page claiming 10⁹
   pages and a page of 12 MB, crawled with `budget-archive crawl`: its wall time, peak RSS
   of the crawl process and its children, and the problems it recorded, by kind.
2. `budget-archive extract` on a PDF whose content stream inflates to `--bomb-mb` MB (1 GB
   by default; unbounded it took `extract` to 2.1 GB) and on an ordinary PDF: wall time,
   peak RSS, the one-line outcome.

Each command runs under a parent that waits for nothing else, so `RUSAGE_CHILDREN`'s
maxrss is that command's (its workers included).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from demo_portal.render import load_seeds, render_pdf  # noqa: E402
from tests.localsite import LocalSite  # noqa: E402
from tests.minipdf import bomb_pdf  # noqa: E402
from tests.test_hostile_portal import hostile  # noqa: E402

_MEASURE = (
    "import json, resource, subprocess, sys, time\n"
    "t = time.monotonic()\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(json.dumps([done.returncode, peak, time.monotonic() - t,"
    " (done.stdout + done.stderr)[-400:]]))\n"
)


def measured(command: list[str]) -> tuple[int, float, float, str]:
    """(exit code, peak MB, seconds, the end of its output) of a command."""
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command], cwd=ROOT, capture_output=True, text=True
    )
    code, peak_kb, seconds, tail = json.loads(out.stdout)
    return code, peak_kb / 1024, seconds, tail


def crawl(tmp: Path) -> None:
    routes, headers = hostile()
    pager = "<script>createPageHTML('page_div', 1000000000, 0, 'index', 'html', 9);</script>"
    index = routes["/ys/index.html"]
    routes["/ys/index.html"] = (
        *index[:2],
        index[2].replace(b"</ul>", b"</ul>" + pager.encode()),
        0,
    )
    routes["/ys/202603/t2.html"] = (200, "text/html", b"<p>x</p>" * (12 * 1024 * 1024 // 8), 0)
    archive = tmp / "archive"
    with LocalSite(routes, headers=headers) as site:
        portals = site.portals_file(tmp, "trs", "/ys/index.html", portal_id="hostile")
        command = [sys.executable, "-m", "budget_archive", "crawl", "--portals", str(portals)]
        code, peak, seconds, tail = measured(command + ["--archive", str(archive)])
    import sqlite_utils

    db = sqlite_utils.Database(archive / "archive.db")
    kinds = Counter(r["kind"] for r in db.query("select kind from fetch_problems"))
    print(f"hostile crawl: exit {code}, {seconds:.1f} s, peak {peak:.0f} MB")
    print(f"  files stored: {db['files'].count}; problems: {dict(sorted(kinds.items()))}")


def extract(tmp: Path, bomb_mb: int) -> None:
    bomb = tmp / "bomb.pdf"
    bomb.write_bytes(bomb_pdf(bomb_mb))
    good = tmp / "good.pdf"
    good.write_bytes(render_pdf(load_seeds()[0]))
    for label, path in ((f"bomb ({bomb_mb} MB inflated)", bomb), ("ordinary PDF", good)):
        command = [sys.executable, "-m", "budget_archive", "extract", str(path), "--json"]
        code, peak, seconds, tail = measured(command)
        last = tail.strip().splitlines()[-1] if tail.strip() else ""
        outcome = last if code else "ok"
        size = path.stat().st_size / 1024
        print(f"extract {label}, {size:.0f} KB: exit {code}, {seconds:.1f} s, peak {peak:.0f} MB")
        print(f"  {outcome}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bomb-mb", type=int, default=1024)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        crawl(Path(tmp))
        extract(Path(tmp), args.bomb_mb)


if __name__ == "__main__":
    main()
