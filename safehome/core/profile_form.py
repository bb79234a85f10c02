"""A profile as a person types it in a form: the one reading of typed fields, for every face.

The app's profile screen and the web page's profile form hand over what was typed (text for the
typed fields, the picked values for the rest); here the typed numbers and dates are read, the
model's rules applied, and every problem said as a sentence for its field. Part of the core: no UI.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError

from safehome.core.models import date_problems
from safehome.core.profile import AGE_RANGE, CONTACT_FIELDS, MAX_MEDICINES, MEDICINE_LENGTH, Profile, profile_warnings
from safehome.i18n.words import t

WHOLE_NUMBERS = ("age", "falls_last_12_months")
DATES = ("birth_date", "assessed_on")
OPTIONAL_TEXTS = ("primary_cancer", "completed_by", *CONTACT_FIELDS)
MEDICINE_SEPARATOR = ";"


@dataclass
class ProfileCheck:
    """The profile and the day of the check when every field is right; else a sentence per field."""

    profile: Profile | None
    day: date | None
    errors: dict[str, str] = field(default_factory=dict)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and self.profile is not None and self.day is not None


def read_typed(texts: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The typed fields given (whole numbers, dates, optional texts, medicine names) as profile
    values, and a sentence for each that cannot be read. A field not in ``texts`` is left out."""
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key in WHOLE_NUMBERS:
        text = texts.get(key, "").strip()
        if text:
            try:
                data[key] = int(text)
            except ValueError:
                errors[key] = t("app.profile.err.whole_number")
    for key in DATES:
        text = texts.get(key, "").strip()
        if text:
            try:
                data[key] = date.fromisoformat(text)
            except ValueError:
                errors[key] = t("app.profile.err.date_form")
        elif key == "assessed_on" and key in texts:
            errors[key] = t("app.profile.err.date_needed")
    for key in OPTIONAL_TEXTS:
        if key in texts:
            data[key] = texts[key].strip() or None
    if "medicines" in texts:
        names = [name.strip() for name in texts["medicines"].split(MEDICINE_SEPARATOR)]
        data["medicines"] = [name for name in names if name]
    if "name" in texts:
        data["name"] = texts["name"]
    return data, errors


def check_profile(data: dict[str, Any], typed_errors: dict[str, str], today: date) -> ProfileCheck:
    """Validate a profile's values (``assessed_on`` among them, taken out as the day of the check),
    with the sentences :func:`read_typed` already found; warnings the person may keep come too."""
    values = dict(data)
    day = values.pop("assessed_on", None)
    errors = dict(typed_errors)
    profile = None
    try:
        profile = Profile.model_validate(values)
    except ValidationError as exc:
        for error in exc.errors():
            key = str(error["loc"][0]) if error["loc"] else "name"
            message = error["msg"].removeprefix("Value error, ")
            if key == "medicines" and error["type"] in ("too_long", "string_too_long"):
                message = t("app.profile.err.medicines", most=MAX_MEDICINES, length=MEDICINE_LENGTH)
            elif error["type"] == "string_too_short" and key == "name":
                message = t("app.profile.err.name")
            elif error["type"] == "string_too_long":
                message = t("app.profile.err.too_long", most=error.get("ctx", {}).get("max_length", ""))
            elif error["type"] in ("greater_than_equal", "less_than_equal"):
                message = t("app.profile.err.age", low=AGE_RANGE[0], high=AGE_RANGE[1])
            errors.setdefault(key, message)
    if day is not None:
        for path, message in date_problems(values.get("birth_date"), day, today):  # the model's own date rules
            errors.setdefault(str(path[-1]), message)
    warnings = profile_warnings(profile, day) if profile is not None and day is not None else []
    if errors:
        return ProfileCheck(None, day, errors, warnings)
    return ProfileCheck(profile, day, {}, warnings)


TRI_FIELDS = ("lives_alone", "caregiver_present")  # yes / no / not known
_TRI = {"yes": True, "no": False}


def tri_value(picked: object) -> bool | None:
    """A yes / no / not known pick as the profile stores it (anything but yes or no: not known)."""
    return _TRI.get(picked) if isinstance(picked, str) else None


def tri_pick(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def read_form(
    texts: Mapping[str, str],
    picks: Mapping[str, Any],
    ticks: Mapping[str, list[str]],
    mode: str,
    kept: Profile | None,
    shown: tuple[str, ...],
) -> tuple[dict[str, Any], dict[str, str]]:
    """A whole profile form as profile values: the typed fields (see :func:`read_typed`), the
    picked values, the tick lists, the role of whoever filled it in; a field the form does not
    show (``shown`` names those it does) is kept as it was, so a face never drops what another
    face, or a newer version, filled in."""
    data: dict[str, Any] = {
        key: value for key, value in (kept.model_dump() if kept else {}).items() if key not in shown
    }
    read, errors = read_typed(texts)
    data.update(read)
    for key, picked in picks.items():
        data[key] = tri_value(picked) if key in TRI_FIELDS else picked
    for key, values in ticks.items():
        data[key] = list(values)
    data["completed_role"] = "clinician" if mode == "clinician" else "patient"
    if mode == "clinician" and "completed_by" not in texts:  # one "who did this" at a visit
        data["completed_by"] = data.get("visit_clinician")
    return data, errors
