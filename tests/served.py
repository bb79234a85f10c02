"""A safehome web server in its own process, and Debian's Chromium to drive it (Playwright).

The server runs as `safehome serve` does, on the loopback address. Without Chromium the browser
tests skip with one line, except under CI, where they fail.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import shutil
import signal
from safehome.storage.store import Store
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_browser = pytest.mark.skipif(
    CHROMIUM is None and os.environ.get("CI") != "true",
    reason="Debian's chromium is not installed here (apt-get install chromium); the browser tests are skipped",
)


class Served:
    def __init__(self, tmp_path: Path, *options: str) -> None:
        self.data = tmp_path / "data"
        self.reports = tmp_path / "reports"
        env = {**os.environ, "SAFEHOME_DATA_DIR": str(self.data), "LANG": "C.UTF-8"}
        env.pop("SAFEHOME_LANG", None)
        for _ in range(5):  # a random port; another one if it is taken
            self.port = random.randint(20000, 60000)
            self.process = subprocess.Popen(
                [sys.executable, "-m", "safehome", "serve", "--port", str(self.port), *options],
                cwd=tmp_path,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                start_new_session=True,  # the server and the app of each tab: one group to stop
            )
            line = self.process.stdout.readline() if self.process.stdout else ""
            found = re.search(r"http://\S+", line)
            if found:
                self.url = found.group(0)
                self.lines = [line] + [self.process.stdout.readline() for _ in range(options.count("--person"))]
                self._wait_until_listening()
                return
            self.process.wait(5)
        raise AssertionError(f"the server did not start: {self.process.stderr.read() if self.process.stderr else ''}")

    def _wait_until_listening(self) -> None:
        for _ in range(100):
            try:
                urllib.request.urlopen(self.url, timeout=2).read()
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        raise AssertionError("the server is not listening")

    def status(self, path: str, cookie: str | None = None) -> int:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}")
        if cookie:
            request.add_header("Cookie", cookie)
        try:
            return urllib.request.urlopen(request, timeout=5).status
        except urllib.error.HTTPError as error:
            return error.code

    def answers(self, assessment_id: int = 1) -> dict[str, str | None]:
        db = self.data / "safehome.sqlite3"
        with Store(db) as store:
            rows = store.conn.execute(
                "SELECT item_id, value_json FROM answers WHERE assessment_id = ?", (assessment_id,)
            )
            return dict(rows.fetchall())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.kill()  # any app process of a tab still running

    def kill(self) -> None:
        """The server and every tab's app at once, as a power cut would."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)


def _wait_for(condition, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    assert condition()


def _raw(port: int, request: bytes) -> bytes:
    import socket

    chunks = []
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(request)
        with contextlib.suppress(TimeoutError, ConnectionError):
            while chunk := s.recv(65536):
                chunks.append(chunk)
    return b"".join(chunks)
