"""A tiny threaded HTTP server over a dict of routes, for crawl tests of small portals."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# path with query -> (status, content type, body, delay in seconds)
Route = tuple[int, str, bytes, float]
NOT_FOUND: Route = (404, "text/html", b"<html>404</html>", 0)


class LocalSite:
    def __init__(
        self, routes: dict[str, Route], override: Callable[[str], Route | None] | None = None
    ):
        self.routes = routes
        self.override = override
        self.paths: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                site.paths.append(self.path)
                route = (site.override and site.override(self.path)) or site.routes.get(
                    self.path, NOT_FOUND
                )
                status, ctype, body, delay = route
                time.sleep(delay)
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    def portals_file(
        self, directory: Path, family: str, list_path: str, portal_id: str = "local"
    ) -> Path:
        """A portals.toml with one fast portal of one section at this site."""
        path = directory / "portals.toml"
        path.write_text(
            f'[[portal]]\nid = "{portal_id}"\nname = "测试门户"\nbase_url = "{self.url}"\n'
            "concurrency = 4\ndownload_delay = 0.0\nautothrottle = false\n"
            f'[[portal.section]]\nid = "main"\nfamily = "{family}"\nurl = "{self.url}{list_path}"\n',
            "utf-8",
        )
        return path

    def __enter__(self) -> LocalSite:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()


def crawl_command(
    portals: Path, archive: Path, *options: str, timeout: float = 240
) -> subprocess.CompletedProcess[str]:
    """`budget-archive crawl --portals P --archive A [options]` in a subprocess (Scrapy's
    reactor starts once per process)."""
    return subprocess.run(
        [sys.executable, "-m", "budget_archive", "crawl", "--portals", str(portals)]
        + ["--archive", str(archive), *options],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
