"""The action plan: a scored assessment turned into what to do, who does it, and when to check again."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from safehome.core.kinds import PENDING, progress_of
from safehome.core.labels import REFERRAL_NAMES, disclaimer, referral_name
from safehome.core.models import URGENCIES, Assessment, Checklist, Item, first_allowed
from safehome.core.profile import Profile
from safehome.core.score import SEVERITY_POINTS, Score, answer_of, score
from safehome.i18n.words import t

# --------------------------------------------------------------------------- the action plan as data


DUE_DAYS = {"high": 7, "medium": 30}  # "this week", "this month" as days (safehome rule); low: the re-check


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
    clinician_action: str = ""  # what the clinician does at the visit (the summary; never the handout)
    measured: str = ""  # a measurement that led to it, with what the number means ("Toilet seat: 38 cm: ...")

    @property
    def by_when(self) -> str:
        """When to have it done, from the severity (a safehome rule: high this week, medium this
        month, low before the next visit)."""
        return t(f"plan.by_when.{self.severity}")

    def due_on(self, day: date, recheck_on: date | None) -> date | None:
        """The day it is due by (a safehome rule, the same as :attr:`by_when`): an emergency or
        same-day sign the visit's day; high within 7 days, medium within 30; low, and a sign for the
        next visit, by the re-check (None when there is none)."""
        if self.red_flag:
            return day if self.urgency in ("emergency", "same_day") else recheck_on
        days = DUE_DAYS.get(self.severity)
        return day + timedelta(days=days) if days is not None else recheck_on


@dataclass(frozen=True, slots=True)
class PlanReferral:
    to: str
    name: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EquipmentLine:
    """One piece of equipment on the plan: recommended by a hazard found today, or followed from a
    status recorded (at this visit, or carried from the last one until installed or declined)."""

    id: str
    name: str
    solves: str
    status: str  # recommended, ordered, delivered, installed or declined
    who: str  # person, family, installer, ot or vendor
    by: date | None
    recorded: bool  # a status was recorded (else it is recommended today, nothing recorded yet)
    because: tuple[str, ...]  # the items whose hazard recommends it
    sizes: tuple[str, ...]  # the measurements that size it, as measured ("Tub wall: 41 cm")
    sizing: str
    source: str
    who_recorded: bool = False  # who does the next step was recorded (else: who usually does it)

    @property
    def pending(self) -> bool:
        return self.status in PENDING

    @property
    def status_words(self) -> str:
        return t(f"equipment.status.{self.status}")

    @property
    def who_words(self) -> str:
        return t(f"equipment.who.{self.who}")

    def progress(self, *, clinician: bool = False) -> str:
        """Where it is up to: "Ordered · next step: a qualified installer, by December 21, 2026" (to the
        person: "next step: you"; the clinician reads "the person")."""
        if not self.pending:  # installed or declined: nothing left to do, no next step to name
            return self.status_words.capitalize()
        who = t(f"equipment.who_clinician.{self.who}") if clinician else self.who_words
        if not self.who_recorded:  # nobody has taken it on yet: never printed as if someone had
            key = "equipment.progress_usual_clinician" if clinician else "equipment.progress_usual"
            return t(key, status=self.status_words.capitalize(), who=who)
        if self.by is None:
            return t("equipment.progress", status=self.status_words.capitalize(), who=who)
        return t(
            "equipment.progress_by", status=self.status_words.capitalize(), who=who, day=t("pdf.date", day=self.by)
        )


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
    equipment: tuple[EquipmentLine, ...] = ()


def seen_at_visit(referral: str, mode: str) -> bool:
    """An occupational therapist did this visit: neither the handout nor the pack sends the person
    to one (the plan keeps the finding; the clinician summary lists it)."""
    return referral == "occupational_therapy" and mode == "clinician"


def no_actions_words(plan: Plan) -> str:
    """What an empty list of actions says: "no hazards" only when every question was answered;
    while some are not, that they are not checked (never a false all-clear)."""
    if plan.unanswered:
        return t("pdf.home.no_hazards_yet", count=len(plan.unanswered))
    return t("pdf.home.no_hazards")


def own_aid(text: str, profile: Profile) -> str:
    """Name the person's own walking aid where the checklist says "your walking aid"."""
    if profile.aid_family() in ("cane", "walker", "wheelchair"):  # a rollator is "your rollator", not "your walker"
        return text.replace(t("plan.aid.generic"), t(f"plan.aid.{profile.walking_aid}"))
    return text


