"""Which Chromium scrapy-playwright launches.

Playwright's own browser (`playwright install chromium`) is used when it is installed;
otherwise a system Chromium (Debian's `/usr/bin/chromium`). `PLAYWRIGHT_CHROMIUM_EXECUTABLE`
names one explicitly.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

# Keep a headless Chromium from reaching out on its own (closed networks refuse it anyway).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _playwright_has_chromium() -> bool:
    root = os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or str(Path.home() / ".cache/ms-playwright")
    return any(Path(root).glob("chromium*-*/chrome-linux*/chrome")) or any(
        Path(root).glob("chromium_headless_shell-*/chrome-*/headless_shell")
    )


def system_chromium() -> str | None:
    explicit = os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE")
    if explicit:
        return explicit
    if _playwright_has_chromium():
        return None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_launch_options() -> dict:
    options: dict = {"headless": True, "args": list(CHROMIUM_ARGS)}
    executable = system_chromium()
    if executable:
        options["executable_path"] = executable
    return options
