"""Scoring an assessment: pure functions over the models, no clock, no UI.

A result is four separate outputs, each with its rule in one line ("because ..."). None of
them blends into another, and none ever reassures about something that was not checked.
The levels are a transparent rule of thumb made for safehome, NOT a validated instrument,
and everything that shows them says so; the cut-offs inside them are published ones.

1. **Urgency**, from the warning signs (each carries its tier in the checklist data):
   ``emergency`` (call 911), ``same_day`` (the cancer team now, or the after-hours line),
   ``next_visit``; ``none`` only when every warning sign was answered "no"; otherwise
   ``not_checked``.
2. **Fall risk**, one line per measure: the CDC STEADI Stay Independent score (4 or more
   of 14), falls recorded in the profile, and each functional test against its published
   cut-off (Timed Up and Go 12 s or more; a 30-second chair stand below the CDC average for
   age and sex, ages 60 to 94 only; tandem stance not held 10 s). At risk if any line is;
   a test not done because it is unsafe today counts as at risk. Not at risk only when the
   Stay Independent questions are all answered and below the cut-off, and nothing is positive.
3. **Home hazards**: each hazard earns points by severity (low 1, medium 2, high 3), doubled
   when the item lists one of the person's bone sites; under 6 low, 6 to 14 moderate, 15 or
   more high; any high-severity hazard makes it at least moderate. "Low" is said only when
   every home item was answered. Warning signs, falls-screening answers and measures earn no
   hazard points (they feed urgency and fall risk).
4. **Completeness**: every warning sign and falls-screening item (and any item marked
   ``required``) must be answered; otherwise the result is incomplete and lists what is missing.

Safety before testing: with any positive warning sign, Mirels 8 or more or SINS 7 or more,
the Timed Up and Go, chair stand and balance tests are "not done: unsafe today".
The re-check follows the worst output: 7 days after the team has seen the person when urgent,
"finish the check" when incomplete, else 30 days (at risk of falling, or high hazards), 90
(moderate hazards, or a sign for the next visit), 180 otherwise. Answering one more item as
a hazard never lowers urgency, fall risk or the hazard level.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Literal

from safehome.core.answers import Status
from safehome.core.measures import CHAIR_STAND_NORMS, MeasureResult, chair_stand_norm
from safehome.core.models import URGENCIES, Assessment, Checklist, Item, Section
from safehome.core.profile import Profile
from safehome.i18n.words import t

__all__ = ["CHAIR_STAND_NORMS", "MeasureResult", "chair_stand_norm"]

UrgencyLevel = Literal["emergency", "same_day", "next_visit", "none", "not_checked"]
FallRisk = Literal["at_risk", "not_at_risk", "not_checked"]
HazardLevel = Literal["high", "moderate", "low", "not_checked"]
LineStatus = Literal["at_risk", "not_at_risk", "not_checked"]

SEVERITY_POINTS = {"low": 1, "medium": 2, "high": 3}
MODERATE_AT = 6  # safehome's own rule of thumb (see the module docstring)
HIGH_AT = 15  # safehome's own rule of thumb
STEADI_AT_RISK = 4  # CDC STEADI Stay Independent: 4 or more of 14
STEADI_MAXIMUM = 14
STEADI_VALIDATED_FROM_AGE = 65  # the brochure was validated with people 65 and older
URGENT_RECHECK_DAYS = 7  # after the team has seen the person
HAZARD_ORDER: tuple[HazardLevel, ...] = ("low", "moderate", "high")

REFERRAL_NAMES = {
    "physiotherapy": "referral.physiotherapy",
    "occupational_therapy": "referral.occupational_therapy",
    "treating_team": "referral.treating_team",
    "pharmacist": "referral.pharmacist",
}


def urgency_label(level: str) -> str:
    return t(f"urgency.{level}")


def fall_risk_label(level: str) -> str:
    return t(f"fall_risk.{level}")


def hazard_label(level: str) -> str:
    return t(f"hazards.{level}")


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
    from_profile: bool = False


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
    not_done: int = 0  # physical tests not done because they are unsafe today


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
        return t("steadi.at_risk" if self.at_risk else "steadi.below" if self.complete else "steadi.incomplete")


@dataclass(frozen=True, slots=True)
class FallLine:
    """One measure in the fall-risk output: what it is, its status, and the words for it."""

    key: str
    status: LineStatus
    text: str


@dataclass(slots=True)
class Score:
    urgency: UrgencyLevel
    urgency_because: str
    fall_risk: FallRisk
    fall_lines: tuple[FallLine, ...]
    fall_because: str
    hazard_level: HazardLevel
    hazard_because: str
    points: int
    complete: bool
    missing: tuple[str, ...]
    unchecked_signs: tuple[str, ...]
    red_flags: tuple[str, ...]
    safety_stops: tuple[str, ...]
    contradictions: tuple[str, ...]
    reviews: tuple[str, ...]
    recheck_days: int | None
    recheck_because: str
    items: tuple[ItemResult, ...]
    sections: tuple[SectionScore, ...]
    steadi: SteadiResult | None
    measures: tuple[MeasureResult, ...]
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
    """The points a home hazard on this item earns: by severity, doubled with a listed bone site."""
    points = SEVERITY_POINTS.get(item.severity or "", 0)
    return points * 2 if item.doubles_with(profile) else points


def earns_hazard_points(item: Item) -> bool:
    """Home hazards only: warning signs, falls screening and measures feed the other outputs."""
    return not item.red_flag and item.steadi_points is None and not item.answer.is_measure()


def answer_of(item: Item, answers: dict[str, Any], profile: Profile) -> tuple[Any, str | None, bool]:
    """(value, note, from the profile): the stored answer, else what the profile already says."""
    answer = answers.get(item.id)
    if answer is None:
        value = note = None
    else:
        value, note = answer.value, answer.note
    if value is None and item.profile_fills is not None:
        filled = item.profile_value(profile)
        if filled is not None:
            return filled, note, True
    return value, note, False


@dataclass(frozen=True, slots=True)
class ItemFacts:
    """What scoring asks of an item, asked once per checklist. Each fact is the item's (or its
    answer kind's) own answer: caching it decides nothing twice, it only spares the hot loop."""

    item: Item
    physical_test: bool
    home_hazard: bool  # earns hazard points
    open_home_hazard: bool  # a home hazard question whose answer can be a hazard
    gates_tests: bool  # a warning sign or a score that can make the physical tests unsafe
    always_asked: bool  # no mode or profile condition: applies to everyone
    filled_from_profile: bool  # the profile may answer it (falls, walking aid)


