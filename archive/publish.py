"""Browse an archive in Datasette, read-only, described by the project's `metadata.json`.

`datasette_app()` builds the Datasette instance (the database is named `archive`, stored
files are served under `/files/`); `serve()` runs it with uvicorn. The same thing by hand:

    datasette serve archive/archive.db --metadata metadata.json --static files:archive/files

`metadata.json` has one home, the top of the source tree (next to `pyproject.toml`), so
that `datasette ... --metadata metadata.json` and this module read the same file. It is
found relative to this package, which is where it is in a checkout and in the editable
install the project uses. An installation without the source tree can ship a copy as
package data (`archive/metadata.json`); that copy is used when the top-level file is absent.

Nothing here writes: Datasette opens the database read-only (`mode=ro`) for every query,
`metadata.json` has no writable canned queries, and Datasette 0.65 has no write API.
"""

from __future__ import annotations

import importlib.resources
import re
import weakref
from contextvars import ContextVar
from pathlib import Path
from typing import Any
from urllib.parse import quote

from datasette import hookimpl
from datasette.app import Datasette
from datasette.plugins import pm
from datasette.utils import parse_metadata, tilde_encode
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

from archive.cells import AMOUNT_COLUMNS, JSON_COLUMNS, amount_cell, json_cell, text_cell
from archive.disclosure_page import context as disclosure_context
from archive.downloads import download
from archive.search import register_functions

DATABASE = "archive"
PLUGIN_NAME = "budget-archive"
SOURCE_TREE = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "templates"  # the disclosure page
MMAP_BYTES = 2**30  # of the database file read through memory mapping (prepare_connection)
# Suggested facets are off: Datasette tries a `group by` on every column of every page
# shown (50 ms each at most), which was most of a page's time on a large archive (a
# `disclosures` page 790 → 155 ms at 100,000 rows). Each table's useful facets are in
# metadata.json, their columns indexed; `?_facet=` still adds any other.
# A facet lists its ten commonest values (a link shows more): thirty units pushed a
# page's rows below the first screen.
SETTINGS = {
    "sql_time_limit_ms": 3000,
    "facet_time_limit_ms": 500,
    "suggest_facets": False,
    "default_facet_size": 10,
}

_SHA256 = re.compile(r"[0-9a-f]{64}")
# Columns of query results that name a row of a table: linked to that row.
_ROW_COLUMNS = {
    "disclosure_id": "disclosures",
    "attachment_id": "attachments",
    "crawl_id": "crawls",
    "portal_id": "portals",
}
# Datasette's plugin manager is global to the process: link cells only in our instances.
_OUR_INSTANCES: weakref.WeakSet[Datasette] = weakref.WeakSet()


def metadata_text() -> str:
    """The text of the project's metadata.json (see the module docstring for where)."""
    top = SOURCE_TREE / "metadata.json"
    if top.is_file() and (SOURCE_TREE / "pyproject.toml").is_file():
        return top.read_text("utf-8")
    packaged = importlib.resources.files("archive") / "metadata.json"
    if packaged.is_file():
        return packaged.read_text("utf-8")
    raise FileNotFoundError(
        f"metadata.json not found at {top} nor as package data of `archive`;"
        " pass metadata= explicitly"
    )


def load_metadata(path: Path | None = None) -> dict[str, Any]:
    """Parse Datasette metadata (JSON or YAML) from `path`, or the project's metadata.json."""
    text = Path(path).read_text("utf-8") if path is not None else metadata_text()
    metadata: dict[str, Any] = parse_metadata(text)
    return metadata


def datasette_app(archive_dir: Path, metadata: Path | None = None) -> Datasette:
    """A read-only Datasette over the archive in `archive_dir`.

    The database is `archive` (from `archive.db`); `/files/<...>` serves the stored files,
    so the `files.path` of a row, prefixed with `/`, opens the file.

    Example: asyncio.run(datasette_app(Path("archive")).client.get("/archive/events.json"))
    """
    archive_dir = Path(archive_dir).resolve()
    db_path = archive_dir / "archive.db"
    if not db_path.is_file():
        raise FileNotFoundError(f"no archive database at {db_path}")
    _register_plugin()
    _plain_error_pages()
    ds = Datasette(
        files=[str(db_path)],
        metadata=load_metadata(metadata),
        static_mounts=[("files", str(archive_dir / "files"))],
        template_dir=str(TEMPLATES),
        settings=SETTINGS,
        cors=False,
    )
    assert DATABASE in ds.databases, f"expected a database named {DATABASE!r}"
    _OUR_INSTANCES.add(ds)
    return ds


