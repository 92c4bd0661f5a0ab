"""The `budget-archive` command line."""

from __future__ import annotations

import contextlib
import time
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.table import Table

from archive.lock import ArchiveBusy
from budget_archive import archive_commands
from budget_archive.errors import CrawlIncomplete, OperatorError, PortalsFailed
from budget_archive.options import (
    ARCHIVE_OPTION,
    AS_OF_OPTION,
    CATALOG_OPTION,
    DEMO_PORTAL_PORT,
    EXTRACTION_OPTION,
    NOTIFY_OPTION,
    PORT,
    PORTALS_OPTION,
    REGION_OPTION,
    REVISIT_OPTION,
    STATE_OPTION,
    console,
    day_of,
    print_rows,
)
from budget_archive.ports import check_port, port_error

if TYPE_CHECKING:
    from archive.extraction import Limits
    from budget_archive.run import CrawlSummary
    from crawler.portals import Portal


def _load_portals(portals_file: str | None, demo_url: str | None = None) -> dict[str, Portal]:
    """The configured portals; a file that cannot be used is a one-line error (exit 1)."""
    from crawler.portals import PortalConfigError, load_portals

    try:
        return load_portals(portals_file, demo_url)
    except PortalConfigError as exc:
        raise OperatorError(str(exc)) from exc


def _check_portal_ids(
    portal_ids: tuple[str, ...], portals_file: str | None, demo_url: str | None
) -> None:
    """Before anything is crawled: the portals file is usable and names every id asked for."""
    configured = _load_portals(portals_file, demo_url)
    unknown = [p for p in portal_ids if p not in configured]
    if unknown:
        raise OperatorError(
            f"unknown portal(s): {', '.join(unknown)}; known: {', '.join(configured)}"
        )


@click.group()
@click.version_option(package_name="budget-archive")
def cli() -> None:
    """Archival crawler for published government budgets (预算) and final accounts (决算)."""


@cli.command()
@PORTALS_OPTION
@click.option(
    "--check",
    is_flag=True,
    help="Only check the portals file: one line per problem, exit 1 when there is one.",
)
@CATALOG_OPTION
@REGION_OPTION
def portals(portals_file: str | None, check: bool, catalog: bool, region: str | None) -> None:
    """List the configured portals and their sections (or the catalog's entries).

    Example: budget-archive portals

    Example: budget-archive portals --check --portals my-portals.toml

    Example: budget-archive portals --catalog --region 河北省/石家庄市
    """
    if check:
        from crawler.portals import BUNDLED, check_portals

        problems = check_portals(portals_file)
        for problem in problems:
            click.echo(problem, err=True)
        if problems:
            raise OperatorError(f"{len(problems)} problem(s) in {portals_file or BUNDLED}")
        click.echo(f"{portals_file or BUNDLED}: ok")
        return
    if catalog:
        from crawler.catalog import load_catalog, select

        entries = select(load_catalog(), region)
        if not entries:
            raise OperatorError(f"no catalog entry under region {region!r}")
        print_rows(
            ("id", "region", "level", "name", "family", "URL suggests", "entry URL"),
            [(e.id, e.region, e.level, e.name, e.family, e.url_family, e.url) for e in entries],
        )
        known = sum(1 for e in entries if e.url_family)
        console.print(
            f"{len(entries)} catalog entries; the URL alone names the family of {known}"
            f" ({known / len(entries):.0%}); the rest are recognised from their pages"
            " when crawled (family auto)",
            markup=False,
            highlight=False,
        )
        return
    print_rows(
        ("portal", "name", "section", "family", "list URL"),
        [
            (portal.id, portal.name, section.id, section.family, section.url)
            for portal in _load_portals(portals_file).values()
            for section in portal.sections
        ],
    )


