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
from datetime import date
from typing import Any, Literal

from safehome.core.answers import Status, Verdict
from safehome.core.labels import disclaimer
from safehome.core.measures import MeasureResult
from safehome.core.models import URGENCIES, Assessment, Checklist, Item, Section
from safehome.core.profile import Profile
from safehome.core.safety import clearance, safety_stops, stop_reasons
from safehome.i18n.words import t

# "read_notes": every warning sign answered no, and the person wrote words of their own that must be read
UrgencyLevel = Literal["emergency", "same_day", "next_visit", "read_notes", "none", "not_checked"]
FallRisk = Literal["at_risk", "not_at_risk", "not_checked"]
HazardLevel = Literal["high", "moderate", "low", "not_checked"]
# "to_judge": a result no published norm covers but that is below the lowest one (the clinician judges it)
LineStatus = Literal["at_risk", "not_at_risk", "not_checked", "to_judge"]

SEVERITY_POINTS = {"low": 1, "medium": 2, "high": 3}
MODERATE_AT = 6  # safehome's own rule of thumb (see the module docstring)
HIGH_AT = 15  # safehome's own rule of thumb
STEADI_AT_RISK = 4  # CDC STEADI Stay Independent: 4 or more of 14
STEADI_MAXIMUM = 14
STEADI_VALIDATED_FROM_AGE = 65  # the brochure was validated with people 65 and older
URGENT_RECHECK_DAYS = 7  # after the team has seen the person
SCORE_RECHECK_DAYS = 30  # safehome rule: Mirels 8+ or SINS 7+ (tests stopped): check again within 30 days
NOTES_RECHECK_DAYS = 90  # safehome rule: the person's own words: never later than the next-visit tier's re-check
HAZARD_ORDER: tuple[HazardLevel, ...] = ("low", "moderate", "high")

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
    reading: str | None = None  # a measurement: what the number means for this person


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
    clearance: str | None = None  # "cleared for the tests by WHOM on DATE", when the team cleared them
    own_words: tuple[tuple[str, str], ...] = ()  # (item id, text) the person wrote, in checklist order
    scores_stop: bool = False  # Mirels 8+ or SINS 7+ recorded (stopping the tests unless cleared)

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
    always_asked: bool  # no mode, profile or follow-up condition: asked of everyone
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
                    # a measurement left unmeasured says "not measured" and leaves the level to the room's questions
                    open_home_hazard=earns_hazard_points(item)
                    and item.answer.can_be_hazard()
                    and not item.answer.optional_reading(),
                    gates_tests=item.red_flag or item.answer.is_referral_score(),
                    always_asked=item.modes is None
                    and not item.answer.kept_once_given()
                    and item.only_if is None
                    and item.unless is None
                    and item.follows is None,
                    filled_from_profile=item.profile_fills is not None,
                )
                for item in section.items
            ),
        )
        for section in checklist.sections
    )
    _FACTS[id(checklist)] = (checklist, facts)
    return facts


def asked_items(
    checklist: Checklist, mode: str, profile: Profile, day: date, value_of: Callable[[Item], Any]
) -> list[tuple[Section, Item]]:
    """The questions put to this person today: those that apply, less the physical tests that
    are unsafe today and were not done. The one count of questions (start list, header, review)."""
    stops = safety_stops(checklist, mode, profile, day, value_of)
    return [
        (section, item)
        for section, item in checklist.items()
        if checklist.asks(item, mode, profile, value_of) and not (stops and item.answer.is_physical_test())
    ]


def progress(checklist: Checklist, assessment: Assessment) -> tuple[int, int]:
    """(answered, asked) for an assessment, counted over :func:`asked_items`."""

    def value_of(item: Item) -> Any:
        return answer_of(item, assessment.answers, assessment.profile)[0]

    items = asked_items(checklist, assessment.mode, assessment.profile, assessment.assessed_on, value_of)
    return sum(1 for _, item in items if value_of(item) is not None), len(items)


