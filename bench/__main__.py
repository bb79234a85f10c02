"""safehome benchmarks: every figure is measured against a floor run in the same command.

Run with ``make bench`` (or ``python -m bench [--quick]``). Data sets are generated here,
seeded, in a temporary folder. Prints one table: figure, ours, floor, ratio, target.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DAY = date(2026, 11, 27)
PY = sys.executable


def median_of(fn, runs: int) -> float:
    return statistics.median(fn() for _ in range(runs))


def timed(argv: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    return time.perf_counter() - start


def child_env(data: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["SAFEHOME_DATA_DIR"] = str(data)
    return env


# ------------------------------------------------------------------ 1. app start (headless)

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


# ------------------------------------------------------------------ 2. --help as a cold process


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


def bench_pdf_french(runs: int) -> tuple[float, float]:
    """The home handout in French (its twin checklist, dates and numbers by Babel) against the
    same handout in English, in this process."""
    from safehome.core import catalog
    from safehome.core.example import example_assessment
    from safehome.reports import render_plan
    from safehome.core.plan import build_plan
    from safehome.core.score import score
    from safehome.i18n.words import speaking

    def made(language: str):
        checklist = catalog.find("bone-metastases-home-visit", None, language)
        with speaking(language):
            assessment = example_assessment(checklist, DAY)
            result = score(checklist, assessment)
            plan = build_plan(checklist, assessment, result)
        return checklist, assessment, result, plan

    french, english = made("fr-CA"), made("en-CA")

    def render(language: str, parts) -> float:
        start = time.perf_counter()
        with speaking(language):
            render_plan(*parts)
        return time.perf_counter() - start

    render("fr-CA", french), render("en-CA", english)  # fonts, catalogue and caches warm
    results = [(render("fr-CA", french), render("en-CA", english)) for _ in range(runs)]
    return statistics.median(r[0] for r in results), statistics.median(r[1] for r in results)


# ------------------------------------------------------------------ 2b. `safehome score FILE` as a cold process


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


# ------------------------------------------------------------------ 3. scoring


def bench_scoring(n: int) -> tuple[float, float]:
    from safehome.core import catalog
    from safehome.core.example import example_assessment
    from safehome.core.models import Assessment
    from safehome.core.score import score

    checklist = catalog.find("bone-metastases-home-visit")
    assessment = example_assessment(checklist, DAY)
    raw = assessment.model_dump_json()
    score(checklist, assessment)

    def ours() -> float:
        start = time.perf_counter()
        for _ in range(n):
            score(checklist, assessment)
        return n / (time.perf_counter() - start)

    def floor() -> float:
        start = time.perf_counter()
        for _ in range(n):
            Assessment.model_validate_json(raw)
        return n / (time.perf_counter() - start)

    results = [(ours(), floor()) for _ in range(5)]
    return statistics.median(r[0] for r in results), statistics.median(r[1] for r in results)


def bench_scoring_all_cores(n: int) -> float:
    """Assessments per second scored with one process per core (the caseload case)."""
    cores = os.cpu_count() or 1
    code = textwrap.dedent(f"""
        import time
        from datetime import date
        from safehome import catalog
        from safehome.core.example import example_assessment
        from safehome.core.scoring import score
        c = catalog.find("bone-metastases-home-visit"); a = example_assessment(c, date(2026, 11, 27)); score(c, a)
        print(time.time(), flush=True)
        for _ in range({n}):
            score(c, a)
        print(time.time())
    """)
    procs = [subprocess.Popen([PY, "-c", code], stdout=subprocess.PIPE, text=True, cwd=ROOT) for _ in range(cores)]
    spans = []
    for p in procs:
        out, _ = p.communicate()
        start, end = map(float, out.split())
        spans.append((start, end))
    wall = max(e for _, e in spans) - min(s for s, _ in spans)
    return n * cores / wall


# ------------------------------------------------------------------ 4. one PDF


def bench_pdf(runs: int) -> tuple[float, float]:
    import io

    from reportlab.lib.pagesizes import LETTER
    from reportlab.platypus import SimpleDocTemplate

    from safehome.core import catalog
    from safehome.core.example import example_assessment
    from safehome.reports import render_plan
    from safehome.core.plan import build_plan
    from safehome.core.score import score

    checklist = catalog.find("bone-metastases-home-visit")
    assessment = example_assessment(checklist, DAY)
    result = score(checklist, assessment)
    plan = build_plan(checklist, assessment, result)
    render_plan(checklist, assessment, result, plan)  # fonts registered, caches warm

    def ours() -> float:
        start = time.perf_counter()
        render_plan(checklist, assessment, result, plan)
        return time.perf_counter() - start

    from safehome.reports import fonts
    from safehome.reports.layout import _home_story, _Styles

    fonts.register()

    def floor() -> float:
        # the same paragraphs and tables, built by a bare SimpleDocTemplate: no page header
        # or footer, no "Page X of Y" second pass, no invariant dating
        start = time.perf_counter()
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(buffer, pagesize=LETTER)
        doc.build(_home_story(checklist, assessment, result, plan, _Styles(12.0), doc.width))
        return time.perf_counter() - start

    results = [(ours(), floor()) for _ in range(runs)]
    return statistics.median(r[0] for r in results), statistics.median(r[1] for r in results)


# ------------------------------------------------------------------ data: many stored assessments


def fill_store(db: Path, count: int, seed: int = 20261127) -> list[int]:
    from safehome.core import catalog
    from safehome.core.example import example_assessment
    from safehome.core.models import NOT_APPLICABLE, Answer, YesNoAnswer
    from safehome.storage.store import Store

    rng = random.Random(seed)
    checklist = catalog.find("bone-metastases-home-visit")
    base = example_assessment(checklist, DAY)
    yes_no = [item.id for _, item in checklist.items() if isinstance(item.answer, YesNoAnswer) and not item.red_flag]
    ids = []
    with Store(db) as store:
        store.conn.execute("PRAGMA synchronous = OFF")  # set-up only: not what is measured
        for n in range(count):
            answers = dict(base.answers)
            for item_id in rng.sample(yes_no, 12):
                answers[item_id] = Answer(value=rng.choice(["yes", "no", NOT_APPLICABLE]))
            profile = base.profile.model_copy(
                update={"name": f"Person {n:05d} {rng.choice('ABCDEFGH')}", "age": rng.randint(60, 94)}
            )
            assessment = base.model_copy(
                update={
                    "answers": answers,
                    "profile": profile,
                    "assessed_on": DAY - timedelta(days=rng.randint(0, 700)),
                }
            )
            ids.append(store.create(assessment, status="finished"))
    return ids


def bench_fhir(tmp: Path, count: int) -> tuple[float, float, float, float]:
    """`safehome export --all --format fhir` of ``count`` stored assessments against
    `export --all --format json` of the same ones (whole commands, alternating; each writes and
    records its files); then the same in this process without the files: a Bundle (scored,
    planned, mapped, serialised) against the assessment's JSON."""
    from safehome import service
    from safehome.storage.store import Store

    from safehome.core import catalog
    from safehome.core.example import example_assessment
    from safehome.core.models import Answer

    db = tmp / "fhir" / "safehome.sqlite3"
    db.parent.mkdir()
    rng = random.Random(20261127)
    checklist = catalog.find("bone-metastases-home-visit")
    base = example_assessment(checklist, DAY)
    coded = [item for _, item in checklist.items() if item.answer.values()]
    ids = []
    with Store(db) as store:
        store.conn.execute("PRAGMA synchronous = OFF")  # set-up only: not what is measured
        for n in range(count):
            answers = dict(base.answers)
            for item in rng.sample(coded, 12):  # answers each item can take, so every one is valid
                answers[item.id] = Answer(value=rng.choice(item.answer.values()))
            profile = base.profile.model_copy(update={"name": f"Person {n:05d}", "age": rng.randint(60, 94)})
            ids.append(
                store.create(base.model_copy(update={"answers": answers, "profile": profile}), status="finished")
            )
    with Store(db) as store:
        service.bundle_json(store, ids[0])  # checklist loaded, caches warm

        def ours() -> float:
            start = time.perf_counter()
            for aid in ids:
                service.bundle_json(store, aid)
            return time.perf_counter() - start

        def floor() -> float:
            start = time.perf_counter()
            for aid in ids:
                (store.load(aid).assessment.model_dump_json(indent=2, exclude_none=True) + "\n").encode("utf-8")
            return time.perf_counter() - start

        results = [(ours(), floor()) for _ in range(3)]
    env = child_env(db.parent)
    commands = []
    for run in range(3):
        for fmt in ("fhir", "json"):
            out = tmp / "fhir-out" / f"{fmt}-{run}"
            argv = [PY, "-m", "safehome", "--data-dir", str(db.parent), "export", "--all", "--format", fmt]
            commands.append((fmt, timed([*argv, "--output-dir", str(out)], env)))
    whole = (
        statistics.median(s for f, s in commands if f == "fhir"),
        statistics.median(s for f, s in commands if f == "json"),
    )
    per_one = statistics.median(r[0] for r in results) / count, statistics.median(r[1] for r in results) / count
    return (*whole, *per_one)


