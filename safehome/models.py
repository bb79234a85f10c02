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
from datetime import date
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

Mode = Literal["clinician", "self"]
Severity = Literal["low", "medium", "high"]
Who = Literal["person", "caregiver", "team"]
Referral = Literal["physiotherapy", "occupational_therapy", "treating_team", "pharmacist"]
BoneSite = Literal["spine", "ribs", "pelvis", "hip_thigh", "other_long_bones", "skull", "unknown"]
LesionType = Literal["osteolytic", "osteoblastic", "mixed", "unknown"]
Sex = Literal["female", "male", "other", "unknown"]
WalkingAid = Literal["none", "cane", "walker", "wheelchair", "other"]
Role = Literal["patient", "caregiver", "clinician"]
Measure = Literal["tug_seconds", "chair_stand_30s", "balance_stage", "mirels", "sins"]
SectionKind = Literal[
    # rooms and places
    "entrance",
    "hallway",
    "stairs",
    "living_room",
    "kitchen",
    "bedroom",
    "bathroom",
    "laundry",
    "outdoors",
    # topics
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

NOT_APPLICABLE = "na"
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Z]{2})?$"

# The published cut-offs for the clinician-entered measures. Checklists may not override
# them: a measure item is judged by these rules only.
MEASURE_RANGES: dict[str, tuple[float, float]] = {
    "tug_seconds": (0, 300),
    "chair_stand_30s": (0, 60),
    "balance_stage": (0, 4),
    "mirels": (4, 12),
    "sins": (0, 18),
}


class Problems(ValueError):
    """Several problems found by one validator, each with a path relative to the model."""

    def __init__(self, problems: list[tuple[tuple[str | int, ...], str]]):
        self.problems = problems
        super().__init__("; ".join(message for _, message in problems))


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- answers


class YesNoAnswer(Strict):
    """Yes or no, with "not applicable" offered unless ``not_applicable: false``."""

    kind: Literal["yes_no"]
    not_applicable: bool = True
    hazard: list[str] = Field(default_factory=list, description="answers that count as a hazard: yes, no")

    def values(self) -> list[str]:
        return ["yes", "no"] + ([NOT_APPLICABLE] if self.not_applicable else [])


class Choice(Strict):
    value: Annotated[str, Field(pattern=ID_PATTERN.pattern, max_length=60)]
    label: Annotated[str, Field(min_length=1, max_length=200)]


class ChoiceAnswer(Strict):
    """One answer out of a list."""

    kind: Literal["choice"]
    choices: Annotated[list[Choice], Field(min_length=2, max_length=12)]
    not_applicable: bool = False
    hazard: list[str] = Field(default_factory=list, description="choice values that count as a hazard")

    def values(self) -> list[str]:
        return [c.value for c in self.choices] + ([NOT_APPLICABLE] if self.not_applicable else [])

    def label(self, value: str) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        return value


class NumberAnswer(Strict):
    """A number with a unit, within a range.

    Either it is one of the published ``measure`` tests (judged by the published rule), or
    it may say which values are a hazard with ``hazard_below`` / ``hazard_at_or_above``.
    """

    kind: Literal["number"]
    unit: Annotated[str, Field(min_length=1, max_length=40)]
    min: float
    max: float
    integer: bool = False
    measure: Measure | None = None
    not_applicable: bool = True
    hazard_below: float | None = None
    hazard_at_or_above: float | None = None

    def values(self) -> list[str]:
        return [NOT_APPLICABLE] if self.not_applicable else []


class ScaleAnswer(Strict):
    """A whole number on a 0 to 10 scale (for example, pain)."""

    kind: Literal["scale"]
    min_label: str = "0"
    max_label: str = "10"
    hazard_at_or_above: Annotated[int, Field(ge=0, le=10)] | None = None
    not_applicable: bool = False
    min: int = 0
    max: int = 10

    def values(self) -> list[str]:
        return [NOT_APPLICABLE] if self.not_applicable else []


