"""The person: what a checklist needs to know about them, and the one rule for matching names.

A module of its own so that the answer kinds and the measures (which judge a value against the
person) and the checklist models can all name it without importing each other.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from safehome.core.base import Strict
from safehome.i18n.words import t

BoneSite = Literal[
    "spine", "ribs", "pelvis", "hip_thigh", "lower_leg", "upper_limb", "skull", "unknown", "other_long_bones"
]
# "other_long_bones" (checklists 1.x) lumped arms with legs: it is read as both, and flagged for review.
LEGACY_SITES: dict[str, tuple[str, ...]] = {"other_long_bones": ("lower_leg", "upper_limb")}
LesionType = Literal["unknown", "osteolytic", "osteoblastic", "mixed"]
Sex = Literal["unknown", "female", "male", "other"]
WalkingAid = Literal["none", "cane", "walker", "wheelchair", "other"]
Role = Literal["patient", "caregiver", "clinician"]
AGE_RANGE = (18, 120)  # adults only: the checklists and the norms are for adults


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
