"""``safehome serve``: the patient's self-check as web pages a screen reader, a zoomed screen and a
phone can use: server-rendered HTML over the same service, checklists, words and store as the app.

Why aiohttp and Jinja2: both are installed already (textual-serve, kept for ``serve --terminal``,
brings them), the Host and Origin guard is an aiohttp middleware the two web faces share, and one
asyncio process serves every tab: a visitor is an entry in a dict, not a process.

Who may see what:
- The address printed holds a token (a random one per run for the household; a stable one per
  person with ``--person``, which opens that person's self-checks only). Opening it sets an
  HttpOnly, SameSite=Strict cookie naming a visitor kept in memory; every other page needs it.
- Every POST carries the visitor's CSRF token (a hidden field, or a header from the page's script).
- Host and Origin are checked before anything else (see guard.py); requests are limited in size
  and rate; every page says no-store, no-referrer, nosniff and a CSP with no inline script; the
  pages load this server's own CSS and script and nothing else.
- A visitor left idle is closed after ``idle_seconds`` (the page warns first); every answer was
  saved as it was given, so nothing is lost: the address opens it again.
"""

from __future__ import annotations

import asyncio
import hmac
import secrets
import time
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from safehome import service
from safehome.core.errors import InputError
from safehome.faces.web import pages
from safehome.faces.web.guard import allowed_hosts, guard_middleware, quiet_aiohttp
from safehome.faces.web.visitors import Bucket, Visitor
from safehome.i18n.words import LANGUAGES, speaking, t

