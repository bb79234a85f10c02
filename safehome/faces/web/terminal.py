"""safehome in a web browser: the same Textual app, one process per browser tab (textual-serve).

For a household or one clinician's laptop. The server listens on the loopback address unless
told otherwise, and everything it serves lives under a random token in the URL it prints:
without it the page, the websocket and the downloads are refused (403) and no app starts. The
page loads only this server's own files (the terminal font too). A plan written in the app is
also delivered to the browser as a download. At most ``max_sessions`` tabs run at once; a tab
left idle closes after ``idle_seconds``, every answer already saved. TLS and user accounts
belong to a reverse proxy in front of it (see the README).
"""

from __future__ import annotations

import asyncio
import hmac
import secrets
import shlex
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from safehome.faces.web.guard import allowed_hosts, guard_middleware, is_loopback, quiet_aiohttp
from safehome.i18n.words import current_language, t

__all__ = ["SafehomeServer", "app_command", "is_loopback"]

PAGE = Path(__file__).resolve().parent / "terminal_page"
COOKIE = "safehome_token_{port}"  # one per port: two servers in one browser keep their own
FONT_SIZES = (10, 48)  # ?fontsize= for larger text, within what a terminal page can show
CHECK_EVERY = 5.0  # seconds between looks for idle tabs


def app_command(data_dir: str | None, language: str, passphrase_file: str | None = None) -> str:
    """The command each tab runs: this Python, this safehome, the same data folder, language and
    passphrase file (a tab has no terminal to be asked in)."""
    argv = [sys.executable, "-m", "safehome", "--lang", language]
    if data_dir:
        argv += ["--data-dir", str(Path(data_dir).resolve())]
    if passphrase_file:
        argv += ["--passphrase-file", str(Path(passphrase_file).resolve())]
    return shlex.join(argv)


