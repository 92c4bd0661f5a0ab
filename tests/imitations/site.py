"""Local imitations of real portal software families, served over HTTP for crawl tests.

An :class:`Imitation` is one portal built the way one software family builds its pages
(each module's docstring names the evidence it follows). It answers GET and POST, may
redirect and name files in Content-Disposition, and may serve files from a second host
(`127.0.0.2` instead of `127.0.0.1`, on another port: a government's file server). It
knows what a crawl of it must find: the disclosure pages and the files.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl


@dataclass
class Reply:
    body: bytes | str = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    encoding: str = "utf-8"

    def payload(self) -> bytes:
        return self.body.encode(self.encoding) if isinstance(self.body, str) else self.body


def pdf(name: str) -> Reply:
    """A small PDF, its bytes unique to `name` (files are told apart by their digest)."""
    body = f"%PDF-1.4\n% {name}\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
    return Reply(body.encode("utf-8"), content_type="application/pdf")


def json_reply(value: object) -> Reply:
    """A JSON answer, as platforms' APIs give it."""
    return Reply(
        json.dumps(value, ensure_ascii=False), content_type="application/json;charset=UTF-8"
    )


def page(body: str, title: str = "", head: str = "") -> str:
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>{title}</title>{head}</head><body>{body}</body></html>"
    )


class Imitation:
    """Subclasses fill `get` (path with query → reply) and may override `post`; they
    list what a crawl must find in `disclosures` and `files` (URLs, after `start`)."""

    #: the family a config entry names for it, and the family auto-detection must see
    family: str = ""
    detected: str = ""
    #: the walker auto-detection hands it to, when not `family`
    auto_walker: str = ""
    #: the section's entry page, relative to the site's URL
    entry: str = "/"

    def __init__(self) -> None:
        self.url = ""  # the site, once served: http://127.0.0.1:PORT
        self.files_url = ""  # the second host: http://127.0.0.2:PORT2
        self.get: dict[str, Reply] = {}
        self.files: dict[str, Reply] = {}  # served by the second host
        self.disclosures: set[str] = set()
        self.expected_files: set[str] = set()
        self.noise: set[str] = set()  # listed entries that are no disclosure (recorded skipped)
        self.requests: list[str] = []

    def build(self) -> None:
        """Fill the routes and the expected sets (`self.url` and `self.files_url` are known)."""
        raise NotImplementedError

    def sublists(self) -> set[str]:
        """Second-level list pages an entry page links (an aggregator's columns)."""
        return set()

    def post(self, path: str, form: dict[str, str]) -> Reply | None:
        return None

    def answer(self, method: str, path: str, body: bytes, files_host: bool) -> Reply:
        self.requests.append(f"{method} {path}")
        if files_host:
            return self.files.get(path) or Reply("<html>404</html>", status=404)
        if method == "POST":
            form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
            return self.post(path, form) or Reply("<html>405</html>", status=405)
        return self.get.get(path) or Reply("<html>404</html>", status=404)

    def portals_toml(self, family: str | None = None, **keys: object) -> str:
        """One fast portal with one section at this site; `family` None = the
        imitation's own, "" = none given (auto-detection)."""
        family = self.family if family is None else family
        lines = [
            "[[portal]]",
            'id = "local"',
            'name = "测试门户"',
            f'base_url = "{self.url}"',
            "concurrency = 4",
            "download_delay = 0.0",
            "autothrottle = false",
            "[[portal.section]]",
            'id = "main"',
            f'url = "{self.url}{self.entry}"',
        ]
        if family:
            lines.append(f'family = "{family}"')
        for key, value in keys.items():
            lines.append(f"{key} = {value!r}".replace("'", '"'))
        return "\n".join(lines) + "\n"

    def write_portals(self, directory: Path, family: str | None = None) -> Path:
        path = directory / "portals.toml"
        path.write_text(self.portals_toml(family), "utf-8")
        return path


def _server(imitation: Imitation, files_host: bool) -> ThreadingHTTPServer:
    """A server on 127.0.0.1, or on 127.0.0.2 for the file host (all of 127/8 is loopback)."""

    class Handler(BaseHTTPRequestHandler):
        def _reply(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            reply = imitation.answer(method, self.path, body, files_host)
            payload = reply.payload()
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self) -> None:  # noqa: N802
            self._reply("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._reply("POST")

        def log_message(self, *args: object) -> None:
            pass

    return ThreadingHTTPServer(("127.0.0.2" if files_host else "127.0.0.1", 0), Handler)


@contextmanager
def served(imitation: Imitation) -> Iterator[Imitation]:
    """Serve the imitation (and its file host) for the duration of the block."""
    main, files = _server(imitation, False), _server(imitation, True)
    imitation.url = f"http://127.0.0.1:{main.server_address[1]}"
    imitation.files_url = f"http://127.0.0.2:{files.server_address[1]}"
    imitation.build()
    for server in (main, files):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield imitation
    finally:
        for server in (main, files):
            server.shutdown()
            server.server_close()