def serve(archive_dir: Path, host: str = "127.0.0.1", port: int = 8001) -> None:
    """Serve the archive with uvicorn until interrupted; print the URL first.

    Example: serve(Path("archive"), port=8001)
    """
    import uvicorn

    ds = datasette_app(archive_dir)
    print(f"budget-archive: serving {Path(archive_dir)} at http://{host}:{port}/", flush=True)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on", workers=1)


def _plain_error_pages() -> None:
    """Keep Datasette 0.65's error handler from using rich (installed: our CLI uses it).

    With rich importable, the default `handle_exception` hook prints every error with
    `rich.print_exception()`, also for a URL that matches no route, where it is called
    outside an `except` block: rich raises ValueError and a 404 becomes a 500. Without rich
    the hook answers 404 and logs plain tracebacks for real errors. Process-wide, harmless.
    """
    import datasette.handle_exception

    datasette.handle_exception.rich = None


def _register_plugin() -> None:
    import sys

    module = sys.modules[__name__]
    if not pm.is_registered(module):
        pm.register(module, name=PLUGIN_NAME)


#: Tables whose search box reads Chinese as archive/search.py cuts it (metadata.json gives
#: their fts_table and searchmode raw).
SEARCHED_TABLES = ("disclosures", "page_texts")
_SEARCH_PATH = re.compile(rf"^/{DATABASE}/({'|'.join(SEARCHED_TABLES)})(\.\w+)?$")


@hookimpl
def asgi_wrapper(datasette: Datasette) -> Any:
    """Cut a search of the Chinese-aware tables as the index is cut: `_search=三公经费`
    reaches Datasette as the FTS5 query `"三公 公经 经费"` (archive/search.py)."""

    def wrap(app: Any) -> Any:
        async def rewritten(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if (
                scope.get("type") == "http"
                and datasette in _OUR_INSTANCES
                and _SEARCH_PATH.match(scope.get("path", ""))
                and b"_search" in scope.get("query_string", b"")
            ):
                cut, typed = _cut_search(scope["query_string"])
                scope = dict(scope, query_string=cut, **{TYPED_SEARCH: typed})
                token = _SEARCHED.set(typed)  # for render_cell, which is given no request
                try:
                    await app(scope, receive, send)
                finally:
                    _SEARCHED.reset(token)
                return
            await app(scope, receive, send)

        return rewritten

    return wrap


#: the ASGI scope key under which the wrapper keeps the search as it was typed
TYPED_SEARCH = "budget_archive.typed_search"
#: the same, for the cells of the request being answered
_SEARCHED: ContextVar[str | None] = ContextVar("budget_archive_searched", default=None)


def _cut_search(query_string: bytes) -> tuple[bytes, str | None]:
    """The query string with its `_search` cut as the index is cut, and the `_search` as it
    was typed (None when it was already cut: it has quotes)."""
    from urllib.parse import parse_qsl, urlencode

    from archive.search import fts_query

    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)  # UTF-8 escapes
    typed = next((v for k, v in pairs if k == "_search" and '"' not in v), None)
    cut = urlencode(
        [
            # a value with quotes is a query already cut (Datasette's own next-page links)
            (k, (fts_query(v) or v) if k.startswith("_search") and '"' not in v else v)
            for k, v in pairs
        ]
    ).encode("ascii")
    return cut, typed


#: Filters on these columns of `disclosures` are narrowed by its search index first
_INDEXED_CONTAINS = ("title__contains", "unit_name__contains")