# ------------------------------------------------------------------ 5. batch PDFs on every core


def bench_batch(tmp: Path, count: int) -> tuple[float, float, int]:
    from safehome.service import write_all_reports as make_batch

    db = tmp / "batch" / "safehome.sqlite3"
    db.parent.mkdir()
    ids = fill_store(db, count)
    cores = os.cpu_count() or 1
    sample = ids[:20]
    start = time.perf_counter()
    make_batch(db, sample, tmp / "single", audience="home", large_print=False, force=False, jobs=1)
    single = (time.perf_counter() - start) / len(sample)
    start = time.perf_counter()
    results = make_batch(db, ids, tmp / "batch-out", audience="home", large_print=False, force=False, jobs=cores)
    batch = time.perf_counter() - start
    assert sum(1 for _, kind, _ in results if kind == "written") == count
    return batch, single * count / cores, cores


# ------------------------------------------------------------------ 6. autosave p99


def bench_autosave(tmp: Path, n: int) -> tuple[float, float]:
    from safehome.core import catalog
    from safehome.core.example import example_assessment
    from safehome.storage.store import Store

    checklist = catalog.find("bone-metastases-home-visit")
    db = tmp / "autosave" / "safehome.sqlite3"
    with Store(db) as store:
        aid = store.create(example_assessment(checklist, DAY).model_copy(update={"answers": {}}))
        store.conn.execute("CREATE TABLE bench_floor (id INTEGER PRIMARY KEY, item TEXT, value TEXT)")
        items = [item.id for _, item in checklist.items()]
        ours, floor = [], []
        for k in range(n):
            item = items[k % len(items)]
            start = time.perf_counter()
            store.save_answer(aid, item, "yes" if k % 2 else "no", position=item)
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            store.conn.execute("BEGIN")
            store.conn.execute("INSERT INTO bench_floor (item, value) VALUES (?, ?)", (item, "yes"))
            store.conn.execute("COMMIT")
            floor.append(time.perf_counter() - start)
    p99 = lambda xs: statistics.quantiles(xs, n=100)[98]  # noqa: E731
    return p99(ours), p99(floor)


