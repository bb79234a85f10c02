"""Making PDF plans: file names, never overwriting, and the call into the renderer.

Shared by the CLI and the app. ReportLab is imported only inside :func:`render`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .compare import Comparison
from .files import write_atomic
from .models import Assessment, Checklist

REPORTS_DIR = Path("reports")


def default_path(assessment: Assessment, audience: str, large_print: bool, folder: Path = REPORTS_DIR) -> Path:
    """``reports/<date>-<initials>-<audience>.pdf``; initials are ASCII letters only, so no name can steer the path."""
    name = f"{assessment.assessed_on.isoformat()}-{assessment.profile.initials()}-{audience}"
    if large_print:
        name += "-large"
    return folder / f"{name}.pdf"


def free_path(path: Path) -> Path:
    """``path``, or ``name-2.pdf``, ``name-3.pdf``... the first that does not exist yet."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def render(checklist: Checklist, assessment: Assessment, *, audience: str, large_print: bool, comparison: Comparison | None = None) -> bytes:
    from .pdf import render_plan
    from .scoring import build_plan, score

    result = score(checklist, assessment)
    plan = build_plan(checklist, assessment, result)
    return render_plan(checklist, assessment, result, plan, audience=audience, large_print=large_print, comparison=comparison)  # type: ignore[arg-type]


def write(path: Path, data: bytes, *, force: bool = False) -> Path:
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
    return write_atomic(path, data, force=force)


def make_all(checklist: Checklist, assessment: Assessment, audiences: list[str], folder: Path = REPORTS_DIR, comparison: Any = None) -> list[Path]:
    """Write one plan per audience under ``folder`` with fresh names (used by the app)."""
    written = []
    for audience in audiences:
        data = render(checklist, assessment, audience=audience, large_print=False, comparison=comparison if audience == "clinician" else None)
        written.append(write(free_path(default_path(assessment, audience, False, folder)), data))
    return written


# --------------------------------------------------------------------------- batch: every stored assessment

_WORKER: dict[str, Any] = {}


def _worker_init(db_path: str, out_dir: str, audience: str, large_print: bool, force: bool) -> None:
    from . import catalog
    from .store import Store

    _WORKER.update(
        store=Store(Path(db_path)),
        checklists={c.id: c for _, c in catalog.bundled()},
        out=Path(out_dir),
        audience=audience,
        large_print=large_print,
        force=force,
    )


def _worker_one(assessment_id: int) -> tuple[int, str, str]:
    """(id, "written" | "exists" | "skipped", path or reason) for one stored assessment."""
    from .files import OutputExists

    w = _WORKER
    stored = w["store"].load(assessment_id)
    checklist = w["checklists"].get(stored.assessment.checklist_id)
    if checklist is None or checklist.version != stored.assessment.checklist_version:
        return assessment_id, "skipped", f"checklist {stored.assessment.checklist_id} v{stored.assessment.checklist_version} is not installed"
    path = default_path(stored.assessment, w["audience"], w["large_print"], w["out"])
    path = path.with_name(f"{path.stem}-{assessment_id}{path.suffix}")
    if path.exists() and not w["force"]:
        return assessment_id, "exists", str(path)
    data = render(checklist, stored.assessment, audience=w["audience"], large_print=w["large_print"])
    try:
        write_atomic(path, data, force=w["force"])
    except OutputExists:
        return assessment_id, "exists", str(path)
    return assessment_id, "written", str(path)


def make_batch(db_path: Path, ids: list[int], out_dir: Path, *, audience: str, large_print: bool, force: bool, jobs: int) -> list[tuple[int, str, str]]:
    """Render a plan for every id, on ``jobs`` processes; files are named ...-ID.pdf so workers never collide."""
    out_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    args = (str(db_path), str(out_dir), audience, large_print, force)
    if jobs <= 1:
        _worker_init(*args)
        return [_worker_one(i) for i in ids]
    import multiprocessing

    context = multiprocessing.get_context("fork" if hasattr(__import__("os"), "fork") else "spawn")
    with context.Pool(jobs, initializer=_worker_init, initargs=args) as pool:
        return pool.map(_worker_one, ids, chunksize=max(1, len(ids) // (jobs * 8)))