class SafehomeServer(Server):
    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        token: str | None = None,
        max_sessions: int = 4,
        idle_seconds: float = 30 * 60,
        public_hosts: tuple[str, ...] = (),
    ) -> None:
        super().__init__(command, host=host, port=port, title="safehome", templates_path=PAGE)
        self.token = token or secrets.token_urlsafe(24)
        self.max_sessions = max_sessions
        self.idle_seconds = idle_seconds
        self.sessions = 0
        self.language = current_language()
        shown = "127.0.0.1" if host == "localhost" else f"[{host}]" if ":" in host else host  # IPv6 in brackets
        self.url = f"http://{shown}:{port}/{self.token}/"
        self.cookie = COOKIE.format(port=port)
        # downloads are allowed by a secret of their own: a cookie reaches every port of the host,
        # so it must not be the token that opens the app
        self.download_secret = secrets.token_urlsafe(24)
        # the names this server answers to: anything else is DNS rebinding, refused before the token
        self.hosts = allowed_hosts(host, port, public_hosts)

    # -- what is served, and to whom

    async def _make_app(self) -> web.Application:
        refuse = {"host": t("web.other_host"), "origin": t("web.other_origin")}
        checks = guard_middleware(
            self.hosts, lambda request, why, status: self._message(request, refuse[why], status), self._say
        )
        app = web.Application(middlewares=[checks, self._guard])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path), autoescape=True)
        prefix = f"/{self.token}"
        app.add_routes(
            [
                web.get(prefix + "/", self.handle_index, name="index"),
                web.get(prefix + "/ws", self.handle_websocket, name="websocket"),
                web.static(prefix + "/static", self.statics_path, name="static"),
                # the page's script asks for /download/KEY at the root: the token comes as a cookie
                web.get("/download/{key}", self.handle_download, name="download"),
                web.get("/favicon.ico", self.handle_favicon),
            ]
        )
        app.on_startup.append(self.on_startup)
        return app

    def _allowed(self, request: web.Request) -> bool:
        if request.path == "/favicon.ico":  # asked by every browser, says nothing
            return True
        if request.path.startswith("/download/"):
            given = request.cookies.get(self.cookie, "")
            return hmac.compare_digest(given.encode(), self.download_secret.encode())
        given = request.path.split("/")[1] if request.path.count("/") >= 2 else ""
        return hmac.compare_digest(given.encode(), self.token.encode())

    @web.middleware
    async def _guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if request.path == f"/{self.token}":  # the address typed without its last slash
            raise web.HTTPFound(f"/{self.token}/")
        if not self._allowed(request):
            return self._message(request, t("web.forbidden"), status=403)
        response: web.StreamResponse = await handler(request)
        return response

    def _message(self, request: web.Request, message: str, status: int) -> web.Response:
        response = aiohttp_jinja2.render_template(
            "message.html", request, {"lang": self.language, "message": message}, status=status
        )
        response.headers["Cache-Control"] = "no-store"
        return response

    async def handle_index(self, request: web.Request) -> web.Response:
        if self.sessions >= self.max_sessions:
            return self._message(request, t("web.full", count=self.max_sessions), status=503)
        # behind a reverse proxy with TLS the page is https: its files are asked for by path (same
        # origin), and the websocket follows the scheme the proxy says the browser used
        scheme = request.headers.get("X-Forwarded-Proto", request.scheme).split(",")[0].strip()
        socket = f"{'wss' if scheme == 'https' else 'ws'}://{request.host}/{self.token}/ws"
        context = {
            "lang": self.language,
            "font_size": min(max(to_int(request.query.get("fontsize", "16"), 16), FONT_SIZES[0]), FONT_SIZES[1]),
            "app_websocket_url": socket,
            "config": {"static": {"url": f"/{self.token}/static/"}},
            "application": {"name": self.title},
            "ping_url": "",
            "words": {"start": t("web.start"), "ended": t("web.ended"), "restart": t("web.restart")},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.set_cookie(self.cookie, self.download_secret, httponly=True, samesite="Strict", path="/download/")
        response.headers["Cache-Control"] = "no-store"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "font-src 'self'; img-src 'self' data:; connect-src 'self'"
        )
        return response

    # -- one app process per tab, at most max_sessions, closed when idle

    async def handle_favicon(self, request: web.Request) -> web.Response:
        return web.Response(status=204)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if self.sessions >= self.max_sessions:  # several tabs opened at once: say why in the tab itself
            websocket = web.WebSocketResponse()
            await websocket.prepare(request)
            await websocket.send_bytes(("\r\n  " + t("web.full", count=self.max_sessions) + "\r\n").encode("utf-8"))
            await websocket.close()
            return websocket
        self.sessions += 1
        try:
            return await self._session(request)
        finally:
            self.sessions -= 1

    async def _session(self, request: web.Request) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        await websocket.prepare(request)

        async def close() -> None:
            await websocket.close()

        service = AppService(
            self.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        last = [time.monotonic()]
        watchdog = asyncio.create_task(self._close_when_idle(websocket, service, last))
        try:
            await service.start(width, height)
            await self._relay(websocket, service, last)
        except asyncio.CancelledError:
            await websocket.close()
        finally:
            watchdog.cancel()
            await service.stop()  # the app quits; every answer was saved as it was given
        return websocket

    async def _relay(self, websocket: web.WebSocketResponse, service: AppService, last: list[float]) -> None:
        async for message in websocket:
            if message.type != web.WSMsgType.TEXT:
                continue
            envelope = message.json()
            if not isinstance(envelope, list) or not envelope:
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                last[0] = time.monotonic()
                await service.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                await service.set_terminal_size(to_int(str(data.get("width")), 80), to_int(str(data.get("height")), 24))
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()

    async def _close_when_idle(self, websocket: web.WebSocketResponse, service: AppService, last: list[float]) -> None:
        while True:
            await asyncio.sleep(min(CHECK_EVERY, self.idle_seconds))
            if time.monotonic() - last[0] >= self.idle_seconds:
                await service.stop()
                await websocket.close()
                return

    async def on_startup(self, app: web.Application) -> None:
        self.console.print(t("web.listening", url=self.url), highlight=False, soft_wrap=True)
        self.console.print(t("web.stop"), highlight=False)

    def _say(self, line: str) -> None:
        self.console.print(line, highlight=False, markup=False, soft_wrap=True)

    def initialize_logging(self) -> None:
        """Quiet: the token is in every request's path, and the log is not the place for it; what
        aiohttp complains of (a header too large, a client gone) is one line, never a traceback."""
        quiet_aiohttp(self._say)
