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

import re
import unicodedata
from datetime import date
from collections.abc import Sequence
from functools import cached_property
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from safehome.core.answers import (
    ID_PATTERN,
    NOT_APPLICABLE,
    AnswerKind,
    AnswerSpec,
    Choice,
    ChoiceAnswer,
    NumberAnswer,
    ScaleAnswer,
    Strict,
    TextAnswer,
    YesNoAnswer,
)
from safehome.core.measures import MEASURE_RANGES, Measure
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

Mode = Literal["clinician", "self"]
Audience = Literal["home", "clinician"]  # who a PDF plan is for
Paper = Literal["letter", "a4"]  # US Letter is the default in Canada
Severity = Literal["low", "medium", "high"]
# Who does an action. "team" (checklists 1.x) is the healthcare team in general; 2.x names the one who acts.
Who = Literal["person", "caregiver", "ot", "physio", "pharmacist", "family_doctor", "cancer_team", "team"]
Referral = Literal["physiotherapy", "occupational_therapy", "treating_team", "pharmacist"]
BoneSite = Literal[
    "spine", "ribs", "pelvis", "hip_thigh", "lower_leg", "upper_limb", "skull", "unknown", "other_long_bones"
]
# "other_long_bones" (checklists 1.x) lumped arms with legs: it is read as both, and flagged for review.
LEGACY_SITES: dict[str, tuple[str, ...]] = {"other_long_bones": ("lower_leg", "upper_limb")}
Urgency = Literal["emergency", "same_day", "next_visit"]
URGENCIES: tuple[Urgency, ...] = ("emergency", "same_day", "next_visit")  # most urgent first
ProfileFill = Literal["has_fallen", "uses_walking_aid"]
LesionType = Literal["unknown", "osteolytic", "osteoblastic", "mixed"]
Sex = Literal["unknown", "female", "male", "other"]
WalkingAid = Literal["none", "cane", "walker", "wheelchair", "other"]
Role = Literal["patient", "caregiver", "clinician"]
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
]
SectionKind = Literal[RoomKind, TopicKind]

LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Z]{2})?$"
Language = Literal["en-CA", "fr-CA"]  # the languages safehome speaks (words.LANGUAGES)
AGE_RANGE = (18, 120)  # adults only: the checklists and the norms are for adults


