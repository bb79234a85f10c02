"""The web self-check (`safehome serve`): an answer saved and the next page served, and what a
visitor costs, each against a floor run here: a bare aiohttp page of the same size."""

from __future__ import annotations

import http.client
import re
import signal
import socket
import statistics
import subprocess
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

from bench.common import PY, ROOT, serve

FLOOR_APP = """
import sys
from aiohttp import web
page = "x" * int(sys.argv[2])
async def handle(request):
    return web.Response(text=page, content_type="text/html")
app = web.Application()
app.add_routes([web.get("/", handle)])
print("ready", flush=True)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class Visitor:
    """One browser as the server sees it: the cookie from the printed address, and its CSRF token."""

    def __init__(self, port: int, url: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.conn.request("GET", urlparse(url).path)
        reply = self.conn.getresponse()
        body = reply.read().decode()
        self.cookie = (reply.getheader("Set-Cookie") or "").split(";")[0]
        self.location = ""
        self.csrf = re.search(r'name="csrf" content="([^"]+)"', body).group(1)  # type: ignore[union-attr]

    def get(self, path: str) -> str:
        self.conn.request("GET", path, headers={"Cookie": self.cookie})
        reply = self.conn.getresponse()
        return reply.read().decode()

    def post(self, path: str, fields: dict[str, str]) -> tuple[int, str]:
        headers = {
            "Cookie": self.cookie,
            "X-CSRF-Token": self.csrf,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        self.conn.request("POST", path, body=urlencode(fields), headers=headers)
        reply = self.conn.getresponse()
        self.location = reply.getheader("Location") or ""
        return reply.status, reply.read().decode()

    def start_check(self, name: str) -> int:
        """A new self-check begun; its id, from the address the server sends the visitor on to."""
        status, _ = self.post("/new", {"name": name, "age": "72", "cancer_team_phone": "613-555-0142"})
        assert status == 303, status
        return int(self.location.split("/")[2])


def bench_web(tmp: Path, rounds: int = 300, tabs: int = 20) -> tuple[float, float, float, float, int]:
    """(answer saved + next page served, p95; the bare page p95; memory per visitor in MiB with
    ``tabs`` visitors each in a check; the server's memory before them in MiB; the page's size)."""
    port = _free_port()
    server, url = serve(tmp / "web-data", "--port", str(port))
    try:
        first = Visitor(port, url)
        check = first.start_check("Bench")
        page = first.get(f"/check/{check}/2")
        items = re.findall(r'data-item="([^"]+)"', first.get(f"/check/{check}/3"))
        for _ in range(20):  # warm: the templates compiled, the checklist read
            first.post(f"/check/{check}/answer", {"item": items[0], "value": "no", "page": "3"})
            first.get(f"/check/{check}/4")
        pairs = []
        for n in range(rounds):
            start = time.perf_counter()
            status, _ = first.post(
                f"/check/{check}/answer",
                {"item": items[n % len(items)], "value": "yes" if n % 2 else "no", "page": "3"},
            )
            first.get(f"/check/{check}/4")
            pairs.append(time.perf_counter() - start)
            assert status == 200, status
            time.sleep(max(0.0, 0.05 - pairs[-1]))  # under the server's rate limit (50 requests a second)
        before = _rss_kib(server.pid)
        visitors = [Visitor(port, url) for _ in range(tabs)]
        for n, visitor in enumerate(visitors):
            opened = visitor.start_check(f"Tab {n}")
            visitor.get(f"/check/{opened}/1")
            visitor.post(f"/check/{opened}/answer", {"item": items[0], "value": "no", "page": "3"})
        after = _rss_kib(server.pid)
        per_tab = max(0, after - before) / tabs / 1024
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(10)
    floor = _bare_page(len(page.encode()), rounds)
    ours = statistics.quantiles(pairs, n=20)[18]
    return ours, floor, per_tab, before / 1024, len(page.encode())


def _bare_page(size: int, rounds: int) -> float:
    port = _free_port()
    bare = subprocess.Popen([PY, "-c", FLOOR_APP, str(port), str(size)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        bare.stdout.readline() if bare.stdout else None
        time.sleep(0.3)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        times = []
        for n in range(rounds + 20):
            start = time.perf_counter()
            conn.request("GET", "/")
            conn.getresponse().read()
            if n >= 20:
                times.append(time.perf_counter() - start)
    finally:
        bare.send_signal(signal.SIGTERM)
        bare.wait(10)
    return statistics.quantiles(times, n=20)[18]
