"""The web face's forms: the profile (the self-check's own fields) and a section's answers sent
without the page's script. Each is read by the core's one rule (``core.profile_form``, each answer
kind's ``parse``); what is here is only which field is which."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, get_args

from multidict import MultiDictProxy

from safehome.core.profile import (
    LEGACY_SITES,
    BoneSite,
    LesionType,
    MedicineClass,
    Profile,
    Sex,
    SidedSite,
    SpineLevel,
    WalkingAid,
)
from safehome.core.profile_form import MEDICINE_SEPARATOR, TRI_FIELDS, ProfileCheck, check_profile, read_form, tri_pick
from safehome.i18n.words import t

TEXTS = ("name", "age", "birth_date", "primary_cancer", "medicines", "falls_last_12_months", "completed_by")
CONTACTS = ("cancer_team_phone", "after_hours_phone", "next_appointment")
PICKS: dict[str, tuple[str, ...]] = {
    "sex": get_args(Sex),
    "lesion_type": get_args(LesionType),
    "walking_aid": get_args(WalkingAid),
}
TICKS: dict[str, tuple[str, ...]] = {
    "bone_sites": tuple(s for s in get_args(BoneSite) if s not in LEGACY_SITES),
    "left_sites": get_args(SidedSite),
    "right_sites": get_args(SidedSite),
    "spine_levels": get_args(SpineLevel),
    "medicine_classes": get_args(MedicineClass),
}
VALUE_WORDS = {"left_sites": "bone_sites", "right_sites": "bone_sites"}  # the catalogue's lists of values
SHOWN = (*TEXTS, *CONTACTS, *PICKS, *TICKS, *TRI_FIELDS)
# the order of the form, in groups of a fieldset each
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("web.profile.you", ("name", "age", "birth_date", "sex", "completed_by")),
    (
        "web.profile.cancer",
        ("primary_cancer", "bone_sites", "left_sites", "right_sites", "spine_levels", "lesion_type"),
    ),
    ("web.profile.moving", ("walking_aid", "falls_last_12_months", "lives_alone", "caregiver_present")),
    ("web.profile.medicines", ("medicine_classes", "medicines")),
    ("app.profile.contacts", CONTACTS),
)
LABELS = {  # the app's labels, less its key hints ("Space to tick")
    "name": "app.profile.name.self",
    "age": "app.profile.age",
    "birth_date": "app.profile.birth_date",
    "sex": "app.profile.sex",
    "primary_cancer": "app.profile.primary_cancer",
    "bone_sites": "web.profile.bone_sites",
    "left_sites": "web.profile.left_sites",
    "right_sites": "web.profile.right_sites",
    "spine_levels": "web.profile.spine_levels",
    "lesion_type": "app.profile.lesion_type",
    "walking_aid": "app.profile.walking_aid",
    "medicine_classes": "web.profile.medicine_classes",
    "medicines": "app.profile.medicines",
    "falls_last_12_months": "app.profile.falls",
    "lives_alone": "app.profile.lives_alone.self",
    "caregiver_present": "app.profile.caregiver_present",
    "completed_by": "app.profile.completed_by.self",
    "cancer_team_phone": "app.profile.cancer_team_phone",
    "after_hours_phone": "app.profile.after_hours_phone",
    "next_appointment": "app.profile.next_appointment",
}
INPUT_TYPES = {"cancer_team_phone": "tel", "after_hours_phone": "tel"}  # a date is typed as its label says
INPUT_MODES = {"age": "numeric", "falls_last_12_months": "numeric"}
AUTOCOMPLETE = {"name": "name", "birth_date": "bday"}
# the longest text each typed field takes, from the model itself (a browser stops the typing there)
MAX_LENGTHS = {
    name: next((m.max_length for m in spec.metadata if getattr(m, "max_length", None)), None)
    for name, spec in Profile.model_fields.items()
}


@dataclass
class Field:
    name: str
    kind: str  # text, pick or ticks
    label: str
    value: str = ""
    choices: list[tuple[str, str, bool]] = field(default_factory=list)  # (value, words, picked)
    error: str | None = None
    warning: str | None = None
    input_type: str = "text"
    input_mode: str | None = None
    autocomplete: str = "off"
    max_length: int | None = None


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return f"{MEDICINE_SEPARATOR} ".join(str(v) for v in value)
    return str(value)


def profile_fields(
    values: dict[str, Any], errors: dict[str, str], warnings: dict[str, str]
) -> list[tuple[str, list[Field]]]:
    """The form's fieldsets, each field with its value, its choices and its message."""

    def one(name: str) -> Field:
        found = Field(name, "text", t(LABELS[name]), error=errors.get(name), warning=warnings.get(name))
        if name in PICKS or name in TRI_FIELDS:
            found.kind = "pick"
            codes = PICKS.get(name, ("unknown", "yes", "no"))
            words = "tri" if name in TRI_FIELDS else name
            picked = tri_pick(values.get(name)) if name in TRI_FIELDS else values.get(name)
            found.choices = [(c, t(f"profile.value.{words}.{c}"), c == picked) for c in codes]
        elif name in TICKS:
            found.kind = "ticks"
            words = VALUE_WORDS.get(name, name)
            ticked = set(values.get(name) or [])
            found.choices = [(c, t(f"profile.value.{words}.{c}"), c in ticked) for c in TICKS[name]]
        else:
            found.value = _shown(values.get(name))
            found.input_type = INPUT_TYPES.get(name, "text")
            found.input_mode = INPUT_MODES.get(name)
            found.autocomplete = AUTOCOMPLETE.get(name, "off")
            found.max_length = MAX_LENGTHS.get(name) if name != "medicines" else None
        return found

    return [(t(title), [one(name) for name in names]) for title, names in GROUPS]


def profile_values(profile: Profile | None) -> dict[str, Any]:
    """A profile as the form shows it (the model's defaults for a new one)."""
    if profile is not None:
        return profile.model_dump()
    return {
        name: None if spec.is_required() else spec.get_default(call_default_factory=True)
        for name, spec in Profile.model_fields.items()
    }


def read_profile(
    form: MultiDictProxy[Any], kept: Profile | None, day: date, today: date
) -> tuple[ProfileCheck, dict[str, Any]]:
    """The posted profile of a check made on ``day``, checked by the core's rule; also the values
    as typed, to show again."""
    texts = {name: str(form.get(name, "")) for name in (*TEXTS, *CONTACTS)}
    # a pick not sent (a client that is not this page) keeps what it was, or the model's default
    picks = {name: str(form[name]) for name in (*PICKS, *TRI_FIELDS) if name in form}
    ticks = {name: [str(v) for v in form.getall(name, []) if v in TICKS[name]] for name in TICKS}
    data, errors = read_form(texts, picks, ticks, "self", kept, SHOWN)
    data["assessed_on"] = day
    checked = check_profile(data, errors, today)
    typed_back = {**data, **texts, **ticks}
    typed_back.update({name: picks[name] for name in PICKS if name in picks})
    typed_back.update({name: data.get(name) for name in TRI_FIELDS})
    return checked, typed_back
