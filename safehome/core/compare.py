"""Comparing two assessments of the same person: what got better, what is new.

Part of the domain core (no UI, no clock): both assessments are scored with the same
checklist and their hazards are matched by item id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from safehome.core.errors import UsageError
from safehome.core.answers import AnswerKind
from safehome.core.models import Answer, AnswerValue, Assessment, Checklist
from safehome.core.score import HAZARD_ORDER, FallRisk, HazardLevel, UrgencyLevel, score
from safehome.i18n.words import t

# The groups of a comparison, in the order every face shows them, with their labels.
GROUPS: tuple[tuple[str, str], ...] = (
    ("new_red_flags", "compare.new_red_flags"),
    ("resolved_red_flags", "compare.resolved_red_flags"),
    ("scores", "compare.scores"),  # the tests and the clinician's scores, apart from the home's hazards
    ("resolved", "compare.resolved"),
    ("new", "compare.new"),
    ("unchanged", "compare.unchanged"),
    ("not_rechecked", "compare.not_rechecked"),
)
CHANGE_WORDS = {
    "better": "compare.better",
    "worse": "compare.worse",
    "unchanged": "compare.same",
    "unknown": "compare.unknown",
}


@dataclass(frozen=True, slots=True)
class Comparison:
    previous_date: date
    current_date: date
    previous_hazards: HazardLevel
    current_hazards: HazardLevel
    previous_urgency: UrgencyLevel
    current_urgency: UrgencyLevel
    previous_fall_risk: FallRisk
    current_fall_risk: FallRisk
    points_before: int
    points_after: int
    resolved: tuple[str, ...]
    new: tuple[str, ...]
    unchanged: tuple[str, ...]
    not_rechecked: tuple[str, ...]
    new_red_flags: tuple[str, ...]
    steadi_before: int | None
    steadi_after: int | None
    # (item id, its answer kind, before, after) where a measured answer changed; shown in words when read
    changed_values: tuple[tuple[str, AnswerKind, AnswerValue, AnswerValue], ...] = ()
    resolved_red_flags: tuple[str, ...] = ()  # warning signs reported last time and answered "no" now
    complete: bool = True  # both checks fully answered (an unfinished one can only be at least as bad)
    # across two versions of the checklist: the version before, and the questions only one of them asks
    previous_version: str | None = None
    not_compared: tuple[str, ...] = ()
    # tests and scores (Timed Up and Go, Mirels...) whose result changed, listed apart from the hazards
    scores: tuple[str, ...] = ()
    # tests not done because they were unsafe that day, before and now: "not done (unsafe)", never "not answered"
    unsafe_before: tuple[str, ...] = ()
    unsafe_after: tuple[str, ...] = ()

    def value_change(self, item_id: str) -> tuple[str, str] | None:
        """The answer before and after, as shown, when it changed (a TUG of 15.2 s then 13.5 s; a
        test not done because it was unsafe that day says so)."""
        for changed, answer, before, after in self.changed_values:
            if changed == item_id:
                unsafe = t("compare.not_done_unsafe")
                return (
                    unsafe if item_id in self.unsafe_before else answer.shown(before),
                    unsafe if item_id in self.unsafe_after else answer.shown(after),
                )
        return None

    @property
    def hazard_change(self) -> str:
        """Home hazards: better, worse, unchanged, or unknown when either was not fully checked."""
        if self.previous_hazards not in HAZARD_ORDER or self.current_hazards not in HAZARD_ORDER:
            return "unknown"
        before, after = HAZARD_ORDER.index(self.previous_hazards), HAZARD_ORDER.index(self.current_hazards)
        if after > before:
            return "worse"  # what was found already is worse, whatever the unanswered questions hold
        if not self.complete:
            return "unknown"  # "better" or "unchanged" needs every question answered (never false comfort)
        return "better" if after < before else "unchanged"

    def hazard_change_words(self) -> str:
        return t(CHANGE_WORDS[self.hazard_change])

    def summary_lines(self) -> list[str]:
        """The changes of the three outputs, in words (every face shows these)."""
        from safehome.core.labels import fall_risk_label, hazard_label, urgency_label

        lines = [
            t(
                "compare.line.urgency",
                before=urgency_label(self.previous_urgency),
                after=urgency_label(self.current_urgency),
            ),
            t(
                "compare.line.fall_risk",
                before=fall_risk_label(self.previous_fall_risk),
                after=fall_risk_label(self.current_fall_risk),
            ),
            t(
                "compare.line.hazards",
                before=hazard_label(self.previous_hazards),
                after=hazard_label(self.current_hazards),
                change=self.hazard_change_words(),
                points_before=self.points_before,
                points_after=self.points_after,
            ),
        ]
        if self.steadi_before is not None and self.steadi_after is not None:
            lines.append(t("compare.line.steadi", before=self.steadi_before, after=self.steadi_after))
        if self.previous_version is not None:
            lines.append(t("compare.line.versions", version=self.previous_version, count=len(self.not_compared)))
        return lines

    def groups(self) -> list[tuple[str, tuple[str, ...]]]:
        """(label, item ids) for each group, in the order every face shows them."""
        return [(t(label), getattr(self, name)) for name, label in GROUPS]


def compare(
    checklist: Checklist, old: Assessment, new: Assessment, old_checklist: Checklist | None = None
) -> Comparison:
    """Hazards resolved, new and unchanged (item ids in checklist order), band and score changes.

    A hazard counts as resolved only when the item was answered again without it; one left
    unanswered this time is "not rechecked", never silently called fixed. Across two versions of
    a checklist (``old_checklist``, the one ``old`` was made with), each visit is scored with its
    own version, items are compared on the ids both versions share, and the rest are named.
    """
    if old.checklist_id != new.checklist_id:
        raise UsageError(t("compare.other_checklists", old=old.checklist_id, new=new.checklist_id))
    earlier = old_checklist or checklist
    before, after = score(earlier, old), score(checklist, new)
    shared = set(earlier.index) & set(checklist.index)
    was = {r.item_id for r in before.items if r.status == "hazard"} & shared
    now = {r.item_id for r in after.items if r.status == "hazard"} & shared
    answered_now = {r.item_id for r in after.items if r.status in ("ok", "na", "hazard")}
    order = [item.id for _, item in checklist.items()]
    other_version = earlier.version != checklist.version

    def pick(ids: set[str]) -> tuple[str, ...]:
        return tuple(i for i in order if i in ids)

    new_flags = tuple(i for i in after.red_flags if i not in before.red_flags)
    flags_before = set(before.red_flags) & shared
    old_values = {r.item_id: r.value for r in before.items}
    new_values = {r.item_id: r.value for r in after.items}
    unsafe_before = {r.item_id for r in before.items if r.status == "unsafe"} & shared
    unsafe_after = {r.item_id for r in after.items if r.status == "unsafe"} & shared
    # the tests and scores: a result of the person's, not a hazard of the home; listed apart whenever
    # their result changed (a hazard then, a test not done as unsafe now, a new value)
    measured = {i for i in shared if checklist.item(i).answer.is_measure()}
    scores = {
        i
        for i in measured
        if i in was | now | unsafe_before | unsafe_after
        and ((i in unsafe_before) != (i in unsafe_after) or old_values.get(i) != new_values.get(i))
    }
    changed: list[tuple[str, AnswerKind, AnswerValue, AnswerValue]] = []
    for item_id in pick(was | now | scores):
        old_value, new_value = old_values.get(item_id), new_values.get(item_id)
        answer = checklist.item(item_id).answer
        moved = old_value != new_value or ((item_id in unsafe_before) != (item_id in unsafe_after))
        if moved and answer.typed():  # a measure or a score: its values say what changed
            changed.append((item_id, answer, old_value, new_value))
    was, now = was - measured, now - measured

    return Comparison(
        previous_date=old.assessed_on,
        current_date=new.assessed_on,
        complete=before.complete and after.complete,
        previous_hazards=before.hazard_level,
        current_hazards=after.hazard_level,
        previous_urgency=before.urgency,
        current_urgency=after.urgency,
        previous_fall_risk=before.fall_risk,
        current_fall_risk=after.fall_risk,
        points_before=before.points,
        points_after=after.points,
        resolved=pick((was - now) & answered_now - flags_before),  # a warning sign gone is not a "fixed" hazard
        resolved_red_flags=pick((flags_before - set(after.red_flags)) & answered_now),
        new=pick(now - was - set(new_flags)),  # a new warning sign is listed once, as one
        unchanged=pick(was & now),
        not_rechecked=pick(was - answered_now),
        new_red_flags=new_flags,
        # a score from a screen not finished is no score: "8 -> 4" from 2 of 12 answers would reassure falsely
        steadi_before=before.steadi.score if before.steadi and before.steadi.complete else None,
        steadi_after=after.steadi.score if after.steadi and after.steadi.complete else None,
        changed_values=tuple(changed),
        scores=pick(scores),
        unsafe_before=pick(unsafe_before),
        unsafe_after=pick(unsafe_after),
        previous_version=earlier.version if other_version else None,
        not_compared=pick(set(checklist.index) - shared) if other_version else (),
    )


def carried_answers(checklist: Checklist, previous: Assessment) -> dict[str, Answer]:
    """Last visit's answers that a follow-up may keep with one key (values only; notes stay with
    the visit they were written in). See :meth:`safehome.core.models.Section.carries`."""
    return {
        item.id: Answer(value=answer.value)
        for section, item in checklist.items()
        if section.carries(item) and (answer := previous.answers.get(item.id)) is not None and answer.value is not None
    }
