"""The code's own checks, run by the test command: lint and format (ruff), types (mypy),
and which package may import which (import-linter, contracts in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PACKAGES = ["crawler", "pipelines", "archive", "extract", "demo_portal", "budget_archive"]


def run(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize(
    "cmd",
    [
        ("ruff", "check", "."),
        ("ruff", "format", "--check", "."),
        ("mypy", *PACKAGES),
        ("lint-imports",),
    ],
    ids=["ruff-check", "ruff-format", "mypy", "import-contracts"],
)
def test_clean(cmd: tuple[str, ...]) -> None:
    done = run(str(BIN / cmd[0]), *cmd[1:])
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
