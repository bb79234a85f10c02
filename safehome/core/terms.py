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
