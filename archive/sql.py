"""Rows of a query as dicts (column name → value), for the archive's readers."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any


def dicts(conn: sqlite3.Connection, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
