"""Faults and privacy: the real app killed mid-visit, crashes logged not shown, no network."""

from __future__ import annotations

import importlib
import os
import pkgutil
import pty
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import safehome
from safehome.storage.store import Store

from .conftest import REPO
from .test_tui import make_app


class Terminal:
    """The real program in a pseudo-terminal, its screen output drained in the background."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        os.set_blocking(self.master, True)
        import fcntl
        import struct
        import termios

        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=REPO, start_new_session=True
        )
        os.close(slave)
        self.output = bytearray()
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output.extend(chunk)

    def wait_for(self, text: str, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if text.encode() in self.output:
                return
            time.sleep(0.05)
        raise AssertionError(f"never saw {text!r}")

    def send(self, keys: str, pause: float = 0.2) -> None:
        for key in keys:
            os.write(self.master, key.encode())
            time.sleep(pause)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        os.close(self.master)


def _env(data: Path) -> dict[str, str]:
    """The app's environment, its store set up already (the first start shows the recovery key)."""
    Store(data / "safehome.sqlite3").close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(SAFEHOME_DATA_DIR=str(data), TERM="xterm-256color", COLUMNS="100", LINES="30")
    return env


# The safe answer to each of the first questions of the self-check: "no" to the warning signs,
# "yes" to "Does your pain medicine control your pain?" (the 11th), then "no" to the falls questions.
SAFE_KEYS = ["n"] * 21  # 3.0: every warning sign and falls question is safe with "no"


@pytest.mark.slow
@pytest.mark.parametrize("answered", [1, 6, 15])
async def test_app_killed_mid_visit_resumes_with_every_answer_and_note(tmp_path, answered: int) -> None:
    data = tmp_path / "data"
    term = Terminal([sys.executable, "-m", "safehome"], _env(data))
    try:
        term.wait_for("New self-check")
        term.send("c")
        term.wait_for("About you")
        term.send("ZT")
        term.send("\x13")  # ctrl+s
        term.wait_for("Question 1 of 57")
        for n in range(answered):
            if n % 5 == 0:
                term.send("\t")
                term.send(f"note {n}", pause=0.05)
                term.send("\r")
            term.send(SAFE_KEYS[n])
        term.wait_for(f"Question {answered + 1} of 57")
        time.sleep(0.3)
    finally:
        term.kill()
    with Store(data / "safehome.sqlite3") as store:
        assert store.integrity() == "ok"
        stored = store.load(1)
    answers = stored.assessment.answers
    assert sum(1 for a in answers.values() if a.value in ("yes", "no")) == answered
    notes = sorted(a.note for a in answers.values() if a.note)
    assert notes == sorted(f"note {n}" for n in range(0, answered, 5))
    # on restart the app offers to resume, with the answers counted
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.wait_for_checklists()  # the background load, then the list refreshes
        await pilot.pause()
        menu = app.screen.query_one("#start-list")
        prompt = str(menu.get_option_at_index(menu.highlighted).prompt)
        assert prompt.startswith("Resume  ZT") and f"{answered} of 57 answered" in prompt
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.session.index == answered


@pytest.mark.slow
def test_a_crash_in_the_app_is_logged_not_shown(tmp_path) -> None:
    data = tmp_path / "data"
    code = (
        "from safehome.faces.tui.screens import start\n"
        "def boom(self):\n    raise RuntimeError('secret internals')\n"
        "start.StartScreen.refresh_list = boom\n"
        "from safehome.faces.cli import main\nraise SystemExit(main([]))\n"
    )
    term = Terminal([sys.executable, "-c", code], _env(data))
    try:
        term.proc.wait(timeout=30)
        time.sleep(0.3)
    finally:
        if term.proc.poll() is None:
            term.kill()
    shown = term.output.decode(errors="replace")
    assert "safehome hit an unexpected problem" in shown
    assert "secret internals" not in shown and "Traceback" not in shown
    log = data / "safehome-errors.log"
    logged = log.read_text()
    assert "RuntimeError" in logged and "in boom" in logged and "secret internals" not in logged
    assert os.stat(log).st_mode & 0o777 == 0o600


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_the_suite_runs_with_sockets_disabled() -> None:
    from pytest_socket import SocketBlockedError

    with pytest.raises(SocketBlockedError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)


def test_every_module_imports_and_the_main_commands_run_without_network(tmp_path, capsys, monkeypatch) -> None:
    from freezegun import freeze_time

    from safehome.faces.cli import main

    names = [m.name for m in pkgutil.walk_packages(safehome.__path__, "safehome.")]
    assert "safehome.faces.tui.app" in names and "safehome.reports.layout" in names
    for name in names:
        if name != "safehome.__main__":
            importlib.import_module(name)
    monkeypatch.chdir(tmp_path)
    with freeze_time("2026-11-27"):
        for argv in (
            ["checklist", "list"],
            ["example", "-o", "a.json"],
            ["score", "a.json"],
            ["report", "a.json"],
            ["report", "a.json", "--audience", "clinician"],
            ["import", "a.json"],
            ["list"],
            ["compare", "1", "a.json"],
            ["export", "1", "-o", "b.json"],
        ):
            assert main(argv) == 0, argv
    capsys.readouterr()
    from safehome import service

    reports = service.reports_folder()  # the data folder's, never the one the commands ran in
    assert not (tmp_path / "reports").exists()
    assert os.stat(reports).st_mode & 0o777 == 0o700
    for pdf in reports.iterdir():
        assert os.stat(pdf).st_mode & 0o777 == 0o600
    assert os.stat(tmp_path / "b.json").st_mode & 0o777 == 0o600
    assert main(["delete", "--person", "Zoë Tremblay", "--yes"]) == 0
    assert not (tmp_path / "b.json").exists()  # the export of a deleted person goes with them
