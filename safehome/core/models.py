"""The checklist format, the person's profile and an assessment, as pydantic v2 models.

A checklist is data: clinicians write it in YAML (see ``checklists/``) and these models
check it. Every model forbids unknown keys, so a misspelt key is reported rather than
silently ignored. Rules that span several fields raise :class:`Problems`, which carries
one message per problem so that the loader can report all of them at once, each with
the line it came from.

This module is part of the domain core: it imports neither textual nor reportlab, and
it never reads the clock (dates that matter are passed in by the caller).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cached_property
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    Field,
    ValidationInfo,
    model_validator,
)

from safehome.core.answers import (
    ID_PATTERN,
    NOT_APPLICABLE,
    AnswerKind,
    Choice,
    ChoiceAnswer,
    NumberAnswer,
    ScaleAnswer,
    TextAnswer,
    YesNoAnswer,
)
from safehome.core.base import Strict
from safehome.core.kinds import AnswerSpec, EquipmentType, field_kit_problems
from safehome.core.photos import CAPTION_LIMIT
from safehome.core.conditions import (
    CONDITION_FIELDS as CONDITION_FIELDS,
    Conditional as Conditional,
    Instead as Instead,
    Limit as Limit,
    Load as Load,
    PathProblem as PathProblem,
    Problems as Problems,
    first_allowed as first_allowed,
)
from safehome.core.measures import MEASURE_RANGES, Measure
from safehome.core.profile import (
    AGE_RANGE,
    BoneSite,
    Profile,
    age_between,
    expand_sites,
)
from safehome.core.terms import Mode
from safehome.i18n.words import Language
from safehome.i18n.words import t

__all__ = [
    "MEASURE_RANGES",
    "NOT_APPLICABLE",
    "AnswerKind",
    "AnswerSpec",
    "Choice",
    "ChoiceAnswer",
    "Measure",
    "NumberAnswer",
    "ScaleAnswer",
    "TextAnswer",
    "YesNoAnswer",
]

Severity = Literal["low", "medium", "high"]
# Who does an action. "team" (checklists 1.x) is the healthcare team in general; 2.x names the one who acts.
Who = Literal["person", "caregiver", "installer", "ot", "physio", "pharmacist", "family_doctor", "cancer_team", "team"]
Referral = Literal["physiotherapy", "occupational_therapy", "treating_team", "pharmacist", "family_doctor", "home_care"]
# Who does an action: "installer" is a qualified installer (grab bars, handrails), never a family helper.
Urgency = Literal["emergency", "same_day", "next_visit"]
URGENCIES: tuple[Urgency, ...] = ("emergency", "same_day", "next_visit")  # most urgent first
ProfileFill = Literal["has_fallen", "uses_walking_aid"]
RoomKind = Literal[  # rooms and places
    "entrance",
    "hallway",
    "stairs",
    "living_room",
    "kitchen",
    "bedroom",
    "bathroom",
    "laundry",
    "outdoors",
]
TopicKind = Literal[
    "movement",
    "footwear",
    "walking_aids",
    "medicines",
    "pain",
    "screening",
    "functional_tests",
    "clinical_scores",
    "warning_signs",
    "support",
    "activity",
    "equipment",
]
SectionKind = Literal[RoomKind, TopicKind]

LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Z]{2})?$"
_ANY_DAY = date(2000, 1, 1)


# --------------------------------------------------------------------------- checklist


class FollowUp(Strict):
    """The item this one follows: it is asked only after one of ``answer`` was given there, or
    (``stops_tests``) after a score there that stops the physical tests."""

    item: Annotated[str, Field(pattern=ID_PATTERN, max_length=60)]
    answer: Annotated[list[Annotated[str, Field(max_length=60)]], Field(min_length=1)] | None = None
    stops_tests: bool = False


Clearance = Literal["who", "date"]


class Item(Conditional):
    """One question of a checklist."""

    id: Annotated[str, Field(pattern=ID_PATTERN, max_length=60)]
    prompt: Annotated[str, Field(min_length=3, max_length=500, description="wording for the clinician")]
    prompt_self: Annotated[str, Field(min_length=3, max_length=500)] | None = Field(
        None, description="wording for the person checking their own home, when it differs"
    )
    statement: Annotated[str, Field(min_length=3, max_length=300)] | None = Field(
        None, description="the sign in plain words, as the handout and the summary report it (warning signs)"
    )
    modes: list[Mode] | None = Field(None, description="limit the item to some of the checklist's modes")
    answer: AnswerSpec
    severity: Severity | None = None
    red_flag: bool = False
    action: Annotated[str, Field(min_length=3, max_length=600)] | None = Field(
        None, description="what to do, in the words of the person's handout"
    )
    asks: list[Load] = Field(default_factory=list, description="what the action asks (see Load)")
    instead: list[Instead] = Field(
        default_factory=list, description="other wordings of the action, for people whose limits forbid its asks"
    )
    clinician_action: Annotated[str, Field(min_length=3, max_length=600)] | None = Field(
        None, description="what the clinician does at the visit (the clinician summary only; never the handout)"
    )
    who: Who = "person"
    why: Annotated[str, Field(min_length=3, max_length=300)] | None = None
    source: Annotated[str, Field(min_length=3, max_length=200)]
    referral: Referral | None = None
    weighs_more_with: list[BoneSite] = Field(
        default_factory=list, description="bone sites that make this hazard count double"
    )
    steadi_points: Literal[1, 2] | None = Field(
        None, description="points toward the CDC STEADI Stay Independent score when answered yes"
    )
    urgency: Urgency | None = Field(
        None, description="for a warning sign: emergency (911), same_day (cancer team now) or next_visit"
    )
    required: bool = Field(
        False, description="must be answered for a complete result (warning signs and STEADI always are)"
    )
    profile_fills: ProfileFill | None = Field(
        None, description="answered from the person's profile (falls, walking aid) until answered here"
    )
    follows: Annotated[list[FollowUp], Field(min_length=1)] | None = Field(
        None,
        description="asked only when one of these holds: another item's answer (for example a symptom, then"
        " 'is this new, or getting worse?')",
    )
    own_words: bool = Field(
        False, description="a free-text item whose text is the person's own words (every note in a self-check is)"
    )
    for_person: bool = Field(
        False,
        description="a free-text item a clinician writes to the person: printed in their handout as written"
        " (every other note of a visit is the clinician's and stays in the clinician summary)",
    )
    clearance: Clearance | None = Field(
        None, description="records the team's clearance for the tests despite a score: by whom, or on what date"
    )
    recommends: list[Annotated[str, Field(pattern=ID_PATTERN, max_length=60)]] = Field(
        default_factory=list, description="equipment the action recommends (ids of the checklist's equipment)"
    )

    @model_validator(mode="after")
    def _cross_field(self) -> Item:
        spec = self.answer
        problems: list[PathProblem] = [(("answer", *path), message) for path, message in spec.spec_problems()]
        can_be_hazard = spec.can_be_hazard()
        if self.red_flag:
            if not self.action:
                problems.append((("action",), t("check.red_flag_action")))
            if not can_be_hazard:
                problems.append((("answer", "hazard"), t("check.red_flag_hazard")))
        if self.red_flag != (self.urgency is not None):
            problems.append((("urgency",), t("check.urgency")))
        # a next-visit sign may be "not applicable" (pain medicine, for someone who takes none); an
        # emergency or same-day sign never is (a safehome rule)
        if self.is_required and spec.not_applicable and not (self.red_flag and self.urgency == "next_visit"):
            problems.append((("answer", "not_applicable"), t("check.required_na")))
        if self.profile_fills is not None and not spec.yes_is_the_hazard():
            problems.append((("profile_fills",), t("check.profile_fills")))
        if can_be_hazard:
            if self.severity is None:
                problems.append((("severity",), t("check.needs_severity")))
            if not self.action and not self.red_flag and self.steadi_points is None:
                problems.append((("action",), t("check.needs_action")))
            if not self.why:
                problems.append((("why",), t("check.needs_why")))
        elif self.steadi_points is None:
            for key in ("severity", "weighs_more_with", "referral"):
                if getattr(self, key):
                    problems.append(((key,), t("check.no_effect", key=key)))
        if self.steadi_points is not None and not spec.yes_is_the_hazard():
            problems.append((("steadi_points",), t("check.steadi_item")))
        if self.modes is not None and (len(set(self.modes)) != len(self.modes) or not self.modes):
            problems.append((("modes",), t("check.modes_once")))
        for n, follow in enumerate(self.follows or ()):
            if (follow.answer is None) == (not follow.stops_tests):
                problems.append((("follows", n), t("check.follow_one_rule")))
        if self.recommends and not (self.action and can_be_hazard):
            problems.append((("recommends",), t("check.equipment_needs_action")))
        if (self.asks or self.instead or self.clinician_action) and not self.action:
            problems.append((("action",), t("check.asks_needs_action")))
        if self.asks and not any(not other.asks for other in self.instead):
            problems.append((("instead",), t("check.instead_needed")))
        for key in ("own_words", "clearance", "for_person"):
            if getattr(self, key) and not spec.is_free_text():
                problems.append(((key,), t("check.text_only")))
        problems.extend(self.condition_problems())
        if problems:
            raise Problems(problems)
        return self

    @property
    def is_required(self) -> bool:
        """Warning signs and the falls screen must be answered before a result can reassure."""
        return self.required or self.red_flag or self.steadi_points is not None

    def applies(self, mode: str, profile: Profile) -> bool:
        """Whether the item is asked of this person in this mode (the one rule for skipping)."""
        if self.modes is not None and mode not in self.modes:
            return False
        return self.fits(profile)

    def profile_value(self, profile: Profile) -> str | None:
        """The answer the profile already gives ("yes" / "no"), or None when it gives none."""
        if self.profile_fills == "has_fallen":
            falls = profile.falls_last_12_months
            return None if falls is None else ("yes" if falls else "no")
        if self.profile_fills == "uses_walking_aid":  # using an aid says "yes"; no aid says nothing about advice
            return "yes" if profile.walking_aid != "none" else None
        return None

    def doubles_with(self, profile: Profile) -> bool:
        """Whether a hazard here counts double for this person's bone sites."""
        return bool(self.weighs_more_with) and not expand_sites(self.weighs_more_with).isdisjoint(profile.bone_sites)

    def reported_as(self, mode: str) -> str:
        """How a warning sign is reported back: its plain statement, else its question."""
        return self.statement or self.prompt_for(mode)

    def prompt_for(self, mode: str) -> str:
        if mode == "self" and self.prompt_self:
            return self.prompt_self
        return self.prompt


