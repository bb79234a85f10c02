"""The small vocabularies every layer shares, each defined once: an assessment's status, who a
document is for, the paper it is printed on, who fills a checklist in."""

from __future__ import annotations

from typing import Literal, get_args

Status = Literal["in-progress", "finished"]
STATUSES: tuple[Status, ...] = get_args(Status)
Audience = Literal["home", "clinician"]  # who a PDF plan is for
AUDIENCES: tuple[Audience, ...] = get_args(Audience)  # the order PDFs are written in
Paper = Literal["letter", "a4"]
PAPERS: tuple[Paper, ...] = get_args(Paper)
DEFAULT_PAPER: Paper = "letter"  # US Letter is the default in Canada
Mode = Literal["clinician", "self"]
MODES: tuple[Mode, ...] = get_args(Mode)


def clinician_named(visit_clinician: object, completed_by: object, completed_role: object) -> str | None:
    """The clinician of a visit: the one named for it, else whoever filled it in as a clinician
    (the handout's "who to call", the letters' sender and the audit log all use this one rule)."""
    if isinstance(visit_clinician, str) and visit_clinician:
        return visit_clinician
    if completed_role == "clinician" and isinstance(completed_by, str) and completed_by:
        return completed_by
    return None