# ------------------------------------------------------------------ 7. list with 10,000 assessments


def bench_list(tmp: Path, count: int) -> tuple[float, float]:
    import contextlib
    import io

    from safehome.faces.cli import main

    data = tmp / "list"
    data.mkdir()
    fill_store(data / "safehome.sqlite3", count)

    def in_process() -> float:
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()) as out:
            assert main(["--data-dir", str(data), "list"]) == 0
        assert out.getvalue().count("\n") == count + 1
        return time.perf_counter() - start

    in_process()
    warm = median_of(in_process, 5)
    cold = median_of(lambda: timed([PY, "-m", "safehome", "--data-dir", str(data), "list"]), 5)
    return warm, cold


# ------------------------------------------------------------------ 8. peak memory during a full home visit

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

    def run(code):
        return int(
            subprocess.run(
                [PY, "-c", code], check=True, capture_output=True, text=True, env=env, cwd=ROOT
            ).stdout.split()[-1]
        )

    return run(VISIT) / 1024, run(VISIT_FLOOR) / 1024


# ------------------------------------------------------------------ 9. key-to-screen latency of answering

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


# ------------------------------------------------------------------ the browser face (safehome serve)


def bench_browser(tmp: Path, runs: int = 5, keys: int = 30) -> tuple[float, float, float, float] | None:
    """In Debian's Chromium through `safehome serve`: page load to the first screen, and answer key
    to the next screen update (the first websocket frame after the key). The terminal figures are
    the same app started headless (bench_start's ours) and its key-to-screen (bench_key_latency),
    run here in the same command. None when Chromium is not installed."""
    import re
    import shutil
    import signal

    chromium = shutil.which("chromium")
    if chromium is None:
        return None
    from playwright.sync_api import sync_playwright

    env = child_env(tmp / "browser-data")
    server = subprocess.Popen(
        [PY, "-m", "safehome", "serve", "--port", "18765", "--max-sessions", "8"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        url = re.search(r"http://\S+", server.stdout.readline() if server.stdout else "").group(0)  # type: ignore[union-attr]
        time.sleep(0.5)
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


# ------------------------------------------------------------------ table


# ------------------------------------------------------------------ the clinic server

PG_URL = os.environ.get("SAFEHOME_TEST_PG_URL") or "postgresql://postgres@127.0.0.1:5432/test"


def bench_sync(tmp: Path, count: int, runs: int = 3) -> tuple[float, float, float] | None:
    """Sync ``count`` assessments from a laptop to an empty clinic server, against a bare psycopg
    COPY of the same rows into tables of the same shape (no triggers, no row security) on the same
    server; then a sync with nothing to do. None when there is no PostgreSQL to measure against."""
    import shutil
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    try:
        import psycopg
    except ImportError:
        return None
    from safehome import service
    from safehome.storage.store import Store

    def at(name: str, user: str | None = None) -> str:
        parts = urlsplit(PG_URL)
        netloc = parts.netloc if user is None else f"{user}@{parts.netloc.split('@')[-1]}"
        return urlunsplit((parts.scheme, netloc, "/" + name, parts.query, ""))

    try:
        admin = psycopg.connect(PG_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError:
        return None
    with contextlib.suppress(psycopg.errors.DuplicateObject):
        admin.execute("CREATE ROLE shb_clinician LOGIN")
    source = tmp / "sync-source.sqlite3"
    fill_store(source, count, seed=18)
    with Store(source) as store:
        out = store.outgoing()
    ours, floor, quiet = [], [], []
    for run in range(runs):
        name = f"shb_{uuid.uuid4().hex[:10]}"
        admin.execute(f"CREATE DATABASE {name}")
        try:
            service.init_clinic(at(name))
            with psycopg.connect(at(name), autocommit=True) as conn:
                conn.execute(f"GRANT {name}_clinician TO shb_clinician")
                conn.execute(
                    """CREATE TABLE bare_people (uuid uuid PRIMARY KEY, name text, name_key text, created_at text);
                       CREATE TABLE bare_assessments (uuid uuid PRIMARY KEY, person_uuid uuid, checklist_id text,
                         checklist_version text, mode text, status text, assessed_on text, profile_json text,
                         language text, created_at text, updated_at text);
                       CREATE TABLE bare_history (uuid uuid PRIMARY KEY, assessment_uuid uuid, item_id text,
                         old_value_json text, new_value_json text, old_note text, new_note text, changed_at text,
                         amendment boolean);
                       GRANT INSERT ON bare_people, bare_assessments, bare_history TO shb_clinician;"""
                )
            folder = tmp / f"laptop{run}"
            folder.mkdir()
            shutil.copy(source, folder / "safehome.sqlite3")
            with service.open_store(folder) as store:
                service.connect_clinic(store, at(name, "shb_clinician"))
                start = time.perf_counter()
                service.sync(store, folder)
                ours.append(time.perf_counter() - start)
                for _ in range(5):
                    start = time.perf_counter()
                    service.sync(store, folder)
                    quiet.append(time.perf_counter() - start)
            start = time.perf_counter()
            with psycopg.connect(at(name, "shb_clinician")) as conn, conn.cursor() as cur:
                for table, rows in (
                    ("bare_people", [r[2:] for r in out.people]),
                    ("bare_assessments", [r[2:] for r in out.assessments]),
                    ("bare_history", [(*r[1:9], bool(r[9])) for r in out.history]),
                ):
                    with cur.copy(f"COPY {table} FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
            floor.append(time.perf_counter() - start)
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            for group in ("lead", "clinician"):
                admin.execute(f"DROP ROLE IF EXISTS {name}_{group}")
    admin.close()
    return statistics.median(ours), statistics.median(floor), statistics.median(quiet)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="smaller data sets (200 PDFs, 2,000 list rows)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        ours, floor = bench_start(tmp, 5)
        rows.append(
            (
                "app start to first screen (headless)",
                f"{ours * 1000:.0f} ms",
                f"{floor * 1000:.0f} ms",
                ours / floor,
                "ratio <= 1.3",
                ours / floor <= 1.3,
            )
        )
        ours, floor = bench_help(10)
        rows.append(
            (
                "safehome --help, cold process",
                f"{ours * 1000:.0f} ms",
                f"{floor * 1000:.0f} ms",
                ours / floor,
                "< 300 ms above floor",
                ours - floor < 0.3,
            )
        )
        ours, floor = bench_help_french(10)
        rows.append(
            (
                "safehome --help in French vs English",
                f"{ours * 1000:.0f} ms",
                f"{floor * 1000:.0f} ms",
                ours / floor,
                "ratio <= 1.2",
                ours / floor <= 1.2,
            )
        )
        ours, floor = bench_pdf_french(7)
        rows.append(
            (
                "home handout PDF in French vs English",
                f"{ours * 1000:.0f} ms",
                f"{floor * 1000:.0f} ms",
                ours / floor,
                "ratio <= 1.3 (20% more text)",
                ours / floor <= 1.3,
            )
        )
        ours, floor, inner, inner_floor = bench_fhir(tmp, 1000)
        rows.append(
            (
                "export --all, 1,000: FHIR vs JSON",
                f"{ours:.1f} s",
                f"{floor:.1f} s",
                ours / floor,
                "ratio <= 3",
                ours / floor <= 3,
            )
        )
        rows.append(
            (
                "  one Bundle vs one JSON, no files",
                f"{inner * 1000:.2f} ms",
                f"{inner_floor * 1000:.2f} ms",
                inner / inner_floor,
                "(for information)",
                None,
            )
        )
        ours, floor = bench_score_cold(tmp, 7)
        rows.append(
            (
                "safehome score FILE, cold process",
                f"{ours * 1000:.0f} ms",
                f"{floor * 1000:.0f} ms",
                ours / floor,
                "ratio <= 1.5",
                ours / floor <= 1.5,
            )
        )
        ours, floor = bench_scoring(3000)
        rows.append(
            (
                "scoring a full home visit, 1 core",
                f"{ours:,.0f}/s",
                f"{floor:,.0f}/s",
                ours / floor,
                ">= 5,000/s",
                ours >= 5_000,
            )
        )
        every = bench_scoring_all_cores(20_000)
        rows.append(
            (
                f"scoring, {os.cpu_count()} processes",
                f"{every:,.0f}/s",
                f"{floor:,.0f}/s",
                every / floor,
                "(for information)",
                None,
            )
        )
        ours, floor = bench_pdf(15)
        rows.append(
            (
                "home plan PDF, example",
                f"{ours * 1000:.0f} ms",
                f"{floor * 1000:.0f} ms",
                ours / floor,
                "ratio <= 2, < 100 ms",
                ours / floor <= 2 and ours < 0.1,
            )
        )
        count = 200 if args.quick else 1000
        batch, linear, cores = bench_batch(tmp, count)
        rows.append(
            (
                f"report --all, {count} plans, {cores} cores",
                f"{batch:.1f} s",
                f"{linear:.1f} s",
                linear / batch,
                ">= 0.8 of linear",
                linear / batch >= 0.8,
            )
        )
        ours, floor = bench_autosave(tmp, 2000)
        rows.append(
            (
                "autosave one answer, p99",
                f"{ours * 1000:.2f} ms",
                f"{floor * 1000:.2f} ms",
                ours / floor,
                "<= 2x",
                ours / floor <= 2,
            )
        )
        listed = 2000 if args.quick else 10_000
        warm, cold = bench_list(tmp, listed)
        rows.append(
            (f"safehome list, {listed:,} assessments", f"{warm * 1000:.0f} ms", "-", None, "< 100 ms", warm < 0.1)
        )
        rows.append(("  the same as a cold process", f"{cold * 1000:.0f} ms", "-", None, "(for information)", None))
        ours, floor = bench_key_latency(tmp)
        rows.append(
            (
                "answer key to screen (median of 156)",
                f"{ours * 1000:.1f} ms",
                f"{floor * 1000:.1f} ms",
                ours / floor,
                "ratio <= 1.5",
                ours / floor <= 1.5,
            )
        )
        browser = bench_browser(tmp)
        if browser is None:
            rows.append(("browser figures", "-", "-", None, "(Chromium not installed: skipped)", None))
        else:
            first, terminal_first, key, terminal_key = browser
            rows.append(
                (
                    "browser: page load to first screen",
                    f"{first * 1000:.0f} ms",
                    f"{terminal_first * 1000:.0f} ms",
                    first / terminal_first,
                    "vs terminal start; <= 3x",
                    first / terminal_first <= 3,
                )
            )
            rows.append(
                (
                    "browser: answer key to first frame",
                    f"{key * 1000:.1f} ms",
                    f"{terminal_key * 1000:.1f} ms",
                    key / terminal_key,
                    "(vs terminal key to screen)",
                    None,
                )
            )
        synced = bench_sync(tmp, 1000)
        if synced is None:
            rows.append(("clinic sync figures", "-", "-", None, "(no PostgreSQL reachable: skipped)", None))
        else:
            ours, floor, quiet = synced
            rows.append(
                (
                    "sync 1,000 to an empty server",
                    f"{ours:.2f} s",
                    f"{floor:.2f} s",
                    ours / floor,
                    "vs bare COPY; <= 3x",
                    ours / floor <= 3,
                )
            )
            rows.append(
                ("  sync with nothing to do, 1,000", f"{quiet * 1000:.0f} ms", "-", None, "< 0.5 s", quiet < 0.5)
            )
        ours, floor = bench_memory(tmp)
        rows.append(
            (
                "peak memory, full home visit + PDF",
                f"{ours:.0f} MB",
                f"{floor:.0f} MB",
                ours / floor,
                "<= 1.5x",
                ours / floor <= 1.5,
            )
        )
    print(
        f"safehome benchmarks, {date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    header = ("figure", "ours", "floor", "ratio", "target", "")
    table = [header] + [
        (f, o, fl, "-" if r is None else f"{r:.2f}", t, "" if ok is None else ("ok" if ok else "MISSED"))
        for f, o, fl, r, t, ok in rows
    ]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    for row in table:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                [dict(zip(("figure", "ours", "floor", "ratio", "target", "met"), r, strict=False)) for r in rows],
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
