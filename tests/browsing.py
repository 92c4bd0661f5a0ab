"""The archive served by a real Datasette on a local port, opened in headless Chromium
(Playwright with the project's launch options), for tests of what a reader sees."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from archive.publish import datasette_app
from crawler.browser import chromium_launch_options

#: mark for tests that need a Chromium
needs_chromium = pytest.mark.skipif(
    not (shutil.which("chromium") or os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE")),
    reason="needs Chromium",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def browsing(archive: Path) -> Iterator[tuple[str, Any]]:
    """(the served archive's URL, a launched Chromium browser)."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    config = uvicorn.Config(
        datasette_app(archive).app(), host="127.0.0.1", port=port, log_level="error"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(**chromium_launch_options())
            try:
                yield f"http://127.0.0.1:{port}", browser
            finally:
                browser.close()
    finally:
        server.should_exit = True
        thread.join(10)
