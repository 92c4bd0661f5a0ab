"""The README's command reference and exit codes, generated from the click commands.

The README marks each generated part with ``<!-- NAME: begin -->`` / ``<!-- NAME: end -->``
(``commands``, ``exit-codes``). The output depends only on the commands (no terminal width):

    .venv/bin/python -m budget_archive.docs --write README.md   # regenerate in place
    .venv/bin/python -m budget_archive.docs --check README.md   # exit 1 when it differs
    .venv/bin/python -m budget_archive.docs                     # print the reference
"""

from __future__ import annotations

import difflib
import inspect
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from budget_archive.errors import EXIT_CODES

PROG = "budget-archive"
REGENERATE = ".venv/bin/python -m budget_archive.docs --write README.md"


def _paragraphs(docstring: str | None) -> list[str]:
    """A command's docstring as paragraphs, each on one line (up to click's ``\\f``)."""
    text = inspect.cleandoc(docstring or "").split("\f", 1)[0]
    blocks = re.split(r"\n\s*\n", text)
    return [
        " ".join(line.strip() for line in b.splitlines() if line.strip() != "\b") for b in blocks
    ]


def _walk(ctx: click.Context) -> Iterator[click.Context]:
    """The context of every command worth a heading: leaf commands, and groups with options
    of their own (the top-level ``--version``), in ``--help`` order."""
    command = ctx.command
    if not isinstance(command, click.Group):
        yield ctx
        return
    if command.params:
        yield ctx
    for name in command.list_commands(ctx):
        sub = command.get_command(ctx, name)
        if sub is not None and not sub.hidden:
            yield from _walk(click.Context(sub, info_name=name, parent=ctx))


def _default(option: click.Option, ctx: click.Context) -> str | None:
    """An option's default as shown by ``--help`` (``show_default``), else None."""
    show = option.show_default if option.show_default is not None else ctx.show_default
    if not show:
        return None
    if isinstance(show, str):
        return show
    value = option.get_default(ctx, call=False)
    if value is None or callable(value) or (option.is_flag and not value):
        return None
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _option_line(option: click.Option, ctx: click.Context) -> str:
    """``- `--name METAVAR`: help. Default: `value`.``"""
    names = ", ".join(option.opts)
    if option.secondary_opts:
        names += " / " + ", ".join(option.secondary_opts)
    if not (option.is_flag or option.count):
        names += " " + option.make_metavar(ctx)
    line = f"- `{names}`"
    text = " ".join((option.help or "").split())
    if text:
        line += f": {text}"
    default = _default(option, ctx)
    if default is not None:
        line += f"{'' if text else ':'} Default: `{default}`."
    return line


def render_command(ctx: click.Context) -> str:
    """One command's Markdown: heading, description, usage, options, example."""
    command = ctx.command
    paragraphs = _paragraphs(command.help)
    examples = [p for p in paragraphs if p.startswith("Example:")]
    description = paragraphs[0] if paragraphs and not paragraphs[0].startswith("Example:") else ""
    usage = " ".join([ctx.command_path, *command.collect_usage_pieces(ctx)])
    lines = [f"### {ctx.command_path}", ""]
    if description:
        lines += [description, ""]
    lines += ["```text", usage, "```", ""]
    options = [p for p in command.params if isinstance(p, click.Option) and not p.hidden]
    if options:
        lines += [_option_line(o, ctx) for o in options] + [""]
    for example in examples:
        lines += [f"Example: `{example.removeprefix('Example:').strip()}`", ""]
    return "\n".join(lines)


def render_commands(group: click.Group | None = None) -> str:
    """The command reference of `group` (default: ``budget-archive``) as Markdown."""
    if group is None:
        from budget_archive.cli import cli

        group = cli
    root = click.Context(group, info_name=PROG, terminal_width=100, max_content_width=100)
    return "\n".join(render_command(ctx) for ctx in _walk(root)).rstrip("\n") + "\n"


def render_exit_codes() -> str:
    """The exit codes (``budget_archive.errors``) as a Markdown table."""
    rows = [f"| {code} | {meaning} |" for code, meaning in EXIT_CODES]
    return "\n".join(["| code | meaning |", "|---|---|", *rows]) + "\n"


#: The generated parts of the README, by marker name.
SECTIONS: dict[str, Callable[[], str]] = {
    "commands": render_commands,
    "exit-codes": render_exit_codes,
}


def replace_section(text: str, name: str, body: str) -> str:
    """`text` with what lies between the markers of `name` replaced by `body`.

    Raises ValueError when the markers are missing or not in order.
    """
    begin, end = f"<!-- {name}: begin -->\n", f"<!-- {name}: end -->"
    start, stop = text.find(begin), text.find(end)
    if start < 0 or stop < start:
        raise ValueError(f"no {begin.strip()} … {end} markers, in that order")
    return text[: start + len(begin)] + body + text[stop:]


def update(text: str) -> str:
    """`text` (the README) with every generated section regenerated."""
    for name, render in SECTIONS.items():
        text = replace_section(text, name, render())
    return text


@click.command()
@click.option(
    "--write",
    "write",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Regenerate the marked sections of this file in place.",
)
@click.option(
    "--check",
    "check",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Exit 1 when the marked sections of this file differ from the commands.",
)
def main(write: Path | None, check: Path | None) -> None:
    """Print the command reference, or write or check it in a README."""
    if write is None and check is None:
        click.echo(render_commands(), nl=False)
        return
    for path in (write, check):
        if path is None:
            continue
        text = path.read_text("utf-8")
        try:
            expected = update(text)
        except ValueError as exc:
            raise click.ClickException(f"{path}: {exc}") from exc
        if path == write:
            if expected != text:
                path.write_text(expected, "utf-8")
                click.echo(f"{path}: command reference updated", err=True)
        elif expected != text:
            diff = difflib.unified_diff(
                text.splitlines(), expected.splitlines(), str(path), "generated", lineterm=""
            )
            click.echo("\n".join(diff), err=True)
            raise click.ClickException(
                f"{path}: the command reference differs from the commands; run {REGENERATE}"
            )


if __name__ == "__main__":
    main(prog_name="python -m budget_archive.docs")