class TextAnswer(Strict):
    """Free text, never a hazard on its own."""

    kind: Literal["text"]
    max_length: Annotated[int, Field(ge=1, le=10_000)] = 2000

    def values(self) -> list[str]:
        return []


AnswerSpec = Annotated[
    Union[YesNoAnswer, ChoiceAnswer, NumberAnswer, ScaleAnswer, TextAnswer],
    Field(discriminator="kind"),
]


# --------------------------------------------------------------------------- profile conditions

# Which profile fields a condition (``only_if``) may name, with the values each may take.
# ``None`` as the allowed set means "true or false".
CONDITION_FIELDS: dict[str, frozenset[str] | None] = {
    "bone_sites": frozenset(BoneSite.__args__),  # type: ignore[attr-defined]
    "lesion_type": frozenset(LesionType.__args__),  # type: ignore[attr-defined]
    "sex": frozenset(Sex.__args__),  # type: ignore[attr-defined]
    "walking_aid": frozenset(WalkingAid.__args__),  # type: ignore[attr-defined]
    "uses_walking_aid": None,
    "lives_alone": None,
    "caregiver_present": None,
    "has_fallen": None,
}


def _check_condition(condition: dict[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
    problems: list[tuple[tuple[str | int, ...], str]] = []
    for field, wanted in condition.items():
        if field not in CONDITION_FIELDS:
            problems.append(
                (
                    ("only_if", field),
                    f"'{field}' is not a profile field a condition can use "
                    f"(use one of: {', '.join(sorted(CONDITION_FIELDS))})",
                )
            )
            continue
        allowed = CONDITION_FIELDS[field]
        if allowed is None:
            if not isinstance(wanted, bool):
                problems.append((("only_if", field), f"'{field}' takes true or false, not {wanted!r}"))
            continue
        values = wanted if isinstance(wanted, list) else [wanted]
        if not values:
            problems.append((("only_if", field), f"'{field}' needs at least one value"))
        for value in values:
            if not isinstance(value, str) or value not in allowed:
                problems.append(
                    (
                        ("only_if", field),
                        f"{value!r} is not a value of '{field}' (use one of: {', '.join(sorted(allowed))})",
                    )
                )
    return problems


# --------------------------------------------------------------------------- checklist


class Item(Strict):
    """One question of a checklist."""

    id: Annotated[str, Field(pattern=ID_PATTERN.pattern, max_length=60)]
    prompt: Annotated[str, Field(min_length=3, max_length=500, description="wording for the clinician")]
    prompt_self: Annotated[str, Field(min_length=3, max_length=500)] | None = Field(
        None, description="wording for the person checking their own home, when it differs"
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
    only_if: dict[str, bool | str | list[str]] | None = None
    weighs_more_with: list[BoneSite] = Field(
        default_factory=list, description="bone sites that make this hazard count double"
    )
    steadi_points: Literal[1, 2] | None = Field(
        None, description="points toward the CDC STEADI Stay Independent score when answered yes"
    )

    @model_validator(mode="after")
    def _cross_field(self) -> Item:
        problems: list[tuple[tuple[str | int, ...], str]] = []
        spec = self.answer
        hazards = list(getattr(spec, "hazard", []))
        allowed = spec.values()
        for value in hazards:
            if value == NOT_APPLICABLE or value not in allowed:
                problems.append(
                    (
                        ("answer", "hazard"),
                        f"hazard answer '{value}' is not one of this item's answers "
                        f"({', '.join(v for v in allowed if v != NOT_APPLICABLE)})",
                    )
                )
        if isinstance(spec, NumberAnswer):
            if spec.min >= spec.max:
                problems.append((("answer", "min"), f"min ({spec.min:g}) must be below max ({spec.max:g})"))
            if spec.measure:
                if spec.hazard_below is not None or spec.hazard_at_or_above is not None:
                    problems.append(
                        (
                            ("answer", "measure"),
                            f"'{spec.measure}' is judged by its published cut-off; "
                            "remove hazard_below / hazard_at_or_above",
                        )
                    )
                low, high = MEASURE_RANGES[spec.measure]
                if spec.min < low or spec.max > high:
                    problems.append(
                        (
                            ("answer", "measure"),
                            f"'{spec.measure}' runs from {low:g} to {high:g}; min and max must lie inside that",
                        )
                    )
        can_be_hazard = bool(hazards) or (
            isinstance(spec, (NumberAnswer, ScaleAnswer))
            and (
                getattr(spec, "measure", None) is not None
                or spec.hazard_at_or_above is not None
                or getattr(spec, "hazard_below", None) is not None
            )
        )
        if self.red_flag:
            if not self.action:
                problems.append((("action",), "a red flag must say what to do (add 'action')"))
            if not hazards:
                problems.append((("answer", "hazard"), "a red flag must say which answer raises it (add 'hazard')"))
        if can_be_hazard:
            if self.severity is None:
                problems.append((("severity",), "an item that can be a hazard needs a severity: low, medium or high"))
            if not self.action and not self.red_flag:
                problems.append((("action",), "an item that can be a hazard needs an 'action' the person can follow"))
            if not self.why:
                problems.append((("why",), "an item that can be a hazard needs a one-line 'why' it matters"))
        elif self.steadi_points is None:
            for key in ("severity", "weighs_more_with", "referral"):
                if getattr(self, key):
                    problems.append(((key,), f"'{key}' has no effect: no answer to this item counts as a hazard"))
        if self.steadi_points is not None and not (isinstance(spec, YesNoAnswer) and hazards == ["yes"]):
            problems.append(
                (("steadi_points",), "a STEADI question must be a yes/no item whose hazard answer is 'yes'")
            )
        if self.modes is not None and (len(set(self.modes)) != len(self.modes) or not self.modes):
            problems.append((("modes",), "list each mode once: clinician, self"))
        if self.only_if is not None:
            problems.extend(_check_condition(self.only_if))
        if problems:
            raise Problems(problems)
        return self

    def asked_in(self, mode: str) -> bool:
        return self.modes is None or mode in self.modes

    def prompt_for(self, mode: Mode) -> str:
        if mode == "self" and self.prompt_self:
            return self.prompt_self
        return self.prompt


class Advice(Strict):
    """A piece of safe-movement advice, shown in the plan when its condition fits the person."""

    text: Annotated[str, Field(min_length=3, max_length=600)]
    only_if: dict[str, bool | str | list[str]] | None = None
    source: Annotated[str, Field(min_length=3, max_length=200)]

    @model_validator(mode="after")
    def _condition(self) -> Advice:
        if self.only_if is not None:
            problems = _check_condition(self.only_if)
            if problems:
                raise Problems(problems)
        return self


class WarningGroup(Strict):
    """A group of warning signs for the "call your healthcare team now" box."""

    title: Annotated[str, Field(min_length=3, max_length=120)]
    signs: Annotated[list[Annotated[str, Field(min_length=3, max_length=300)]], Field(min_length=1)]
    source: Annotated[str, Field(min_length=3, max_length=200)]


class Section(Strict):
    id: Annotated[str, Field(pattern=ID_PATTERN.pattern, max_length=60)]
    title: Annotated[str, Field(min_length=2, max_length=120)]
    kind: SectionKind
    intro: Annotated[str, Field(max_length=600)] | None = None
    items: Annotated[list[Item], Field(min_length=1)]


class Checklist(Strict):
    """A whole checklist: the file format a clinician writes."""

    id: Annotated[str, Field(pattern=ID_PATTERN.pattern, max_length=80)]
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
        problems: list[tuple[tuple[str | int, ...], str]] = []
        seen_sections: dict[str, int] = {}
        seen_items: dict[str, tuple[int, int]] = {}
        steadi_total = 0
        steadi_count = 0
        for s_index, section in enumerate(self.sections):
            if section.id in seen_sections:
                problems.append(
                    (("sections", s_index, "id"), f"section id '{section.id}' is used twice")
                )
            seen_sections.setdefault(section.id, s_index)
            for i_index, item in enumerate(section.items):
                where = ("sections", s_index, "items", i_index)
                if item.id in seen_items:
                    first = self.sections[seen_items[item.id][0]].id
                    problems.append(
                        (where + ("id",), f"item id '{item.id}' is already used in section '{first}'")
                    )
                seen_items.setdefault(item.id, (s_index, i_index))
                for mode in item.modes or ():
                    if mode not in self.modes:
                        problems.append(
                            (where + ("modes",), f"mode '{mode}' is not one of the checklist's modes")
                        )
                if item.steadi_points is not None:
                    steadi_total += item.steadi_points
                    steadi_count += 1
        if steadi_count and (steadi_count, steadi_total) != (12, 14):
            problems.append(
                (
                    ("sections",),
                    f"the STEADI Stay Independent questions must be 12 items worth 14 points in all "
                    f"(found {steadi_count} items worth {steadi_total})",
                )
            )
        if problems:
            raise Problems(problems)
        return self

    # -- look-ups used by the scorer and the interfaces

    def items(self) -> list[tuple[Section, Item]]:
        return [(section, item) for section in self.sections for item in section.items]

    def item(self, item_id: str) -> Item:
        for _, item in self.items():
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    @property
    def label(self) -> str:
        return f"{self.id} v{self.version}"


# --------------------------------------------------------------------------- person and assessment


class Profile(Strict):
    """What the checklist needs to know about the person."""

    name: Annotated[str, Field(min_length=1, max_length=200, description="name or initials")]
    birth_date: date | None = None
    age: Annotated[int, Field(ge=18, le=120)] | None = None
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

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the name is empty; give a name or initials")
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
            raise ValueError("the name holds control characters; type it again as plain text")
        return value

    @field_validator("bone_sites")
    @classmethod
    def _sites_once(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("list each bone site once")
        return value

    def age_on(self, day: date) -> int | None:
        """The age in whole years on ``day``, from the birth date if known, else the age given."""
        if self.birth_date is not None:
            years = day.year - self.birth_date.year
            if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
                years -= 1
            return years
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
            wanted_set = set(wanted if isinstance(wanted, list) else [wanted])
            if not wanted_set.intersection(have):
                return False
        elif isinstance(wanted, list):
            if have not in wanted:
                return False
        elif have is None or have != wanted:
            return False
    return True


AnswerValue = Union[bool, int, float, str, None]


class Answer(Strict):
    value: AnswerValue = None
    note: Annotated[str, Field(max_length=100_000)] | None = None


class Assessment(Strict):
    """A filled-in checklist, as the ``score`` and ``report`` commands read it."""

    format: Literal["safehome-assessment/1"] = "safehome-assessment/1"
    checklist_id: Annotated[str, Field(pattern=ID_PATTERN.pattern)]
    checklist_version: str
    mode: Mode
    assessed_on: date
    profile: Profile
    answers: dict[str, Answer] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _dates(self, info: ValidationInfo) -> Assessment:
        problems: list[tuple[tuple[str | int, ...], str]] = []
        today = (info.context or {}).get("today") if info else None
        if today is not None and self.assessed_on > today:
            problems.append(
                (("assessed_on",), f"the assessment date {self.assessed_on} is in the future (today is {today})")
            )
        birth = self.profile.birth_date
        if birth is not None:
            if birth >= self.assessed_on:
                problems.append((("profile", "birth_date"), "the birth date is not before the assessment date"))
            elif not 18 <= (self.profile.age_on(self.assessed_on) or 0) <= 120:
                problems.append(
                    (("profile", "birth_date"), "the birth date gives an age outside 18 to 120 years")
                )
        if problems:
            raise Problems(problems)
        return self
