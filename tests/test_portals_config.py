"""Checking the portals file: every mistake is one PortalConfigError naming the file, the
portal or section, and the problem; the bundled file is valid."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader

from budget_archive.cli import cli
from crawler.families import WALKERS
from crawler.portals import FAMILIES, SECTION_KEYS, PortalConfigError, check_portals, load_portals

GOOD = """\
[[portal]]
id = "sz"
name = "深圳市财政局"
base_url = "https://www.sz.gov.cn"

  [[portal.section]]
  id = "ys"
  family = "trs"
  url = "https://www.sz.gov.cn/ys/index.html"
"""
SECTION = GOOD[GOOD.index("  [[portal.section]]") :]


def edit(old: str, new: str, text: str = GOOD) -> str:
    """`text` with `old` (which must be there) replaced by `new`."""
    assert old in text
    return text.replace(old, new)


# (case id, file text, demo_url, expected fragment of the message after "FILE: ")
CASES: list[tuple[str, str, str | None, str]] = [
    (
        "toml-syntax",
        edit('id = "ys"', "id = ys"),
        None,
        "line 7: Invalid value (column 8)",
    ),
    (
        "toml-duplicate-key",
        edit('id = "sz"', 'id = "sz"\nid = "sz2"'),
        None,
        "line 3: Cannot overwrite a value (column 11)",
    ),
    ("empty-file", "# nothing yet\n", None, "no portals"),
    ("portal-missing-id", edit('id = "sz"\n', ""), None, "portal #1: missing 'id'"),
    (
        "section-missing-id",
        edit('  id = "ys"\n', ""),
        None,
        "portal 'sz', section #1: missing 'id'",
    ),
    (
        "section-missing-url",
        edit('  url = "https://www.sz.gov.cn/ys/index.html"\n', ""),
        None,
        "portal 'sz', section 'ys': missing 'url'",
    ),
    ("portal-without-sections", GOOD[: GOOD.index("  [[portal.section]]")], None, "no sections"),
    (
        "duplicate-portal",
        GOOD + "\n" + GOOD,
        None,
        "portal 'sz': id used twice (portals #1 and #2)",
    ),
    (
        "duplicate-section",
        GOOD + "\n" + SECTION,
        None,
        "portal 'sz', section 'ys': id used twice (sections #1 and #2)",
    ),
    (
        "id-with-comma",
        edit('id = "sz"', 'id = "sz,gd"'),
        None,
        "portal #1: id must be a string without spaces or commas, not 'sz,gd'",
    ),
    (
        "url-not-http",
        edit("https://www.sz.gov.cn/ys/", "ftp://www.sz.gov.cn/ys/"),
        None,
        "section 'ys': url 'ftp://www.sz.gov.cn/ys/index.html' is not an http(s) URL",
    ),
    (
        "url-relative",
        edit("https://www.sz.gov.cn/ys/", "/ys/"),
        None,
        "section 'ys': url '/ys/index.html' is not an http(s) URL",
    ),
    (
        "base-url-after-substitution",
        edit('"https://www.sz.gov.cn"', '"${DEMO_PORTAL_URL}"'),
        "localhost:8737",
        "portal 'sz': base_url '${DEMO_PORTAL_URL}' (= 'localhost:8737') is not an http(s) URL",
    ),
    (
        "url-unknown-variable",
        edit("https://www.sz.gov.cn/ys/", "${PORTAL_URL}/ys/"),
        None,
        "url '${PORTAL_URL}/ys/index.html' uses unknown variable ${PORTAL_URL}"
        " (known: ${DEMO_PORTAL_URL})",
    ),
    (
        "since-a-string",
        edit('  family = "trs"', '  family = "trs"\n  since = "2022"'),
        None,
        "section 'ys': since must be a year (an integer such as 2022), not '2022' (a string)",
    ),
    (
        "since-not-a-year",
        edit('  family = "trs"', '  family = "trs"\n  since = 24'),
        None,
        "since must be a year (an integer such as 2022), not 24 (an integer)",
    ),
    (
        "doc-types-not-a-list",
        edit('  family = "trs"', '  family = "trs"\n  doc_types = "budget"'),
        None,
        "doc_types must be a non-empty list of 'budget' / 'final_account', not 'budget'",
    ),
    (
        "doc-types-unknown",
        edit('  family = "trs"', '  family = "trs"\n  doc_types = ["budget", "决算"]'),
        None,
        "doc_types must be a non-empty list of 'budget' / 'final_account', not ['budget', '决算']",
    ),
    (
        "concurrency-zero",
        edit('name = "深圳市财政局"', 'name = "深圳市财政局"\nconcurrency = 0'),
        None,
        "portal 'sz': concurrency must be a positive integer, not 0 (an integer)",
    ),
    (
        "concurrency-a-string",
        edit('name = "深圳市财政局"', 'name = "深圳市财政局"\nconcurrency = "2"'),
        None,
        "concurrency must be a positive integer, not '2' (a string)",
    ),
    (
        "download-delay-negative",
        edit('name = "深圳市财政局"', 'name = "深圳市财政局"\ndownload_delay = -1.5'),
        None,
        "portal 'sz': download_delay must be a number of seconds >= 0, not -1.5 (a float)",
    ),
    (
        "autothrottle-not-a-boolean",
        edit('name = "深圳市财政局"', 'name = "深圳市财政局"\nautothrottle = "no"'),
        None,
        "portal 'sz': autothrottle must be true or false, not 'no' (a string)",
    ),
    (
        "name-not-a-string",
        edit('name = "深圳市财政局"', "name = 3"),
        None,
        "portal 'sz': name must be a non-empty string, not an integer",
    ),
    (
        "unknown-section-key",
        edit("  family =", "  familly ="),
        None,
        "portal 'sz', section 'ys': unknown key 'familly' (did you mean 'family'?",
    ),
    (
        "unknown-portal-key",
        edit('name = "深圳市财政局"', 'name = "深圳市财政局"\nconcurency = 2'),
        None,
        "portal 'sz': unknown key 'concurency' (did you mean 'concurrency'?",
    ),
    (
        "unknown-key-far-from-all",
        edit('name = "深圳市财政局"', 'name = "深圳市财政局"\nzzz = 2'),
        None,
        "portal 'sz': unknown key 'zzz' (known: id, name, region, base_url,",
    ),
    (
        "unknown-top-level-key",
        edit("[[portal]]", "[[portals]]").replace("[[portal.section]]", "[[portals.section]]"),
        None,
        "unknown key 'portals' (did you mean 'portal'?",
    ),
    (
        "unknown-family",
        edit('family = "trs"', 'family = "tsr"'),
        None,
        "portal 'sz', section 'ys': unknown family 'tsr'"
        f" (did you mean 'trs'? known: {', '.join(FAMILIES)})",
    ),
    (
        "portal-a-table-not-an-array",
        edit("[[portal]]", "[portal]"),
        None,
        "'portal' must be an array of tables: write [[portal]], not [portal]",
    ),
    (
        "section-a-table-not-an-array",
        edit("[[portal.section]]", "[portal.section]"),
        None,
        "portal 'sz': 'section' must be an array of tables: write [[portal.section]]",
    ),
]


@pytest.mark.parametrize(
    ("text", "demo_url", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_bad_portals_file_is_one_line_naming_file_place_and_problem(
    tmp_path: Path, text: str, demo_url: str | None, expected: str
) -> None:
    path = tmp_path / "p.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(PortalConfigError) as caught:
        load_portals(path, demo_url)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and "\n" not in message, message
    assert expected in message


def test_a_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_bytes(GOOD.encode("gbk"))
    with pytest.raises(PortalConfigError, match=r"p\.toml: not UTF-8 text"):
        load_portals(path)


def test_a_good_file_with_every_setting_loads(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text(
        edit(
            'name = "深圳市财政局"',
            'name = "深圳市财政局"\nregion = "深圳市"\nconcurrency = 1\n'
            "download_delay = 2\nautothrottle = true",
        )
        + '  since = 2024\n  doc_types = ["budget"]\n'
        '\n  [[portal.section]]\n  id = "spa"\n  family = "rendered"\n'
        '  url = "${DEMO_PORTAL_URL}/bmys/index.html"\n  wait_for = "#list a"\n',
        "utf-8",
    )
    portal = load_portals(path, "http://127.0.0.1:9999/")["sz"]
    assert (portal.region, portal.concurrency, portal.download_delay) == ("深圳市", 1, 2.0)
    assert portal.autothrottle is True
    ys, spa = portal.sections
    assert (ys.name, ys.since, ys.doc_types) == ("ys", 2024, ("budget",))
    assert spa.url == "http://127.0.0.1:9999/bmys/index.html" and spa.wait_for == "#list a"


def test_the_bundled_portals_file_is_valid() -> None:
    portals = load_portals()
    assert "demo" in portals and portals["demo"].families() == ["jpage", "rendered", "trs"]


def test_the_known_families_are_the_walkers() -> None:
    """FAMILIES (crawler/portals.py) lists exactly the walkers of crawler/families, and
    one spider crawls them all."""
    loader = SpiderLoader.from_settings(Settings({"SPIDER_MODULES": ["crawler.spiders"]}))
    assert loader.list() == ["portals"]
    assert set(WALKERS) == set(FAMILIES), "update FAMILIES in crawler/portals.py"


def test_check_reports_every_broken_portal_one_line_each(tmp_path: Path) -> None:
    other = GOOD.replace('id = "sz"', 'id = "gz"').replace('family = "trs"', 'family = "tsr"')
    third = GOOD.replace('id = "sz"', 'id = "fs"').replace('  url = "https', '  ur = "https')
    path = tmp_path / "p.toml"
    path.write_text(GOOD + "\n" + other + "\n" + third, "utf-8")
    problems = check_portals(path)
    assert problems == [
        f"{path}: portal 'gz', section 'ys': unknown family 'tsr'"
        f" (did you mean 'trs'? known: {', '.join(FAMILIES)})",
        f"{path}: portal 'fs', section 'ys': unknown key 'ur'"
        f" (did you mean 'url'? known: {', '.join(SECTION_KEYS)})",
    ]
    result = CliRunner().invoke(cli, ["portals", "--check", "--portals", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [*problems, f"Error: 2 problem(s) in {path}"]
    path.write_text(GOOD, "utf-8")
    assert check_portals(path) == []
    result = CliRunner().invoke(cli, ["portals", "--check", "--portals", str(path)])
    assert result.exit_code == 0 and result.output == f"{path}: ok\n"


def test_a_section_without_family_is_auto(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text(edit('  family = "trs"\n', ""), "utf-8")
    (section,) = load_portals(path)["sz"].sections
    assert section.family == "auto"