@cli.command()
@click.argument("portal_ids", nargs=-1)
@ARCHIVE_OPTION
@PORTALS_OPTION
@click.option("--demo-url", default=None, help="Where the demo portal listens (DEMO_PORTAL_URL).")
@CATALOG_OPTION
@REGION_OPTION
@click.option(
    "--limit", type=click.IntRange(1), default=None, help="With --catalog: at most N entries."
)
@EXTRACTION_OPTION
@AS_OF_OPTION
@REVISIT_OPTION
@NOTIFY_OPTION
@click.option("-v", "--verbose", count=True, help="-v: Scrapy INFO log; -vv: DEBUG.")
def crawl(
    portal_ids: tuple[str, ...],
    archive_dir: Path,
    portals_file: str | None,
    demo_url: str | None,
    catalog: bool,
    region: str | None,
    limit: int | None,
    extraction: str,
    as_of: datetime | None,
    revisit: str,
    notify_urls: tuple[str, ...],
    verbose: int,
) -> None:
    """Crawl configured portals (all when none is named) into the archive.

    Repeated runs are incremental: known pages are revisited as the revisit policy makes
    them due, unchanged files answer 304, and what changed becomes events.

    One crawl at a time per archive: a second one exits at once naming the first. A crawl
    that died (killed, power cut) is closed as interrupted by the next, which also removes
    its half-written files; extraction workers die with their crawl.

    With --catalog, the bundled catalog's real portals are crawled with the polite
    defaults.

    Example: budget-archive crawl demo --archive ./archive

    Example: budget-archive crawl --catalog --region 河北省 --limit 20
    """
    if catalog:
        if portals_file:
            raise OperatorError("--catalog and --portals: choose one")
        portals_file = str(_catalog_portals(archive_dir, region, limit))
    _check_portal_ids(portal_ids, portals_file, demo_url)
    summary = _crawl(
        portal_ids, archive_dir, portals_file, demo_url, verbose, extraction, day_of(as_of), revisit
    )
    _notify(archive_dir, summary, notify_urls)
    _judge(summary)


def _notify(archive_dir: Path, summary: CrawlSummary, urls: tuple[str, ...]) -> None:
    """Send the crawl's news to each target; say what was sent and what failed."""
    if not urls:
        return
    from archive.store import Store

    store = Store(archive_dir)
    try:
        sent = store.notify(summary.crawl_id, urls)
    finally:
        store.close()
    if not sent:
        console.print("notifications: nothing new to tell")
    for n in sent:
        again = "" if n["crawl_id"] == summary.crawl_id else f" (crawl {n['crawl_id']}'s, again)"
        if n["status"] == "sent":
            console.print(f"notified {n['target']}{again}", markup=False, highlight=False)
        else:
            console.print(
                f"notification to {n['target']}{again} failed, kept to send again next crawl:"
                f" {n['last_error']}",
                markup=False,
                highlight=False,
            )


def _judge(summary: CrawlSummary) -> None:
    """Exit 3 when the crawl failed, 5 when it finished but portals or sections failed."""
    if not summary.status.startswith("finished"):
        raise CrawlIncomplete(f"crawl {summary.crawl_id} {summary.status}")
    if summary.unreachable:
        names = ", ".join(summary.unreachable)
        raise PortalsFailed(f"crawl {summary.crawl_id}: unreachable portal(s): {names}")
    failed = [
        f"{s['portal_id']}/{s['section']} ({s['status']})"
        for s in summary.sections
        if s["status"] in ("failed", "unreachable", "blocked")
    ]
    if failed:
        raise PortalsFailed(f"crawl {summary.crawl_id}: failed section(s): {', '.join(failed)}")


@cli.command()
@click.argument("target")
@click.option(
    "--url",
    "page_url",
    default=None,
    help="With a saved page as TARGET: the URL it was saved from (links resolve against it).",
)
def probe(target: str, page_url: str | None) -> None:
    """What the crawler makes of an entry page: its family, candidate disclosures, how it
    paginates, and a portals file entry that crawls it.

    TARGET is a URL (fetched once, politely: robots.txt obeyed) or a saved page (FILE
    --url URL, offline).

    Example: budget-archive probe https://czj.example.gov.cn/zwgk/ys/index.html

    Example: budget-archive probe saved.html --url https://czj.example.gov.cn/zwgk/ys/index.html
    """
    from crawler.probe import ProbeError, decode, fetch, probe_page
    from crawler.settings import USER_AGENT

    if Path(target).is_file():
        if not page_url:
            raise OperatorError("a saved page needs --url (the address it was saved from)")
        url, html = page_url, decode(Path(target).read_bytes())
    elif target.startswith(("http://", "https://")):
        try:
            url, html = fetch(target, USER_AGENT)
        except ProbeError as exc:
            raise OperatorError(str(exc)) from exc
    else:
        raise OperatorError(f"{target}: neither a saved page nor an http(s) URL")
    report = probe_page(url, html)
    out = Console(soft_wrap=True)
    out.print(f"page: {url}", markup=False, highlight=False)
    out.print(f"title: {report.title or '(none)'}", markup=False, highlight=False)
    out.print(f"family: {report.detection.describe()}; walked by {report.walker}", markup=False)
    out.print(f"pagination: {report.pagination}", markup=False, highlight=False)
    if report.is_disclosure:
        out.print(
            f"this page is itself a disclosure, with {len(report.attachments)} attachment(s):",
            markup=False,
        )
        for a in report.attachments:
            out.print(f"  {a.name}  {a.url}", markup=False, highlight=False)
    out.print(f"candidate disclosures: {len(report.candidates)}", markup=False)
    for entry in report.candidates[:30]:
        out.print(
            f"  {entry.date or '-':10}  {entry.title}  {entry.url}", markup=False, highlight=False
        )
    out.print("\nportals file entry:\n" + report.toml(), markup=False, highlight=False)


