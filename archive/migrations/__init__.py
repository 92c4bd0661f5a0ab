"""The archive's schema, built and changed only by numbered migrations.

One module per migration (`m0001_initial.py`, …), each with an `apply(db)` that writes its
tables and columns out literally. `migrate()` applies those not yet recorded in
`_migrations`, in order, each in its own transaction. A shipped migration never changes
(a test holds each one to the digest of its source): a change of schema is a new module,
added to `MIGRATIONS`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from importlib import import_module

import sqlite_utils

#: (name recorded in `_migrations`, module), in the order they apply.
MIGRATIONS: list[tuple[str, str]] = [
    ("0001_initial", "archive.migrations.m0001_initial"),
    ("0002_totals", "archive.migrations.m0002_totals"),
    ("0003_history", "archive.migrations.m0003_history"),
    ("0004_sections", "archive.migrations.m0004_sections"),
    ("0005_fixity", "archive.migrations.m0005_fixity"),
    ("0006_changes", "archive.migrations.m0006_changes"),
    ("0007_watch", "archive.migrations.m0007_watch"),
    ("0008_revisits", "archive.migrations.m0008_revisits"),
    ("0009_search", "archive.migrations.m0009_search"),
    ("0010_browse", "archive.migrations.m0010_browse"),
]


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply pending migrations; return the names applied."""
    db.table("_migrations").create({"name": str, "applied_at": str}, pk="name", if_not_exists=True)
    done = {row["name"] for row in db["_migrations"].rows}
    applied = []
    for name, module in MIGRATIONS:
        if name in done:
            continue
        apply: Callable[[sqlite_utils.Database], None] = import_module(module).apply
        with db.atomic():
            apply(db)
            db.table("_migrations").insert(
                {"name": name, "applied_at": datetime.now(UTC).isoformat(timespec="seconds")}
            )
        applied.append(name)
    return applied
