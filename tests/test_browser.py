"""`safehome serve --terminal`: the app drawn in a real browser (Debian's Chromium driven by Playwright).

The server runs as `safehome serve` does, in its own process, on the loopback address; these
tests alone may open sockets, and only to 127.0.0.1. What the browser did is checked through the
store (every answer is saved as it is given) and through screenshots kept in the test's folder.
Without Chromium the browser tests skip with one line, except under CI, where they fail.
"""

from __future__ import annotations

from safehome.storage.store import Store
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from .conftest import REPO
from .served import Served, _raw, _wait_for, needs_browser
import contextlib

pytestmark = [pytest.mark.allow_hosts(["127.0.0.1"]), pytest.mark.slow]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    server = Served(tmp_path, "--terminal")
    yield server
    server.stop()


def test_without_the_token_nothing_is_served(served: Served) -> None:
    token = urlparse(served.url).path.strip("/")
    assert served.status(f"/{token}/") == 200
    for path in ("/", "/index.html", "/x/", "/x/ws", f"/{token[:-1]}/", f"/{token}x/ws", "/download/abc"):
        assert served.status(path) == 403, path
    assert served.status(f"/{token}/static/js/textual.js") == 200
    page = urllib.request.urlopen(served.url, timeout=5)
    cookie = page.headers["Set-Cookie"].split(";")[0]  # the page's download secret
    name, _, secret = cookie.partition("=")
    assert name == f"safehome_token_{served.port}" and secret and secret != token  # a cookie reaches every port
    assert "/download/" in page.headers["Set-Cookie"]
    assert b"https://" not in page.read()  # nothing fetched from another host
    assert served.status("/download/abc", cookie=cookie) == 404  # allowed; the key is checked next
    assert served.status("/download/abc", cookie=f"{name}={token}") == 403  # the token itself opens no download
    assert served.status("/download/abc", cookie=f"safehome_token_1={secret}") == 403  # another server's cookie
    assert served.status(f"/{token}") == 200  # without the last slash: sent on to the page
    assert served.status("/favicon.ico") == 204


