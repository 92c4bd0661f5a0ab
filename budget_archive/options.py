"""What the commands share: their options, the console, small helpers."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.table import Table

from budget_archive.errors import OperatorError

if TYPE_CHECKING:
    from archive.store import Store

ARCHIVE_OPTION = click.option(
    "--archive",
    "archive_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("archive"),
    show_default=True,
    help="Archive directory (archive.db and files/).",
)
PORTALS_OPTION = click.option(
    "--portals",
    "portals_file",
    type=click.Path(dir_okay=False, exists=True),
    default=None,
    help="Portal configuration file (default: the bundled crawler/portals.toml).",
)
EXTRACTION_OPTION = click.option(
    "--extraction",
    type=click.Choice(["drain", "later", "off"]),
    default="drain",
    show_default=True,
    help="Key totals of new PDFs, read beside the crawl: when downloads end, wait for the"
    " rest (drain), leave the rest for `reextract` (later), or read none (off).",
)
STATES = click.Choice(["initial", "revised", "empty", "down"])
STATE_OPTION = click.option(
    "--state",
    type=STATES,
    default="initial",
    show_default=True,
    help="Which day of the demo portal to serve: initial; revised (a day later: a new, a"
    " corrected and a withdrawn disclosure); empty (the next day: one section's list blank);"
    " down (the day after: every request answered 503).",
)
NOTIFY_OPTION = click.option(
    "--notify",
    "notify_urls",
    multiple=True,
    metavar="URL",
    help="After the crawl, send what is new to this target (any apprise URL: json://host/path,"
    " mailtos://…, tgram://…; repeatable). A failed message is recorded and sent again by the"
    " next crawl naming the same target.",
)
AS_OF_OPTION = click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day the crawl stands for (YYYY-MM-DD; default: today in China; the demo: its"
    " portal's day): deadlines are judged, and revisits scheduled, as of it.",
)
REVISIT_OPTION = click.option(
    "--revisit",
    type=click.Choice(["due", "all"]),
    default="due",
    show_default=True,
    help="Known pages to fetch again: those due by the revisit policy (new and recently"
    " changed ones every crawl, quiet ones every few days, each at least every"
    " REVISIT_MAX_DAYS; the rest only recognised in their lists), or all.",
)
PORT = click.IntRange(0, 65535)
DEMO_PORTAL_PORT = 8737

console = Console(stderr=True)


CATALOG_OPTION = click.option(
    "--catalog",
    is_flag=True,
    help="The bundled catalog of ~3,200 real fiscal-disclosure entry pages instead of a"
    " portals file.",
)
REGION_OPTION = click.option(
    "--region",
    default=None,
    help="With --catalog: only regions under this one (河北省, 河北省/石家庄市).",
)


def day_of(value: datetime | None) -> date | None:
    return value.date() if value else None


def print_rows(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """A table on a terminal; piped, one tab-separated line per row."""
    out = Console()
    if not out.is_terminal:
        for row in rows:
            click.echo("\t".join(row))
        return
    table = Table(*headers)
    for row in rows:
        table.add_row(*row)
    out.print(table)


def open_archive(archive_dir: Path) -> Store:
    from archive.store import Store

    if not (archive_dir / "archive.db").exists():
        raise OperatorError(f"no archive at {archive_dir} (run `budget-archive crawl`)")
    return Store(archive_dir)
