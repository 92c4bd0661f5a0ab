"""Whether a server can listen on a port, asked before the work that comes first.

``budget-archive demo`` crawls before it serves Datasette: a busy port must stop it
before the crawl, not after. Port 0 (any free port) always can be bound.
"""

from __future__ import annotations

import errno
import os
import socket

from budget_archive.errors import OperatorError


def bind_error(host: str, port: int) -> OSError | None:
    """The error binding ``host:port`` gives, or None when it can be bound.

    Binds and closes at once, as the servers bind: ``SO_REUSEADDR`` on POSIX, so a port
    left in TIME_WAIT by an earlier run is free and one with a listener is not.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            if os.name == "posix":
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
    except OSError as exc:
        return exc
    return None


def port_error(host: str, port: int, exc: OSError, *, what: str, port_option: str) -> OperatorError:
    """The one-line error for a failed bind of `what` (e.g. "Datasette") on ``host:port``."""
    if isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
        return OperatorError(f"cannot listen on host {host!r} ({what}): {exc.strerror or exc}")
    if exc.errno == errno.EADDRINUSE:
        problem = "is in use"
    elif exc.errno == errno.EACCES:
        problem = "needs privileges to be bound"
    else:
        problem = f"cannot be bound: {exc.strerror or exc}"
    return OperatorError(
        f"port {port} on {host} {problem} ({what}); pick another with {port_option}"
    )


def check_port(host: str, port: int, *, what: str, port_option: str) -> None:
    """Raise a one-line OperatorError now if `what` could not listen on ``host:port``.

    Example: check_port("127.0.0.1", 8001, what="Datasette", port_option="--port")
    """
    if port == 0:
        return
    exc = bind_error(host, port)
    if exc is not None:
        raise port_error(host, port, exc, what=what, port_option=port_option)
