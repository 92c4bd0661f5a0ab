"""The bundled catalog of real entry pages, and `portals --catalog` / `crawl --catalog`."""

from __future__ import annotations

from collections import Counter

from click.testing import CliRunner

from budget_archive.cli import cli
from crawler.catalog import build, load_catalog, portals_toml, select
from crawler.detect import from_url
from crawler.portals import load_portals


def test_every_entry_is_a_usable_portal(tmp_path):
    entries = load_catalog()
    assert len(entries) > 3000
    assert len({e.id for e in entries}) == len(entries)
    assert {e.level for e in entries} == {"province", "city", "county"}
    path = tmp_path / "catalog.toml"
    path.write_text(portals_toml(entries), "utf-8")
    portals = load_portals(path)
    assert len(portals) == len(entries)
    assert {s.family for p in portals.values() for s in p.sections} == {"auto"}


def test_what_the_url_suggests_is_what_detection_says_today():
    """catalog.tsv's url_family follows crawler/detect.py (rebuild the file when it changes:
    `python -m crawler.catalog SOURCE.tsv > crawler/catalog.tsv`)."""
    stale = [
        e.url for e in load_catalog() if e.url_family != ((f := from_url(e.url)) and f.family or "")
    ]
    assert stale == []


def test_build_levels_and_ids():
    entries = build(
        [
            ("河北省", "https://czt.hebei.gov.cn/yjs/index.html"),
            ("河北省/石家庄市", "http://www.sjz.gov.cn/col/col123/index.html"),
            ("北京市/东城区", "https://www.bjdch.gov.cn/ztzl/index.html"),
            ("河北省/石家庄市/长安区", "https://x.gov.cn/gkmlpt/index"),
        ]
    )
    assert [(e.id, e.level, e.url_family) for e in entries] == [
        ("河北省", "province", ""),
        ("河北省-石家庄市", "city", "hanweb"),
        ("北京市-东城区", "county", ""),
        ("河北省-石家庄市-长安区", "county", "gkmlpt"),
    ]
    assert [e.id for e in select(entries, "河北省/石家庄市")] == [
        "河北省-石家庄市",
        "河北省-石家庄市-长安区",
    ]
    assert select(entries, "河北") == []  # whole region names only
    assert len(select(entries, None, limit=2)) == 2


def test_portals_catalog_lists_a_region():
    result = CliRunner().invoke(cli, ["portals", "--catalog", "--region", "河北省/石家庄市"])
    assert result.exit_code == 0, result.output
    lines = [line.split("\t") for line in result.stdout.splitlines()]
    assert "catalog entries; the URL alone names the family of" in result.stderr
    assert lines and all(line[1].startswith("河北省/石家庄市") for line in lines)
    assert Counter(line[2] for line in lines)["city"] == 1


def test_crawl_catalog_refuses_an_unknown_region(tmp_path):
    result = CliRunner().invoke(
        cli, ["crawl", "--catalog", "--region", "火星", "--archive", str(tmp_path / "a")]
    )
    assert result.exit_code == 1
    assert "no catalog entry under region '火星'" in result.output