HERE = Path(__file__).resolve().parent
COOKIE = "safehome_{port}"  # one per port: two servers in one browser keep their own
MAX_BODY = 64 * 1024  # the largest form: a profile, or a note of 2,000 characters
MAX_VISITORS = 200  # tabs share a visitor; each costs a few kilobytes
CHECK_EVERY = 30.0  # seconds between looks for idle visitors
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Site:
    def __init__(
        self,
        data: str | None,
        *,
        host: str,
        port: int,
        language: str,
        idle_seconds: float = 30 * 60,
        public_hosts: tuple[str, ...] = (),
        people: tuple[int, ...] = (),
        today: Callable[[], date] = date.today,
    ) -> None:
        self.desk = service.Desk(data)
        self.host, self.port = host, port
        self.language = language
        self.idle_seconds = idle_seconds
        self.today = today
        self.token = secrets.token_urlsafe(24)
        self.scopes: dict[str, int | None] = {self.token: None}
        shown = "127.0.0.1" if host == "localhost" else f"[{host}]" if ":" in host else host
        self.base = f"http://{shown}:{port}"
        self.url = f"{self.base}/{self.token}/"
        self.person_urls: list[tuple[int, str]] = []
        for person_id in people:
            token = self.desk.link_token(person_id)
            self.scopes[token] = person_id
            self.person_urls.append((person_id, f"{self.base}/{token}/"))
        self.cookie = COOKIE.format(port=port)
        self.hosts = allowed_hosts(host, port, public_hosts)
        self.visitors: dict[str, Visitor] = {}
        self.strangers: dict[str, Bucket] = {}  # by address: requests without a visitor

    # -- the application

    def app(self) -> web.Application:
        refuse = {"host": "web.other_host", "origin": "web.other_origin"}
        checks = guard_middleware(
            self.hosts,
            lambda request, why, status: self.message(request, t(refuse[why]), status, self.language),
            self.say,
        )
        app = web.Application(middlewares=[checks, self._visitor_guard], client_max_size=MAX_BODY)
        aiohttp_jinja2.setup(
            app,
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )
        pages.install_filters(aiohttp_jinja2.get_env(app), HERE / "static")
        app.add_routes(pages.routes(self))
        app.router.add_static("/static/", HERE / "static")
        app.on_startup.append(self._started)
        app.on_cleanup.append(self._closed)
        return app

    def serve(self) -> None:
        quiet_aiohttp(self.say)
        web.run_app(self.app(), host=self.host, port=self.port, print=None, access_log=None, handle_signals=True)

    async def _started(self, app: web.Application) -> None:
        self.say(t("web.listening", url=self.url))
        for person_id, url in self.person_urls:
            self.say(t("web.person_link", id=person_id, url=url))
        self.say(t("web.stop"))
        app["sweeper"] = asyncio.create_task(self._sweep())

    async def _closed(self, app: web.Application) -> None:
        app["sweeper"].cancel()
        self.desk.close()

    async def _sweep(self) -> None:
        while True:
            await asyncio.sleep(min(CHECK_EVERY, self.idle_seconds / 2))
            now = time.monotonic()
            for key in [k for k, v in self.visitors.items() if now - v.seen >= self.idle_seconds]:
                del self.visitors[key]
            self.strangers.clear()

    def say(self, line: str) -> None:
        print(line, flush=True)

    # -- who is asking

    @web.middleware
    async def _visitor_guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        path = request.path
        if path.startswith("/static/") or path == "/favicon.ico":
            response = await handler(request)
            response.headers["Cache-Control"] = "no-cache"
            return self._secured(response)
        visitor = self.visitor(request)
        bucket = visitor.bucket if visitor is not None else self._stranger_bucket(request)
        if not bucket.take():
            return self.message(request, t("web.slow_down"), 429, visitor.language if visitor else self.language)
        first = path.strip("/") in self.scopes and path.count("/") <= 2
        if visitor is None and not first:
            closed = request.cookies.get(self.cookie) is not None
            return self.message(
                request, t("web.closed" if closed else "web.forbidden"), 401 if closed else 403, self.language
            )
        if request.method == "POST" and (visitor is None or not await self.csrf_ok(request, visitor)):
            return self.message(request, t("web.csrf"), 403, visitor.language if visitor else self.language)
        if visitor is not None:
            visitor.seen = time.monotonic()
        try:
            with speaking(visitor.language if visitor else self.language):
                response = await handler(request)
        except web.HTTPException:
            raise
        except (service.StoreError, InputError) as exc:
            return self.message(request, str(exc), 409, visitor.language if visitor else self.language)
        except Exception as exc:  # one sentence on the page, the details in the fault log
            service.log_fault(exc, self.desk.data)
            return self.message(request, t("web.failed"), 500, visitor.language if visitor else self.language)
        return self._secured(response)

    def _stranger_bucket(self, request: web.Request) -> Bucket:
        address = request.remote or "-"
        if address not in self.strangers and len(self.strangers) > 10_000:
            self.strangers.clear()
        return self.strangers.setdefault(address, Bucket())

    def visitor(self, request: web.Request) -> Visitor | None:
        key = request.cookies.get(self.cookie, "")
        found = self.visitors.get(key) if key else None
        if found is None or time.monotonic() - found.seen >= self.idle_seconds:
            if found is not None:
                del self.visitors[key]
            return None
        return found

    def welcome(self, request: web.Request, scope: int | None) -> Visitor:
        """The visitor opening a printed address: the one this browser is already, else a new one."""
        known = self.visitor(request)
        if known is not None and known.scope == scope:
            return known
        if len(self.visitors) >= MAX_VISITORS:  # the one idle longest makes room (its answers are saved)
            del self.visitors[min(self.visitors.values(), key=lambda v: v.seen).key]
        visitor = Visitor(secrets.token_urlsafe(24), secrets.token_urlsafe(24), scope, self.language)
        self.visitors[visitor.key] = visitor
        return visitor

    def set_cookie(self, request: web.Request, response: web.StreamResponse, visitor: Visitor) -> None:
        secure = request.headers.get("X-Forwarded-Proto", request.scheme).split(",")[0].strip() == "https"
        response.set_cookie(self.cookie, visitor.key, httponly=True, samesite="Strict", path="/", secure=secure)

    async def csrf_ok(self, request: web.Request, visitor: Visitor) -> bool:
        """The visitor's CSRF token, from the page's script (a header) or its form (a field)."""
        given = request.headers.get("X-CSRF-Token")
        if given is None:
            given = str((await request.post()).get("csrf", ""))
        return bool(given) and hmac.compare_digest(given.encode(), visitor.csrf.encode())

    # -- what every page carries

    def _secured(self, response: web.StreamResponse) -> web.StreamResponse:
        headers = response.headers
        headers.setdefault("Cache-Control", "no-store")
        headers["Content-Security-Policy"] = CSP
        headers["Referrer-Policy"] = "no-referrer"
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Cross-Origin-Resource-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        return response

    def message(self, request: web.Request, text: str, status: int, language: str) -> web.Response:
        with speaking(language if language in LANGUAGES else self.language):
            response = aiohttp_jinja2.render_template(
                "message.html", request, pages.message_context(text, language), status=status
            )
        self._secured(response)
        return response


__all__ = ["Site", "Visitor"]
