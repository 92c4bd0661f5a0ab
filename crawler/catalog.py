"""The catalog: real fiscal-disclosure entry pages of Chinese governments, bundled.

`crawler/catalog.tsv` holds one row per entry page: an id (the region, its levels joined
by `-`), the region (`省/市/县`), its level (province, city, county), a name, the URL,
the family to crawl it with (`auto`: recognised from the page) and the family its URL
alone suggests (`crawler/detect.py`; empty when the URL says nothing). The entries are
facts gathered from public sources; :func:`build` makes the file from a `region<TAB>url`
list:

    python -m crawler.catalog SOURCE.tsv > crawler/catalog.tsv
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable
from dataclasses import astuple, dataclass, fields
from importlib import resources
from urllib.parse import urlsplit

from crawler.detect import from_url

#: Municipalities directly under the central government: their districts are county-level.
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")


@dataclass(frozen=True)
class Entry:
    id: str
    region: str
    level: str  # province, city or county
    name: str
    url: str
    family: str  # the walker to crawl it with: auto unless known
    url_family: str  # what the URL alone says ("" = nothing)


COLUMNS = tuple(f.name for f in fields(Entry))


def level_of(region: str) -> str:
    parts = region.split("/")
    if len(parts) == 1:
        return "province"
    if len(parts) == 2 and parts[0] not in MUNICIPALITIES:
        return "city"
    return "county"


def build(rows: Iterable[tuple[str, str]]) -> list[Entry]:
    """Catalog entries from (region, url) pairs."""
    entries = []
    for region, url in rows:
        region, url = region.strip(), url.strip()
        found = from_url(url)
        entries.append(
            Entry(
                id=region.replace("/", "-"),
                region=region,
                level=level_of(region),
                name=f"{region.rsplit('/', 1)[-1]}预决算公开",
                url=url,
                family="auto",
                url_family=found.family if found else "",
            )
        )
    return entries


def load_catalog() -> list[Entry]:
    text = resources.files("crawler").joinpath("catalog.tsv").read_text("utf-8")
    reader = csv.reader(io.StringIO(text), delimiter="\t")
    header = next(reader)
    assert tuple(header) == COLUMNS, f"catalog.tsv columns {header}"
    return [Entry(*row) for row in reader if row]


def select(
    entries: list[Entry], region: str | None = None, limit: int | None = None
) -> list[Entry]:
    """Entries whose region starts with `region` (`河北省`, `河北省/石家庄市`), at most `limit`."""
    chosen = [
        e for e in entries if not region or (e.region + "/").startswith(region.rstrip("/") + "/")
    ]
    return chosen[:limit] if limit else chosen


def portals_toml(entries: Iterable[Entry]) -> str:
    """A portals file with one portal per entry (one section, the entry page), crawled
    with the project's polite defaults."""

    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    out = ["# Portals of the bundled catalog (crawler/catalog.tsv)."]
    for e in entries:
        parts = urlsplit(e.url)
        out += [
            "",
            "[[portal]]",
            f"id = {quoted(e.id)}",
            f"name = {quoted(e.name)}",
            f"region = {quoted(e.region)}",
            f"base_url = {quoted(f'{parts.scheme}://{parts.netloc}/')}",
            "  [[portal.section]]",
            '  id = "main"',
            f"  family = {quoted(e.family)}",
            f"  url = {quoted(e.url)}",
        ]
    return "\n".join(out) + "\n"


def write(entries: Iterable[Entry], out: io.TextIOBase | None = None) -> None:
    writer = csv.writer(out or sys.stdout, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS)
    for e in entries:
        writer.writerow(astuple(e))


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as source:
        rows = list(csv.reader(source, delimiter="\t"))
    write(build((r[0], r[1]) for r in rows[1:] if len(r) >= 2))