def action_words(
    checklist: Checklist,
    item: Item,
    profile: Profile,
    *,
    clinician: bool = False,
    forbidden: frozenset[str] | None = None,
) -> str:
    """The one choice of an item's action words for this person: the clinician's own words at a visit
    (``clinician``) when the item has them, else the first wording the person's limits allow, with
    their own walking aid named."""
    if clinician and item.clinician_action:
        return item.clinician_action
    limits = checklist.forbidden(profile) if forbidden is None else forbidden  # a plan reads them once
    return own_aid(first_allowed(item.action, item.asks, item.instead, limits) or "", profile)


def personal_reason(profile: Profile) -> str:
    """The facts the advice was chosen from, in everyday words ("" when none are known)."""
    parts: list[str] = []
    sites = [t(f"plan.site.{x}") for x in profile.bone_sites if x not in ("unknown", "other_long_bones")]
    if sites:
        joined = sites[0] if len(sites) == 1 else t("plan.and", first=", ".join(sites[:-1]), last=sites[-1])
        parts.append(t("plan.personal.sites", sites=joined))
    if profile.aid_family() in ("cane", "walker", "wheelchair"):
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
            measured="\n".join(m for m in (first.measured, entry.measured) if m),
        )
    return list(merged.values())


def build_plan(checklist: Checklist, assessment: Assessment, result: Score | None = None) -> Plan:
    """Turn a scored assessment into an action plan: warning signs first (most urgent tier
    first), then one flat list of actions by severity, the person's own points (a hazard that
    matters more for their bone sites counts double), then room and checklist order; an action
    two items lead to appears once."""
    result = result or score(checklist, assessment)
    index = checklist.index
    forbidden = checklist.forbidden(assessment.profile)  # what this person must never be asked
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
            action=action_words(checklist, item, assessment.profile, forbidden=forbidden),
            clinician_action=item.clinician_action or "",
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
            measured=measured_words(item, item_result.value, item_result.reading, mode),
        )
        (flagged if item.red_flag else actions).append(entry)
        if item.referral and not (item.red_flag and item.referral == "treating_team"):  # said once, below
            # a finding, not the question: "Timed Up and Go: 13.5 s: at risk of falling"
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

    fitting = [
        first_allowed(a.text, a.asks, a.instead, forbidden)
        for a in checklist.advice
        if a.fits(assessment.profile) and not in_plan.intersection(a.covered_by)
    ]
    advice = tuple(own_aid(text, assessment.profile) for text in fitting if text is not None)
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
        equipment=equipment_lines(checklist, assessment),
    )


def measured_words(item: Item, value: object, reading: str | None, mode: str) -> str:
    """A measurement as a finding: "Toilet seat height: 38 cm: 10 cm below the knee (48 cm): ..."."""
    if not reading or value is None:
        return ""
    return t("length.finding", what=item.reported_as(mode), value=item.answer.shown(value), reading=reading)


def equipment_lines(checklist: Checklist, assessment: Assessment) -> tuple[EquipmentLine, ...]:
    """The equipment recommended today or followed from a recorded status, in catalogue order."""
    profile, mode, answers = assessment.profile, assessment.mode, assessment.answers

    def value_of(item: Item) -> object:
        return answer_of(item, answers, profile)[0]

    def as_measured(item: Item) -> str:  # "Tub wall height: 41.5 cm"
        return t("answer.finding", statement=item.reported_as(mode), value=item.answer.shown(value_of(item)))

    lines: list[EquipmentLine] = []
    for entry in checklist.equipment:
        because = checklist.recommended_by(entry.id, mode, profile, value_of)
        status_item = checklist.status_items.get(entry.id)
        recorded = progress_of(value_of(status_item)) if status_item is not None else None
        if status_item is not None and recorded is not None and not status_item.applies(mode, profile):
            recorded = None
        if not because and recorded is None:
            continue
        # what recommends it, a measurement with its number ("Tub wall height: 41.5 cm"); what it
        # means is in the measurements, once
        found = [as_measured(item) if item.answer.optional_reading() else item.reported_as(mode) for item in because]
        sizes = []
        for item_id in entry.sized_by:
            sizer = checklist.item(item_id)
            value = value_of(sizer)
            if value is not None and value != "na" and as_measured(sizer) not in found:
                sizes.append(as_measured(sizer))
        lines.append(
            EquipmentLine(
                id=entry.id,
                name=entry.name,
                solves=entry.solves,
                status=recorded.status if recorded else "recommended",
                who=(recorded.who if recorded and recorded.who else entry.who),
                by=recorded.by if recorded else None,
                recorded=recorded is not None,
                because=tuple(found),
                sizes=tuple(sizes),
                sizing=entry.sizing or "",
                source=entry.source,
                who_recorded=recorded is not None and recorded.who is not None,
            )
        )
    return tuple(lines)