class Advice(Conditional):
    """A piece of safe-movement advice, shown in the plan when its condition fits the person."""

    text: Annotated[str, Field(min_length=3, max_length=600)]
    source: Annotated[str, Field(min_length=3, max_length=200)]
    covered_by: list[Annotated[str, Field(pattern=ID_PATTERN)]] = Field(
        default_factory=list,
        description="item ids whose action says the same: the advice is left out when one of them is in the plan",
    )
    asks: list[Load] = Field(default_factory=list, description="what the advice asks (see Load)")
    instead: list[Instead] = Field(
        default_factory=list, description="other wordings, for people whose limits forbid its asks (else left out)"
    )

    @model_validator(mode="after")
    def _condition(self) -> Advice:
        problems = self.condition_problems()
        if problems:
            raise Problems(problems)
        return self


class WarningGroup(Strict):
    """A group of warning signs for the "call your healthcare team now" box."""

    title: Annotated[str, Field(min_length=3, max_length=120)]
    urgency: Urgency | None = Field(None, description="what to do for these signs: emergency, same_day or next_visit")
    signs: Annotated[list[Annotated[str, Field(min_length=3, max_length=300)]], Field(min_length=1)]
    source: Annotated[str, Field(min_length=3, max_length=200)]


# Sections about the home and its equipment, whose answers a follow-up visit may keep with one
# key. Everything else (warning signs, the falls screen, functional tests, pain, medicines, how the
# person moves, their support) is asked afresh each visit: last time's "no" would reassure falsely.
# A transparent rule made by safehome.
CARRIED_KINDS: frozenset[str] = frozenset(get_args(RoomKind)) | {"footwear", "walking_aids", "equipment"}


