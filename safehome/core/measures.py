"""The clinician-entered measures and their published cut-offs: one rule each, in one place.

Part of the domain core: no UI, no clock ("today" is passed in). The numbers carry over
from their sources (named beside each); the words come from :mod:`safehome.i18n.words`.
A checklist may not override a cut-off: a measure item is judged by these rules only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from safehome.i18n.words import t

if TYPE_CHECKING:
    from safehome.core.profile import Profile

Measure = Literal["tug_seconds", "chair_stand_30s", "balance_stage", "mirels", "sins"]

# The range a checklist's min and max must lie inside, per measure.
MEASURE_RANGES: dict[str, tuple[float, float]] = {
    "tug_seconds": (0, 300),
    "chair_stand_30s": (0, 60),
    "balance_stage": (0, 4),
    "mirels": (4, 12),
    "sins": (0, 18),
}

TUG_AT_RISK_SECONDS = 12  # CDC STEADI, Timed Up and Go: 12 s or more is at risk
BALANCE_TANDEM_STAGE = 3  # CDC STEADI 4-stage balance: tandem stance (stage 3) not held 10 s
MIRELS_HIGH = 9  # Mirels 1989: 9 or more, high fracture risk
MIRELS_BORDERLINE = 8  # Mirels 1989: 8, clinical judgement
SINS_UNSTABLE = 7  # SINS, Spine Oncology Study Group: 7 or more, potentially unstable
# Mirels and SINS flag "refer before mobility training" (a floor on the band).
REFERRAL_SCORES: frozenset[str] = frozenset({"mirels", "sins"})
SINS_UNSTABLE_HIGH = 13  # SINS 13 to 18: unstable
# Tests that load the bones; not done when a warning sign is positive or a score below says so.
PHYSICAL_TESTS: frozenset[str] = frozenset({"tug_seconds", "chair_stand_30s", "balance_stage"})
# The safety stops before physical testing (safehome's rule, from the published cut-offs):
# Mirels 8 or more (the borderline score included: judgement, so no testing until judged), SINS 7
# or more. A recorded clearance by the team lifts these two (never a warning sign).
STOPS_AT: dict[str, int] = {"mirels": MIRELS_BORDERLINE, "sins": SINS_UNSTABLE}


def stops_physical_tests(measure: str, value: Any) -> bool:
    """Whether a recorded score makes the physical tests unsafe today."""
    limit = STOPS_AT.get(measure)
    return limit is not None and isinstance(value, (int, float)) and not isinstance(value, bool) and value >= limit


# Below-average 30-second chair stand counts (CDC STEADI): a count below the figure is
# below average. (low age, high age, men, women)
CHAIR_STAND_NORMS: tuple[tuple[int, int, int, int], ...] = (
    (60, 64, 14, 12),
    (65, 69, 12, 11),
    (70, 74, 12, 10),
    (75, 79, 11, 10),
    (80, 84, 10, 9),
    (85, 89, 8, 8),
    (90, 94, 7, 4),
)


@dataclass(frozen=True, slots=True)
class MeasureResult:
    """One measure judged against its published cut-off (``at_risk`` None: no norm applies)."""

    measure: str
    value: float
    unit: str
    at_risk: bool | None
    judgement: str
    item_id: str = ""
    below_lowest_norm: bool = False  # no norm applies, but the value is below the youngest one: to judge


def chair_stand_norm(age: int | None, sex: str) -> int | None:
    """The count below which a 30-second chair stand is below average, or None if no norm applies."""
    if age is None or sex not in ("male", "female"):
        return None
    for low, high, men, women in CHAIR_STAND_NORMS:
        if low <= age <= high:
            return men if sex == "male" else women
    return None


def judge(measure: str, value: float, unit: str, profile: Profile, day: date) -> MeasureResult:
    """Judge one recorded measure for this person on this day."""
    at_risk: bool | None
    if measure == "tug_seconds":
        at_risk = value >= TUG_AT_RISK_SECONDS
        judgement = t("measure.tug.at_risk" if at_risk else "measure.tug.ok", value=value)
    elif measure == "chair_stand_30s":
        age = profile.age_on(day)
        norm = chair_stand_norm(age, profile.sex)
        lowest = chair_stand_norm(CHAIR_STAND_NORMS[0][0], profile.sex)  # the youngest group's figure (60-64)
        if norm is None and age is not None and age < CHAIR_STAND_NORMS[0][0] and lowest is not None and value < lowest:
            # under 60 no norm is published, but a count below the 60-64 figure is below every norm (safehome rule)
            who = t("measure.chair.men" if profile.sex == "male" else "measure.chair.women")
            judgement = t("measure.chair.below_lowest", value=value, who=who, norm=lowest)
            return MeasureResult(measure, value, unit, None, judgement, below_lowest_norm=True)
        if norm is None:
            at_risk = None
            # say which fact is missing: the sex, the age, or an age the norms do not cover
            reason = (
                "sex"
                if profile.sex == "unknown"
                else "other"
                if profile.sex not in ("male", "female")
                else "age"
                if age is None
                else "range"
            )
            judgement = t(f"measure.chair.no_norm.{reason}", value=value)
        else:
            at_risk = value < norm
            who = t("measure.chair.men" if profile.sex == "male" else "measure.chair.women")
            key = "measure.chair.below" if at_risk else "measure.chair.ok"
            judgement = t(key, value=value, who=who, age=age, norm=norm)
    elif measure == "balance_stage":
        at_risk = value < BALANCE_TANDEM_STAGE
        judgement = t("measure.balance.at_risk" if at_risk else "measure.balance.ok", value=value)
    elif measure == "mirels":
        at_risk = value >= MIRELS_HIGH
        key = (
            "measure.mirels.high"
            if at_risk
            else ("measure.mirels.borderline" if value == MIRELS_BORDERLINE else "measure.mirels.low")
        )
        judgement = t(key, value=value)
    elif measure == "sins":
        at_risk = value >= SINS_UNSTABLE
        key = "measure.sins.stable"
        if at_risk:
            key = "measure.sins.unstable" if value >= SINS_UNSTABLE_HIGH else "measure.sins.potentially_unstable"
        judgement = t(key, value=value)
    else:  # the models only admit the measures above
        raise ValueError(measure)
    return MeasureResult(measure, value, unit, at_risk, judgement)