@dataclass(slots=True)
class _Tally:
    """What the scorer gathers item by item, before the four outputs are decided from it."""

    stops: list[str]
    checklist: Checklist
    value_of: Callable[[Item], Any]
    stored: Callable[[str], Any]  # another item's stored value by id (a measurement compared with another)
    results: list[ItemResult] = field(default_factory=list)
    measures: list[MeasureResult] = field(default_factory=list)
    red_flags: list[tuple[int, str]] = field(default_factory=list)  # (tier, item id)
    unchecked_signs: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    contradictions: list[str] = field(default_factory=list)
    test_lines: list[FallLine] = field(default_factory=list)
    home_unanswered: int = 0
    any_high: bool = False
    steadi_score: int = 0
    steadi_answered: int = 0
    steadi_questions: int = 0
    own_words: list[tuple[str, str]] = field(default_factory=list)

    def steadi(self) -> SteadiResult | None:
        if not self.steadi_questions:
            return None
        return SteadiResult(
            score=self.steadi_score,
            answered=self.steadi_answered,
            questions=self.steadi_questions,
            at_risk=self.steadi_score >= STEADI_AT_RISK,
            complete=self.steadi_answered == self.steadi_questions,
        )


def _score_item(tally: _Tally, totals: SectionScore, section: Section, fact: ItemFacts, assessment: Assessment) -> None:
    """One item's outcome, added to its section's totals and to the tally."""
    item, profile, mode = fact.item, assessment.profile, assessment.mode
    if fact.filled_from_profile:  # the profile may answer it: the one rule in answer_of
        value, note, from_profile = answer_of(item, assessment.answers, profile)
    else:  # the hot path: most items are read straight from the answers
        answer = assessment.answers.get(item.id)
        value, note, from_profile = (None, None, False) if answer is None else (answer.value, answer.note, False)
    if not fact.always_asked and not (tally.checklist.asks(item, mode, profile, tally.value_of)):
        tally.results.append(ItemResult(section.id, item.id, "skipped", 0, value, note))
        return
    totals.applicable += 1
    if fact.physical_test and tally.stops:  # unsafe today: a value recorded anyway is never judged
        verdict = Verdict("unsafe")
    else:
        verdict = item.answer.verdict(value, profile, assessment.assessed_on, tally.stored)
    status: Status = verdict.status
    hazard = status == "hazard"
    if verdict.measure is not None:
        tally.measures.append(replace(verdict.measure, item_id=item.id))
    # the person's own words: every note and free-text answer of a self-check, and at a visit the
    # free-text items that hold them
    if mode == "self" or item.own_words:
        for text in (value if item.answer.is_free_text() else None, note if mode == "self" else None):
            if isinstance(text, str) and text.strip():
                tally.own_words.append((item.id, text))
    if item.profile_fills and not from_profile and value is not None:
        said = item.profile_value(profile)
        if said is not None and said != value:
            said_here = item.answer.shown(value)  # "no" in the catalogue's words, not the stored token
            tally.contradictions.append(t("review.contradiction", prompt=item.prompt_for(mode), answer=said_here))
    if item.steadi_points is not None:
        tally.steadi_questions += 1
        tally.steadi_answered += status != "unanswered"
        tally.steadi_score += item.steadi_points if hazard else 0
    if status == "unanswered":
        totals.unanswered += 1
        if item.is_required:
            tally.missing.append(item.id)
        if item.red_flag:
            tally.unchecked_signs.append(item.id)
        tally.home_unanswered += fact.open_home_hazard
    elif status == "unsafe":
        totals.not_done += 1
    else:
        totals.answered += 1
        totals.not_applicable += status == "na"
    points = 0
    if hazard:
        totals.hazards += 1
        if item.red_flag and item.urgency is not None:
            tally.red_flags.append((URGENCIES.index(item.urgency), item.id))
        if fact.home_hazard:
            points = item_points(item, profile)
            totals.points += points
            tally.any_high = tally.any_high or item.severity == "high"
    if fact.physical_test:
        tally.test_lines.append(_test_line(item, status, verdict.measure, tally.stops, mode, value))
    tally.results.append(ItemResult(section.id, item.id, status, points, value, note, from_profile, verdict.reading))