def test_a_remote_address_needs_to_be_asked_for(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "safehome", "--data-dir", str(tmp_path / "d"), "serve", "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert out.returncode == 2 and "--allow-remote" in out.stderr and out.stderr.count("\n") == 1


class Tab:
    """A browser tab on the app: keys, clicks on a terminal cell, and every host it asked."""

    def __init__(self, browser, url: str, shots: Path, **options) -> None:
        self.context = browser.new_context(accept_downloads=True, **options)
        self.page = self.context.new_page()
        self.hosts: set[str] = set()
        self.size = (80, 24)
        self.page.on("request", lambda r: self.hosts.add(urlparse(r.url).netloc))
        self.page.on("websocket", self._socket)
        self.shots = shots
        self.open(url)

    def _socket(self, socket) -> None:
        query = dict(part.split("=") for part in urlparse(socket.url).query.split("&") if "=" in part)
        self.size = (int(query.get("width", 80)), int(query.get("height", 24)))

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_selector("body.-first-byte", timeout=30_000)
        self.settle(1.5)
        self.page.focus(".xterm-helper-textarea")  # the keyboard to the terminal (a click would reach the app)

    def settle(self, seconds: float = 0.4) -> None:
        self.page.wait_for_timeout(int(seconds * 1000))

    def keys(self, *keys: str, pause: float = 0.15) -> None:
        for key in keys:
            self.page.keyboard.press(key)
            self.settle(pause)

    def click_cell(self, column: int, row: int) -> None:
        box = self.page.locator(".xterm-screen").bounding_box()
        width, height = box["width"] / self.size[0], box["height"] / self.size[1]
        self.page.mouse.click(box["x"] + (column + 0.5) * width, box["y"] + (row + 0.5) * height)
        self.settle(0.6)

    def shot(self, name: str) -> Path:
        path = self.shots / f"{name}.png"
        self.page.screenshot(path=path)
        return path


@needs_browser
def test_a_whole_self_check_in_the_browser(served: Served, browser, tmp_path: Path) -> None:
    """By mouse and keys: the self-check chosen with a click, a warning sign and its alert, every
    question answered, the PDF received as a download; no request leaves the server's host."""
    tab = Tab(browser, served.url, tmp_path, viewport={"width": 1280, "height": 800})
    tab.shot("1-start")
    tab.click_cell(6, 7)  # "New self-check" in the start list
    tab.page.keyboard.type("Zoe T", delay=40)
    tab.keys("Control+s", pause=1.2)
    tab.shot("2-question")
    # by mouse: "No" clicked in the question's answers (the sidebar takes 40 of the 133 columns,
    # then the border and 2 of padding), then "n No" clicked in the key bar at the bottom
    tab.click_cell(tab.size[0] * 30 // 100 + 3 + len(" ○ [y] Yes    ○ [n] "), 6)
    _wait_for(lambda: served.answers().get("ws_limb_weakness_new") == '"no"')
    tab.click_cell(len("tab Note y Yes n "), tab.size[1] - 1)
    _wait_for(lambda: len(served.answers()) == 2)
    tab.keys("y", pause=1.0)  # a warning sign: the alert opens over the questions
    tab.shot("3-alert")
    _wait_for(lambda: '"yes"' in served.answers().values())
    tab.keys("Enter", pause=0.8)
    for _ in range(120):  # "n" to every other question; Enter when nothing was saved (an alert, the free text)
        before = len(served.answers())
        tab.keys("n", pause=0.3)
        if len(served.answers()) == before:
            tab.keys("Enter", pause=0.5)
        if len(served.answers()) >= 52:
            break
    _wait_for(lambda: len(served.answers()) >= 52)
    tab.keys("r", pause=1.0)
    tab.shot("4-review")
    with tab.page.expect_download(timeout=30_000) as download:
        tab.keys("p", pause=1.0)
    assert download.value.suggested_filename.endswith("-ZT-home-1.pdf")  # the visit's number in its name
    saved = tmp_path / "received.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    assert tab.hosts == {f"127.0.0.1:{served.port}"}, tab.hosts
    answered = served.answers()
    served.kill()  # the server and the tab's app killed: nothing already answered is lost
    assert served.answers() == answered


@needs_browser
def test_a_reload_resumes_where_it_stopped_and_large_zoom_still_works(served: Served, browser, tmp_path) -> None:
    tab = Tab(browser, served.url, tmp_path, viewport={"width": 1280, "height": 800})
    tab.keys("c", pause=1.0)
    tab.page.keyboard.type("RZ", delay=40)
    tab.keys("Control+s", pause=1.2)
    tab.keys("n", "n", "n", pause=0.4)
    _wait_for(lambda: len(served.answers()) == 3)
    first = set(served.answers())
    tab.context.close()
    # the same page again, with text twice as large (what 200% zoom gives the terminal: half the
    # cells; Playwright's device-scale emulation draws xterm's canvas wrongly, so the font is doubled)
    zoomed = Tab(browser, served.url + "?fontsize=32", tmp_path, viewport={"width": 1280, "height": 800})
    zoomed.shot("5-zoom-start")
    assert zoomed.size[0] < 80  # the terminal really is narrower
    zoomed.keys("Enter", pause=1.5)  # the start list highlights the visit to resume
    zoomed.shot("6-zoom-resumed")
    zoomed.keys("n", pause=0.8)
    _wait_for(lambda: len(served.answers()) == 4)
    (fourth,) = set(served.answers()) - first
    from safehome.core import catalog

    order = [item.id for _, item in catalog.find("bone-metastases-self-check").items()]
    assert order[:3] == sorted(first, key=order.index)
    assert fourth == order[3]  # the question after the three answered before the reload


@needs_browser
def test_one_tab_too_many_gets_a_clear_page_and_an_idle_tab_closes_with_its_answers(browser, tmp_path) -> None:
    server = Served(tmp_path, "--terminal", "--max-sessions", "1", "--idle-minutes", "0.05")
    try:
        tab = Tab(browser, server.url, tmp_path, viewport={"width": 1280, "height": 800})
        tab.keys("c", pause=1.0)
        tab.page.keyboard.type("IT", delay=40)
        tab.keys("Control+s", pause=1.2)
        assert server.status(urlparse(server.url).path) == 503  # the one session is in use
        tab.keys("n", pause=0.5)
        _wait_for(lambda: len(server.answers()) == 1)
        tab.page.wait_for_selector("body.-closed", timeout=20_000)  # idle for 3 s: closed
        tab.shot("7-idle-closed")
        assert len(server.answers()) == 1
        _wait_for(lambda: server.status(urlparse(server.url).path) == 200)  # the place is free again
    finally:
        server.stop()


@needs_browser
def test_two_tabs_on_one_visit_do_not_corrupt_the_store(served: Served, browser, tmp_path: Path) -> None:
    """The same visit open in two tabs (two app processes): each answer lands, the store stays whole."""
    first = Tab(browser, served.url, tmp_path, viewport={"width": 1280, "height": 800})
    first.keys("c", pause=1.0)
    first.page.keyboard.type("TT", delay=40)
    first.keys("Control+s", pause=1.2)
    first.keys("n", pause=0.5)
    _wait_for(lambda: len(served.answers()) == 1)
    second = Tab(browser, served.url, tmp_path, viewport={"width": 1280, "height": 800})
    second.keys("Enter", pause=1.5)  # resume the same visit, at its second question
    second.keys("n", "n", pause=0.5)
    first.keys("n", pause=0.5)  # the first tab answers its own next question meanwhile
    _wait_for(lambda: len(served.answers()) >= 3)
    second.shot("8-second-tab")
    db = served.data / "safehome.sqlite3"
    with Store(db) as store:
        conn = store.conn
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM assessments").fetchone() == (1,)
        history = conn.execute("SELECT count(*) FROM answer_history").fetchone()[0]
    assert history >= len(served.answers())  # every answer given is in the history


# ------------------------------------------------------------------ Host and Origin (integrity v3)


def test_another_host_name_or_another_sites_page_is_refused_before_any_app(served: Served) -> None:
    """DNS rebinding: another site's name pointed at this machine gets 421, and a websocket opened by
    another site's page 403, with the right token too; no app process starts for either."""
    token = urlparse(served.url).path.strip("/")
    for host in ("evil.example", "127.0.0.1", f"127.0.0.1:{served.port + 1}", "localhost.evil.example"):
        reply = _raw(served.port, f"GET /{token}/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        assert reply.startswith(b"HTTP/1.1 421"), (host, reply[:60])
    for host in (f"127.0.0.1:{served.port}", f"localhost:{served.port}", f"[::1]:{served.port}"):
        reply = _raw(served.port, f"GET /{token}/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        assert reply.startswith(b"HTTP/1.1 200"), (host, reply[:60])
    upgrade = (
        f"GET /{token}/ws HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n\r\n"
    )
    reply = _raw(served.port, upgrade.replace("{origin}", "http://evil.example").encode())
    assert reply.startswith(b"HTTP/1.1 403"), reply[:60]
    # oversized headers and a client that goes away are one line each on the console, never a traceback
    _raw(served.port, b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20_000 + b"\r\n\r\n")
    with contextlib.suppress(OSError):  # a client that goes away in the middle of its request
        import socket

        half = socket.create_connection(("127.0.0.1", served.port), timeout=5)
        half.sendall(f"GET /{token}/ HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\n".encode())
        half.close()
    served.stop()
    console = (served.process.stdout.read() if served.process.stdout else "") + (
        served.process.stderr.read() if served.process.stderr else ""
    )
    assert "Traceback" not in console and "refused: a request for another host name ('evil.example')" in console
    assert token not in console.replace(served.url, "")  # the token is printed once, in the address


def test_a_name_given_for_a_reverse_proxy_is_answered(tmp_path: Path) -> None:
    served = Served(tmp_path, "--terminal", "--public-host", "safehome.example-clinic.ca")
    try:
        token = urlparse(served.url).path.strip("/")
        for host, code in (("safehome.example-clinic.ca", b"200"), ("other.example-clinic.ca", b"421")):
            reply = _raw(served.port, f"GET /{token}/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            assert reply.startswith(b"HTTP/1.1 " + code), (host, reply[:60])
    finally:
        served.stop()


def test_the_guard_rules_as_plain_functions() -> None:
    from safehome.faces.web.guard import allowed_hosts, host_ok, origin_ok

    loop = allowed_hosts("127.0.0.1", 8000)
    assert host_ok("127.0.0.1:8000", loop) and host_ok("LOCALHOST:8000", loop) and host_ok("[::1]:8000", loop)
    assert not host_ok("127.0.0.1:8001", loop) and not host_ok(None, loop) and not host_ok("evil:8000", loop)
    proxied = allowed_hosts("127.0.0.1", 8000, ["safehome.example-clinic.ca"])
    assert host_ok("safehome.example-clinic.ca", proxied) and host_ok("safehome.example-clinic.ca:8000", proxied)
    everywhere = allowed_hosts("0.0.0.0", 8000, ["10.0.0.5:8000"])
    assert host_ok("10.0.0.5:8000", everywhere) and not host_ok("10.0.0.6:8000", everywhere)
    assert origin_ok(None, "127.0.0.1:8000")  # not a browser's cross-site request
    assert origin_ok("http://127.0.0.1:8000", "127.0.0.1:8000")
    assert origin_ok("https://safehome.example-clinic.ca", "safehome.example-clinic.ca")  # TLS at the proxy
    assert not origin_ok("http://evil.example", "127.0.0.1:8000") and not origin_ok("null", "127.0.0.1:8000")
    # a form of this server's own no-referrer page says Origin: null, and the browser says same-origin
    assert origin_ok("null", "127.0.0.1:8000", "same-origin")
    assert not origin_ok("null", "127.0.0.1:8000", "cross-site") and not origin_ok("null", "127.0.0.1:8000", None)
    assert not origin_ok("file:///x", "127.0.0.1:8000")
