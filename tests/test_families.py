"""Each portal family's local imitation, crawled through `budget-archive crawl` with only a
config entry (its family named, and once with the family left to auto-detection): the
archive holds exactly the imitation's disclosures and files, nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils
from w3lib.url import safe_url_string

from crawler.detect import detect
from tests.imitations import ALL
from tests.imitations.site import Imitation, served
from tests.localsite import crawl_command


def crawl(
    imitation: Imitation,
    tmp_path: Path,
    family: str | None,
    portals: Path | None = None,
    *,
    expect_ok: bool = True,
) -> sqlite_utils.Database:
    """`budget-archive crawl` of the imitation (its own family, `family`, or "" = auto)."""
    if portals is None:
        portals = tmp_path / "portals.toml"
        portals.write_text(imitation.portals_toml(family), "utf-8")
    done = crawl_command(portals, tmp_path / "a", "--extraction", "off")
    if expect_ok:
        assert done.returncode == 0, done.stderr[-3000:]
    return sqlite_utils.Database(tmp_path / "a" / "archive.db")


def urls(values) -> set[str]:
    return {safe_url_string(v) for v in values}


@pytest.mark.parametrize("mode", ["named", "auto"])
@pytest.mark.parametrize("kind", ALL, ids=lambda k: k.__name__)
def test_a_family_imitation_is_crawled_exactly(kind: type[Imitation], mode: str, tmp_path):
    with served(kind()) as imitation:
        db = crawl(imitation, tmp_path, None if mode == "named" else "")
    found = urls(r["url"] for r in db.query("select url from disclosures"))
    assert found == urls(imitation.disclosures)
    files = urls(r["url"] for r in db.query("select url from attachments"))
    assert files == urls(imitation.expected_files)
    stored = {r["first_url"] for r in db.query("select first_url from files")}
    assert urls(stored) == urls(imitation.expected_files)
    skipped = {r["url"]: r["reason"] for r in db.query("select url, reason from skipped")}
    assert urls(skipped) == urls(imitation.noise)
    assert all(reason.startswith("not a disclosure: ") for reason in skipped.values())
    (section,) = db["section_crawls"].rows
    walker = imitation.auto_walker if mode == "auto" and imitation.auto_walker else imitation.family
    assert section["family"] == walker
    assert (section["status"], section["disclosures"], section["new"]) == (
        "ok",
        len(imitation.disclosures),
        len(imitation.disclosures),
    )
    if mode == "auto":
        assert section["detection"].startswith(imitation.detected + " ")
    else:
        assert section["detection"] is None


@pytest.mark.parametrize("kind", ALL, ids=lambda k: k.__name__)
def test_auto_detection_names_the_family_of_the_entry_page(kind: type[Imitation]):
    imitation = kind()
    imitation.url = "http://127.0.0.1:1"
    imitation.files_url = "http://127.0.0.2:2"
    imitation.build()
    reply = imitation.get.get(imitation.entry.split("#")[0])  # an API has no page to GET
    html = reply.payload().decode(reply.encoding) if reply else ""
    found = detect(imitation.url + imitation.entry, html)
    assert found.family == imitation.detected, found.describe()
