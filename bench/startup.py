"""Cold processes and the first screen: the app, --help, score, memory, a key, the browser."""

from __future__ import annotations

import json
import statistics
import subprocess
import time
from pathlib import Path

from bench.common import serve, PY, ROOT, child_env, timed


# "First screen" = the start screen mounted and drawn: pilot.pause(0) waits for the screen to
# process its pending events. A bare pilot.pause() waits for the whole process to go idle,
# which would count the checklists loading in the background after the screen is up (by design).
START_OURS = """
import asyncio, sys
from datetime import date
from safehome.faces.tui.app import SafehomeApp
async def main():
    app = SafehomeApp(today=date(2026, 11, 27))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0)
        assert app.screen.__class__.__name__ == "StartScreen"
asyncio.run(main())
"""

START_FLOOR = """
import asyncio
from textual.app import App
from textual.widgets import Footer, Header, Label
class Minimal(App):
    def compose(self):
        yield Header(); yield Label("hello"); yield Footer()
async def main():
    app = Minimal()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0)
asyncio.run(main())
"""


def bench_start(tmp: Path, runs: int) -> tuple[float, float]:
    env = child_env(tmp / "start-data")
    ours, floor = [], []
    for _ in range(runs):  # alternate, so both see the same machine load
        ours.append(timed([PY, "-c", START_OURS], env))
        floor.append(timed([PY, "-c", START_FLOOR], env))
    return statistics.median(ours), statistics.median(floor)


def bench_help(runs: int) -> tuple[float, float]:
    ours, floor = [], []
    for _ in range(runs):
        ours.append(timed([PY, "-m", "safehome", "--help"]))
        floor.append(timed([PY, "-c", "pass"]))
    return statistics.median(ours), statistics.median(floor)


def bench_help_french(runs: int) -> tuple[float, float]:
    """`safehome --help` in French (the catalogue read, every text looked up) against English."""
    ours, floor = [], []
    for _ in range(runs):
        ours.append(timed([PY, "-m", "safehome", "--lang", "fr-CA", "--help"]))
        floor.append(timed([PY, "-m", "safehome", "--lang", "en-CA", "--help"]))
    return statistics.median(ours), statistics.median(floor)


def bench_score_cold(tmp: Path, runs: int) -> tuple[float, float]:
    """A cold `safehome score FILE` against a process that only imports pydantic and PyYAML."""
    answers = tmp / "cold-answers.json"
    env = child_env(tmp / "cold-data")
    subprocess.run(
        [PY, "-m", "safehome", "example", "-o", str(answers)], check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL
    )
    floor_code = "from pydantic import BaseModel; import yaml"
    ours, floor = [], []
    for _ in range(runs):
        ours.append(timed([PY, "-m", "safehome", "score", str(answers)], env))
        floor.append(timed([PY, "-c", floor_code], env))
    return statistics.median(ours), statistics.median(floor)


VISIT = """
import asyncio, resource
from datetime import date
from pathlib import Path
import tempfile
from safehome.faces.tui.app import SafehomeApp
async def main():
    tmp = Path(tempfile.mkdtemp())
    app = SafehomeApp(data_dir=tmp / "data", today=date(2026, 11, 27), reports_dir=tmp / "reports")
    async with app.run_test(size=(120, 40)) as pilot:
        for key in ["v", "A", "B", "ctrl+s"]:
            await pilot.press(key)
        await pilot.pause()
        numbers = {"pn_score": "3", "ft_tug": "13", "ft_chair_stand": "9", "ft_balance": "2", "cs_mirels": "a", "cs_sins": "8"}
        for step in list(app.screen.session.steps):
            if step.item.id in numbers:
                await pilot.press(*numbers[step.item.id], "enter")
            elif step.item.answer.kind == "text":
                await pilot.press("o", "k", "enter")
            else:
                await pilot.press("n")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
asyncio.run(main())
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

VISIT_FLOOR = START_FLOOR + "\nimport resource\nprint(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"


def bench_memory(tmp: Path) -> tuple[float, float]:
    env = child_env(tmp / "mem-data")

    def run(code: str) -> int:
        return int(
            subprocess.run(
                [PY, "-c", code], check=True, capture_output=True, text=True, env=env, cwd=ROOT
            ).stdout.split()[-1]
        )

    return run(VISIT) / 1024, run(VISIT_FLOOR) / 1024


KEY_LATENCY = """
import asyncio, json, statistics, tempfile, time
from datetime import date
from pathlib import Path
from textual.app import App
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Label, ListItem, ListView, ProgressBar, Static
from safehome.faces.tui.app import SafehomeApp

