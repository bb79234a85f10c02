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
