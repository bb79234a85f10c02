"""Documents: PDFs (English and French, one and a thousand) and FHIR exports."""

from __future__ import annotations

from typing import Any

import os
import random
import statistics
import time
from pathlib import Path

from bench.common import DAY, PY, child_env, fill_store, timed


def bench_pdf_french(runs: int) -> tuple[float, float]:
    """The home handout in French (its twin checklist, dates and numbers by Babel) against the
    same handout in English, in this process."""
    from safehome.core import catalog
    from safehome.core.example import example_assessment
    from safehome.reports import render_plan
    from safehome.core.plan import build_plan
    from safehome.core.score import score
    from safehome.i18n.words import speaking

    def made(language: str) -> tuple[Any, ...]:
        checklist = catalog.find("bone-metastases-home-visit", None, language)
        with speaking(language):
            assessment = example_assessment(checklist, DAY)
            result = score(checklist, assessment)
            plan = build_plan(checklist, assessment, result)
        return checklist, assessment, result, plan

    french, english = made("fr-CA"), made("en-CA")

    def render(language: str, parts: tuple[Any, ...]) -> float:
        start = time.perf_counter()
        with speaking(language):
            render_plan(*parts)
        return time.perf_counter() - start

    render("fr-CA", french), render("en-CA", english)  # fonts, catalogue and caches warm
    results = [(render("fr-CA", french), render("en-CA", english)) for _ in range(runs)]
    return statistics.median(r[0] for r in results), statistics.median(r[1] for r in results)


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
    from safehome.reports.home import home_story
    from safehome.reports.styles import Styles

    fonts.register()

    def floor() -> float:
        # the same paragraphs and tables, built by a bare SimpleDocTemplate: no page header
        # or footer, no "Page X of Y" second pass, no invariant dating
        start = time.perf_counter()
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(buffer, pagesize=LETTER)
        doc.build(home_story(checklist, assessment, result, plan, Styles(12.0), doc.width))
        return time.perf_counter() - start

    results = [(ours(), floor()) for _ in range(runs)]
    return statistics.median(r[0] for r in results), statistics.median(r[1] for r in results)


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


def bench_batch(tmp: Path, count: int) -> tuple[float, float, int]:
    from safehome.core.options import ReportOptions
    from safehome.service import write_all_reports as make_batch

    db = tmp / "batch" / "safehome.sqlite3"
    db.parent.mkdir()
    ids = fill_store(db, count)
    cores = os.cpu_count() or 1
    sample = ids[:20]
    start = time.perf_counter()
    make_batch(db, sample, tmp / "single", ReportOptions(), jobs=1)
    single = (time.perf_counter() - start) / len(sample)
    start = time.perf_counter()
    results = make_batch(db, ids, tmp / "batch-out", ReportOptions(), jobs=cores)
    batch = time.perf_counter() - start
    assert sum(1 for _, kind, _ in results if kind == "written") == count
    return batch, single * count / cores, cores


def bench_pack(tmp: Path, runs: int) -> tuple[float, float, int]:
    """The whole report from the last answer to the last file (``p`` on the review): the example
    visit with three photos, its last answer given, then the handout, the summary and the letters
    its referrals call for. The floor: the same answer, then the two PDFs alone (``p`` before the
    pack). Returns (pack, floor, files in the pack), medians."""
    from PIL import Image

    from safehome import service
    from safehome.core import catalog
    from safehome.core.example import example_assessment
    from safehome.core.options import ReportOptions

    checklist = catalog.find("bone-metastases-home-visit")
    example = example_assessment(checklist, DAY)
    last = next(reversed(example.answers))
    photos = []
    for n in range(3):
        path = tmp / f"photo-{n}.jpg"
        Image.new("RGB", (4032, 3024), (40 * n, 120, 200)).save(path, quality=90)  # a phone's 12 MP
        photos.append(path)
    folder = tmp / "pack"
    desk = service.Desk(tmp / "pack-data")

    def visit() -> Any:
        session = desk.start(checklist, "clinician", example.profile, DAY)
        for item_id, answer in example.answers.items():
            if item_id != last:
                session.answer(item_id, answer.value)
        for path, item in zip(photos, ("ba_grab_bars", "ba_toilet_cm", "st_rails"), strict=True):
            session.add_photo(item, path, "as found")
        return session

    def pack() -> tuple[float, int]:
        session = visit()
        start = time.perf_counter()
        session.answer(last, example.answers[last].value)
        written = session.write_pack(folder)
        return time.perf_counter() - start, len(written)

    def floor() -> float:
        session = visit()
        start = time.perf_counter()
        session.answer(last, example.answers[last].value)
        for audience in ("home", "clinician"):
            session.write_report(ReportOptions(audience=audience), folder)
        return time.perf_counter() - start

    pack(), floor()  # fonts, catalogue and Pillow warm
    results = [(pack(), floor()) for _ in range(runs)]
    desk.close()
    files = results[0][0][1]
    return statistics.median(r[0][0] for r in results), statistics.median(r[1] for r in results), files
