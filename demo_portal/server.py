"""The demo portal over HTTP: a stdlib ``ThreadingHTTPServer`` in a thread.

Serves a :class:`~demo_portal.site.Site` with validators like a real portal's web
server: every 200 answer has a quoted ``ETag`` (SHA-256 of the body) and a
``Last-Modified`` from the resource's fixed date; ``If-None-Match`` (or, without it,
``If-Modified-Since``) is answered ``304``. ``HEAD`` and ``POST`` (the jpage data
proxy) are supported; unknown paths get a 404 HTML page. Nothing is logged; every
request is recorded in :attr:`DemoPortal.requests` for tests.

Example:

    >>> import urllib.request
    >>> with DemoPortal() as portal:
    ...     urllib.request.urlopen(portal.url + "/robots.txt").status
    200
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from demo_portal.site import HTML, NOT_FOUND, STATES, UNAVAILABLE, Resource, Site, build_site

__all__ = ["LOGGED_HEADERS", "DemoPortal", "RequestLog", "serve"]

#: Request headers kept in :attr:`RequestLog.headers`.
LOGGED_HEADERS = (
    "User-Agent",
    "If-None-Match",
    "If-Modified-Since",
    "Accept",
    "Accept-Encoding",
    "Referer",
    "Content-Type",
    "Range",
)


@dataclass(frozen=True)
class RequestLog:
    """One request the portal answered: method, path with query, headers, status.

    ``path`` is the resource's key in ``Site.resources`` (the form ``Site.expected``
    uses) when the request named one, e.g. a ``downfile.jsp`` link whose ``showname``
    came percent-encoded in GBK; otherwise it is the request target as received, which
    ``target`` always holds.
    """

    method: str
    path: str
    headers: dict[str, str] = field(hash=False)
    status: int
    target: str = ""


def _http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC).replace(microsecond=0), usegmt=True)


def _not_modified(resource: Resource, headers: Any) -> bool:
    """RFC 9110: If-None-Match decides when present; else If-Modified-Since."""
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        tags = [t.strip() for t in if_none_match.split(",")]
        if "*" in tags:
            return True
        etag = resource.etag
        return any(t.removeprefix("W/") == etag for t in tags)
    since = headers.get("If-Modified-Since")
    if since:
        try:
            moment = parsedate_to_datetime(since)
        except (TypeError, ValueError, IndexError):
            return False
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return resource.last_modified.replace(microsecond=0) <= moment
    return False


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "DemoPortal/1.0"
    sys_version = ""

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (stdlib name)
        """Quiet: requests are recorded in DemoPortal.requests instead."""

    def do_GET(self) -> None:  # noqa: N802 (stdlib name)
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self._answer(send_body=True)

    def _answer(self, send_body: bool) -> None:
        portal = self.server.portal
        site = portal.site
        resource = None if site.down else site.resolve(self.path, self.command)
        if resource is not None and resource.delay:
            time.sleep(resource.delay)
        if site.down:
            status, body, headers = 503, UNAVAILABLE, [("Content-Type", HTML)]
        elif resource is None:
            status, body, headers = 404, NOT_FOUND, [("Content-Type", HTML)]
        elif resource.status == 200 and _not_modified(resource, self.headers):
            status, body = 304, b""
            headers = [
                ("ETag", resource.etag),
                ("Last-Modified", _http_date(resource.last_modified)),
            ]
        else:
            status, body = resource.status, resource.body
            headers = [
                ("Content-Type", resource.content_type),
                ("ETag", resource.etag),
                ("Last-Modified", _http_date(resource.last_modified)),
                *resource.headers,
            ]
        portal._record(
            RequestLog(
                method=self.command,
                path=site.canonical(self.path) or self.path,
                headers={h: self.headers[h] for h in LOGGED_HEADERS if h in self.headers},
                status=status,
                target=self.path,
            )
        )
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body and status != 304:
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], portal: DemoPortal):
        self.portal = portal
        super().__init__(address, _Handler)


class DemoPortal:
    """The demo portal on ``host:port`` (port 0: any free port), in a background thread.

    ``state`` ("initial" or "revised") can be switched while it runs. ``requests`` lists
    every request answered, in order.

    Example:

        >>> with DemoPortal(state="revised") as portal:
        ...     portal.url.startswith("http://127.0.0.1:")
        True
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, state: str = "initial"):
        self.host = host
        self.port = port
        self.requests: list[RequestLog] = []
        self._sites: dict[str, Site] = {}
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.state = state

    @property
    def state(self) -> str:
        return self._state

    @state.setter
    def state(self, state: str) -> None:
        if state not in STATES:
            raise ValueError(f"state must be one of {STATES}, not {state!r}")
        if state not in self._sites:
            self._sites[state] = build_site(state)
        self._state = state

    @property
    def site(self) -> Site:
        """The Site being served (its ``expected`` is the ground truth of this state)."""
        return self._sites[self._state]

    @property
    def url(self) -> str:
        """Where the portal listens, e.g. ``http://127.0.0.1:8737`` (no trailing slash)."""
        return f"http://{self.host}:{self.port}"

    def _record(self, entry: RequestLog) -> None:
        with self._lock:
            self.requests.append(entry)

    def bind(self) -> DemoPortal:
        """Bind ``host:port`` now, before serving (port 0: a free port, then in ``port``).

        Raises OSError (``EADDRINUSE`` when the port is busy) with nothing left open;
        :meth:`start` and :meth:`serve_forever` bind when this was not called. Returns self.
        """
        self._bind()
        return self

    def _bind(self) -> _Server:
        if self._server is None:
            self._server = _Server((self.host, self.port), self)
            self.port = self._server.server_address[1]
        return self._server

    def start(self) -> DemoPortal:
        """Bind and serve in a daemon thread; returns self."""
        if self._thread is not None:
            return self
        server = self._bind()
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.1},
            daemon=True,
            name=f"demo-portal-{self.port}",
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._server is None:
            return
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()
        self._server = None

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted."""
        server = self._bind()
        try:
            server.serve_forever(poll_interval=0.2)
        finally:
            server.server_close()
            self._server = None

    def __enter__(self) -> DemoPortal:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve(host: str, port: int, state: str) -> None:
    """Serve the demo portal until Ctrl-C (for ``budget-archive portal serve``)."""
    portal = DemoPortal(host=host, port=port, state=state)
    with contextlib.suppress(KeyboardInterrupt):
        portal.serve_forever()
