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

from pydantic import Field, ValidationInfo, field_validator, model_validator

from safehome.core.base import Strict
from safehome.core.terms import clinician_named
from safehome.i18n.words import t

BoneSite = Literal[
    "spine", "ribs", "pelvis", "hip_thigh", "lower_leg", "upper_limb", "skull", "unknown", "other_long_bones"
]
# "other_long_bones" (checklists 1.x) lumped arms with legs: it is read as both, and flagged for review.
LEGACY_SITES: dict[str, tuple[str, ...]] = {"other_long_bones": ("lower_leg", "upper_limb")}
# The bones that come in pairs (a side can be given) and the levels of the spine.
SidedSite = Literal["ribs", "pelvis", "hip_thigh", "lower_leg", "upper_limb"]
SpineLevel = Literal["cervical", "thoracic", "lumbar", "sacral"]
LesionType = Literal["unknown", "osteolytic", "osteoblastic", "mixed"]
Sex = Literal["unknown", "female", "male", "other"]
WalkingAid = Literal[
    "none", "cane", "walker", "walker_two_wheeled", "rollator", "forearm_walker", "wheelchair", "other"
]
# Each kind of walker is a walker: a checklist's ``walking_aid: walker`` holds for all of them.
AID_FAMILIES: dict[str, str] = {"walker_two_wheeled": "walker", "rollator": "walker", "forearm_walker": "walker"}
# Classes of medicine a checklist may ask about (``only_if: {medicine_classes: [...]}``); the names
# the person takes are typed beside them. The fall-risk classes are those the anchors name
# (opioids, nerve-pain medicines, drowsiness or dizziness) and the bone medicines of the source guidance.
MedicineClass = Literal[
    "opioid",
    "nsaid",
    "gabapentinoid",
    "sleeping_pill",
    "antidepressant",
    "blood_pressure",
    "blood_thinner",
    "steroid",
    "denosumab",
    "bisphosphonate",
    "other",
]
MAX_MEDICINES = 40  # typed names: a long list, not an unbounded one
MEDICINE_LENGTH = 120
MedicineName = Annotated[str, Field(min_length=1, max_length=MEDICINE_LENGTH)]
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
    left_sites: list[SidedSite] = Field(default_factory=list, description="bone sites on the left side")
    right_sites: list[SidedSite] = Field(default_factory=list, description="bone sites on the right side")
    spine_levels: list[SpineLevel] = Field(default_factory=list, description="where in the spine")
    lesion_type: LesionType = "unknown"
    walking_aid: WalkingAid = "none"
    medicine_classes: list[MedicineClass] = Field(default_factory=list, description="kinds of medicine taken")
    medicines: Annotated[list[MedicineName], Field(max_length=MAX_MEDICINES)] = Field(
        default_factory=list, description="the medicines' names, as typed"
    )
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

    @field_validator("bone_sites", "left_sites", "right_sites", "spine_levels", "medicine_classes")
    @classmethod
    def _sites_once(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError(t("profile.sites_once"))
        return value

    @field_validator("medicines")
    @classmethod
    def _medicine_names(cls, value: list[str]) -> list[str]:
        names = [" ".join(name.split()) for name in value]
        if any(not name for name in names):
            raise ValueError(t("profile.medicine_empty"))
        if any(_has_controls(name) for name in value):
            raise ValueError(t("profile.text_control"))
        if len({name.casefold() for name in names}) != len(names):
            raise ValueError(t("profile.medicine_once"))
        return names

    @field_validator("left_sites", "right_sites", "spine_levels")
    @classmethod
    def _details_fit_sites(cls, value: list[str], info: ValidationInfo) -> list[str]:
        """A side or a spine level belongs to a bone site the person has: never a detail without its site."""
        sites = info.data.get("bone_sites")
        if sites is None:  # the bone sites were wrong themselves: their own message says so
            return value
        if info.field_name == "spine_levels":
            if value and "spine" not in sites:
                raise ValueError(t("profile.level_without_spine"))
            return value
        missing = [site for site in value if site not in sites]
        if missing:
            words = ", ".join(t(f"profile.value.bone_sites.{site}") for site in missing)
            raise ValueError(t("profile.side_without_site", sites=words))
        return value

    def side_of(self, site: str) -> str | None:
        """ "left", "right" or "both" for a paired bone whose side was given, else None."""
        left, right = site in self.left_sites, site in self.right_sites
        return "both" if left and right else "left" if left else "right" if right else None

    def aid_family(self) -> str:
        """The walking aid as the checklists' conditions name it: every kind of walker is "walker"."""
        return AID_FAMILIES.get(self.walking_aid, self.walking_aid)

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

    @property
    def clinician(self) -> str | None:
        """The clinician of this visit (:func:`~safehome.core.terms.clinician_named`)."""
        return clinician_named(self.visit_clinician, self.completed_by, self.completed_role)

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

    A list means "any of these"; for a list on the profile (``bone_sites``, ``medicine_classes``)
    it means "the person has any of these". A walker of any kind is a walker. An unknown answer
    (None) never meets a condition.
    """
    if not condition:
        return True
    for field, wanted in condition.items():
        have = profile.condition_value(field)
        if isinstance(have, list):
            wanted_list = wanted if isinstance(wanted, list) else [wanted]
            wanted_set = expand_sites(wanted_list) if field == "bone_sites" else frozenset(wanted_list)
            if not wanted_set.intersection(have):
                return False
        else:
            # the value itself, and its family: "rollator" meets both "rollator" and "walker"
            haves = {have, AID_FAMILIES[have]} if field == "walking_aid" and have in AID_FAMILIES else {have}
            if have is None or haves.isdisjoint(wanted if isinstance(wanted, list) else [wanted]):
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


def site_words(profile: Profile) -> list[str]:
    """Each bone site in words, with its side or its levels of the spine where they were given."""
    words: list[str] = []
    for site in profile.bone_sites:
        label = t(f"profile.value.bone_sites.{site}")
        side = profile.side_of(site)
        if site == "spine" and profile.spine_levels:
            levels = ", ".join(t(f"profile.value.spine_levels.{level}") for level in profile.spine_levels)
            label = t("profile.site_with_detail", site=label, detail=levels)
        elif side is not None:
            label = t("profile.site_with_detail", site=label, detail=t(f"profile.value.side.{side}"))
        words.append(label)
    return words
