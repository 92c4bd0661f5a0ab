"""Portal configuration: which sites to crawl, their sections and politeness.

:func:`load_portals` reads and checks a portals file (TOML, see ``portals.toml``); a file
that cannot be used raises :class:`PortalConfigError`, whose one-line message names the
file, the portal or section, and the problem.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any, NoReturn, TypeVar
from urllib.parse import urlsplit

from crawler.items import Approval, Deadlines

DEFAULT_DEMO_PORTAL_URL = "http://127.0.0.1:8737"
_Thing = TypeVar("_Thing", "Portal", "Section")

#: Portal software families, one walker each in ``crawler/families`` (its ``family``);
#: ``tests/test_portals_config.py`` holds this tuple to the walkers. ``auto`` recognises
#: the family from the entry page; ``generic`` reads any list by what its links say.
FAMILIES: tuple[str, ...] = (
    "auto",
    "cicro",
    "epoint",
    "generic",
    "gkmlpt",
    "jpage",
    "jsczt",
    "json",
    "lonsun",
    "nmg",
    "rendered",
    "siteserver",
    "trs",
    "vsb",
)
DOC_TYPES: tuple[str, ...] = ("budget", "final_account")

TOP_KEYS: tuple[str, ...] = ("portal",)
PORTAL_KEYS: tuple[str, ...] = (
    "id",
    "name",
    "region",
    "base_url",
    "concurrency",
    "download_delay",
    "autothrottle",
    "publish_within_days",
    "budget_approved",
    "final_account_approved",
    "approval",
    "section",
)
APPROVAL_KEYS: tuple[str, ...] = ("year", "doc_type", "date")
SECTION_KEYS: tuple[str, ...] = (
    "id",
    "name",
    "family",
    "url",
    "since",
    "doc_types",
    "wait_for",
    "depth",
    "detail_pattern",
    "item_selector",
    "pager",
    "page_base",
    "noise",
    "form",
    "json_items",
    "json_title",
    "json_date",
    "json_url",
    "json_files",
    "json_file_url",
)

#: The bundled file's name in messages.
BUNDLED = "crawler/portals.toml"


@dataclass(frozen=True)
class Section:
    id: str
    name: str
    family: str  # the walker that crawls it: one of FAMILIES
    url: str
    since: int | None = None  # keep disclosures of this year and later
    doc_types: tuple[str, ...] = DOC_TYPES
    wait_for: str | None = None  # rendered: CSS selector that appears once the list is built
    depth: int | None = None  # generic: levels of second-level lists followed (default 1)
    # what detection cannot infer, each optional:
    detail_pattern: str | None = None  # regex on detail-page URLs (path and query)
    item_selector: str | None = None  # CSS selector of the list's entry links
    pager: str | None = None  # further pages: a URL (relative to the entry) with {n}
    page_base: int = 1  # the number {n} the entry page itself has in `pager`
    noise: tuple[str, ...] = ()  # words that make a title no disclosure
    # family = "json" (a list API): POST form fields ({n}: the page number) and where an
    # answer keeps its items, and an item its title, date, page URL and files
    form: tuple[tuple[str, str], ...] = ()
    json_items: str | None = None  # dot path to the list of items, e.g. "data.list"
    json_title: str = "title"
    json_date: str = "date"
    json_url: str | None = None  # a field, or a template such as "/content?id={id}"
    json_files: str | None = None  # dot path, within an item, to its files
    json_file_url: str | None = None  # a file's URL: a field, or a template "/dl/{id}"


@dataclass(frozen=True)
class Portal:
    id: str
    name: str
    base_url: str
    region: str = ""
    sections: tuple[Section, ...] = ()
    concurrency: int | None = None  # per-domain; None = project default
    download_delay: float | None = None
    autothrottle: bool | None = None
    deadlines: Deadlines = field(default_factory=Deadlines)
    extra: dict[str, Any] = field(default_factory=dict)

    def families(self) -> list[str]:
        return sorted({s.family for s in self.sections})

    def sections_of(self, family: str) -> list[Section]:
        return [s for s in self.sections if s.family == family]


class PortalConfigError(ValueError):
    """A portals file that cannot be used. The message is one line:
    ``FILE: portal 'ID', section 'ID': problem`` (or ``FILE: line N: problem``)."""

    def __init__(self, source: str, where: str, problem: str) -> None:
        self.source, self.where, self.problem = source, where, problem
        super().__init__(f"{source}: {where}: {problem}" if where else f"{source}: {problem}")


_TOML_POSITION = re.compile(r"^(?P<msg>.*) \(at line (?P<line>\d+), column (?P<column>\d+)\)$")
_ID = re.compile(r"^[^\s,]+$")  # ids travel comma-separated (`-a portal=a,b`)


def _kind(value: object) -> str:
    """What a TOML value is, in words: 'a string', 'an integer', …"""
    kinds: tuple[tuple[type, str], ...] = (
        (bool, "a boolean"),
        (int, "an integer"),
        (float, "a float"),
        (str, "a string"),
        (list, "an array"),
        (dict, "a table"),
    )
    return next((name for t, name in kinds if isinstance(value, t)), "a date or time")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _hint(word: str, known: Sequence[str]) -> str:
    """`` (did you mean 'x'? known: a, b, x)`` for `word`, not among `known`."""
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    guess = f"did you mean {close[0]!r}? " if close else ""
    return f" ({guess}known: {', '.join(known)})"


@dataclass(frozen=True)
class _Table:
    """One table of a portals file being checked (the top level, a portal or a section),
    with where it is, for messages."""

    source: str
    where: str
    raw: dict[str, Any]
    variables: dict[str, str]

    def fail(self, problem: str) -> NoReturn:
        raise PortalConfigError(self.source, self.where, problem)

    def check_keys(self, known: Sequence[str]) -> None:
        """No key but the known ones (an unknown key is most likely a typo)."""
        for key in self.raw:
            if key not in known:
                self.fail(f"unknown key {key!r}{_hint(key, known)}")

    def identifier(self) -> str:
        """The required `id`: a non-empty string without spaces or commas."""
        value = self.raw.get("id")
        if value is None:
            self.fail("missing 'id'")
        if not isinstance(value, str) or not _ID.match(value):
            self.fail(f"id must be a string without spaces or commas, not {value!r}")
        return value

    def text(self, key: str, default: str | None = None, *, required: bool = False) -> str | None:
        """A string value; `default` when absent (an error when `required`)."""
        value = self.raw.get(key)
        if value is None:
            if required:
                self.fail(f"missing {key!r}")
            return default
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{key} must be a non-empty string, not {_kind(value)}")
        return value

    def url(self, key: str, *, required: bool) -> str:
        """An http(s) URL with a host, after ``${DEMO_PORTAL_URL}`` substitution."""
        raw = self.text(key, required=required)
        if raw is None:
            return ""
        url = Template(raw).safe_substitute(self.variables)
        unknown = re.search(r"\$\{\w*\}", url)
        if unknown:
            known = ", ".join(f"${{{name}}}" for name in self.variables)
            self.fail(f"{key} {raw!r} uses unknown variable {unknown.group()} (known: {known})")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            shown = repr(url) if url == raw else f"{raw!r} (= {url!r})"
            self.fail(f"{key} {shown} is not an http(s) URL")
        return url

    def integer(self, key: str, *, minimum: int, what: str) -> int | None:
        """An integer of at least `minimum`, or None when absent."""
        value = self.raw.get(key)
        if value is None:
            return None
        if not _is_int(value) or value < minimum:
            self.fail(f"{key} must be {what}, not {value!r} ({_kind(value)})")
        return int(value)

    def number(self, key: str) -> float | None:
        """A number of at least 0 (seconds), or None when absent."""
        value = self.raw.get(key)
        if value is None:
            return None
        if not (_is_int(value) or isinstance(value, float)) or value < 0:
            self.fail(f"{key} must be a number of seconds >= 0, not {value!r} ({_kind(value)})")
        return float(value)

    def pattern(self, key: str) -> str | None:
        """A regular expression (Python syntax), or None when absent."""
        value = self.text(key)
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                self.fail(f"{key} {value!r} is not a regular expression ({exc})")
        return value

    def selector(self, key: str) -> str | None:
        """A CSS selector, or None when absent."""
        value = self.text(key)
        if value is not None:
            from cssselect import GenericTranslator, SelectorError

            try:
                GenericTranslator().css_to_xpath(value)
            except SelectorError as exc:
                self.fail(f"{key} {value!r} is not a CSS selector ({exc})")
        return value

    def template(self, key: str, placeholder: str) -> str | None:
        """A string that must hold `placeholder`, or None when absent."""
        value = self.text(key)
        if value is not None and placeholder not in value:
            self.fail(f"{key} {value!r} must contain {placeholder} (the page number)")
        return value

    def words(self, key: str) -> tuple[str, ...]:
        """A list of non-empty strings; () when absent."""
        value = self.raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fail(f"{key} must be a list of words, not {value!r}")
        return tuple(value)

    def fields(self, key: str) -> tuple[tuple[str, str], ...]:
        """A table of form fields whose values are strings or numbers; () when absent."""
        value = self.raw.get(key, {})
        if not isinstance(value, dict) or not all(
            isinstance(v, str | int | float) and not isinstance(v, bool) for v in value.values()
        ):
            self.fail(f"{key} must be a table of fields (strings or numbers), not {value!r}")
        return tuple((k, str(v)) for k, v in value.items())

    def boolean(self, key: str) -> bool | None:
        value = self.raw.get(key)
        if value is not None and not isinstance(value, bool):
            self.fail(f"{key} must be true or false, not {value!r} ({_kind(value)})")
        return value

    def tables(self, key: str, header: str) -> list[dict[str, Any]]:
        """An array of tables (``[[header]]``); [] when absent."""
        value = self.raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fail(f"{key!r} must be an array of tables: write [[{header}]], not [{header}]")
        return value


def _read(path: str | Path | None) -> tuple[str, str]:
    """The file's name for messages and its text (the bundled file when `path` is None)."""
    if path is None:
        return BUNDLED, resources.files("crawler").joinpath("portals.toml").read_text("utf-8")
    try:
        return str(path), Path(path).read_text("utf-8")
    except UnicodeDecodeError as exc:
        raise PortalConfigError(str(path), "", f"not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise PortalConfigError(str(path), "", f"cannot be read ({exc.strerror})") from exc


def _parse(source: str, text: str) -> dict[str, Any]:
    """TOML to a dict; a syntax error becomes ``FILE: line N: tomllib's message``."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        position = _TOML_POSITION.match(message)
        if position:
            raise PortalConfigError(
                source,
                f"line {position['line']}",
                f"{position['msg']} (column {position['column']})",
            ) from exc
        raise PortalConfigError(source, "", message) from exc


def _section(raw: dict[str, Any], index: int, portal: _Table, portal_id: str) -> Section:
    """One checked ``[[portal.section]]`` (`index` counts from 1)."""
    table = _Table(portal.source, f"portal {portal_id!r}, section #{index}", raw, portal.variables)
    section_id = table.identifier()
    table = _Table(
        portal.source, f"portal {portal_id!r}, section {section_id!r}", raw, portal.variables
    )
    table.check_keys(SECTION_KEYS)
    family = table.text("family", "auto")
    if family not in FAMILIES:
        table.fail(f"unknown family {family!r}{_hint(str(family), FAMILIES)}")
    doc_types = raw.get("doc_types", list(DOC_TYPES))
    if (
        not isinstance(doc_types, list)
        or not doc_types
        or any(d not in DOC_TYPES for d in doc_types)
    ):
        table.fail(
            f"doc_types must be a non-empty list of {' / '.join(map(repr, DOC_TYPES))},"
            f" not {doc_types!r}"
        )
    return Section(
        id=section_id,
        name=table.text("name", section_id) or section_id,
        family=str(family),
        url=table.url("url", required=True),
        since=table.integer("since", minimum=1000, what="a year (an integer such as 2022)"),
        doc_types=tuple(doc_types),
        wait_for=table.text("wait_for"),
        depth=table.integer("depth", minimum=0, what="an integer >= 0"),
        detail_pattern=table.pattern("detail_pattern"),
        item_selector=table.selector("item_selector"),
        pager=table.template("pager", "{n}"),
        page_base=first
        if (first := table.integer("page_base", minimum=0, what="an integer >= 0")) is not None
        else 1,
        noise=table.words("noise"),
        form=table.fields("form"),
        json_items=table.text("json_items"),
        json_title=table.text("json_title", "title") or "title",
        json_date=table.text("json_date", "date") or "date",
        json_url=table.text("json_url"),
        json_files=table.text("json_files"),
        json_file_url=table.text("json_file_url"),
    )


def _portal(raw: dict[str, Any], index: int, top: _Table) -> Portal:
    """One checked ``[[portal]]`` with its sections (`index` counts from 1)."""
    table = _Table(top.source, f"portal #{index}", raw, top.variables)
    portal_id = table.identifier()
    table = _Table(top.source, f"portal {portal_id!r}", raw, top.variables)
    table.check_keys(PORTAL_KEYS)
    sections = _by_id(
        (
            _section(raw, n, table, portal_id)
            for n, raw in enumerate(table.tables("section", "portal.section"), 1)
        ),
        top.source,
        lambda s: f"portal {portal_id!r}, section {s.id!r}",
        "sections",
    )
    if not sections:
        table.fail("no sections (add a [[portal.section]] with id, family and url)")
    return Portal(
        id=portal_id,
        name=table.text("name", portal_id) or portal_id,
        base_url=table.url("base_url", required=False),
        region=table.text("region", "") or "",
        sections=tuple(sections.values()),
        concurrency=table.integer("concurrency", minimum=1, what="a positive integer"),
        download_delay=table.number("download_delay"),
        autothrottle=table.boolean("autothrottle"),
        deadlines=_deadlines(table),
    )


_MONTH_DAY = re.compile(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")


def _deadlines(table: _Table) -> Deadlines:
    approved = {}
    for key in ("budget_approved", "final_account_approved"):
        value = table.text(key)
        if value is not None and not _MONTH_DAY.fullmatch(value):
            table.fail(f'{key} must be a month and day written MM-DD (e.g. "03-31"), not {value!r}')
        approved[key] = value
    approvals = []
    for n, raw in enumerate(table.tables("approval", "portal.approval"), 1):
        entry = _Table(table.source, f"{table.where}, approval #{n}", raw, table.variables)
        entry.check_keys(APPROVAL_KEYS)
        year = entry.integer("year", minimum=1990, what="a year such as 2026")
        doc_type = entry.text("doc_type", required=True)
        day = entry.raw.get("date")
        if year is None:
            entry.fail("missing 'year'")
        if doc_type not in DOC_TYPES:
            entry.fail(f"doc_type must be one of {', '.join(DOC_TYPES)}, not {doc_type!r}")
        if isinstance(day, date):
            day = day.isoformat()
        if not isinstance(day, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            entry.fail(f"date must be a date written YYYY-MM-DD, not {day!r}")
        try:
            date.fromisoformat(day)
        except ValueError:
            entry.fail(f"date {day!r} is no calendar date")
        approvals.append(Approval(year=int(year), doc_type=doc_type, date=day))  # type: ignore[arg-type]
    return Deadlines(
        publish_within_days=table.integer(
            "publish_within_days", minimum=0, what="a whole number of days >= 0"
        ),
        budget_approved=approved["budget_approved"],
        final_account_approved=approved["final_account_approved"],
        approvals=approvals,
    )


def _by_id(
    things: Iterable[_Thing], source: str, where: Callable[[_Thing], str], plural: str
) -> dict[str, _Thing]:
    """{id: thing}, in file order; an id used twice is an error naming both places."""
    found: dict[str, _Thing] = {}
    numbers: dict[str, int] = {}
    for number, thing in enumerate(things, 1):
        if thing.id in found:
            raise PortalConfigError(
                source, where(thing), f"id used twice ({plural} #{numbers[thing.id]} and #{number})"
            )
        found[thing.id] = thing
        numbers[thing.id] = number
    return found


def load_portals(path: str | Path | None = None, demo_url: str | None = None) -> dict[str, Portal]:
    """Read and check portals from `path` (default: the bundled `portals.toml`).

    ``${DEMO_PORTAL_URL}`` in a URL becomes `demo_url` (else the environment variable of
    that name, else :data:`DEFAULT_DEMO_PORTAL_URL`). Raises :class:`PortalConfigError`
    when the file cannot be used.

    Example: load_portals("my-portals.toml")["sz-czj"].sections
    """
    source, text = _read(path)
    demo = (demo_url or os.environ.get("DEMO_PORTAL_URL") or DEFAULT_DEMO_PORTAL_URL).rstrip("/")
    top = _Table(source, "", _parse(source, text), {"DEMO_PORTAL_URL": demo})
    top.check_keys(TOP_KEYS)
    portals = _by_id(
        (_portal(raw, n, top) for n, raw in enumerate(top.tables("portal", "portal"), 1)),
        source,
        lambda p: f"portal {p.id!r}",
        "portals",
    )
    if not portals:
        top.fail("no portals (add a [[portal]] with an id and its sections)")
    return portals


def check_portals(path: str | Path | None = None, demo_url: str | None = None) -> list[str]:
    """Every problem of a portals file, one line each (`FILE: portal 'ID', section 'ID':
    problem`): each portal is checked on its own, so that a mistake in one does not hide
    those of the others. [] when the file is usable."""
    try:
        source, text = _read(path)
        raw = _parse(source, text)
    except PortalConfigError as exc:
        return [str(exc)]
    demo = (demo_url or os.environ.get("DEMO_PORTAL_URL") or DEFAULT_DEMO_PORTAL_URL).rstrip("/")
    top = _Table(source, "", raw, {"DEMO_PORTAL_URL": demo})
    problems: list[str] = []
    try:
        top.check_keys(TOP_KEYS)
        tables = top.tables("portal", "portal")
    except PortalConfigError as exc:
        return [str(exc)]
    good: list[Portal] = []
    for n, table in enumerate(tables, 1):
        try:
            good.append(_portal(table, n, top))
        except PortalConfigError as exc:
            problems.append(str(exc))
    try:
        _by_id(good, source, lambda p: f"portal {p.id!r}", "portals")
    except PortalConfigError as exc:
        problems.append(str(exc))
    if not tables:
        problems.append(f"{source}: no portals (add a [[portal]] with an id and its sections)")
    return problems
