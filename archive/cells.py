"""How Datasette shows the archive's cells: raw JSON folded away, amounts readable.

Pure functions of a cell's value (archive/publish.py's `render_cell` calls them); JSON and
CSV exports keep the raw values.
"""

from __future__ import annotations

import json
import re
from typing import Any

from markupsafe import Markup, escape

from extract.fields import AMOUNT_FIELDS

#: (table, column) holding JSON: folded into a one-line summary that opens on a click
JSON_COLUMNS = {
    ("portals", "sections"),
    ("crawls", "stats"),
    ("events", "details"),
    ("totals", "result"),
    ("latest_totals", "result"),
    ("totals_checks", "detail"),
    ("redirects", "hops"),
}
#: (table, column) holding amounts in 万元
AMOUNT_COLUMNS = {
    *((t, c) for t in ("totals", "latest_totals") for c in AMOUNT_FIELDS),
    ("totals_by_function", "amount"),
    ("changes", "old"),
    ("changes", "new"),
    ("changes", "difference"),
}
_SHOWN = 4000  # characters of JSON shown when opened


def json_cell(value: Any) -> Markup | None:
    """`<details>` with a one-line summary (`12 fields: a, b, c…`, `3 items`) and the JSON,
    indented, inside; None when the value is no JSON object or list."""
    if not isinstance(value, str) or not value.startswith(("{", "[")):
        return None
    try:
        data = json.loads(value)
    except ValueError:
        return None
    if isinstance(data, dict):
        keys = list(data)
        summary = f"{len(keys)} field{'s' if len(keys) != 1 else ''}: " + ", ".join(keys[:4])
        summary += "…" if len(keys) > 4 else ""
    elif isinstance(data, list):
        summary = f"{len(data)} item{'s' if len(data) != 1 else ''}"
    else:
        return None
    pretty = json.dumps(data, ensure_ascii=False, indent=1)
    if len(pretty) > _SHOWN:
        pretty = pretty[:_SHOWN] + "\n… (the whole value in this row's JSON)"
    return Markup("<details><summary>{}</summary><pre>{}</pre></details>").format(summary, pretty)


def amount_cell(value: Any) -> Markup | None:
    """1234.5 → `1,234.50` (万元), right-aligned; None for what is no number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    # digits, commas, a point and a sign: nothing to escape (this runs on every amount cell)
    return Markup(f'<span class="amount" title="万元">{value:,.2f}</span>')


def text_cell(value: Any, query: str | None = None, width: int = 90) -> Markup | None:
    """A page's text folded into one line that opens on a click: the words around the
    first hit of `query` (its words marked), or the text's start; None for no text."""
    from archive.search import query_words, snippet

    if not isinstance(value, str) or not value.strip():
        return None
    line = snippet(value, query or "", width)
    marked = escape(line)
    words = [w for w in query_words(query or "") if w]
    if words:  # marked in the escaped text, never inside an entity (&lt; for "lt")
        alternatives = "|".join(re.escape(str(escape(w))) for w in words)
        pattern = re.compile(rf"(&#?\w+;)|({alternatives})", re.IGNORECASE)
        marked = Markup(
            pattern.sub(lambda m: m.group(1) or f"<mark>{m.group(2)}</mark>", str(marked))
        )
    return Markup('<details class="page-text"><summary>{}</summary><pre>{}</pre></details>').format(
        marked, value
    )
