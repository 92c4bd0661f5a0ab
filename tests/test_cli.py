import difflib
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import click
import pytest
from click.testing import CliRunner, Result

import budget_archive.cli as cli_module
from budget_archive import docs
from budget_archive.cli import cli
from budget_archive.errors import (
    EXIT_CRAWL_INCOMPLETE,
    EXIT_OPERATOR,
    EXIT_USAGE,
    OperatorError,
)
from budget_archive.ports import bind_error, check_port
from crawler.portals import FAMILIES

README = Path(__file__).resolve().parent.parent / "README.md"


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


# -- operator errors: one line, a documented exit code, nothing crawled -------------------


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port on 127.0.0.1 that another socket listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def one_line_error(result: Result, exit_code: int) -> str:
    """The single line `result` printed, after checking its exit code and that it came from a
    handled click exception (an uncaught one also exits 1 under CliRunner)."""
    assert result.exit_code == exit_code, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)  # no traceback
    lines = result.output.splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


def test_demo_with_a_busy_datasette_port_stops_before_crawling(tmp_path, busy_port):
    archive = tmp_path / "a"
    args = ["demo", "--archive", str(archive), "--portal-port", "0", "--port", str(busy_port)]
    result = CliRunner().invoke(cli, args)
    assert one_line_error(result, EXIT_OPERATOR) == (
        f"Error: port {busy_port} on 127.0.0.1 is in use (Datasette); pick another with --port"
    )
    assert not (archive / "archive.db").exists()


def test_demo_with_a_busy_portal_port_stops_before_crawling(tmp_path, busy_port):
    archive = tmp_path / "a"
    args = ["demo", "--archive", str(archive), "--portal-port", str(busy_port), "--port", "0"]
    result = CliRunner().invoke(cli, args)
    assert one_line_error(result, EXIT_OPERATOR) == (
        f"Error: port {busy_port} on 127.0.0.1 is in use (demo portal);"
        " pick another with --portal-port"
    )
    assert not (archive / "archive.db").exists()


def test_portal_serve_on_a_busy_port(busy_port):
    result = CliRunner().invoke(cli, ["portal", "serve", "--port", str(busy_port)])
    assert one_line_error(result, EXIT_OPERATOR) == (
        f"Error: port {busy_port} on 127.0.0.1 is in use (demo portal); pick another with --port"
    )


def test_serve_on_a_busy_port(tmp_path, busy_port):
    (tmp_path / "archive.db").touch()
    result = CliRunner().invoke(
        cli, ["serve", "--archive", str(tmp_path), "--port", str(busy_port)]
    )
    assert one_line_error(result, EXIT_OPERATOR) == (
        f"Error: port {busy_port} on 127.0.0.1 is in use (Datasette); pick another with --port"
    )


def test_port_zero_is_always_free():
    check_port("127.0.0.1", 0, what="Datasette", port_option="--port")  # no error
    assert bind_error("127.0.0.1", 0) is None


def test_a_port_out_of_range_is_a_usage_error():
    result = CliRunner().invoke(cli, ["portal", "serve", "--port", "70000"])
    assert result.exit_code == EXIT_USAGE and "70000 is not in the range" in result.output


@pytest.mark.parametrize("command", ["portals", "crawl"])
def test_a_bad_portals_file_is_one_line_and_nothing_is_crawled(tmp_path, command):
    config = tmp_path / "p.toml"
    config.write_text(
        '[[portal]]\nid = "x"\nbase_url = "https://x.gov.cn"\n'
        '[[portal.section]]\nid = "ys"\nfamily = "tsr"\nurl = "https://x.gov.cn/ys/index.html"\n',
        "utf-8",
    )
    archive = tmp_path / "a"
    args = [command, "--portals", str(config)]
    args += ["--archive", str(archive)] if command == "crawl" else []
    result = CliRunner().invoke(cli, args)
    assert one_line_error(result, EXIT_OPERATOR) == (
        f"Error: {config}: portal 'x', section 'ys': unknown family 'tsr'"
        f" (did you mean 'trs'? known: {', '.join(FAMILIES)})"
    )
    assert not (archive / "archive.db").exists()


def test_a_toml_syntax_error_is_one_line_on_stderr_without_traceback(tmp_path):
    config = tmp_path / "portals.toml"
    config.write_text('[[portal]]\nid = "x"\nname = 某市\n', "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "budget_archive", "portals", "--portals", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == EXIT_OPERATOR and done.stdout == ""
    assert done.stderr == f"Error: {config}: line 3: Invalid value (column 8)\n"


def test_an_unknown_portal_is_one_line_naming_the_known_ones(tmp_path):
    archive = tmp_path / "a"
    result = CliRunner().invoke(cli, ["crawl", "nowhere", "demo", "--archive", str(archive)])
    assert one_line_error(result, EXIT_OPERATOR) == (
        "Error: unknown portal(s): nowhere; known: demo"
    )
    assert not (archive / "archive.db").exists()


@pytest.mark.parametrize(
    "args", [["crawl", "demo"], ["demo", "--no-serve", "--portal-port", "0"]], ids=["crawl", "demo"]
)
def test_a_crawl_that_did_not_finish_exits_3(tmp_path, monkeypatch, args):
    unfinished = SimpleNamespace(crawl_id=7, status="incomplete: shutdown")
    monkeypatch.setattr(cli_module, "_crawl", lambda *args, **kwargs: unfinished)
    result = CliRunner().invoke(cli, [*args, "--archive", str(tmp_path / "a")])
    assert result.exit_code == EXIT_CRAWL_INCOMPLETE, result.output
    assert result.output.splitlines()[-1] == "Error: crawl 7 incomplete: shutdown"


def test_exit_codes_agree_with_click():
    assert click.ClickException.exit_code == OperatorError.exit_code == EXIT_OPERATOR
    assert click.UsageError.exit_code == EXIT_USAGE
    result = CliRunner().invoke(cli, ["crawl", "--no-such-option"])
    assert result.exit_code == EXIT_USAGE


# -- the README's command reference is generated from the commands ----------------------


def test_readme_command_reference_matches_the_cli():
    text = README.read_text("utf-8")
    expected = docs.update(text)
    if expected != text:
        diff = "\n".join(
            difflib.unified_diff(text.splitlines(), expected.splitlines(), lineterm="", n=1)
        )
        pytest.fail(
            f"README.md's command reference differs from the CLI; run `{docs.REGENERATE}`\n{diff}"
        )


def test_docs_check_and_write(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(
        "# x\n\n<!-- commands: begin -->\nstale\n<!-- commands: end -->\n\n"
        "<!-- exit-codes: begin -->\n<!-- exit-codes: end -->\n",
        "utf-8",
    )
    checked = CliRunner().invoke(docs.main, ["--check", str(readme)])
    assert checked.exit_code == 1 and docs.REGENERATE in checked.output
    assert CliRunner().invoke(docs.main, ["--write", str(readme)]).exit_code == 0
    text = readme.read_text("utf-8")
    assert "stale" not in text and "### budget-archive portal serve" in text
    assert "| 3 | the crawl failed" in text and "| 5 | the crawl finished but some portals" in text
    assert CliRunner().invoke(docs.main, ["--check", str(readme)]).exit_code == 0


def test_command_reference_is_deterministic_and_complete():
    reference = docs.render_commands()
    assert reference == docs.render_commands()
    for command in ("crawl", "demo", "serve", "portal serve", "portals", "extract", "reextract"):
        assert f"### budget-archive {command}\n" in reference
    assert "- `--port PORT`: Datasette port. Default: `8001`." in reference
    assert "Example: `budget-archive crawl demo --archive ./archive`" in reference
