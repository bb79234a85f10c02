"""Comparing two assessments of the same person: what got better, what is new.

Part of the domain core (no UI, no clock): both assessments are scored with the same
checklist and their hazards are matched by item id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .errors import UsageError
from .models import Assessment, Checklist
from .scoring import BANDS, Band, score
from .words import t

# The groups of a comparison, in the order every face shows them, with their labels.
GROUPS: tuple[tuple[str, str], ...] = (
    ("new_red_flags", "compare.new_red_flags"),
    ("resolved", "compare.resolved"),
    ("new", "compare.new"),
    ("unchanged", "compare.unchanged"),
    ("not_rechecked", "compare.not_rechecked"),
)
CHANGE_WORDS = {"better": "compare.better", "worse": "compare.worse", "unchanged": "compare.same"}


@dataclass(frozen=True, slots=True)
class Comparison:
    previous_date: date
    current_date: date
    previous_band: Band
    current_band: Band
    points_before: int
    points_after: int
    resolved: tuple[str, ...]
    new: tuple[str, ...]
    unchanged: tuple[str, ...]
    not_rechecked: tuple[str, ...]
    new_red_flags: tuple[str, ...]
    steadi_before: int | None
    steadi_after: int | None

    @property
    def band_change(self) -> str:
        """better, worse or unchanged (a code; :meth:`band_change_words` for people)."""
        before, after = BANDS.index(self.previous_band), BANDS.index(self.current_band)
        return "better" if after < before else "worse" if after > before else "unchanged"

    def band_change_words(self) -> str:
        return t(CHANGE_WORDS[self.band_change])

    def groups(self) -> list[tuple[str, tuple[str, ...]]]:
        """(label, item ids) for each group, in the order every face shows them."""
        return [(t(label), getattr(self, name)) for name, label in GROUPS]


def compare(checklist: Checklist, old: Assessment, new: Assessment) -> Comparison:
    """Hazards resolved, new and unchanged (item ids in checklist order), band and score changes.

    A hazard counts as resolved only when the item was answered again without it; one left
    unanswered this time is "not rechecked", never silently called fixed.
    """
    if old.checklist_id != new.checklist_id:
        raise UsageError(t("compare.other_checklists", old=old.checklist_id, new=new.checklist_id))
    before, after = score(checklist, old), score(checklist, new)
    was = {r.item_id for r in before.items if r.status == "hazard"}
    now = {r.item_id for r in after.items if r.status == "hazard"}
    answered_now = {r.item_id for r in after.items if r.status in ("ok", "na", "hazard")}
    order = [item.id for _, item in checklist.items()]

    def pick(ids: set[str]) -> tuple[str, ...]:
        return tuple(i for i in order if i in ids)

    return Comparison(
        previous_date=old.assessed_on,
        current_date=new.assessed_on,
        previous_band=before.band,
        current_band=after.band,
        points_before=before.points,
        points_after=after.points,
        resolved=pick((was - now) & answered_now),
        new=pick(now - was),
        unchanged=pick(was & now),
        not_rechecked=pick(was - answered_now),
        new_red_flags=tuple(i for i in after.red_flags if i not in before.red_flags),
        steadi_before=before.steadi.score if before.steadi else None,
        steadi_after=after.steadi.score if after.steadi else None,
    )