def score(checklist: Checklist, assessment: Assessment) -> Score:
    """Score an assessment whose answers have passed :func:`answer_problems`."""
    profile, mode, day = assessment.profile, assessment.mode, assessment.assessed_on
    answers = assessment.answers

    def value_of(item: Item) -> Any:
        return answer_of(item, answers, profile)[0]

    def stored(item_id: str) -> Any:
        answer = answers.get(item_id)
        return None if answer is None else answer.value

    signs, scores = stop_reasons(checklist, mode, profile, day, value_of)
    cleared = clearance(checklist, day, value_of) if scores else None
    tally = _Tally(signs + ([] if cleared else scores), checklist, value_of, stored)
    sections: list[SectionScore] = []
    for section, facts in item_facts(checklist):
        totals = SectionScore(section.id, section.title, section.kind)
        for fact in facts:
            _score_item(tally, totals, section, fact, assessment)
        sections.append(totals)
    steadi = tally.steadi()
    total_points = sum(s.points for s in sections)
    urgency, urgency_because = _urgency(tally.red_flags, tally.unchecked_signs, bool(tally.own_words))
    fall_risk, fall_lines, fall_because = _fall_risk(steadi, profile, day, tally.test_lines)
    hazard_level, hazard_because = _hazards(total_points, tally.any_high, tally.home_unanswered)
    complete = not tally.missing
    if not complete:  # an unfinished check never reads as low or as "not at risk"
        if hazard_level == "low":
            hazard_level, hazard_because = "not_checked", t("hazards.because.incomplete", points=total_points)
        if fall_risk == "not_at_risk":
            fall_risk, fall_because = "not_checked", t("fall.because.incomplete")
    recheck_days, recheck_because = _recheck(urgency, complete, fall_risk, hazard_level)
    recheck_days, recheck_because = _sooner(recheck_days, recheck_because, bool(scores), bool(tally.own_words))
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
        missing=tuple(tally.missing),
        unchecked_signs=tuple(tally.unchecked_signs),
        red_flags=tuple(item_id for _, item_id in sorted(tally.red_flags)),
        safety_stops=tuple(tally.stops),
        contradictions=tuple(tally.contradictions),
        reviews=reviews,
        recheck_days=recheck_days,
        recheck_because=recheck_because,
        items=tuple(tally.results),
        sections=tuple(sections),
        steadi=steadi,
        measures=tuple(tally.measures),
        clearance=t("safety.cleared", by=cleared[0], day=cleared[1]) if cleared else None,
        own_words=tuple(tally.own_words),
        scores_stop=bool(scores),
        applicable=sum(s.applicable for s in sections),
        answered=sum(s.answered for s in sections),
        hazards=sum(s.hazards for s in sections),
        unanswered=sum(s.unanswered for s in sections),
    )


def _urgency(red_flags: list[tuple[int, str]], unchecked: list[str], own_words: bool) -> tuple[UrgencyLevel, str]:
    if red_flags:
        level: UrgencyLevel = URGENCIES[min(tier for tier, _ in red_flags)]
        because = t("urgency.because.flags", count=len(red_flags))
        if unchecked:
            because += t("urgency.because.also_unchecked", count=len(unchecked))
        return level, because
    if unchecked:
        return "not_checked", t("urgency.because.unchecked", count=len(unchecked))
    if own_words:  # no keyword guessing: the person's words are for a person to read
        return "read_notes", t("urgency.because.read_notes")
    return "none", t("urgency.because.none")


def _test_line(
    item: Item, status: Status, measure: MeasureResult | None, stops: list[str], mode: str, value: Any
) -> FallLine:
    prompt = item.reported_as(mode)  # the test's name ("Timed Up and Go"), not the question
    if status == "unsafe":
        if value is not None:  # recorded anyway (an imported file, an older visit): shown, never used
            text = t("fall.line.unsafe_value", prompt=prompt, reason="; ".join(stops), value=item.answer.shown(value))
            return FallLine(item.id, "at_risk", text)
        return FallLine(item.id, "at_risk", t("fall.line.unsafe", prompt=prompt, reason="; ".join(stops)))
    if measure is not None:
        line: LineStatus = (
            ("to_judge" if measure.below_lowest_norm else "not_checked")
            if measure.at_risk is None
            else "at_risk"
            if measure.at_risk
            else "not_at_risk"
        )
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
    if any(line.status == "to_judge" for line in lines):  # below every published norm: never "not at risk"
        return "not_checked", tuple(lines), t("fall.because.to_judge")
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


def _sooner(days: int | None, because: str, scores_stop: bool, own_words: bool) -> tuple[int | None, str]:
    """The re-check no later than the scores or the person's own words allow (safehome rules)."""
    if days is None:
        return days, because
    if scores_stop and days > SCORE_RECHECK_DAYS:
        return SCORE_RECHECK_DAYS, t("recheck.because.scores")
    if own_words and days > NOTES_RECHECK_DAYS:
        return NOTES_RECHECK_DAYS, t("recheck.because.notes")
    return days, because
