"""What every benchmark shares: where the checkout is, timing a process, a seeded store."""

from __future__ import annotations

from collections.abc import Callable

import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent

DAY = date(2026, 11, 27)

PY = sys.executable


def as_installed(tmp: Path) -> None:
    """Processes this run starts import from .pyc files, as a user's install does (this workplace sets
    PYTHONDONTWRITEBYTECODE=1, which would make every cold process compile every module)."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")


def median_of(fn: Callable[[], float], runs: int) -> float:
    return float(statistics.median(fn() for _ in range(runs)))


def timed(argv: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    return time.perf_counter() - start


def child_env(data: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["SAFEHOME_DATA_DIR"] = str(data)
    return env


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


def serve(data: Path, *options: str) -> tuple[subprocess.Popen[str], str]:
    """`safehome serve` on a data folder of its own, and the address it printed (once it listens)."""
    import re

    server = subprocess.Popen(
        [PY, "-m", "safehome", "serve", *options],
        env=child_env(data),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    found = re.search(r"http://\S+", server.stdout.readline() if server.stdout else "")
    if found is None:
        server.kill()
        raise RuntimeError("safehome serve did not print its address")
    time.sleep(0.4)
    return server, found.group(0)
