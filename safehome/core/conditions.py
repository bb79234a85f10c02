"""Who something is meant for: conditions on the person's profile, and the limits that say what a
person must never be asked (an arm that may break is never leant on). Part of the domain core."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal, get_args

from pydantic import Field, model_validator

from safehome.core.base import Strict
from safehome.core.profile import (
    BoneSite,
    LesionType,
    MedicineClass,
    Profile,
    Sex,
    SpineLevel,
    WalkingAid,
    condition_holds,
)
from safehome.i18n.words import t

# What an action or a piece of advice asks of the person's body or home, so that a checklist's
# ``limits`` can say who must never be asked it (an arm that may break is never leant on):
#   weight_through_arms  leaning on an aid or pushing up with the arms
#   pulling_on_arms      pulling oneself up (furniture, bed rails), or being pulled by the arms
#   own_walking_aid      names the person's own walking aid ("your walking aid")
#   helper               speaks to someone who helps the person move
Load = Literal["weight_through_arms", "pulling_on_arms", "own_walking_aid", "helper"]


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
    "medicine_classes": frozenset(get_args(MedicineClass)),
    "spine_levels": frozenset(get_args(SpineLevel)),
    "uses_walking_aid": None,
    "lives_alone": None,
    "caregiver_present": None,
    "has_fallen": None,
}


PathProblem = tuple[tuple[str | int, ...], str]


def check_condition(condition: dict[str, Any]) -> list[PathProblem]:
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


class Conditional(Strict):
    """Something shown only to some people: ``only_if`` must hold and ``unless`` must not."""

    only_if: dict[str, bool | str | list[str]] | None = Field(None, description="show only when this holds")
    unless: dict[str, bool | str | list[str]] | None = Field(None, description="skip when this holds")

    def condition_problems(self) -> list[PathProblem]:
        problems: list[PathProblem] = []
        for key in ("only_if", "unless"):
            condition = getattr(self, key)
            if condition is not None:
                problems.extend(((key, *path[1:]), message) for path, message in check_condition(condition))
        return problems

    def fits(self, profile: Profile) -> bool:
        """The one rule for whom something is meant."""
        if self.unless is not None and condition_holds(self.unless, profile):
            return False
        return self.only_if is None or condition_holds(self.only_if, profile)


class Instead(Strict):
    """Another wording of an action or of advice, for a person who must not be asked what the
    first one asks (``asks``); the first wording whose ``asks`` the person's limits allow is shown."""

    text: Annotated[str, Field(min_length=3, max_length=600)]
    asks: list[Load] = Field(default_factory=list)


class Limit(Conditional):
    """Who must never be asked something: when ``only_if`` holds, no text that asks one of
    ``forbids`` is shown (a contradicting pair, written as data)."""

    forbids: Annotated[list[Load], Field(min_length=1)]
    source: Annotated[str, Field(min_length=3, max_length=200)]

    @model_validator(mode="after")
    def _condition(self) -> Limit:
        problems = self.condition_problems()
        if self.only_if is None:
            problems.append((("only_if",), t("check.limit_when")))
        if problems:
            raise Problems(problems)
        return self


def first_allowed(
    text: str | None, asks: Sequence[str], instead: Sequence[Instead], forbidden: frozenset[str]
) -> str | None:
    """The first wording whose asks the person's limits allow (None: none of them)."""
    if text is not None and forbidden.isdisjoint(asks):
        return text
    return next((other.text for other in instead if forbidden.isdisjoint(other.asks)), None)