def _catalog_portals(archive_dir: Path, region: str | None, limit: int | None) -> Path:
    """The chosen catalog entries as a portals file in the archive directory."""
    from crawler.catalog import load_catalog, portals_toml, select

    entries = select(load_catalog(), region, limit)
    if not entries:
        raise OperatorError(f"no catalog entry under region {region!r}")
    archive_dir.mkdir(parents=True, exist_ok=True)
    path = archive_dir / "catalog-portals.toml"
    path.write_text(portals_toml(entries), "utf-8")
    return path


def _crawl(
    portal_ids: tuple[str, ...],
    archive_dir: Path,
    portals_file: str | None,
    demo_url: str | None,
    verbose: int,
    extraction: str = "drain",
    as_of: date | None = None,
    revisit: str = "due",
) -> CrawlSummary:
    from archive.calendar import missing_sentence, today_in_china
    from archive.health import flag_sentence
    from budget_archive.run import run_crawl

    level = ["WARNING", "INFO", "DEBUG"][min(verbose, 2)]
    started = time.monotonic()
    try:
        summary = run_crawl(
            portal_ids,
            archive_dir,
            portals_file=portals_file,
            demo_url=demo_url,
            extraction=extraction,
            log_level=level,
            console=console,
            as_of=as_of,
            revisit=revisit,
        )
    except KeyError as exc:
        raise click.ClickException(str(exc.args[0])) from exc
    except ArchiveBusy as exc:
        raise OperatorError(str(exc)) from exc
    row, events = summary.row, summary.events
    console.print(
        f"crawl {summary.crawl_id} {summary.status} in {time.monotonic() - started:.1f} s: "
        f"{row.get('disclosures_seen', 0)} disclosures, {row.get('files_downloaded', 0)} files "
        f"downloaded, {row.get('files_not_modified', 0)} not modified, "
        f"{row.get('files_new', 0)} new versions, {row.get('problems', 0)} problems; events: "
        + (", ".join(f"{k} {v}" for k, v in sorted(events.items())) or "none")
    )
    if summary.changes:
        console.print("what the revisions changed:")
        for sentence in summary.changes:
            console.print(f"  {sentence}", markup=False, highlight=False, soft_wrap=True)
    if summary.missing:
        day = (as_of or today_in_china()).isoformat()
        console.print(f"missing as of {day} (due and not on the portal):")
        for row in summary.missing:
            console.print(
                f"  {missing_sentence(row)}", markup=False, highlight=False, soft_wrap=True
            )
    for row in summary.flags:
        if row["portal_id"] in summary.unreachable and row["flags"] == "unreachable":
            continue  # said below, once for the portal
        console.print(f"flag: {flag_sentence(row)}", markup=False, highlight=False, soft_wrap=True)
    for portal_id, problem in summary.unreachable.items():
        console.print(f"portal {portal_id} unreachable: {problem}", markup=False, highlight=False)
    for s in summary.sections:
        if s["status"] != "ok" and s["portal_id"] not in summary.unreachable:
            console.print(
                f"section {s['portal_id']}/{s['section']} {s['status']}: {s['list_pages']} list"
                f" page(s) read, {s['list_failures']} failed, {s['entries']} entries,"
                f" {s['blocked']} blocked, {s['errors']} errors",
                markup=False,
                highlight=False,
            )
    return summary


@cli.command()
@ARCHIVE_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8001, show_default=True, type=PORT, metavar="PORT", help="Datasette port."
)
def serve(archive_dir: Path, host: str, port: int) -> None:
    """Serve the archive read-only in Datasette, described by metadata.json.

    Example: budget-archive serve --archive ./archive --port 8001
    """
    if not (archive_dir / "archive.db").exists():
        raise OperatorError(f"no archive at {archive_dir} (run `budget-archive crawl`)")
    check_port(host, port, what="Datasette", port_option="--port")
    from archive.publish import serve as serve_archive
    from archive.store import Store

    Store(archive_dir).close()  # an archive written by older code is migrated first
    serve_archive(archive_dir, host=host, port=port)


@cli.group()
def portal() -> None:
    """The bundled demo portal."""


