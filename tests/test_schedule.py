"""`budget-archive schedule --print cron|systemd`: a daily crawl filled in for this install."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from click.testing import CliRunner

from budget_archive.cli import cli


def test_a_cron_line_runs_this_installs_crawl_daily(tmp_path):
    archive = tmp_path / "archive"
    out = CliRunner().invoke(cli, ["schedule", "--print", "cron", "--archive", str(archive)])
    assert out.exit_code == 0, out.output
    minute, hour, *stars, command = out.output.strip().split(" ", 5)
    assert (minute, hour, stars) == ("17", "3", ["*", "*", "*"])
    words = shlex.split(command)
    executable = words[words.index("&&") + 1]
    assert Path(executable) == Path(sys.executable).parent / "budget-archive"
    assert Path(executable).exists()
    crawl = words[words.index("&&") + 1 : words.index(">>")]
    assert crawl[1:] == ["crawl", "--archive", str(archive.resolve())]
    assert words[words.index(">>") + 1] == str(archive.resolve() / "crawl.log")


def test_systemd_units_with_a_timer_at_the_given_time(tmp_path):
    portals = tmp_path / "portals.toml"
    portals.write_text("", "utf-8")
    out = CliRunner().invoke(
        cli,
        ["schedule", "--print", "systemd", "--archive", str(tmp_path / "a")]
        + ["--portals", str(portals), "--at", "4:05"],
    )
    assert out.exit_code == 0, out.output
    text = out.output
    assert "[Service]\nType=oneshot" in text and "[Timer]" in text
    assert "OnCalendar=*-*-* 04:05:00" in text and "Persistent=true" in text
    (exec_start,) = [ln for ln in text.splitlines() if ln.startswith("ExecStart=")]
    assert shlex.split(exec_start.removeprefix("ExecStart="))[1:] == [
        "crawl",
        "--archive",
        str((tmp_path / "a").resolve()),
        "--portals",
        str(portals.resolve()),
    ]


def test_a_time_that_is_no_time_is_refused():
    out = CliRunner().invoke(cli, ["schedule", "--print", "cron", "--at", "25:00"])
    assert out.exit_code == 2 and "not a time of day" in out.output