_FACTS: dict[int, tuple[Checklist, tuple[tuple[Section, tuple[ItemFacts, ...]], ...]]] = {}


def item_facts(checklist: Checklist) -> tuple[tuple[Section, tuple[ItemFacts, ...]], ...]:
    """The checklist's items with their facts, by section (made once per checklist object)."""
    cached = _FACTS.get(id(checklist))
    if cached is not None and cached[0] is checklist:
        return cached[1]
    facts = tuple(
        (
            section,
            tuple(
                ItemFacts(
                    item=item,
                    physical_test=item.answer.is_physical_test(),
                    home_hazard=earns_hazard_points(item),
                    open_home_hazard=earns_hazard_points(item) and item.answer.can_be_hazard(),
                    gates_tests=item.red_flag or item.answer.is_referral_score(),
                    always_asked=item.modes is None and item.only_if is None and item.unless is None,
                    filled_from_profile=item.profile_fills is not None,
                )
                for item in section.items
            ),
        )
        for section in checklist.sections
    )
    _FACTS[id(checklist)] = (checklist, facts)
    return facts


def safety_stops(
    checklist: Checklist, mode: str, profile: Profile, day: date, value_of: Callable[[Item], Any]
) -> list[str]:
    """Why the physical tests are unsafe today (empty when they may be done)."""
    reasons: list[str] = []
    for item in (f.item for _, facts in item_facts(checklist) for f in facts if f.gates_tests):
        if not item.applies(mode, profile):
            continue
        value = value_of(item)
        if item.red_flag and item.answer.verdict(value, profile, day).hazard:
            reasons.append(
                t("safety.red_flag", prompt=item.statement or item.prompt_for(mode))
            )  # the sign, not the question
        elif item.answer.stops_physical_tests(value):
            reasons.append(t("safety.score", prompt=item.prompt_for(mode), value=value))
    return reasons