class Bare(App):
    # the same widgets as the question screen (sidebar, question, footer), no safehome logic
    BINDINGS = [Binding("y", "answer", "Yes"), Binding("n", "answer", "No"), Binding("pageup", "top", "Top")]
    n = 0
    def compose(self):
        yield Header()
        with Horizontal():
            yield ListView(*[ListItem(Label(f"0/5 Section {i}")) for i in range(14)], id="sections")
            with Vertical():
                for name in ("title", "counter", "prompt", "choices", "why", "status"):
                    yield Static(name, id=name)
        yield ProgressBar(total=87)
        yield Footer()
    def action_answer(self):
        self.n += 1
        for name in ("counter", "prompt", "choices", "why", "status"):
            self.query_one("#" + name, Static).update(f"{name} {self.n}")
        self.query_one(ListView).index = self.n % 14
        self.query_one(ProgressBar).update(progress=self.n % 87)
    def action_top(self):
        self.n = 0

async def measure(app, keys_for, rounds):
    times = []
    async with app.run_test(size=(120, 40)) as pilot:
        await keys_for(pilot, None)
        for _ in range(rounds):
            for key in await keys_for(pilot, "keys"):
                start = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                times.append(time.perf_counter() - start)
            await pilot.press("pageup", "pageup")
            await pilot.pause()
    return times

async def safehome_keys(pilot, what):
    app = pilot.app
    if what is None:
        for key in ["v", "A", "B", "ctrl+s"]:
            await pilot.press(key)
        await pilot.pause()
        return []
    steps = app.screen.session.steps
    return ["y" if s.item.answer.neutral() == "yes" else "n" for s in steps[:26]]

async def bare_keys(pilot, what):
    return [] if what is None else ["n"] * 26

async def main():
    ours, floor = [], []
    for _ in range(3):  # alternate: both see the same machine load
        tmp = Path(tempfile.mkdtemp())
        ours += await measure(SafehomeApp(data_dir=tmp, today=date(2026, 11, 27), reports_dir=tmp), safehome_keys, 2)
        floor += await measure(Bare(), bare_keys, 2)
    print(json.dumps([statistics.median(ours), statistics.median(floor)]))
asyncio.run(main())
"""


def bench_key_latency(tmp: Path) -> tuple[float, float]:
    env = child_env(tmp / "key-data")
    out = subprocess.run([PY, "-c", KEY_LATENCY], check=True, capture_output=True, text=True, env=env, cwd=ROOT)
    ours, floor = json.loads(out.stdout.strip().splitlines()[-1])
    return ours, floor


def bench_browser(tmp: Path, runs: int = 5, keys: int = 30) -> tuple[float, float, float, float] | None:
    """In Debian's Chromium through `safehome serve --terminal`: page load to the first screen, and answer key
    to the next screen update (the first websocket frame after the key). The terminal figures are
    the same app started headless (bench_start's ours) and its key-to-screen (bench_key_latency),
    run here in the same command. None when Chromium is not installed."""
    import shutil
    import signal

    chromium = shutil.which("chromium")
    if chromium is None:
        return None
    from playwright.sync_api import sync_playwright

    server, url = serve(tmp / "browser-data", "--terminal", "--port", "18765", "--max-sessions", "8")
    try:
        loads, latencies = [], []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            for _ in range(runs):
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                start = time.perf_counter()
                page.goto(url)
                page.wait_for_selector("body.-first-byte", timeout=30_000)
                loads.append(time.perf_counter() - start)
                page.close()
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            frames: list[float] = []
            page.on("websocket", lambda ws: ws.on("framereceived", lambda _: frames.append(time.perf_counter())))
            page.goto(url)
            page.wait_for_selector("body.-first-byte", timeout=30_000)
            page.wait_for_timeout(1500)
            page.focus(".xterm-helper-textarea")
            page.keyboard.press("c")
            page.wait_for_timeout(1500)
            page.keyboard.type("BK")
            page.keyboard.press("Control+s")
            page.wait_for_timeout(1500)
            for _ in range(keys):
                frames.clear()
                pressed = time.perf_counter()
                page.keyboard.press("n")
                page.wait_for_timeout(400)
                after = [f for f in frames if f >= pressed]
                if after:
                    latencies.append(after[0] - pressed)
                page.keyboard.press("Enter") if not after else None
            browser.close()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(10)
    terminal_first, _ = bench_start(tmp, runs)
    terminal_key, _ = bench_key_latency(tmp)
    return statistics.median(loads), terminal_first, statistics.median(latencies), terminal_key
