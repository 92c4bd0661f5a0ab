"""The commands that read or tend an archive already made: status, search, export,
alias, verify (registered on the `budget-archive` group by budget_archive/cli.py)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from archive.lock import ArchiveBusy
from budget_archive.errors import FixityFailed, OperatorError
from budget_archive.options import (
    ARCHIVE_OPTION,
    AS_OF_OPTION,
    console,
    day_of,
    open_archive,
)


@click.command()
@ARCHIVE_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print it all as one JSON object.")
def status(archive_dir: Path, as_json: bool) -> None:
    """How the archive's portals are doing: the last crawl, each section's health across
    crawls with the monitors' flags (silent, unreachable, blocked, failing), the documents
    missing past their deadline, and notifications waiting to be sent again.

    Example: budget-archive status --archive ./archive --json
    """
    import json

    from archive.calendar import missing_sentence
    from archive.health import flag_sentence

    store = open_archive(archive_dir)
    try:
        crawls = store.rows("select * from crawls order by id desc limit 1")
        report: dict[str, Any] = {
            "last_crawl": {k: v for k, v in crawls[0].items() if k != "stats"} if crawls else None,
            "monitors": store.monitors(),
            "missing": store.missing(),
            "notifications_failed": store.rows(
                "select id, crawl_id, target, attempts, last_attempt, last_error"
                " from notifications where status = 'failed' order by id"
            ),
        }
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    last = report["last_crawl"]
    out = Console(soft_wrap=True)
    if last is None:
        out.print("no crawl yet")
        return
    out.print(
        f"last crawl {last['id']} {last['status']} at {last['finished_at'] or last['started_at']}:"
        f" {last['disclosures_seen'] or 0} disclosures, {last['events'] or 0} events,"
        f" {last['problems'] or 0} problems",
        markup=False,
        highlight=False,
    )
    table = Table(title="sections")
    for column in (
        "portal",
        "section",
        "last status",
        "last yield",
        "without",
        "blocked",
        "errors",
    ):
        table.add_column(column)
    table.add_column("flags")
    for m in report["monitors"]:
        table.add_row(
            m["portal_id"],
            m["section"],
            m["last_status"],
            (m["last_yield"] or "never")[:16],
            str(m["crawls_without_yield"]),
            f"{m['block_share']:.0%}",
            str(m["errors"]),
            m["flags"] or "",
        )
    out.print(table)
    for m in report["monitors"]:
        if m["flags"]:
            out.print(f"flag: {flag_sentence(m)}", markup=False, highlight=False)
    for row in report["missing"]:
        out.print(f"missing: {missing_sentence(row)}", markup=False, highlight=False)
    for n in report["notifications_failed"]:
        out.print(
            f"notification {n['id']} (crawl {n['crawl_id']}) to {n['target']} failed"
            f" {n['attempts']}×: {n['last_error']}",
            markup=False,
            highlight=False,
        )


@click.command()
@click.argument("term")
@ARCHIVE_OPTION
@click.option("--unit", default=None, help="Only disclosures whose unit name contains this.")
@click.option("--year", type=int, default=None, help="Only disclosures of this budget year.")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True, help="At most N.")
def search(term: str, archive_dir: Path, unit: str | None, year: int | None, limit: int) -> None:
    """Find TERM in the archive: disclosure titles and unit names, and the text of every
    page of every stored PDF. Chinese terms of any length (三公, 医保, 三公经费) and mixed
    ones (2024年) are found; several words must all match.

    Example: budget-archive search 三公经费 --unit 教育局 --year 2026
    """
    from archive.search import search as find

    store = open_archive(archive_dir)
    try:
        hits = find(store.conn, term, unit=unit, year=year, limit=limit)
    finally:
        store.close()
    out = Console(soft_wrap=True)
    if not hits:
        out.print(f"no match for {term}", markup=False, highlight=False)
        return
    for hit in hits:
        where = f"p.{hit.page}: {hit.snippet}" if hit.page else "(title or unit)"
        out.print(
            f"{hit.unit or '?'} {hit.year or ''} {hit.title} — {where}\n  {hit.link}",
            markup=False,
            highlight=False,
        )


@click.command()
@ARCHIVE_OPTION
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file (CSV in UTF-8 with a BOM, so spreadsheets read the Chinese);"
    " default: standard output.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "jsonl"]),
    default="csv",
    show_default=True,
    help="CSV with a header row, or one JSON object a line.",
)
@click.option("--year", type=int, default=None, help="Only disclosures of this budget year.")
def export(archive_dir: Path, out: Path | None, fmt: str, year: int | None) -> None:
    """The key totals for spreadsheets: one row per disclosure (unit, year, type, title,
    date, URL), each figure a column in 万元. Where a disclosure's files give different
    values for a figure the cell is empty and `conflicts` names it.

    Example: budget-archive export --archive ./archive --out totals.csv
    """
    import sys

    from archive.export import write

    store = open_archive(archive_dir)
    try:
        if out is None:
            count = write(store.conn, sys.stdout, fmt, year)
        else:
            with out.open("w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as f:
                count = write(store.conn, f, fmt, year)
    finally:
        store.close()
    console.print(f"{count} disclosure(s)" + (f" written to {out}" if out else ""))


@click.command()
@click.argument("alias")
@click.argument("unit")
@ARCHIVE_OPTION
@AS_OF_OPTION
def alias(alias: str, unit: str, archive_dir: Path, as_of: datetime | None) -> None:
    """Count ALIAS, another spelling of a unit's name, as UNIT in the publication calendar,
    and rebuild the calendar.

    Scope and correction markers need no alias (某局（本级）, 某局（更正） are 某局 already).

    Example: budget-archive alias 某市教育体育局 某市教育局
    """
    from archive.calendar import today_in_china

    store = open_archive(archive_dir)
    try:
        store.add_alias(alias, unit)
        missing = store.refresh_calendar(day_of(as_of) or today_in_china())
    finally:
        store.close()
    console.print(f"{alias} counts as {unit}; calendar rebuilt, {len(missing)} missing")


@click.command()
@ARCHIVE_OPTION
def verify(archive_dir: Path) -> None:
    """Re-hash every stored file against its name and the database.

    Prints one line for each file that is missing, corrupt (its bytes no longer hash to
    its name) or orphaned (under files/ but listed nowhere), and exits 1 on any. A corrupt
    file is moved aside to quarantine/ (kept, never deleted), so the next crawl fetches it
    again and stores the bytes that hash right. Each run and finding is recorded
    (fixity_runs, fixity_problems). Not while a crawl runs on the archive.

    Example: budget-archive verify --archive ./archive
    """
    from rich.progress import Progress

    from archive.fixity import verify as verify_files
    from archive.store import Store

    if not (archive_dir / "archive.db").exists():
        raise OperatorError(f"no archive at {archive_dir}")
    store = Store(archive_dir)
    try:
        store.lock.acquire("verify")
        (total,) = store.conn.execute("select coalesce(sum(size), 0) from files").fetchone()
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("verifying", total=total)
            report = verify_files(store, progress=lambda n: progress.advance(task, n))
    except ArchiveBusy as exc:
        raise OperatorError(str(exc)) from exc
    finally:
        store.close()
    for finding in report.findings:  # the report on stdout, one finding a line
        click.echo(finding.line())
    counts = ", ".join(f"{report.count(k)} {k}" for k in ("missing", "corrupt", "orphaned"))
    click.echo(f"{report.files_checked} files ({report.bytes_checked:,} bytes) verified: {counts}")
    if report.findings:
        raise FixityFailed(f"{len(report.findings)} file(s) failed verification")
