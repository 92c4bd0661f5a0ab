"""Portal configuration: which sites to crawl, their sections and politeness."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

DEFAULT_DEMO_PORTAL_URL = "http://127.0.0.1:8737"


@dataclass(frozen=True)
class Section:
    id: str
    name: str
    family: str  # the spider that crawls it: trs | jpage | rendered
    url: str
    since: int | None = None  # keep disclosures of this year and later
    doc_types: tuple[str, ...] = ("budget", "final_account")
    wait_for: str | None = None  # rendered: CSS selector that appears once the list is built


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
    extra: dict[str, Any] = field(default_factory=dict)

    def families(self) -> list[str]:
        return sorted({s.family for s in self.sections})

    def sections_of(self, family: str) -> list[Section]:
        return [s for s in self.sections if s.family == family]

    def as_row(self) -> dict[str, Any]:
        import json

        sections = [
            {"id": s.id, "name": s.name, "family": s.family, "url": s.url} for s in self.sections
        ]
        return {
            "id": self.id,
            "name": self.name,
            "region": self.region,
            "base_url": self.base_url,
            "sections": json.dumps(sections, ensure_ascii=False),
        }


def _substitute(value: str, variables: dict[str, str]) -> str:
    return Template(value).safe_substitute(variables)


def load_portals(path: str | Path | None = None, demo_url: str | None = None) -> dict[str, Portal]:
    """Read portals from `path` (default: the bundled `portals.toml`)."""
    if path is None:
        text = resources.files("crawler").joinpath("portals.toml").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    demo = (demo_url or os.environ.get("DEMO_PORTAL_URL") or DEFAULT_DEMO_PORTAL_URL).rstrip("/")
    variables = {"DEMO_PORTAL_URL": demo}
    portals: dict[str, Portal] = {}
    for raw in tomllib.loads(text).get("portal", []):
        sections = tuple(
            Section(
                id=s["id"],
                name=s.get("name", s["id"]),
                family=s["family"],
                url=_substitute(s["url"], variables),
                since=s.get("since"),
                doc_types=tuple(s.get("doc_types", ("budget", "final_account"))),
                wait_for=s.get("wait_for"),
            )
            for s in raw.get("section", [])
        )
        portal = Portal(
            id=raw["id"],
            name=raw.get("name", raw["id"]),
            base_url=_substitute(raw.get("base_url", ""), variables),
            region=raw.get("region", ""),
            sections=sections,
            concurrency=raw.get("concurrency"),
            download_delay=raw.get("download_delay"),
            autothrottle=raw.get("autothrottle"),
        )
        if portal.id in portals:
            raise ValueError(f"portal {portal.id!r} is configured twice")
        portals[portal.id] = portal
    return portals
