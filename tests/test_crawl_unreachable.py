"""A portal that answers nothing is said in one line, with the problem recorded."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import sqlite_utils

from budget_archive.errors import EXIT_PORTALS_FAILED

ROOT = Path(__file__).resolve().parent.parent


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_portal_is_one_line(tmp_path):
    url = f"http://127.0.0.1:{closed_port()}"
    portals = tmp_path / "portals.toml"
    portals.write_text(
        f'[[portal]]\nid = "gone"\nname = "无人应答"\nbase_url = "{url}"\n'
        "concurrency = 2\ndownload_delay = 0.0\nautothrottle = false\n"
        f'[[portal.section]]\nid = "ys"\nfamily = "trs"\nurl = "{url}/ys/index.html"\n',
        "utf-8",
    )
    cmd = [
        sys.executable,
        "-m",
        "budget_archive",
        "crawl",
        "gone",
        "--archive",
        str(tmp_path / "a"),
    ]
    done = subprocess.run(
        [*cmd, "--portals", str(portals)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == EXIT_PORTALS_FAILED, done.stderr[-2000:]
    lines = [line for line in done.stderr.splitlines() if "unreachable" in line]
    assert lines[0].startswith("portal gone unreachable: connection_refused at ")
    assert lines[1].endswith(": unreachable portal(s): gone") and len(lines) == 2
    assert "Traceback" not in done.stderr
    db = sqlite_utils.Database(tmp_path / "a" / "archive.db")
    kinds = {r["kind"] for r in db.query("select kind from fetch_problems")}
    assert kinds == {"connection_refused", "empty_section"}
