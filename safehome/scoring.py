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

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal, NamedTuple

from .models import (
    NOT_APPLICABLE,
    Assessment,
    Checklist,
    ChoiceAnswer,
    Item,
    NumberAnswer,
    Profile,
    ScaleAnswer,
    Section,
    TextAnswer,
    YesNoAnswer,
    condition_holds,
)

Band = Literal["low", "moderate", "high", "urgent"]
BANDS: tuple[Band, ...] = ("low", "moderate", "high", "urgent")
BAND_LABELS: dict[str, str] = {"urgent": "URGENT: warning signs reported", "high": "High", "moderate": "Moderate", "low": "Low"}
Status = Literal["hazard", "ok", "na", "unanswered", "skipped"]

SEVERITY_POINTS = {"low": 1, "medium": 2, "high": 3}
MODERATE_AT = 6
HIGH_AT = 15
STEADI_AT_RISK = 4
TUG_AT_RISK_SECONDS = 12
BALANCE_TANDEM_STAGE = 3
MIRELS_HIGH = 9
SINS_UNSTABLE = 7
RECHECK_DAYS: dict[Band, int] = {"urgent": 7, "high": 30, "moderate": 90, "low": 180}

DISCLAIMER = (
    "The overall band is a plain rule of thumb made for safehome from severity-weighted "
    "hazards and published cut-offs. It is not a validated instrument and does not replace "
    "the judgement of the person's healthcare team."
)

# Below-average 30-second chair stand counts (CDC STEADI): a count below the figure is
# below average. (low age, high age): (men, women)
CHAIR_STAND_NORMS: tuple[tuple[int, int, int, int], ...] = (
    (60, 64, 14, 12),
    (65, 69, 12, 11),
    (70, 74, 12, 10),
    (75, 79, 11, 10),
    (80, 84, 10, 9),
    (85, 89, 8, 8),
    (90, 94, 7, 4),
)

REFERRAL_NAMES = {
    "physiotherapy": "Physiotherapy",
    "occupational_therapy": "Occupational therapy",
    "treating_team": "The treating cancer team",
    "pharmacist": "Pharmacist or prescriber (medicine review)",
}


def chair_stand_norm(age: int | None, sex: str) -> int | None:
    """The count below which a 30-second chair stand is below average, or None if no norm applies."""
    if age is None or sex not in ("male", "female"):
        return None
    for low, high, men, women in CHAIR_STAND_NORMS:
        if low <= age <= high:
            return men if sex == "male" else women
    return None


# --------------------------------------------------------------------------- answers