def asked_items(
    checklist: Checklist, mode: str, profile: Profile, day: date, value_of: Callable[[Item], Any]
) -> list[tuple[Section, Item]]:
    """The questions put to this person today: those that apply, less the physical tests that
    are unsafe today and were not done. The one count of questions (start list, header, review)."""
    stops = safety_stops(checklist, mode, profile, day, value_of)
    return [
        (section, item)
        for section, item in checklist.items()
        if item.applies(mode, profile) and not (stops and item.answer.is_physical_test() and value_of(item) is None)
    ]


def progress(checklist: Checklist, assessment: Assessment) -> tuple[int, int]:
    """(answered, asked) for an assessment, counted over :func:`asked_items`."""

    def value_of(item: Item) -> Any:
        return answer_of(item, assessment.answers, assessment.profile)[0]

    items = asked_items(checklist, assessment.mode, assessment.profile, assessment.assessed_on, value_of)
    return sum(1 for _, item in items if value_of(item) is not None), len(items)


def score(checklist: Checklist, assessment: Assessment) -> Score:
    """Score an assessment whose answers have passed :func:`answer_problems`."""
    profile, mode, day = assessment.profile, assessment.mode, assessment.assessed_on
    answers = assessment.answers
    stops = safety_stops(checklist, mode, profile, day, lambda item: answer_of(item, answers, profile)[0])
    results: list[ItemResult] = []
    sections: list[SectionScore] = []
    measures: list[MeasureResult] = []
    red_flags: list[tuple[int, str]] = []
    unchecked_signs: list[str] = []
    missing: list[str] = []
    contradictions: list[str] = []
    home_unanswered = 0
    any_high = False
    test_lines: list[FallLine] = []
    steadi_score = steadi_answered = steadi_questions = 0
    for section, facts in item_facts(checklist):
        totals = SectionScore(section.id, section.title, section.kind)
        for fact in facts:
            item = fact.item
            if fact.filled_from_profile:  # the profile may answer it: the one rule in answer_of
                value, note, from_profile = answer_of(item, answers, profile)
            else:
                answer = answers.get(item.id)
                value, note, from_profile = (
                    (None, None, False) if answer is None else (answer.value, answer.note, False)
                )
            if not fact.always_asked and not item.applies(mode, profile):
                results.append(ItemResult(section.id, item.id, "skipped", 0, value, note))
                continue
            totals.applicable += 1
            verdict = item.answer.verdict(value, profile, day)
            status: Status = verdict.status
            hazard = status == "hazard"
            if status == "unanswered" and stops and fact.physical_test:
                status = "unsafe"
            if verdict.measure is not None:
                measures.append(replace(verdict.measure, item_id=item.id))
            if item.profile_fills and not from_profile and value is not None:
                said = item.profile_value(profile)
                if said is not None and said != value:
                    said_here = item.answer.shown(value)  # "no" in the catalogue's words, not the stored token
                    contradictions.append(t("review.contradiction", prompt=item.prompt_for(mode), answer=said_here))
            if item.steadi_points is not None:
                steadi_questions += 1
                steadi_answered += status != "unanswered"
                steadi_score += item.steadi_points if hazard else 0
            if status == "unanswered":
                totals.unanswered += 1
                if item.is_required:
                    missing.append(item.id)
                if item.red_flag:
                    unchecked_signs.append(item.id)
                home_unanswered += fact.open_home_hazard
            elif status == "unsafe":
                totals.not_done += 1
            else:
                totals.answered += 1
                totals.not_applicable += status == "na"
            points = 0
            if hazard:
                totals.hazards += 1
                if item.red_flag and item.urgency is not None:
                    red_flags.append((URGENCIES.index(item.urgency), item.id))
                if fact.home_hazard:
                    points = item_points(item, profile)
                    totals.points += points
                    any_high = any_high or item.severity == "high"
            if fact.physical_test:
                test_lines.append(_test_line(item, status, verdict.measure, stops, mode))
            results.append(ItemResult(section.id, item.id, status, points, value, note, from_profile))
        sections.append(totals)
    steadi = None
    if steadi_questions:
        steadi = SteadiResult(
            score=steadi_score,
            answered=steadi_answered,
            questions=steadi_questions,
            at_risk=steadi_score >= STEADI_AT_RISK,
            complete=steadi_answered == steadi_questions,
        )
    total_points = sum(s.points for s in sections)
    urgency, urgency_because = _urgency(red_flags, unchecked_signs)
    fall_risk, fall_lines, fall_because = _fall_risk(steadi, profile, day, test_lines)
    hazard_level, hazard_because = _hazards(total_points, any_high, home_unanswered)
    complete = not missing
    if not complete:  # an unfinished check never reads as low or as "not at risk"
        if hazard_level == "low":
            hazard_level, hazard_because = "not_checked", t("hazards.because.incomplete", points=total_points)
        if fall_risk == "not_at_risk":
            fall_risk, fall_because = "not_checked", t("fall.because.incomplete")
    recheck_days, recheck_because = _recheck(urgency, complete, fall_risk, hazard_level)
    reviews = (t("review.sites"),) if profile.sites_to_review else ()
    return Score(
        urgency=urgency,
        urgency_because=urgency_because,
        fall_risk=fall_risk,
        fall_lines=fall_lines,
        fall_because=fall_because,
        hazard_level=hazard_level,
        hazard_because=hazard_because,
        points=total_points,
        complete=complete,
        missing=tuple(missing),
        unchecked_signs=tuple(unchecked_signs),
        red_flags=tuple(item_id for _, item_id in sorted(red_flags)),
        safety_stops=tuple(stops),
        contradictions=tuple(contradictions),
        reviews=reviews,
        recheck_days=recheck_days,
        recheck_because=recheck_because,
        items=tuple(results),
        sections=tuple(sections),
        steadi=steadi,
        measures=tuple(measures),
        applicable=sum(s.applicable for s in sections),
        answered=sum(s.answered for s in sections),
        hazards=sum(s.hazards for s in sections),
        unanswered=sum(s.unanswered for s in sections),
    )