@hookimpl
def filters_from_request(request: Any, database: str, table: str, datasette: Datasette) -> Any:
    """`title contains 医保` on `disclosures`: Datasette's LIKE stays (so the rows are
    exactly those it gives), and the search index picks the candidates, so that the LIKE
    and each facet read a few rows instead of all of them (0.7 s → ms at 100,000)."""
    from datasette.filters import FilterArguments

    from archive.search import contains_query

    if database != DATABASE or table != "disclosures" or datasette not in _OUR_INSTANCES:
        return None
    clauses, params = [], {}
    for key in _INDEXED_CONTAINS:
        for n, value in enumerate(request.args.getlist(key)):
            match = contains_query(value)
            if match is not None:
                name = f"_indexed_{key.split('__')[0]}_{n}"
                clauses.append(
                    "id in (select rowid from disclosure_search_fts"
                    f" where disclosure_search_fts match :{name})"
                )
                params[name] = match
    return FilterArguments(clauses, params) if clauses else None


#: Every page of ours: the long list of column descriptions folded (a click opens it),
#: titles given room, amounts aligned, opened JSON scrolled inside its cell.
_PAGE_SCRIPT = (
    "(function(){var css=document.createElement('style');css.textContent="
    "'td.col-title,td.col-unit_name,td.col-unit{min-width:12em}'"
    "+'th small.column-name{font-weight:normal;color:#666}'"
    "+'td.col-text{min-width:24em}details.page-text pre{white-space:pre-wrap;max-height:30em;overflow:auto}'"
    "+'span.amount{display:block;text-align:right;font-variant-numeric:tabular-nums}'"
    "+'td details pre{max-height:24em;max-width:48em;overflow:auto;font-size:0.85em}';"
    "document.head.appendChild(css);"
    "document.querySelectorAll('dl.column-descriptions').forEach(function(dl){"
    "var d=document.createElement('details'),sm=document.createElement('summary');"
    "sm.textContent='What each column means';d.appendChild(sm);"
    "dl.parentNode.insertBefore(d,dl);d.appendChild(dl);});})();"
)
#: The searched tables: the heading shows what was typed (三公经费), not the query it was
#: cut into, as the box does (extra_template_vars).
_SEARCH_SCRIPT = (
    "(function(){var typed=new URLSearchParams(location.search).get('_search');"
    "if(!typed||typed.indexOf('\"')>=0){return;}"
    "document.querySelectorAll('h3').forEach(function(h){"
    "h.textContent=h.textContent.replace(/search matches[\\s\\S]*/,"
    "'search matches \\u201c'+typed+'\\u201d');});})();"
)


@hookimpl
def extra_body_script(table: str | None, database: str | None, datasette: Datasette) -> str | None:
    if datasette not in _OUR_INSTANCES:
        return None
    if database == DATABASE and table in SEARCHED_TABLES:
        return _PAGE_SCRIPT + _SEARCH_SCRIPT
    return _PAGE_SCRIPT


@hookimpl
def prepare_connection(conn: Any, database: str, datasette: Datasette) -> None:
    """search_query(), search_snippet() and contains_query() for the canned queries; the file read
    through memory mapping (pages shared with the OS cache instead of copied per read:
    a search counting 170,000 matching pages 200 → 120 ms). Read-only: safe."""
    if database == DATABASE and datasette in _OUR_INSTANCES:
        register_functions(conn)
        conn.execute(f"pragma mmap_size = {MMAP_BYTES}")


@hookimpl
def extra_template_vars(table: str | None, request: Any, datasette: Datasette) -> dict[str, Any]:
    """`column_labels` for templates/_table.html: each column's Chinese label, from
    metadata.json (`column_labels`, and `table_column_labels` for one table's own); and
    the search box given back what was typed (三公经费, not the query it was cut into)."""
    if datasette not in _OUR_INSTANCES:
        return {}
    extra = {"column_labels": column_labels(datasette.plugin_config(PLUGIN_NAME) or {}, table)}
    typed = request.scope.get(TYPED_SEARCH) if request is not None else None
    if typed is not None:
        extra["search"] = typed
    return extra


def column_labels(config: dict[str, Any], table: str | None) -> dict[str, str]:
    """The labels of a table's columns under the plugin's configuration."""
    own = (config.get("table_column_labels") or {}).get(table or "") or {}
    return {**(config.get("column_labels") or {}), **own}


#: a stored file under a readable name (archive/downloads.py)
DOWNLOAD_ROUTE = r"^/-/download/(?P<sha256>[0-9a-f]{64})$"
#: one page per disclosure (archive/disclosure_page.py)
DISCLOSURE_ROUTE = r"^/-/disclosure/(?P<id>[0-9]+)(\.(?P<format>json))?$"