def value_problem(item: Item, value: Any) -> str | None:
    """Why ``value`` is not a valid answer to ``item``, or None when it is."""
    spec = item.answer
    if isinstance(value, str) and value == NOT_APPLICABLE:
        return None if NOT_APPLICABLE in spec.values() else "'na' (not applicable) is not offered for this item"
    if isinstance(spec, YesNoAnswer):
        if value not in ("yes", "no"):
            return f"answer {value!r} is not allowed; use yes, no{' or na' if spec.not_applicable else ''}"
    elif isinstance(spec, ChoiceAnswer):
        if value not in spec.values():
            return f"answer {value!r} is not one of: {', '.join(spec.values())}"
    elif isinstance(spec, (NumberAnswer, ScaleAnswer)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"expected a number, found {value!r}"
        if value != value or not spec.min <= value <= spec.max:
            unit = f" {spec.unit}" if isinstance(spec, NumberAnswer) else ""
            return f"{value:g} is out of range ({spec.min:g} to {spec.max:g}{unit})"
        if (isinstance(spec, ScaleAnswer) or spec.integer) and value != int(value):
            return f"{value:g} must be a whole number"
    elif isinstance(spec, TextAnswer):
        if not isinstance(value, str):
            return f"expected text, found {value!r}"
        if len(value) > spec.max_length:
            return f"the text is too long ({len(value)} characters; at most {spec.max_length})"
    return None


def answer_problems(checklist: Checklist, assessment: Assessment) -> list[tuple[str, str]]:
    """Check the answers against the checklist: (item id or field, message) for each problem."""
    problems: list[tuple[str, str]] = []
    if assessment.checklist_id != checklist.id:
        problems.append(("checklist_id", f"the answers are for '{assessment.checklist_id}', not '{checklist.id}'"))
        return problems
    if assessment.checklist_version != checklist.version:
        problems.append(
            (
                "checklist_version",
                f"the answers were given for version {assessment.checklist_version} of this checklist; "
                f"the installed one is version {checklist.version}",
            )
        )
    if assessment.mode not in checklist.modes:
        problems.append(("mode", f"this checklist is not meant for mode '{assessment.mode}'"))
    index = _index(checklist)
    for item_id, answer in assessment.answers.items():
        entry = index.get(item_id)
        if entry is None:
            problems.append((item_id, "no item with this id in the checklist"))
            continue
        if answer.value is None:
            continue
        message = value_problem(entry[1], answer.value)
        if message:
            problems.append((item_id, message))
    return problems


# --------------------------------------------------------------------------- results


class ItemResult(NamedTuple):
    """One item's outcome. A named tuple: the scorer makes one per item, so it must be cheap."""

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
    applicable: int
    answered: int
    hazards: int
    not_applicable: int
    unanswered: int
    points: int


@dataclass(slots=True)
class SteadiResult:
    score: int
    answered: int
    questions: int
    at_risk: bool
    complete: bool
    maximum: int = 14
    cut_off: int = STEADI_AT_RISK

    @property
    def band(self) -> str:
        return "may be at risk of falling" if self.at_risk else "below the at-risk cut-off"


@dataclass(slots=True)
class MeasureResult:
    item_id: str
    measure: str
    value: float | None
    unit: str
    at_risk: bool | None
    judgement: str


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
    disclaimer: str = DISCLAIMER

    def status_of(self, item_id: str) -> ItemResult | None:
        for result in self.items:
            if result.item_id == item_id:
                return result
        return None


def _index(checklist: Checklist) -> dict[str, tuple[Section, Item]]:
    """Item id -> (section, item), in checklist order (kept with the compiled checklist)."""
    return _prepared(checklist)[1]


def applies(item: Item, mode: str, profile: Profile) -> bool:
    """Whether the item is asked of this person in this mode."""
    return item.asked_in(mode) and condition_holds(item.only_if, profile)


def _judge_measure(item: Item, spec: NumberAnswer, value: float, profile: Profile, day: date) -> MeasureResult:
    measure = spec.measure
    at_risk: bool | None
    if measure == "tug_seconds":
        at_risk = value >= TUG_AT_RISK_SECONDS
        judgement = (
            f"{value:g} s: at risk of falling (12 s or more)" if at_risk else f"{value:g} s: under the 12 s cut-off"
        )
    elif measure == "chair_stand_30s":
        age = profile.age_on(day)
        norm = chair_stand_norm(age, profile.sex)
        if norm is None:
            at_risk = None
            judgement = f"{value:g} stands: not judged (norms cover men and women aged 60 to 94)"
        else:
            at_risk = value < norm
            who = "men" if profile.sex == "male" else "women"
            judgement = (
                f"{value:g} stands: below average for {who} aged {age} (under {norm})"
                if at_risk
                else f"{value:g} stands: average or better for {who} aged {age} ({norm} or more)"
            )
    elif measure == "balance_stage":
        at_risk = value < BALANCE_TANDEM_STAGE
        judgement = (
            f"stage {value:g}: tandem stance not held 10 s, increased risk of falling"
            if at_risk
            else f"stage {value:g}: tandem stance held 10 s"
        )
    elif measure == "mirels":
        at_risk = value >= MIRELS_HIGH
        judgement = (
            f"Mirels {value:g}: high fracture risk (9 or more); refer before mobility training"
            if at_risk
            else (f"Mirels {value:g}: borderline, clinical judgement" if value == 8 else f"Mirels {value:g}: below 8")
        )
    else:  # sins
        at_risk = value >= SINS_UNSTABLE
        judgement = (
            f"SINS {value:g}: possibly unstable spine (7 or more); refer before mobility training"
            if at_risk
            else f"SINS {value:g}: stable range (0 to 6)"
        )
    return MeasureResult(item.id, measure or "", value, spec.unit, at_risk, judgement)


def _is_hazard(item: Item, value: Any, measure: MeasureResult | None) -> bool:
    spec = item.answer
    if measure is not None:
        return bool(measure.at_risk)
    if isinstance(spec, (YesNoAnswer, ChoiceAnswer)):
        return value in spec.hazard
    if isinstance(spec, NumberAnswer):
        return (spec.hazard_below is not None and value < spec.hazard_below) or (
            spec.hazard_at_or_above is not None and value >= spec.hazard_at_or_above
        )
    if isinstance(spec, ScaleAnswer):
        return spec.hazard_at_or_above is not None and value >= spec.hazard_at_or_above
    return False


def is_hazard(item: Item, value: Any, profile: Profile, day: date) -> bool:
    """Whether one valid answer makes the item a hazard for this person (used as answers arrive)."""
    if value is None or value == NOT_APPLICABLE:
        return False
    spec = item.answer
    measure = None
    if isinstance(spec, NumberAnswer) and spec.measure is not None:
        measure = _judge_measure(item, spec, float(value), profile, day)
    return _is_hazard(item, value, measure)


_YESNO_CHOICE, _NUMBER, _MEASURE, _SCALE, _TEXT = range(5)


class _Entry(NamedTuple):
    item: Item
    id: str
    modes: frozenset[str] | None
    only_if: dict[str, Any] | None
    kind: int
    hazard: frozenset[Any]
    below: float | None
    at_or_above: float | None
    steadi: int | None
    points: int
    sites: frozenset[str]
    red_flag: bool
    is_score: bool  # Mirels or SINS: flags "refer before mobility training"


_Prepared = tuple[list[tuple[Section, list[_Entry]]], dict[str, tuple[Section, Item]]]
_PREPARED: dict[int, tuple[Checklist, _Prepared]] = {}


def _compiled(checklist: Checklist) -> list[tuple[Section, list[_Entry]]]:
    return _prepared(checklist)[0]


def _prepared(checklist: Checklist) -> _Prepared:
    """The checklist flattened into tuples once, so that scoring is a tight loop, and its id index."""
    cached = _PREPARED.get(id(checklist))
    if cached is not None and cached[0] is checklist:
        return cached[1]
    sections = []
    for section in checklist.sections:
        entries = []
        for item in section.items:
            spec = item.answer
            below = above = None
            hazard: frozenset[Any] = frozenset()
            if isinstance(spec, (YesNoAnswer, ChoiceAnswer)):
                kind, hazard = _YESNO_CHOICE, frozenset(spec.hazard)
            elif isinstance(spec, NumberAnswer):
                kind = _MEASURE if spec.measure else _NUMBER
                below, above = spec.hazard_below, spec.hazard_at_or_above
            elif isinstance(spec, ScaleAnswer):
                kind, above = _SCALE, spec.hazard_at_or_above
            else:
                kind = _TEXT
            entries.append(
                _Entry(
                    item, item.id, frozenset(item.modes) if item.modes is not None else None, item.only_if or None,
                    kind, hazard, below, above, item.steadi_points, SEVERITY_POINTS.get(item.severity or "", 0),
                    frozenset(item.weighs_more_with), item.red_flag,
                    isinstance(spec, NumberAnswer) and spec.measure in ("mirels", "sins"),
                )
            )
        sections.append((section, entries))
    prepared: _Prepared = (sections, {item.id: (section, item) for section, item in checklist.items()})
    _PREPARED[id(checklist)] = (checklist, prepared)
    return prepared


def score(checklist: Checklist, assessment: Assessment) -> Score:
    """Score an assessment whose answers have passed :func:`answer_problems`."""
    profile = assessment.profile
    mode = assessment.mode
    answers = assessment.answers
    day = assessment.assessed_on
    person_sites = frozenset(profile.bone_sites)
    results: list[ItemResult] = []
    add = results.append
    new = tuple.__new__  # builds the named tuples without the Python-level __new__
    sections: list[SectionScore] = []
    measures: list[MeasureResult] = []
    red_flags: list[str] = []
    steadi_score = steadi_answered = steadi_questions = 0
    clinical_floor = False
    total_points = 0
    for section, entries in _compiled(checklist):
        sid = section.id
        applicable = answered = hazards = na = unanswered = points = 0
        for item, iid, modes, only_if, kind, hazard_values, below, above, steadi_pts, item_pts, sites, red, is_score in entries:
            answer = answers.get(iid)
            if answer is None:
                value = note = None
            else:
                value, note = answer.value, answer.note
            if (modes is not None and mode not in modes) or (only_if is not None and not condition_holds(only_if, profile)):
                add(new(ItemResult, (sid, iid, "skipped", 0, value, note)))
                continue
            applicable += 1
            if steadi_pts is not None:
                steadi_questions += 1
            if value is None:
                unanswered += 1
                add(new(ItemResult, (sid, iid, "unanswered", 0, None, note)))
                continue
            answered += 1
            if value == NOT_APPLICABLE:
                na += 1
                add(new(ItemResult, (sid, iid, "na", 0, value, note)))
                continue
            if kind == _YESNO_CHOICE:
                hazard = value in hazard_values
            elif kind == _MEASURE:
                measure = _judge_measure(item, item.answer, float(value), profile, day)  # type: ignore[arg-type]
                measures.append(measure)
                hazard = bool(measure.at_risk)
            elif kind == _NUMBER:
                hazard = (below is not None and value < below) or (above is not None and value >= above)
            elif kind == _SCALE:
                hazard = above is not None and value >= above
            else:
                hazard = False
            if steadi_pts is not None:
                steadi_answered += 1
                if hazard:
                    steadi_score += steadi_pts
            if hazard:
                earned = item_pts * 2 if sites and not sites.isdisjoint(person_sites) else item_pts
                hazards += 1
                points += earned
                if red:
                    red_flags.append(iid)
                if is_score:
                    clinical_floor = True
                add(new(ItemResult, (sid, iid, "hazard", earned, value, note)))
            else:
                add(new(ItemResult, (sid, iid, "ok", 0, value, note)))
        total_points += points
        sections.append(SectionScore(sid, section.title, section.kind, applicable, answered, hazards, na, unanswered, points))
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
        reasons.append(f"{total_points} hazard points (15 or more is high)")
    elif total_points >= MODERATE_AT:
        band = "moderate"
        reasons.append(f"{total_points} hazard points (6 to 14 is moderate)")
    else:
        band = "low"
        reasons.append(f"{total_points} hazard points (under 6 is low)")
    if steadi is not None and steadi.at_risk and BANDS.index(band) < BANDS.index("moderate"):
        band = "moderate"
        reasons.append(f"STEADI score {steadi.score} of 14 (4 or more: may be at risk)")
    if clinical_floor and BANDS.index(band) < BANDS.index("high"):
        band = "high"
        reasons.append("Mirels 9 or more, or SINS 7 or more: refer before mobility training")
    if red_flags:
        band = "urgent"
        reasons.insert(0, f"{len(red_flags)} warning sign(s) reported: contact the healthcare team now")
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
    disclaimer: str = DISCLAIMER
    by_section: tuple[tuple[str, tuple[PlanAction, ...]], ...] = field(default=())


def build_plan(checklist: Checklist, assessment: Assessment, result: Score | None = None) -> Plan:
    """Turn a scored assessment into an action plan: red flags first, then actions by priority."""
    result = result or score(checklist, assessment)
    index = _index(checklist)
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
            referrals.setdefault(item.referral, []).append(f"{section.title}: {item.prompt_for(mode)}")
    if flagged:
        reasons = referrals.setdefault("treating_team", [])
        for entry in flagged:
            reasons.insert(0, f"Warning sign reported: {entry.prompt}")
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
            PlanReferral(key, REFERRAL_NAMES[key], tuple(dict.fromkeys(reasons)))
            for key, reasons in sorted(referrals.items(), key=lambda kv: list(REFERRAL_NAMES).index(kv[0]))
        ),
        unanswered=unanswered,
        advice=advice,
        recheck_on=assessment.assessed_on + timedelta(days=days),
        recheck_days=days,
        by_section=tuple((title, tuple(entries)) for title, entries in grouped.items()),
    )
