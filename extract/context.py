"""What the crawl knows of a file before anyone reads it: the disclosure page that linked it
(its title, and the unit, year, type and scope read from it) and the link's own name.

The document wins where it states a value; the context fills only what the document does
not say, and the evidence says where each value came from (``document``, ``file_name``,
``page``). A link's name speaks for its file alone, so it comes before the page. A page's
unit is this file's only when the page links no other document: a department's page often
links one PDF per subordinate unit.

Example:

    >>> ctx = Context(page_title="某市某局2025年部门预算公开", file_name="附件1.pdf", sole=True)
    >>> ctx.facts()["unit_name"]
    ('某市某局', 'page', '某市某局2025年部门预算公开')
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from typing import Any

from extract.titles import classify_title

META_FIELDS = ("unit_name", "year", "doc_type", "scope")
_EXTENSION = re.compile(r"\.(pdf|PDF|docx?|xlsx?|zip|rar)$")


@dataclass(frozen=True)
class Context:
    page_title: str | None = None
    unit_name: str | None = None  # as the crawler read them from the page
    year: int | None = None
    doc_type: str | None = None
    scope: str | None = None
    file_name: str | None = None  # the link's text, or the last part of its URL
    sole: bool = False  # the page links no other document

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Context | None:
        if not data:
            return None
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def facts(self) -> dict[str, tuple[Any, str, str]]:
        """field → (value, source, the text it was read from), best source first."""
        out: dict[str, tuple[Any, str, str]] = {}
        if self.file_name:
            name = _EXTENSION.sub("", self.file_name.strip())
            told = classify_title(name)
            for field in META_FIELDS:
                value = getattr(told, field)
                if field == "scope" and told.doc_type is None:
                    continue  # a scope is said only with the document's type
                if value is not None:
                    out[field] = (value, "file_name", self.file_name)
        page: dict[str, Any] = {
            "unit_name": self.unit_name,
            "year": self.year,
            "doc_type": self.doc_type,
            "scope": self.scope,
        }
        if self.page_title:
            told = classify_title(self.page_title)
            for field in META_FIELDS:
                if page[field] is None and (field != "scope" or told.doc_type):
                    page[field] = getattr(told, field)
        if not self.sole:
            page["unit_name"] = None  # several documents: the page's unit may not be this one's
        for field, value in page.items():
            if value is not None and field not in out:
                out[field] = (value, "page", self.page_title or "")
        return out