class Section(Strict):
    id: Annotated[str, Field(pattern=ID_PATTERN, max_length=60)]
    title: Annotated[str, Field(min_length=2, max_length=120)]
    kind: SectionKind
    plain_title: Annotated[str, Field(min_length=2, max_length=60)] | None = Field(
        None, description="the room or topic in everyday words, for the home handout (default: title)"
    )
    short_title: Annotated[str, Field(min_length=2, max_length=24)] | None = Field(
        None, description="the section in the app's narrow list of sections (default: the title without brackets)"
    )
    intro: Annotated[str, Field(max_length=600)] | None = None
    items: Annotated[list[Item], Field(min_length=1)]

    @property
    def short(self) -> str:
        """The section in a narrow list (the app's list of sections, the review's table): its short
        title, else its everyday name, else its title without the words in brackets."""
        return self.short_title or self.plain_title or self.title.split(" (", 1)[0]

    def carries(self, item: Item) -> bool:
        """Whether last visit's answer to ``item`` may be kept at a follow-up (see CARRIED_KINDS):
        never a warning sign, a test or a measure, whatever section holds it."""
        return (
            self.kind in CARRIED_KINDS
            and not item.red_flag
            and item.steadi_points is None
            and not item.answer.is_physical_test()
            and not item.answer.is_measure()
        )


