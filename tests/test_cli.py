from click.testing import CliRunner

from budget_archive.cli import cli


def test_portals_lists_the_demo_portal_sections():
    result = CliRunner().invoke(cli, ["portals"], terminal_width=200)
    assert result.exit_code == 0, result.output
    for text in ("demo", "trs", "jpage", "rendered", "/zwgk/czyjs/ys/index.html"):
        assert text in result.output


def test_portals_reads_a_given_file(tmp_path):
    config = tmp_path / "p.toml"
    config.write_text(
        '[[portal]]\nid = "x"\nname = "某市财政局"\nbase_url = "https://x.gov.cn"\n'
        '[[portal.section]]\nid = "ys"\nfamily = "trs"\nurl = "https://x.gov.cn/ys/index.html"\n',
        "utf-8",
    )
    result = CliRunner().invoke(cli, ["portals", "--portals", str(config)], terminal_width=200)
    assert result.exit_code == 0 and "某市财政局" in result.output and "demo" not in result.output


def test_crawl_of_an_unknown_portal_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["crawl", "nowhere", "--archive", str(tmp_path / "a")])
    assert result.exit_code != 0
    assert "unknown portal(s): nowhere" in result.output


def test_serve_without_an_archive_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--archive", str(tmp_path / "none")])
    assert result.exit_code != 0 and "no archive at" in result.output
