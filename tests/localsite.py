"""A tiny threaded HTTP server over a dict of routes, for crawl tests of small portals."""

from __future__ import annotations

import hashlib
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


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hung up (a download cancelled at its size bound) is no error."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class LocalSite:
    """`etags`: answers carry an ETag (a digest of the body) and a request that sends it back
    in If-None-Match gets 304; `conditional` lists the paths asked that way."""

    def __init__(
        self,
        routes: dict[str, Route],
        override: Callable[[str], Route | None] | None = None,
        *,
        etags: bool = False,
        headers: dict[str, dict[str, str]] | None = None,
    ):
        self.routes = routes
        self.override = override
        self.etags = etags
        # path -> headers sent instead of (or beside) the defaults: Location for a redirect,
        # Content-Encoding, a Content-Length that the body does not fill (a cut transfer)
        self.headers = headers or {}
        self.paths: list[str] = []
        self.conditional: list[str] = []
        self.server = _QuietServer(("127.0.0.1", 0), self._handler())
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
                etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
                if site.etags and self.headers.get("If-None-Match"):
                    site.conditional.append(self.path)
                    if self.headers["If-None-Match"] == etag and status == 200:
                        self.send_response(304)
                        self.send_header("ETag", etag)
                        self.end_headers()
                        return
                self.send_response(status)
                if site.etags:
                    self.send_header("ETag", etag)
                path = self.path.split("?", 1)[0]
                sent = {"Content-Type": ctype, "Content-Length": str(len(body))}
                sent.update(site.headers.get(self.path) or site.headers.get(path) or {})
                for name, value in sent.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)
                if int(sent["Content-Length"]) != len(body):
                    self.close_connection = True

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


def scrapy_crawl(
    archive: Path, portals: Path, *settings: str, portal: str = "bad", timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """`scrapy crawl portals -a portal=P` from the project root into `archive`, with
    `settings` as `-s NAME=VALUE` (WARNING logs unless one says otherwise)."""
    command = [sys.executable, "-m", "scrapy", "crawl", "portals", "-a", f"portal={portal}"]
    for setting in (
        f"ARCHIVE_DIR={archive}",
        f"PORTALS_FILE={portals}",
        "LOG_LEVEL=WARNING",
        *settings,
    ):
        command += ["-s", setting]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