class Checklist(Strict):
    """A whole checklist: the file format a clinician writes."""

    id: Annotated[str, Field(pattern=ID_PATTERN, max_length=80)]
    version: Annotated[str, Field(pattern=r"^\d+\.\d+(\.\d+)?$", description="for example 1.0 or 1.2.3")]
    title: Annotated[str, Field(min_length=3, max_length=160)]
    language: Annotated[str, Field(pattern=LANGUAGE_PATTERN, description="for example en-CA or fr-CA")]
    modes: Annotated[list[Mode], Field(min_length=1)]
    description: Annotated[str, Field(max_length=2000)] | None = None
    warning_signs: list[WarningGroup] = Field(default_factory=list)
    advice: list[Advice] = Field(default_factory=list)
    limits: list[Limit] = Field(
        default_factory=list, description="who must never be asked what (the contradicting pairs, as data)"
    )
    sections: Annotated[list[Section], Field(min_length=1)]
    equipment: list[EquipmentType] = Field(
        default_factory=list, description="the equipment catalogue its actions recommend from"
    )

    def forbidden(self, profile: Profile) -> frozenset[str]:
        """What this person must never be asked, from the checklist's limits."""
        return frozenset(load for limit in self.limits if limit.fits(profile) for load in limit.forbids)

    @model_validator(mode="after")
    def _whole(self) -> Checklist:
        problems: list[PathProblem] = []
        seen_sections: dict[str, int] = {}
        seen_items: dict[str, tuple[int, int]] = {}
        steadi_total = 0
        steadi_count = 0
        for s_index, section in enumerate(self.sections):
            if section.id in seen_sections:
                problems.append((("sections", s_index, "id"), t("check.section_twice", id=section.id)))
            seen_sections.setdefault(section.id, s_index)
            for i_index, item in enumerate(section.items):
                where = ("sections", s_index, "items", i_index)
                if item.id in seen_items:
                    first = self.sections[seen_items[item.id][0]].id
                    problems.append(((*where, "id"), t("check.item_twice", id=item.id, section=first)))
                seen_items.setdefault(item.id, (s_index, i_index))
                for mode in item.modes or ():
                    if mode not in self.modes:
                        problems.append(((*where, "modes"), t("check.mode_unknown", mode=mode)))
                if item.steadi_points is not None:
                    steadi_total += item.steadi_points
                    steadi_count += 1
        for a_index, advice in enumerate(self.advice):
            for c_index, item_id in enumerate(advice.covered_by):
                if item_id not in seen_items:
                    problems.append((("advice", a_index, "covered_by", c_index), t("check.no_such_item", id=item_id)))
        problems.extend(self._follow_up_problems(seen_items))
        problems.extend(field_kit_problems(self, seen_items))
        clearances = [item.clearance for _, item in self.items() if item.clearance]
        if clearances and sorted(clearances) != ["date", "who"]:
            problems.append((("sections",), t("check.clearance_pair")))
        if steadi_count and (steadi_count, steadi_total) != (12, 14):
            problems.append((("sections",), t("check.steadi_total", count=steadi_count, points=steadi_total)))
        if problems:
            raise Problems(problems)
        return self

    def _follow_up_problems(self, seen: dict[str, tuple[int, int]]) -> list[PathProblem]:
        """A follow-up names an item that comes before it, with answers that item can be given."""
        problems: list[PathProblem] = []
        for s_index, i_index in seen.values():
            item = self.sections[s_index].items[i_index]
            for n, follow in enumerate(item.follows or ()):
                where = ("sections", s_index, "items", i_index, "follows", n)
                before = seen.get(follow.item)
                if before is None or before >= (s_index, i_index):
                    problems.append(((*where, "item"), t("check.follow_before", id=follow.item)))
                    continue
                parent = self.sections[before[0]].items[before[1]]
                wrong = [a for a in follow.answer or () if a not in parent.answer.values()]
                if wrong:
                    message = t("check.follow_answer", values=", ".join(wrong), id=parent.id)
                    problems.append(((*where, "answer"), message))
                if follow.stops_tests and not parent.answer.is_referral_score():
                    problems.append(((*where, "stops_tests"), t("check.follow_score", id=parent.id)))
                if item.steadi_points is not None:
                    problems.append(((*where,), t("check.follow_steadi")))
        return problems

    # -- look-ups used by the scorer and the interfaces

    @cached_property
    def equipment_index(self) -> dict[str, EquipmentType]:
        return {entry.id: entry for entry in self.equipment}

    @cached_property
    def status_items(self) -> dict[str, Item]:
        """Equipment id -> the item that records its status."""
        return {getattr(item.answer, "type", ""): item for _, item in self.items() if item.answer.kind == "equipment"}

    @cached_property
    def recommenders(self) -> dict[str, tuple[Item, ...]]:
        """Equipment id -> the items whose action recommends it, in checklist order."""
        found: dict[str, list[Item]] = {}
        for _, item in self.items():
            for wanted in item.recommends:
                found.setdefault(wanted, []).append(item)
        return {k: tuple(v) for k, v in found.items()}

    def recommended_by(self, kind: str, mode: str, profile: Profile, value_of: Callable[[Item], Any]) -> list[Item]:
        """The items asked of this person whose answer is a hazard and whose action recommends
        this equipment (the one rule for "recommended": the plan, the status question, the CLI)."""

        def stored(item_id: str) -> Any:
            return value_of(self.item(item_id)) if item_id in self.index else None

        entry = self.equipment_index.get(kind)
        if entry is None or not self.forbidden(profile).isdisjoint(entry.asks):
            return []  # a bed rail is never recommended to a person whose ribs may break when pulled on
        return [
            item
            for item in self.recommenders.get(kind, ())
            if self.asks(item, mode, profile, value_of)
            # the recommending kinds (coded answers, lengths) do not depend on the day: any day will do
            and item.answer.verdict(value_of(item), profile, _ANY_DAY, stored).hazard
        ]

    def items(self) -> list[tuple[Section, Item]]:
        return [(section, item) for section in self.sections for item in section.items]

    @cached_property
    def index(self) -> dict[str, tuple[Section, Item]]:
        """Item id -> (section, item), in checklist order."""
        return {item.id: (section, item) for section in self.sections for item in section.items}

    def item(self, item_id: str) -> Item:
        return self.index[item_id][1]

    @cached_property
    def gating_items(self) -> tuple[Item, ...]:
        """The items whose answers may stop the physical tests: warning signs and the scores."""
        return tuple(item for _, item in self.items() if item.red_flag or item.answer.is_referral_score())

    @cached_property
    def followed(self) -> frozenset[str]:
        """The items an answer to which may change what is asked next: those other items follow, those
        that recommend equipment, and the measurements those are compared with."""
        recommending = [item for _, item in self.items() if item.recommends]
        compared = [getattr(item.answer, "against", None) for item in recommending]
        return frozenset(
            [f.item for _, item in self.items() for f in item.follows or ()]
            + [item.id for item in recommending]
            + [c for c in compared if c]
        )

    def asks(self, item: Item, mode: str, profile: Profile, value_of: Callable[[Item], Any]) -> bool:
        """Whether the question is put to this person: it applies to them, and a follow-up's answer
        opened it (its FHIR enableWhen is true); an equipment status, once something recommends it or
        once it has one. The score, the safety stop, the FHIR export and import and the example all ask this."""
        if not item.applies(mode, profile):
            return False
        if item.answer.kept_once_given():
            kind = getattr(item.answer, "type", "")
            return value_of(item) is not None or bool(self.recommended_by(kind, mode, profile, value_of))
        return self.follow_up_holds(item, value_of)

    def follow_up_holds(self, item: Item, value_of: Callable[[Item], Any]) -> bool:
        """Whether an item that follows another is asked now (the one rule for follow-ups)."""
        if not item.follows:
            return True
        for follow in item.follows:
            parent = self.item(follow.item)
            value = value_of(parent)
            if follow.answer is not None and value in follow.answer:
                return True
            if follow.stops_tests and parent.answer.stops_physical_tests(value):
                return True
        return False

    @cached_property
    def clearance_items(self) -> dict[str, str]:
        """The items that record the team's clearance for the tests: {"who": id, "date": id}."""
        return {item.clearance: item.id for _, item in self.items() if item.clearance}

    @property
    def label(self) -> str:
        return f"{self.id} v{self.version}"