def _urgency(red_flags: list[tuple[int, str]], unchecked: list[str]) -> tuple[UrgencyLevel, str]:
    if red_flags:
        level: UrgencyLevel = URGENCIES[min(tier for tier, _ in red_flags)]
        because = t("urgency.because.flags", count=len(red_flags))
        if unchecked:
            because += t("urgency.because.also_unchecked", count=len(unchecked))
        return level, because
    if unchecked:
        return "not_checked", t("urgency.because.unchecked", count=len(unchecked))
    return "none", t("urgency.because.none")


def _test_line(item: Item, status: Status, measure: MeasureResult | None, stops: list[str], mode: str) -> FallLine:
    prompt = item.prompt_for(mode)
    if status == "unsafe":
        return FallLine(item.id, "at_risk", t("fall.line.unsafe", prompt=prompt, reason="; ".join(stops)))
    if measure is not None:
        line: LineStatus = "not_checked" if measure.at_risk is None else "at_risk" if measure.at_risk else "not_at_risk"
        return FallLine(item.id, line, t("fall.line.measure", prompt=prompt, judgement=measure.judgement))
    key = "fall.line.na" if status == "na" else "fall.line.not_done"
    return FallLine(item.id, "not_checked", t(key, prompt=prompt))


def _fall_risk(
    steadi: SteadiResult | None, profile: Profile, day: date, test_lines: list[FallLine]
) -> tuple[FallRisk, tuple[FallLine, ...], str]:
    lines: list[FallLine] = []
    if steadi is not None:
        if steadi.at_risk:
            status: LineStatus = "at_risk"
        else:
            status = "not_at_risk" if steadi.complete else "not_checked"
        text = t(
            "fall.line.steadi",
            score=steadi.score,
            answered=steadi.answered,
            questions=steadi.questions,
            band=steadi.band,
        )
        age = profile.age_on(day)
        if age is not None and age < STEADI_VALIDATED_FROM_AGE:
            text += t("fall.line.steadi_younger", age=age)
        lines.append(FallLine("steadi", status, text))
    falls = profile.falls_last_12_months
    if falls is None:
        lines.append(FallLine("profile_falls", "not_checked", t("fall.line.falls_unknown")))
    else:
        lines.append(
            FallLine("profile_falls", "at_risk" if falls else "not_at_risk", t("fall.line.falls", count=falls))
        )
    lines += test_lines
    positive = [line for line in lines if line.status == "at_risk"]
    if positive:
        return "at_risk", tuple(lines), t("fall.because.at_risk", count=len(positive))
    steadi_done = steadi is not None and steadi.complete
    if not steadi_done:
        return "not_checked", tuple(lines), t("fall.because.not_checked")
    return "not_at_risk", tuple(lines), t("fall.because.not_at_risk")