@portal.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=DEMO_PORTAL_PORT,
    show_default=True,
    type=PORT,
    metavar="PORT",
    help="Demo portal port (0: any free port).",
)
@STATE_OPTION
def portal_serve(host: str, port: int, state: str) -> None:
    """Serve the demo portal alone (Ctrl-C stops it).

    Example: budget-archive portal serve --port 8737 --state revised
    """
    from demo_portal.server import DemoPortal

    check_port(host, port, what="demo portal", port_option="--port")
    site = DemoPortal(host=host, port=port, state=state)
    try:
        site.bind()
    except OSError as exc:
        raise port_error(host, port, exc, what="demo portal", port_option="--port") from exc
    console.print(f"demo portal ({state}) at {site.url}/")
    with contextlib.suppress(KeyboardInterrupt):
        site.serve_forever()


@cli.command()
@ARCHIVE_OPTION
@STATE_OPTION
@click.option(
    "--portal-port",
    default=DEMO_PORTAL_PORT,
    show_default=True,
    type=PORT,
    metavar="PORT",
    help="Demo portal port (0: any free port).",
)
@click.option(
    "--port", default=8001, show_default=True, type=PORT, metavar="PORT", help="Datasette port."
)
@click.option("--no-serve", is_flag=True, help="Stop after the crawl.")
@EXTRACTION_OPTION
@AS_OF_OPTION
@NOTIFY_OPTION
@click.option("-v", "--verbose", count=True, help="-v: Scrapy INFO log; -vv: DEBUG.")
def demo(
    archive_dir: Path,
    state: str,
    portal_port: int,
    port: int,
    no_serve: bool,
    extraction: str,
    as_of: datetime | None,
    notify_urls: tuple[str, ...],
    verbose: int,
) -> None:
    """Start the demo portal, crawl it into the archive, serve the archive in Datasette.

    Run it twice in the same directory to see revision tracking:

    Example: budget-archive demo --no-serve && budget-archive demo --state revised
    """
    from demo_portal.server import DemoPortal
    from demo_portal.site import DAYS

    host = "127.0.0.1"
    check_port(host, portal_port, what="demo portal", port_option="--portal-port")
    if not no_serve:  # Datasette serves after the crawl: a busy port must stop us now
        check_port(host, port, what="Datasette", port_option="--port")
    portal = DemoPortal(host=host, port=portal_port, state=state)
    try:
        portal.bind()
    except OSError as exc:
        raise port_error(
            host, portal_port, exc, what="demo portal", port_option="--portal-port"
        ) from exc
    with portal as site:
        console.print(f"demo portal ({state}) at {site.url}/")
        # deadlines judged as of the demo portal's own day, unless told otherwise
        day = day_of(as_of) or DAYS[state]
        summary = _crawl(("demo",), archive_dir, None, site.url, verbose, extraction, day)
    _notify(archive_dir, summary, notify_urls)
    if no_serve:
        _judge(summary)
    else:
        try:
            _judge(summary)
        except PortalsFailed as exc:  # still worth browsing: the archive says what failed
            console.print(f"{exc.message} (serving the archive all the same)", markup=False)
        from archive.publish import serve as serve_archive

        check_port(host, port, what="Datasette", port_option="--port")  # taken meanwhile?
        serve_archive(archive_dir, host=host, port=port)


@cli.command()
@ARCHIVE_OPTION
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Every PDF, also those this extractor version read already (their rows stay).",
)
@click.option(
    "--workers", default=0, show_default=True, type=int, help="Worker processes (0: one per core)."
)
def reextract(archive_dir: Path, everything: bool, workers: int) -> None:
    """Extract the key totals of stored PDFs that the current extractor has not read.

    After the extractor improved (a new version), or after a crawl with --extraction later.
    Each version's results are kept beside the older ones; `latest_totals` shows the newest.

    Example: budget-archive reextract --archive ./archive
    """
    from concurrent.futures import FIRST_COMPLETED, Future, wait

    from rich.progress import Progress

    from archive.extraction import ExtractionPool
    from archive.store import Store
    from archive.totals import extractor_version, file_context, pending_files, store_totals

    if not (archive_dir / "archive.db").exists():
        raise OperatorError(f"no archive at {archive_dir}")
    store = Store(archive_dir)
    version = extractor_version()
    todo = pending_files(store, version, everything=everything)
    pool = ExtractionPool(workers or None, _extraction_limits())
    errors = 0
    try:
        with Progress(console=console) as progress:
            task = progress.add_task(f"extracting ({version})", total=len(todo))
            waiting = iter(todo)
            running: dict[Future, str] = {}
            while True:
                # a few files submitted at a time: memory stays flat however many wait
                for f in waiting:
                    told = file_context(store, f["sha256"])
                    running[pool.submit(str(store.root / f["path"]), told)] = f["sha256"]
                    if len(running) >= pool.window:
                        break
                if not running:
                    break
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    result = future.result()
                    store_totals(store, running.pop(future), result, version)
                    errors += bool(result.get("error"))
                    progress.advance(task)
    finally:
        pool.shutdown(cancel=True)
        store.close()
    console.print(f"{len(todo)} files extracted with {version}, {errors} could not be read")