# --------------------------------------------------------------------------- assessment


AnswerValue = bool | int | float | str | None


NOTE_LIMIT = 100_000  # characters in one answer's note (the clinic server holds the same limit)


class Answer(Strict):
    value: AnswerValue = None
    note: Annotated[str, Field(max_length=NOTE_LIMIT)] | None = None


class PhotoRef(Strict):
    """A photo an answers file names: the item it shows, its file (from the answers file's folder), a caption."""

    item: Annotated[str, Field(min_length=1, max_length=80)]
    file: Annotated[str, Field(min_length=1, max_length=1000)]
    caption: Annotated[str, Field(max_length=CAPTION_LIMIT)] | None = None


class Assessment(Strict):
    """A filled-in checklist, as the ``score`` and ``report`` commands read it."""

    format: Literal["safehome-assessment/1"] = "safehome-assessment/1"
    checklist_id: Annotated[str, Field(pattern=ID_PATTERN)]
    checklist_version: str
    mode: Mode
    assessed_on: date
    profile: Profile
    answers: dict[str, Answer] = Field(default_factory=dict)
    language: Language | None = Field(
        None, description="the language of its handout and summary (en-CA or fr-CA); none: the language in use"
    )
    photos: tuple[PhotoRef, ...] | None = Field(None, description="photos on items, files beside the answers file")

    @model_validator(mode="after")
    def _dates(self, info: ValidationInfo) -> Assessment:
        today = (info.context or {}).get("today") if info else None
        problems = date_problems(self.profile.birth_date, self.assessed_on, today)
        if problems:
            raise Problems(problems)
        return self

    def digest(self) -> str:
        """A fingerprint of what a report is made from: equal digests, equal reports. Empty
        answers (no value, no note) do not count, however they were stored."""
        import hashlib

        kept = {k: a for k, a in sorted(self.answers.items()) if a.value is not None or a.note}
        left_out = {"language"} if self.language is None else set()  # digests from before languages hold
        data = self.model_copy(update={"answers": kept}).model_dump_json(exclude=left_out | {"photos"})
        return hashlib.sha256(data.encode("utf-8")).hexdigest()


def date_problems(birth: date | None, assessed_on: date, today: date | None) -> list[PathProblem]:
    """The rules that tie the dates together: the one place the app and the files are checked."""
    problems: list[PathProblem] = []
    if today is not None and assessed_on > today:
        problems.append((("assessed_on",), t("profile.date_future", day=assessed_on, today=today)))
    if birth is not None:
        if birth >= assessed_on:
            problems.append((("profile", "birth_date"), t("profile.birth_after")))
        elif not AGE_RANGE[0] <= age_between(birth, assessed_on) <= AGE_RANGE[1]:
            problems.append((("profile", "birth_date"), t("profile.birth_age")))
    return problems
