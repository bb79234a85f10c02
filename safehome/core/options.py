"""How a PDF plan is made: the options that travel together, each default written here once."""

from __future__ import annotations

from dataclasses import dataclass

from safehome.core.terms import DEFAULT_PAPER, Audience, Paper


@dataclass(frozen=True, slots=True)
class ReportOptions:
    audience: Audience = "home"
    large_print: bool = False
    paper: Paper = DEFAULT_PAPER
    all_items: bool = False  # the clinician summary lists every item, not only those that need action
    language: str | None = None  # asked for (--lang); None: the assessment's own language, else the run's
    force: bool = False  # replace a file of the same name
    with_photos: bool = False  # the handout shows the visit's photos too (the summary always does)