def _extraction_limits() -> Limits:
    """The limits of one file's extraction, from the project's settings."""
    from archive.extraction import Limits
    from budget_archive.run import project_settings

    settings = project_settings()
    return Limits(
        memory=settings.getint("EXTRACT_MAX_MEMORY") * 1024 * 1024,
        seconds=settings.getfloat("EXTRACT_TIME_LIMIT"),
    )


@cli.command()
@click.option(
    "--print",
    "kind",
    type=click.Choice(["cron", "systemd"]),
    required=True,
    help="A crontab line, or a systemd service and timer.",
)
@ARCHIVE_OPTION
@PORTALS_OPTION
@click.option(
    "--at", "at", default="03:17", show_default=True, help="Time of day of the crawl (HH:MM)."
)
@NOTIFY_OPTION
def schedule(
    kind: str, archive_dir: Path, portals_file: str | None, at: str, notify_urls: tuple[str, ...]
) -> None:
    """Print a daily crawl for cron or systemd, filled in for this install.

    The crawl is safe to schedule: one at a time per archive, a dead one closed by the
    next, exit codes that say how it went.

    Example: budget-archive schedule --print cron --archive /srv/budget-archive >> mycrontab

    Example: budget-archive schedule --print systemd --notify 'json://hooks.example/ba'
    """
    from budget_archive.schedule import cron_line, systemd_units

    try:
        hour, minute = (int(part) for part in at.split(":"))
        if not (0 <= hour < 24 and 0 <= minute < 60):
            raise ValueError(at)
    except ValueError as exc:
        raise click.BadParameter(f"{at!r} is not a time of day HH:MM", param_hint="--at") from exc
    portals = Path(portals_file) if portals_file else None
    if kind == "cron":
        click.echo(cron_line(archive_dir, portals, hour, minute, notify_urls))
    else:
        click.echo(systemd_units(archive_dir, portals, hour, minute, notify_urls), nl=False)


@cli.command()
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the whole result as JSON.")
def extract(pdf: Path, as_json: bool) -> None:
    """Extract the key totals of one budget or final-account PDF.

    Amounts are in 万元 (converted where the document prints 元), null where the document
    does not state a figure. Exits non-zero with a one-line reason when the file cannot be
    read at all (not a PDF, encrypted, broken) or goes over the limits a crawl sets on one
    file (EXTRACT_MAX_MEMORY, EXTRACT_TIME_LIMIT).

    Example: budget-archive extract 2024年部门预算.pdf --json
    """
    import json

    from archive.extraction import ExtractionPool
    from extract.fields import AMOUNT_FIELDS

    # in a worker under the crawl's limits: a PDF that inflates to gigabytes or never ends
    # is a one-line reason, not a machine out of memory
    pool = ExtractionPool(1, _extraction_limits())
    try:
        result = pool.submit(str(pdf.resolve())).result()
    finally:
        pool.shutdown(cancel=True)
    if result.get("error"):
        raise click.ClickException(f"{pdf}: {result['error']}")
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{pdf.name} — {result['unit_name'] or '?'} {result['year'] or ''}")
    table.add_column("field")
    table.add_column("万元", justify="right")
    table.add_column("page", justify="right")
    table.add_column("from")
    for name in ("doc_type", "scope", "amount_unit", "text_layer", "is_budget_disclosure"):
        table.add_row(name, str(result[name]), "", "")
    for name in (*AMOUNT_FIELDS, *(f"by_function:{n}" for n in result["by_function"] or {})):
        value = (
            result["by_function"][name.split(":", 1)[1]]
            if name.startswith("by_function:")
            else result[name]
        )
        evidence = result["evidence"].get(name) or {}
        table.add_row(
            name,
            "—" if value is None else f"{value:,.2f}",
            str(evidence.get("page") or ""),
            evidence.get("source") or "",
        )
    Console().print(table)
    failed = [n for n, c in result["checks"].items() if c.get("status") == "failed"]
    click.echo(f"checks failed: {', '.join(failed)}" if failed else "checks: none failed")


for command in (
    archive_commands.status,
    archive_commands.search,
    archive_commands.export,
    archive_commands.alias,
    archive_commands.verify,
):
    cli.add_command(command)
