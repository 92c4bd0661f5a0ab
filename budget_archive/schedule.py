"""A daily crawl for cron or systemd, filled in for this install.

The crawl is safe to schedule: one crawl at a time per archive (a second exits at once),
a crawl that died is closed by the next, and the exit code says how it went (0 done, 5 some
portal or section failed, 3 the crawl failed, 1 the operator's mistake). With `--notify`,
what is new reaches people after each crawl. cron mails a job's output; systemd
keeps it in the journal.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

UNIT = "budget-archive-crawl"


def crawl_command(archive: Path, portals: Path | None, notify: tuple[str, ...] = ()) -> str:
    """The crawl of this install: its own `budget-archive`, absolute paths, the
    notification targets."""
    executable = Path(sys.executable).parent / "budget-archive"
    words = [str(executable), "crawl", "--archive", str(archive.resolve())]
    if portals is not None:
        words += ["--portals", str(portals.resolve())]
    for url in notify:
        words += ["--notify", url]
    return shlex.join(words)


def cron_line(
    archive: Path, portals: Path | None, hour: int, minute: int, notify: tuple[str, ...] = ()
) -> str:
    """A crontab line: the crawl's output appended to `crawl.log` in the archive. (cron
    reads `%` as a line break: escaped.)"""
    directory = shlex.quote(str(archive.resolve()))
    log = shlex.quote(str(archive.resolve() / "crawl.log"))
    command = crawl_command(archive, portals, notify).replace("%", "\\%")
    return f"{minute} {hour} * * * mkdir -p {directory} && {command} >> {log} 2>&1"


def systemd_units(
    archive: Path, portals: Path | None, hour: int, minute: int, notify: tuple[str, ...] = ()
) -> str:
    """A oneshot service and its daily timer. (systemd expands `%`: doubled.)"""
    command = crawl_command(archive, portals, notify).replace("%", "%%")
    return f"""# /etc/systemd/system/{UNIT}.service
[Unit]
Description=budget-archive: crawl the configured portals into {archive.resolve()}
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
WorkingDirectory={archive.resolve().parent}
ExecStart={command}
Nice=10

# /etc/systemd/system/{UNIT}.timer
[Unit]
Description=budget-archive: daily crawl

[Timer]
OnCalendar=*-*-* {hour:02d}:{minute:02d}:00
RandomizedDelaySec=15min
Persistent=true

[Install]
WantedBy=timers.target

# then: systemctl daemon-reload && systemctl enable --now {UNIT}.timer
"""
