"""What the spiders yield."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class DisclosureItem:
    """One disclosure (detail) page and the attachments it offers.

    `file_urls` feeds the FilesPipeline; `results` is filled by it: url → outcome.
    """

    portal_id: str
    section: str
    url: str
    title: str
    publish_date_shown: str | None = None
    publish_date: str | None = None
    unit_name: str | None = None
    year: int | None = None
    doc_type: str | None = None  # budget | final_account
    scope: str | None = None  # department | unit
    parent_url: str | None = None
    attachments: list[dict[str, str]] = field(default_factory=list)  # [{url, name}]
    file_urls: list[str] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