def _hazards(points: int, any_high: bool, unanswered: int) -> tuple[HazardLevel, str]:
    if points >= HIGH_AT:
        return "high", t("hazards.because.high", points=points)
    if points >= MODERATE_AT:
        return "moderate", t("hazards.because.moderate", points=points)
    if any_high:
        return "moderate", t("hazards.because.severe", points=points)
    if unanswered:
        return "not_checked", t("hazards.because.unanswered", points=points, count=unanswered)
    return "low", t("hazards.because.low", points=points)


def _recheck(
    urgency: UrgencyLevel, complete: bool, fall_risk: FallRisk, hazards: HazardLevel
) -> tuple[int | None, str]:
    if urgency in ("emergency", "same_day"):
        return URGENT_RECHECK_DAYS, t("recheck.because.urgent")
    if not complete:
        return None, t("recheck.because.incomplete")
    if fall_risk == "at_risk" or hazards == "high":
        return 30, t("recheck.because.high")
    if hazards == "moderate" or urgency == "next_visit":
        return 90, t("recheck.because.moderate")
    return 180, t("recheck.because.low")


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
    urgency: str | None = None
    rooms: tuple[str, ...] = ()  # where in the home, in everyday words (more than one when merged)
    item_ids: tuple[str, ...] = ()  # every item that led to this action (more than one when merged)

    @property
    def by_when(self) -> str:
        """When to have it done, from the severity (a safehome rule: high this week, medium this
        month, low before the next visit)."""
        return t(f"plan.by_when.{self.severity}")


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

    red_flags: tuple[PlanAction, ...]
    unchecked_signs: tuple[Unanswered, ...]
    actions: tuple[PlanAction, ...]
    referrals: tuple[PlanReferral, ...]
    unanswered: tuple[Unanswered, ...]
    advice: tuple[str, ...]
    recheck_on: date | None
    recheck_days: int | None
    recheck_because: str
    disclaimer: str = field(default_factory=disclaimer)
    personal: str = ""  # why the advice was chosen, said aloud ("Because the cancer is in your spine, ...")


def own_aid(text: str, profile: Profile) -> str:
    """Name the person's own walking aid where the checklist says "your walking aid"."""
    if profile.walking_aid in ("cane", "walker"):
        return text.replace(t("plan.aid.generic"), t(f"plan.aid.{profile.walking_aid}"))
    return text


def personal_reason(profile: Profile) -> str:
    """The facts the advice was chosen from, in everyday words ("" when none are known)."""
    parts: list[str] = []
    sites = [t(f"plan.site.{x}") for x in profile.bone_sites if x not in ("unknown", "other_long_bones")]
    if sites:
        joined = sites[0] if len(sites) == 1 else t("plan.and", first=", ".join(sites[:-1]), last=sites[-1])
        parts.append(t("plan.personal.sites", sites=joined))
    if profile.walking_aid in ("cane", "walker", "wheelchair"):
        parts.append(t(f"plan.personal.aid.{profile.walking_aid}"))
    if profile.lives_alone:
        parts.append(t("plan.personal.alone"))
    if not parts:
        return ""
    joined = parts[0] if len(parts) == 1 else t("plan.and.clauses", first=", ".join(parts[:-1]), last=parts[-1])
    return t("plan.personal", facts=joined)


