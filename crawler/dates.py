"""Publish dates as portals print them."""

from __future__ import annotations

import re
from datetime import date

from extract.titles import normalize

_DATE = re.compile(r"(20\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def parse_date(text: str | None) -> str | None:
    """ISO date from `2026-03-02`, `2026年3月2日`, `2026/3/2 09:30`; None when absent or
    not a date of the calendar (`2025-02-30`)."""
    if not text:
        return None
    m = _DATE.search(normalize(text))
    if not m:
        return None
    try:
        return date(*(int(g) for g in m.groups())).isoformat()
    except ValueError:
        return None


def invalid_date(text: str | None) -> str | None:
    """The printed date when it has a date's form but is not a date of the calendar
    (`2025-02-30`, `2026年13月1日`), else None."""
    if not text:
        return None
    m = _DATE.search(normalize(text))
    if m is None or parse_date(text) is not None:
        return None
    return m.group(0).strip()
