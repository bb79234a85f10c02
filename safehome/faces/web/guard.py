"""What every request to a safehome web server must pass before the token is even looked at.

- **Host**: the Host header must name an address the server answers to (the one it listens on,
  loopback names when it listens on loopback, and the public names given with ``--public-host``
  for a reverse proxy). A page reached by another name is a DNS-rebinding attack: another site's
  name made to point at this machine, whose scripts would then talk to it as "same origin".
  Answered 421 (Misdirected Request), with no app started.
- **Origin**: a browser says which page opened a websocket or sent a form; it must be a page of
  this server (the scheme aside: a TLS proxy in front changes it). Answered 403.

Plain functions of strings, and one aiohttp middleware that applies them: the web face of today
(textual-serve's page) and the server-rendered one that replaces it use them unchanged.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
UNSPECIFIED = ("0.0.0.0", "::", "")  # listening on every address: the names must be given


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def allowed_hosts(listen_host: str, port: int, public_hosts: Iterable[str] = ()) -> frozenset[str]:
    """Every Host header value this server answers to, lower-case, with and without the port
    where a browser may leave it out (a public name behind a proxy on 443 or 80)."""
    names: set[str] = set()
    if is_loopback(listen_host) or listen_host in UNSPECIFIED:
        names.update(f"{name}:{port}" for name in LOOPBACK_NAMES)
        if port == 80:  # a browser leaves the default port out
            names.update(LOOPBACK_NAMES)
    if listen_host not in UNSPECIFIED:
        names.add(f"{_bracketed(listen_host).lower()}:{port}")
    for public in public_hosts:
        public = public.strip().lower()
        if public:
            names.add(public)
            names.add(public if _has_port(public) else f"{public}:{port}")
    return frozenset(names)


def _has_port(host: str) -> bool:
    return host.rsplit("]", 1)[-1].count(":") == 1 if host.startswith("[") else host.count(":") == 1


def host_ok(header: str | None, allowed: frozenset[str]) -> bool:
    """Whether a request's Host header names this server."""
    return header is not None and header.strip().lower() in allowed


def origin_ok(origin: str | None, host_header: str | None, fetch_site: str | None = None) -> bool:
    """Whether the page that sent a request is one of this server's (no Origin: not a browser's
    cross-site request, and the token is still needed). A page served with no-referrer sends its
    forms with ``Origin: null``: that is this server's own page only when the browser says so in
    ``Sec-Fetch-Site`` (a header no page can set)."""
    if origin is None:
        return True
    if origin == "null":
        return fetch_site == "same-origin"
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and host_header is not None and parts.netloc.lower() == host_header.lower()


def guard_middleware(
    allowed: frozenset[str],
    refuse: Callable[[web.Request, str, int], web.StreamResponse],
    say: Callable[[str], None],
) -> Middleware:
    """An aiohttp middleware: a request whose Host is not this server's is answered 421, and one
    whose Origin is another site's 403; ``say`` gets one line for each (never a traceback)."""

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        host = request.headers.get("Host")
        if not host_ok(host, allowed):
            say(f"refused: a request for another host name ({(host or '-')[:80]!r})")
            return refuse(request, "host", 421)
        if not origin_ok(request.headers.get("Origin"), host, request.headers.get("Sec-Fetch-Site")):
            say(f"refused: a request from another site's page ({request.headers.get('Origin', '')[:80]!r})")
            return refuse(request, "origin", 403)
        return await handler(request)

    return guard


class OneLine(logging.Handler):
    """aiohttp's own complaints (a header too large, a client gone mid-request) as one line on the
    console, never a traceback: the console of a server a family leaves running is not a debugger."""

    def __init__(self, say: Callable[[str], None]) -> None:
        super().__init__(logging.WARNING)
        self.say = say

    def emit(self, record: logging.LogRecord) -> None:
        problem = record.exc_info[1] if record.exc_info else None
        text = record.getMessage().splitlines()[0] if record.getMessage() else ""
        if problem is not None:
            text = f"{text} ({type(problem).__name__}: {str(problem).splitlines()[0] if str(problem) else ''})"
        self.say(text[:200])


def quiet_aiohttp(say: Callable[[str], None]) -> None:
    """Route aiohttp's loggers to one line each, and keep the access log (which holds the token) off."""
    handler = OneLine(say)
    for name in ("aiohttp.server", "aiohttp.web", "aiohttp.websocket", "aiohttp.internal"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.propagate = False
        logger.setLevel(logging.WARNING)
    access = logging.getLogger("aiohttp.access")
    access.handlers[:] = []
    access.propagate = False
    access.disabled = True