class Problems(ValueError):
    """Several problems found by one validator, each with a path relative to the model."""

    def __init__(self, problems: list[tuple[tuple[str | int, ...], str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(message for _, message in problems))


# --------------------------------------------------------------------------- profile conditions

# Which profile fields a condition (``only_if``) may name, with the values each may take.
# ``None`` as the allowed set means "true or false".
CONDITION_FIELDS: dict[str, frozenset[str] | None] = {
    "bone_sites": frozenset(get_args(BoneSite)),
    "lesion_type": frozenset(get_args(LesionType)),
    "sex": frozenset(get_args(Sex)),
    "walking_aid": frozenset(get_args(WalkingAid)),
    "uses_walking_aid": None,
    "lives_alone": None,
    "caregiver_present": None,
    "has_fallen": None,
}


PathProblem = tuple[tuple[str | int, ...], str]


def _check_condition(condition: dict[str, Any]) -> list[PathProblem]:
    problems: list[PathProblem] = []
    for field, wanted in condition.items():
        if field not in CONDITION_FIELDS:
            problems.append(
                (
                    ("only_if", field),
                    t("check.condition_field", field=field, allowed=", ".join(sorted(CONDITION_FIELDS))),
                )
            )
            continue
        allowed = CONDITION_FIELDS[field]
        if allowed is None:
            if not isinstance(wanted, bool):
                problems.append((("only_if", field), t("check.condition_bool", field=field, value=repr(wanted))))
            continue
        values = wanted if isinstance(wanted, list) else [wanted]
        if not values:
            problems.append((("only_if", field), t("check.condition_empty", field=field)))
        for value in values:
            if not isinstance(value, str) or value not in allowed:
                problems.append(
                    (
                        ("only_if", field),
                        t("check.condition_value", value=repr(value), field=field, allowed=", ".join(sorted(allowed))),
                    )
                )
    return problems


# --------------------------------------------------------------------------- checklist


class Conditional(Strict):
    """Something shown only to some people: ``only_if`` must hold and ``unless`` must not."""

    only_if: dict[str, bool | str | list[str]] | None = Field(None, description="show only when this holds")
    unless: dict[str, bool | str | list[str]] | None = Field(None, description="skip when this holds")

    def condition_problems(self) -> list[PathProblem]:
        problems: list[PathProblem] = []
        for key in ("only_if", "unless"):
            condition = getattr(self, key)
            if condition is not None:
                problems.extend(((key, *path[1:]), message) for path, message in _check_condition(condition))
        return problems

    def fits(self, profile: Profile) -> bool:
        """The one rule for whom something is meant."""
        if self.unless is not None and condition_holds(self.unless, profile):
            return False
        return self.only_if is None or condition_holds(self.only_if, profile)


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
    action: Annotated[str, Field(min_length=3, max_length=600)] | None = None
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
        if self.is_required and spec.not_applicable:
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
CARRIED_KINDS: frozenset[str] = frozenset(get_args(RoomKind)) | {"footwear", "walking_aids"}


class Section(Strict):
    id: Annotated[str, Field(pattern=ID_PATTERN, max_length=60)]
    title: Annotated[str, Field(min_length=2, max_length=120)]
    kind: SectionKind
    plain_title: Annotated[str, Field(min_length=2, max_length=60)] | None = Field(
        None, description="the room or topic in everyday words, for the home handout (default: title)"
    )
    intro: Annotated[str, Field(max_length=600)] | None = None
    items: Annotated[list[Item], Field(min_length=1)]

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
    sections: Annotated[list[Section], Field(min_length=1)]

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
        if steadi_count and (steadi_count, steadi_total) != (12, 14):
            problems.append((("sections",), t("check.steadi_total", count=steadi_count, points=steadi_total)))
        if problems:
            raise Problems(problems)
        return self

    # -- look-ups used by the scorer and the interfaces

    def items(self) -> list[tuple[Section, Item]]:
        return [(section, item) for section in self.sections for item in section.items]

    @cached_property
    def index(self) -> dict[str, tuple[Section, Item]]:
        """Item id -> (section, item), in checklist order."""
        return {item.id: (section, item) for section in self.sections for item in section.items}

    def item(self, item_id: str) -> Item:
        return self.index[item_id][1]

    @property
    def label(self) -> str:
        return f"{self.id} v{self.version}"


# --------------------------------------------------------------------------- person and assessment


CONTACT_FIELDS = ("cancer_team_phone", "after_hours_phone", "visit_clinician", "next_appointment")


def _has_controls(text: str) -> bool:
    """C0 controls (tab and newline included: these are one-line fields), DEL and C1 controls."""
    return any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in text)


class Profile(Strict):
    """What the checklist needs to know about the person."""

    name: Annotated[str, Field(min_length=1, max_length=200, description="name or initials")]
    birth_date: date | None = None
    age: Annotated[int, Field(ge=AGE_RANGE[0], le=AGE_RANGE[1])] | None = None
    sex: Sex = "unknown"
    primary_cancer: Annotated[str, Field(max_length=200)] | None = None
    bone_sites: list[BoneSite] = Field(default_factory=list)
    lesion_type: LesionType = "unknown"
    walking_aid: WalkingAid = "none"
    falls_last_12_months: Annotated[int, Field(ge=0, le=365)] | None = None
    lives_alone: bool | None = None
    caregiver_present: bool | None = None
    completed_by: Annotated[str, Field(max_length=200)] | None = None
    completed_role: Role | None = None
    # Who to call: printed on page 1 of the home handout, with lines to write on when empty.
    cancer_team_phone: Annotated[str, Field(max_length=80)] | None = None
    after_hours_phone: Annotated[str, Field(max_length=80)] | None = None
    visit_clinician: Annotated[str, Field(max_length=120, description="name and phone")] | None = None
    next_appointment: Annotated[str, Field(max_length=80)] | None = None
    sites_to_review: bool = Field(False, description="bone sites read from an older, coarser list: check them")

    @model_validator(mode="before")
    @classmethod
    def _legacy_sites(cls, data: Any) -> Any:
        """ "other_long_bones" is read as both an arm and a leg site, and flagged for review."""
        if isinstance(data, dict) and isinstance(data.get("bone_sites"), list):
            sites = data["bone_sites"]
            if any(site in LEGACY_SITES for site in sites):
                new: list[Any] = []
                for site in sites:
                    for one in LEGACY_SITES.get(site, (site,)) if isinstance(site, str) else (site,):
                        if one not in new:
                            new.append(one)
                data = {**data, "bone_sites": new, "sites_to_review": True}
        return data

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(t("profile.name_empty"))
        if _has_controls(value):
            raise ValueError(t("profile.name_control"))
        return value

    @field_validator("primary_cancer", "completed_by", *CONTACT_FIELDS)
    @classmethod
    def _plain_text(cls, value: str | None) -> str | None:
        if value is not None and _has_controls(value):  # a terminal escape would run on every screen that shows it
            raise ValueError(t("profile.text_control"))
        return value

    @field_validator("age", "falls_last_12_months", mode="before")
    @classmethod
    def _not_a_truth_value(cls, value: Any) -> Any:
        if isinstance(value, bool):  # true is not 1 fall
            raise ValueError(t("profile.not_bool"))
        return value

    @field_validator("bone_sites")
    @classmethod
    def _sites_once(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError(t("profile.sites_once"))
        return value

    def age_on(self, day: date) -> int | None:
        """The age in whole years on ``day``, from the birth date if known, else the age given."""
        if self.birth_date is not None:
            return age_between(self.birth_date, day)
        return self.age

    def condition_value(self, field: str) -> Any:
        if field == "uses_walking_aid":
            return self.walking_aid != "none"
        if field == "has_fallen":
            return bool(self.falls_last_12_months)
        return getattr(self, field)

    def initials(self) -> str:
        parts = [p for p in re.split(r"[\W_]+", self.name) if p]
        if len(parts) == 1 and len(parts[0]) <= 4:  # already initials, such as "ZT"
            parts = list(parts[0])
        letters = "".join(p[0] for p in parts if p[0].isascii() and p[0].isalnum())
        return (letters or "X")[:4].upper()


def person_key(name: str) -> str:
    """The form of a name used to match people: Unicode NFC, case-folded, spaces collapsed.

    "Zoë" typed with a combining accent, " ZOË " and "zoë" are the same key. Spaces of every
    kind (a no-break space too) count as one space.
    """
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())
    return " ".join(folded.split())


def expand_sites(sites: Sequence[str]) -> frozenset[str]:
    """Bone sites with the legacy "other_long_bones" read as both the arm and the leg."""
    return frozenset(one for site in sites for one in LEGACY_SITES.get(site, (site,)))


def condition_holds(condition: dict[str, Any] | None, profile: Profile) -> bool:
    """True when the person's profile meets every field of the condition.

    A list means "any of these"; for ``bone_sites`` (a list on the profile) it means
    "the person has any of these sites". An unknown answer (None) never meets a condition.
    """
    if not condition:
        return True
    for field, wanted in condition.items():
        have = profile.condition_value(field)
        if isinstance(have, list):
            wanted_set = expand_sites(wanted if isinstance(wanted, list) else [wanted])
            if not wanted_set.intersection(have):
                return False
        elif isinstance(wanted, list):
            if have not in wanted:
                return False
        elif have is None or have != wanted:
            return False
    return True


AnswerValue = bool | int | float | str | None


NOTE_LIMIT = 100_000  # characters in one answer's note (the clinic server holds the same limit)


class Answer(Strict):
    value: AnswerValue = None
    note: Annotated[str, Field(max_length=NOTE_LIMIT)] | None = None


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
        data = self.model_copy(update={"answers": kept}).model_dump_json(
            exclude={"language"} if self.language is None else None  # digests from before languages hold
        )
        return hashlib.sha256(data.encode("utf-8")).hexdigest()


def age_between(birth: date, day: date) -> int:
    """Whole years from ``birth`` to ``day``."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


AGE_MISMATCH_YEARS = 1  # our rule: an age more than a year off the birth date is probably a typo


def profile_warnings(profile: Profile, day: date) -> list[tuple[str, str]]:
    """(field, message) for values that are allowed but probably wrong together: the user
    confirms them or corrects them. A transparent rule made by safehome."""
    warnings: list[tuple[str, str]] = []
    if profile.age is not None and profile.birth_date is not None and profile.birth_date < day:
        from_birth = age_between(profile.birth_date, day)
        if abs(from_birth - profile.age) > AGE_MISMATCH_YEARS:
            warnings.append(("age", t("profile.age_mismatch", age=profile.age, from_birth=from_birth)))
    return warnings


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