def _merged(actions: list[PlanAction]) -> list[PlanAction]:
    """An action reached from two items appears once, where the first (most urgent) one put it,
    naming every room and keeping every note."""
    merged: dict[str, PlanAction] = {}
    for entry in actions:
        key = " ".join(entry.action.casefold().split())
        first = merged.get(key)
        if first is None:
            merged[key] = entry
            continue
        notes = "\n".join(n for n in (first.note, entry.note) if n) or None
        merged[key] = replace(
            first,
            rooms=tuple(dict.fromkeys(first.rooms + entry.rooms)),
            item_ids=first.item_ids + entry.item_ids,
            note=notes,
        )
    return list(merged.values())


def build_plan(checklist: Checklist, assessment: Assessment, result: Score | None = None) -> Plan:
    """Turn a scored assessment into an action plan: warning signs first (most urgent tier
    first), then one flat list of actions by severity, the person's own points (a hazard that
    matters more for their bone sites counts double), then room and checklist order; an action
    two items lead to appears once."""
    result = result or score(checklist, assessment)
    index = checklist.index
    mode = assessment.mode
    order = {item_id: n for n, item_id in enumerate(index)}
    measures = {m.item_id: m.judgement for m in result.measures}
    flagged: list[PlanAction] = []
    actions: list[PlanAction] = []
    referrals: dict[str, list[str]] = {}
    for item_result in result.items:
        if item_result.status != "hazard" and item_result.status != "unsafe":
            continue
        section, item = index[item_result.item_id]
        if item_result.status == "unsafe" or not (item.action or item.red_flag):
            continue  # a test not done has no action of its own; a screening answer may have none
        entry = PlanAction(
            item_id=item.id,
            section_id=section.id,
            section_title=section.title,
            section_kind=section.kind,
            prompt=item.reported_as(mode) if item.red_flag else item.prompt_for(mode),
            action=own_aid(item.action or "", assessment.profile),
            why=item.why or "",
            source=item.source,
            severity=item.severity or "low",
            who=item.who,
            points=item_result.points,
            red_flag=item.red_flag,
            note=item_result.note,
            urgency=item.urgency,
            rooms=(section.plain_title or section.title,),
            item_ids=(item.id,),
        )
        (flagged if item.red_flag else actions).append(entry)
        if item.referral:  # a finding, not the question: "Timed Up and Go: 13.5 s: at risk of falling"
            measure = measures.get(item.id)
            name = item.reported_as(mode)
            finding = t("answer.finding", statement=name, value=measure) if measure else None
            referrals.setdefault(item.referral, []).append(finding or item.answer.finding(name, item_result.value))
    if flagged:
        reasons = referrals.setdefault("treating_team", [])
        for entry in reversed(flagged):
            reasons.insert(0, t("plan.referral.warning_sign", prompt=entry.prompt))
    flagged.sort(key=lambda a: (URGENCIES.index(a.urgency or "next_visit"), order[a.item_id]))
    actions.sort(key=lambda a: (-SEVERITY_POINTS[a.severity], -a.points, order[a.item_id]))
    actions = _merged(actions)
    in_plan = {i for a in actions for i in a.item_ids}

    def unanswered(ids: list[str]) -> tuple[Unanswered, ...]:  # a sign is said as a sign, a question as asked
        shown = []
        for i in ids:
            section, item = index[i]
            said = item.reported_as(mode) if item.red_flag else item.prompt_for(mode)
            shown.append(Unanswered(i, section.title, said))
        return tuple(shown)

    advice = tuple(
        own_aid(a.text, assessment.profile)
        for a in checklist.advice
        if a.fits(assessment.profile) and not in_plan.intersection(a.covered_by)
    )
    days = result.recheck_days
    return Plan(
        red_flags=tuple(flagged),
        unchecked_signs=unanswered(list(result.unchecked_signs)),
        actions=tuple(actions),
        referrals=tuple(
            PlanReferral(key, referral_name(key), tuple(dict.fromkeys(reasons)))
            for key, reasons in sorted(referrals.items(), key=lambda kv: list(REFERRAL_NAMES).index(kv[0]))
        ),
        unanswered=unanswered([r.item_id for r in result.items if r.status == "unanswered"]),
        advice=advice,
        recheck_on=None if days is None else assessment.assessed_on + timedelta(days=days),
        recheck_days=days,
        recheck_because=result.recheck_because,
        personal=personal_reason(assessment.profile) if advice else "",
    )