@hookimpl
def register_routes(datasette: Datasette) -> list[tuple[str, Any]]:
    async def view(request: Any, datasette: Datasette) -> Any:
        files = dict(datasette.static_mounts).get("files")
        if files is None or datasette not in _OUR_INSTANCES:
            raise NotFound("no stored files here")
        return await download(request, datasette.get_database(DATABASE), Path(files).parent)

    async def disclosure(request: Any, datasette: Datasette) -> Any:
        if datasette not in _OUR_INSTANCES:
            raise NotFound("no disclosures here")
        found = await disclosure_context(
            datasette.get_database(DATABASE), int(request.url_vars["id"])
        )
        if found is None:
            raise NotFound(f"no disclosure {request.url_vars['id']}")
        if request.url_vars.get("format") == "json":
            return Response.json(found, default=str)
        html = await datasette.render_template("disclosure.html", found, request=request)
        return Response.html(html)

    return [(DOWNLOAD_ROUTE, view), (DISCLOSURE_ROUTE, disclosure)]


@hookimpl
def render_cell(
    row: Any, value: Any, column: str, table: str | None, database: str, datasette: Datasette
) -> Markup | None:
    """Link stored-file paths to the file, SHA-256s to their `files` row, ids to rows.

    A SHA-256 shows its first 12 digits (all 64 in the tooltip, the link, JSON and CSV).
    """
    if database != DATABASE or datasette not in _OUR_INSTANCES:
        return None
    if column == "page" and table in (None, "page_texts") and isinstance(value, int):
        # the archived file, opened at that page (page_texts, the `search` query)
        if "sha256" not in row.keys():  # noqa: SIM118 - `in` a sqlite3.Row looks at values
            return None
        sha = row["sha256"]
        sha = sha.get("value") if isinstance(sha, dict) else sha  # a foreign key, expanded
        href = datasette.urls.path(f"/-/download/{sha}") + f"#page={value}"
        return Markup('<a href="{}">{}</a>').format(href, value)
    if table == "page_texts" and column == "text":
        return text_cell(value, _SEARCHED.get())
    if column == "tokens" and table in ("page_texts", "disclosure_search"):
        return Markup('<span title="the text as the search index cuts it">…</span>')
    if (table, column) in JSON_COLUMNS:
        return json_cell(value)
    if (table, column) in AMOUNT_COLUMNS:
        return amount_cell(value)
    if isinstance(value, str) and value.startswith("files/") and column.endswith("path"):
        digest = _SHA256.search(value)
        href = datasette.urls.path(f"/-/download/{digest.group(0)}" if digest else quote(value))
        return Markup(f'<a href="{escape(href)}">{escape(value)}</a>')
    if isinstance(value, dict) and "sha256" in column:  # a foreign key, expanded
        value = value.get("value")
    if isinstance(value, str) and "sha256" in column:
        digests = value.split()
        if digests and all(_SHA256.fullmatch(d) for d in digests):
            return Markup("<br>").join(
                Markup('<a href="{}" title="{}">{}…</a>').format(
                    datasette.urls.row(DATABASE, "files", d), d, d[:12]
                )
                for d in digests
            )
    if column == "disclosure_id" and isinstance(value, int | dict):  # its own page
        number, label = (value["value"], value["label"]) if isinstance(value, dict) else (value, "")
        href = datasette.urls.path(f"/-/disclosure/{number}")
        if label and label != number:  # an expanded foreign key: its title, and its id
            return Markup('<a href="{}">{}</a>&nbsp;<em>{}</em>').format(href, label, number)
        return Markup('<a href="{}">{}</a>').format(href, number)
    if table == "disclosures" and column == "title" and isinstance(value, str):
        href = datasette.urls.path(f"/-/disclosure/{row['id']}")
        return Markup('<a href="{}">{}</a>').format(href, value)
    if table is None and column in _ROW_COLUMNS and isinstance(value, int | str) and value != "":
        href = datasette.urls.row(DATABASE, _ROW_COLUMNS[column], tilde_encode(str(value)))
        return Markup(f'<a href="{escape(href)}">{escape(value)}</a>')
    return None
