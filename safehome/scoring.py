"""Scoring an assessment: pure functions over the models, no clock, no UI.

The overall band is a transparent rule of thumb written for safehome. It is NOT a
validated instrument, and everything that shows it says so.

1. ``urgent`` whenever any red-flag item (a warning sign) is answered with its hazard
   answer. Red flags are a reason to call the healthcare team now, not a plan item.
2. Otherwise every hazard found earns points by its severity: low 1, medium 2, high 3.
   The points double when the item lists a bone site the person has in
   ``weighs_more_with`` (for example a stairs hazard with pelvis or hip/thigh metastases).
3. The points give the band: under 6 ``low``, 6 to 14 ``moderate``, 15 or more ``high``.
4. Floors, from published cut-offs: a CDC STEADI Stay Independent score of 4 or more
   makes the band at least ``moderate``; a recorded Mirels score of 9 or more or a SINS
   score of 7 or more makes it at least ``high`` (refer before mobility training).

Because every step only adds, answering one more item as a hazard never lowers the
points, the STEADI score or the band. Functional tests are judged by their published
cut-offs: Timed Up and Go 12 s or more; a 30-second chair stand below the average for
the person's age and sex (ages 60 to 94); a 4-stage balance test in which the tandem
stance (stage 3) is not held for 10 seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Literal

from .answers import Status
from .measures import CHAIR_STAND_NORMS, MeasureResult, chair_stand_norm
from .models import Assessment, Checklist, Item, Profile, condition_holds
from .words import t

__all__ = ["CHAIR_STAND_NORMS", "MeasureResult", "chair_stand_norm"]

Band = Literal["low", "moderate", "high", "urgent"]
BANDS: tuple[Band, ...] = ("low", "moderate", "high", "urgent")
BAND_LABELS: dict[str, str] = {
    "urgent": "band.urgent",
    "high": "band.high",
    "moderate": "band.moderate",
    "low": "band.low",
}

SEVERITY_POINTS = {"low": 1, "medium": 2, "high": 3}
MODERATE_AT = 6  # safehome's own rule of thumb (see the module docstring)
HIGH_AT = 15  # safehome's own rule of thumb
STEADI_AT_RISK = 4  # CDC STEADI Stay Independent: 4 or more of 14
STEADI_MAXIMUM = 14
RECHECK_DAYS: dict[Band, int] = {"urgent": 7, "high": 30, "moderate": 90, "low": 180}

REFERRAL_NAMES = {
    "physiotherapy": "referral.physiotherapy",
    "occupational_therapy": "referral.occupational_therapy",
    "treating_team": "referral.treating_team",
    "pharmacist": "referral.pharmacist",
}


def band_label(band: str) -> str:
    return t(BAND_LABELS[band])


def referral_name(key: str) -> str:
    return t(REFERRAL_NAMES[key])


def disclaimer() -> str:
    return t("band.disclaimer")


# --------------------------------------------------------------------------- answers


def answer_problems(checklist: Checklist, assessment: Assessment) -> list[tuple[str, str]]:
    """Check the answers against the checklist: (item id or field, message) for each problem."""
    problems: list[tuple[str, str]] = []
    if assessment.checklist_id != checklist.id:
        problems.append(
            ("checklist_id", t("answers.other_checklist", found=assessment.checklist_id, wanted=checklist.id))
        )
        return problems
    if assessment.checklist_version != checklist.version:
        problems.append(
            (
                "checklist_version",
                t("answers.other_version", found=assessment.checklist_version, wanted=checklist.version),
            )
        )
    if assessment.mode not in checklist.modes:
        problems.append(("mode", t("answers.other_mode", mode=assessment.mode)))
    index = checklist.index
    for item_id, answer in assessment.answers.items():
        entry = index.get(item_id)
        if entry is None:
            problems.append((item_id, t("answers.no_such_item")))
            continue
        if answer.value is None:
            continue
        message = entry[1].answer.problem(answer.value)
        if message:
            problems.append((item_id, message))
    return problems


# --------------------------------------------------------------------------- results


@dataclass(slots=True)
class ItemResult:
    """One item's outcome (not frozen: a frozen dataclass is four times slower to make, and
    the scorer makes one per item)."""

    section_id: str
    item_id: str
    status: Status
    points: int = 0
    value: Any = None
    note: str | None = None


@dataclass(slots=True)
class SectionScore:
    id: str
    title: str
    kind: str
    applicable: int = 0
    answered: int = 0
    hazards: int = 0
    not_applicable: int = 0
    unanswered: int = 0
    points: int = 0


@dataclass(slots=True)
class SteadiResult:
    score: int
    answered: int
    questions: int
    at_risk: bool
    complete: bool
    maximum: int = STEADI_MAXIMUM
    cut_off: int = STEADI_AT_RISK

    @property
    def band(self) -> str:
        return t("steadi.at_risk" if self.at_risk else "steadi.below")


@dataclass(slots=True)
class Score:
    band: Band
    points: int
    band_reasons: tuple[str, ...]
    items: tuple[ItemResult, ...]
    sections: tuple[SectionScore, ...]
    steadi: SteadiResult | None
    measures: tuple[MeasureResult, ...]
    red_flags: tuple[str, ...]
    applicable: int
    answered: int
    hazards: int
    unanswered: int
    disclaimer: str = field(default_factory=disclaimer)

    def status_of(self, item_id: str) -> ItemResult | None:
        for result in self.items:
            if result.item_id == item_id:
                return result
        return None


def item_points(item: Item, profile: Profile) -> int:
    """The points a hazard on this item earns: by severity, doubled with a listed bone site."""
    points = SEVERITY_POINTS.get(item.severity or "", 0)
    if item.weighs_more_with and not set(item.weighs_more_with).isdisjoint(profile.bone_sites):
        points *= 2
    return points


def score(checklist: Checklist, assessment: Assessment) -> Score:
    """Score an assessment whose answers have passed :func:`answer_problems`."""
    profile, mode, day = assessment.profile, assessment.mode, assessment.assessed_on
    answers = assessment.answers
    results: list[ItemResult] = []
    sections: list[SectionScore] = []
    measures: list[MeasureResult] = []
    red_flags: list[str] = []
    steadi_score = steadi_answered = steadi_questions = 0
    clinical_floor = False
    for section in checklist.sections:
        totals = SectionScore(section.id, section.title, section.kind)
        for item in section.items:
            answer = answers.get(item.id)
            value, note = (answer.value, answer.note) if answer is not None else (None, None)
            if not item.applies(mode, profile):
                results.append(ItemResult(section.id, item.id, "skipped", 0, value, note))
                continue
            totals.applicable += 1
            verdict = item.answer.verdict(value, profile, day)
            if verdict.measure is not None:
                measures.append(replace(verdict.measure, item_id=item.id))
            if item.steadi_points is not None:
                steadi_questions += 1
                steadi_answered += verdict.status != "unanswered"
                steadi_score += item.steadi_points if verdict.hazard else 0
            points = 0
            if verdict.status == "unanswered":
                totals.unanswered += 1
                value = None
            else:
                totals.answered += 1
                totals.not_applicable += verdict.status == "na"
            if verdict.hazard:
                points = item_points(item, profile)
                totals.hazards += 1
                totals.points += points
                if item.red_flag:
                    red_flags.append(item.id)
                clinical_floor = clinical_floor or item.answer.is_referral_score()
            results.append(ItemResult(section.id, item.id, verdict.status, points, value, note))
        sections.append(totals)
    total_points = sum(s.points for s in sections)
    steadi = None
    if steadi_questions:
        steadi = SteadiResult(
            score=steadi_score,
            answered=steadi_answered,
            questions=steadi_questions,
            at_risk=steadi_score >= STEADI_AT_RISK,
            complete=steadi_answered == steadi_questions,
        )
    band: Band
    reasons: list[str] = []
    if total_points >= HIGH_AT:
        band = "high"
        reasons.append(t("band.because.high", points=total_points))
    elif total_points >= MODERATE_AT:
        band = "moderate"
        reasons.append(t("band.because.moderate", points=total_points))
    else:
        band = "low"
        reasons.append(t("band.because.low", points=total_points))
    if steadi is not None and steadi.at_risk and BANDS.index(band) < BANDS.index("moderate"):
        band = "moderate"
        reasons.append(t("band.because.steadi", score=steadi.score))
    if clinical_floor and BANDS.index(band) < BANDS.index("high"):
        band = "high"
        reasons.append(t("band.because.clinical"))
    if red_flags:
        band = "urgent"
        reasons.insert(0, t("band.because.urgent", count=len(red_flags)))
    return Score(
        band=band,
        points=total_points,
        band_reasons=tuple(reasons),
        items=tuple(results),
        sections=tuple(sections),
        steadi=steadi,
        measures=tuple(measures),
        red_flags=tuple(red_flags),
        applicable=sum(s.applicable for s in sections),
        answered=sum(s.answered for s in sections),
        hazards=sum(s.hazards for s in sections),
        unanswered=sum(s.unanswered for s in sections),
    )


# --------------------------------------------------------------------------- the action plan as data


@dataclass(frozen=True, slots=True)
class PlanAction:
    item_id: str
    section_id: str
    section_title: str
    section_kind: str
    prompt: str
    action: str
    why: str
    source: str
    severity: str
    who: str
    points: int
    red_flag: bool
    note: str | None


@dataclass(frozen=True, slots=True)
class PlanReferral:
    to: str
    name: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Unanswered:
    item_id: str
    section_title: str
    prompt: str


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything an action plan shows, in the order it shows it."""

    band: Band
    band_reasons: tuple[str, ...]
    red_flags: tuple[PlanAction, ...]
    actions: tuple[PlanAction, ...]
    referrals: tuple[PlanReferral, ...]
    unanswered: tuple[Unanswered, ...]
    advice: tuple[str, ...]
    recheck_on: date
    recheck_days: int
    disclaimer: str = field(default_factory=disclaimer)
    by_section: tuple[tuple[str, tuple[PlanAction, ...]], ...] = field(default=())