# --------------------------------------------------------------------------- the outputs as every face shows them


@dataclass(frozen=True, slots=True)
class Output:
    """One output of the result, in words: the CLI, the app and the clinician summary show these."""

    key: str
    title: str
    level: str
    label: str
    because: str
    details: tuple[str, ...]
    alarm: bool  # shown with emphasis: urgent, not checked, at risk, incomplete


def outputs(checklist: Checklist, result: Score, mode: str) -> tuple[Output, ...]:
    """Urgency, fall risk, home hazards and completeness (and anything to review), in that order."""

    def prompt(item_id: str) -> str:
        return checklist.item(item_id).prompt_for(mode)

    def sign(item_id: str) -> str:  # a warning sign in plain words
        return checklist.item(item_id).reported_as(mode)

    signs = [
        t("output.flag", prompt=sign(i), todo=t(f"urgency.do.{checklist.item(i).urgency}")) for i in result.red_flags
    ]
    signs += [t("output.not_checked", prompt=sign(i)) for i in result.unchecked_signs]
    falls = [line.text for line in result.fall_lines]
    hazards = [t("output.hazard_count", count=sum(1 for r in result.items if r.points), points=result.points)]
    missing = [t("output.missing", prompt=prompt(i)) for i in result.missing]
    complete = t("output.complete") if result.complete else t("output.incomplete", count=len(result.missing))
    shown = [
        Output(
            "urgency",
            t("output.urgency"),
            result.urgency,
            urgency_label(result.urgency),
            result.urgency_because,
            tuple(signs),
            result.urgency != "none",
        ),
        Output(
            "fall_risk",
            t("output.fall_risk"),
            result.fall_risk,
            fall_risk_label(result.fall_risk),
            result.fall_because,
            tuple(falls),
            result.fall_risk != "not_at_risk",
        ),
        Output(
            "hazards",
            t("output.hazards"),
            result.hazard_level,
            hazard_label(result.hazard_level),
            result.hazard_because,
            tuple(hazards),
            result.hazard_level in ("high", "not_checked"),
        ),
        Output(
            "completeness",
            t("output.completeness"),
            "complete" if result.complete else "incomplete",
            complete,
            t("output.completeness.because"),
            tuple(missing),
            not result.complete,
        ),
    ]
    scores = [m for m in result.measures if checklist.item(m.item_id).answer.is_referral_score()]
    if scores:
        positive = any(m.at_risk for m in scores)
        shown.append(
            Output(
                "scores",
                t("output.scores"),
                "refer" if positive else "recorded",
                t("output.scores.refer" if positive else "output.scores.recorded"),
                t("output.scores.because"),
                tuple(m.judgement for m in scores),
                positive,
            )
        )
    review = result.contradictions + result.reviews
    if review:
        shown.append(
            Output(
                "review",
                t("output.review"),
                "review",
                t("output.review.label", count=len(review)),
                t("output.review.because"),
                review,
                True,
            )
        )
    return tuple(shown)


def recheck_text(plan: Plan) -> str:
    """When to check again, in words: a date, or "finish the check" when it is not finished."""
    if plan.recheck_on is None or plan.recheck_days is None:
        return t("recheck.finish", because=plan.recheck_because)
    return t("recheck.on", day=plan.recheck_on, days=plan.recheck_days, because=plan.recheck_because)
