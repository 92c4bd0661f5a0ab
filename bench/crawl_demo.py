"""Time crawls of the bundled demo portal: the first day, the revised day, and an
unchanged recrawl, each a `budget-archive crawl` process into a fresh archive.

    .venv/bin/python bench/crawl_demo.py [--runs N]

Prints per run and phase: wall seconds, peak RSS of the crawl process, disclosures,
files downloaded / not modified, events, problems; then medians per phase.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlite_utils

from demo_portal.server import DemoPortal


def crawl(archive: Path, url: str) -> tuple[float, float]:
    """Run one crawl process; return (wall seconds, peak RSS MB of that process)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "budget_archive",
            "crawl",
            "demo",
            "--archive",
            str(archive),
            "--demo-url",
            url,
        ],
        check=True,
        capture_output=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(after, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    phases: dict[str, list[float]] = {"initial": [], "revised": [], "unchanged": []}
    print(
        f"{'run':>3} {'phase':<9} {'wall s':>7} {'peak MB':>8} {'discl':>5} {'dl':>4} "
        f"{'304':>4} {'events':>6} {'probl':>5}"
    )
    for run in range(1, args.runs + 1):
        with tempfile.TemporaryDirectory() as tmp, DemoPortal(port=0) as portal:
            archive = Path(tmp) / "archive"
            for crawl_id, phase in enumerate(phases, start=1):
                if phase == "revised":
                    portal.state = "revised"
                wall, peak = crawl(archive, portal.url)
                phases[phase].append(wall)
                row = sqlite_utils.Database(archive / "archive.db")["crawls"].get(crawl_id)
                print(
                    f"{run:>3} {phase:<9} {wall:>7.2f} {peak:>8.0f} {row['disclosures_seen']:>5} "
                    f"{row['files_downloaded']:>4} {row['files_not_modified']:>4} "
                    f"{row['events']:>6} {row['problems']:>5}"
                )
    print(
        "median wall s: "
        + ", ".join(f"{phase} {statistics.median(times):.2f}" for phase, times in phases.items())
    )
    print(f"(cpus: {os.cpu_count()}; peak MB is the largest crawl process so far)")


if __name__ == "__main__":
    main()