def build_plan(checklist: Checklist, assessment: Assessment, result: Score | None = None) -> Plan:
    """Turn a scored assessment into an action plan: red flags first, then actions by priority."""
    result = result or score(checklist, assessment)
    index = checklist.index
    mode = assessment.mode
    order = {item_id: n for n, item_id in enumerate(index)}
    flagged: list[PlanAction] = []
    actions: list[PlanAction] = []
    referrals: dict[str, list[str]] = {}
    for item_result in result.items:
        if item_result.status != "hazard":
            continue
        section, item = index[item_result.item_id]
        entry = PlanAction(
            item_id=item.id,
            section_id=section.id,
            section_title=section.title,
            section_kind=section.kind,
            prompt=item.prompt_for(mode),
            action=item.action or "",
            why=item.why or "",
            source=item.source,
            severity=item.severity or "low",
            who=item.who,
            points=item_result.points,
            red_flag=item.red_flag,
            note=item_result.note,
        )
        (flagged if item.red_flag else actions).append(entry)
        if item.referral:
            referrals.setdefault(item.referral, []).append(
                t("plan.referral.reason", section=section.title, prompt=item.prompt_for(mode))
            )
    if flagged:
        reasons = referrals.setdefault("treating_team", [])
        for entry in flagged:
            reasons.insert(0, t("plan.referral.warning_sign", prompt=entry.prompt))
    actions.sort(key=lambda a: (-a.points, -SEVERITY_POINTS[a.severity], order[a.item_id]))
    grouped: dict[str, list[PlanAction]] = {}
    for entry in actions:
        grouped.setdefault(entry.section_title, []).append(entry)
    unanswered = tuple(
        Unanswered(r.item_id, index[r.item_id][0].title, index[r.item_id][1].prompt_for(mode))
        for r in result.items
        if r.status == "unanswered"
    )
    advice = tuple(a.text for a in checklist.advice if condition_holds(a.only_if, assessment.profile))
    days = RECHECK_DAYS[result.band]
    return Plan(
        band=result.band,
        band_reasons=result.band_reasons,
        red_flags=tuple(flagged),
        actions=tuple(actions),
        referrals=tuple(
            PlanReferral(key, referral_name(key), tuple(dict.fromkeys(reasons)))
            for key, reasons in sorted(referrals.items(), key=lambda kv: list(REFERRAL_NAMES).index(kv[0]))
        ),
        unanswered=unanswered,
        advice=advice,
        recheck_on=assessment.assessed_on + timedelta(days=days),
        recheck_days=days,
        by_section=tuple((title, tuple(entries)) for title, entries in grouped.items()),
    )
