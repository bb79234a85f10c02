"""Scoring and the store: scores a second, an answer saved, the list."""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import textwrap
import time
from pathlib import Path

from bench.common import DAY, PY, ROOT, fill_store, median_of, timed


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
        from safehome.core import catalog
        from safehome.core.example import example_assessment
        from safehome.core.score import score
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
    return _p99(ours), _p99(floor)


def bench_list(tmp: Path, count: int) -> tuple[float, float]:
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


def _p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]
