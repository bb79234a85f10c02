"""What the FHIR export and import share: canonical URLs, code systems, stable ids, the profile's fields."""

from __future__ import annotations

import uuid
from types import UnionType
from typing import Any, Literal, NamedTuple, Union, get_args, get_origin
from safehome.core.profile import Profile
from safehome.i18n.words import MESSAGES, t


BASE = "http://safehome.invalid/fhir"  # safehome's canonical base (a name, never fetched)

LOINC = "http://loinc.org"

STEADI_PANEL = "97874-2"  # CDC STEADI Stay Independent brochure panel

YES_NO = {"yes": "LA33-6", "no": "LA32-8"}  # LOINC answers Yes and No

ITEM_WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"

ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"

UNIT = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"

MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"

MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"

NOTE = f"{BASE}/StructureDefinition/note"

ANSWER_CODES = f"{BASE}/CodeSystem/answer"

INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"

UCUM = "http://unitsofmeasure.org"

MEASURE_CODES = f"{BASE}/CodeSystem/measure"

IDENTIFIERS = "urn:ietf:rfc:3986"  # an identifier's system when its value is a urn:uuid


class Measure(NamedTuple):
    """What an EHR needs of a measure: a code (LOINC's where LOINC has one) and a UCUM unit."""

    system: str
    code: str
    unit: str  # UCUM
    name: str = ""  # LOINC's long common name, as LOINC gives it (its display)


# Decided by the measure's kind, never by the word shown for its unit ("seconds", "secondes").
MEASURES: dict[str, Measure] = {
    # loinc.org/89422-0 (the CDC STEADI TUG panel) holds 89423-8, the TUG time; its example unit is s
    "tug_seconds": Measure(
        LOINC, "89423-8", "s", "Time to rise from chair, walk 10 feet and back, and return to sitting [TUG]"
    ),
    # loinc.org/66247-8: sit to stand frequency in 30 seconds (arms not used, CDC STEADI); example unit {#}/(30.s)
    "chair_stand_30s": Measure(LOINC, "66247-8", "{#}/(30.s)", "Sit to stand frequency in 30 seconds"),
    # no LOINC term found for the STEADI 4-stage balance test (the stage held), Mirels or SINS: safehome's own codes
    "balance_stage": Measure(MEASURE_CODES, "balance_stage", "{stage}"),
    "mirels": Measure(MEASURE_CODES, "mirels", "{score}"),
    "sins": Measure(MEASURE_CODES, "sins", "{score}"),
}
SCALE_UNIT = "{score}"  # a 0 to 10 rating
LENGTH_UNIT = "cm"


def ucum(kind: str, measure: str | None) -> str | None:
    """The UCUM code of an answer's unit, from its kind and measure (None: a number without a unit)."""
    if kind == "length":
        return LENGTH_UNIT
    if kind == "scale":
        return SCALE_UNIT
    found = MEASURES.get(measure or "")
    return found.unit if found else None


def quantity(value: float, kind: str, measure: str | None, shown: str | None) -> dict[str, Any]:
    """A Quantity with its UCUM unit (``shown``: the unit's word, in the language in use)."""
    code = ucum(kind, measure)
    result: dict[str, Any] = {"value": value, "unit": shown or code}
    if code is not None:
        result.update(system=UCUM, code=code)
    return result


def identifier(key: str, kind: str) -> dict[str, str]:
    """A resource's business identifier: a UUID of its own, made from the assessment's (not its id)."""
    return {"system": IDENTIFIERS, "value": f"urn:uuid:{stable_id(key, f'identifier/{kind}')}"}


PROFILE_GROUP = "profile"

ON_PATIENT = ("name", "birth_date")  # in the Patient resource, not in the profile group

# left out of a de-identified copy: who filled it in (in a self-check, the person), phones, the
# clinician's name and phone, the next appointment
IDENTIFYING = ("completed_by", "cancer_team_phone", "after_hours_phone", "visit_clinician", "next_appointment")

SEX_TO_GENDER = {"female": "female", "male": "male", "other": "other", "unknown": "unknown"}

MASKED: Any = object()  # a free-text answer left out of a de-identified copy

_NAMESPACE = uuid.UUID("6f1d9f0e-2b1a-5c7e-9a51-5afe40e0f11c")


def url_of(checklist_id: str) -> str:
    return f"{BASE}/Questionnaire/{checklist_id}"


def stable_id(key: str, kind: str) -> str:
    """The same UUID for the same assessment and resource, whenever it is exported."""
    return str(uuid.uuid5(_NAMESPACE, f"{key}/{kind}"))


def _profile_kind(annotation: Any) -> tuple[str, tuple[str, ...], bool]:
    """(FHIR item type, codes for a choice, repeats) of a Profile field's type."""
    origin = get_origin(annotation)
    if origin in (Union, UnionType):
        return _profile_kind(next(a for a in get_args(annotation) if a is not type(None)))
    if origin is Literal:
        return "choice", tuple(str(a) for a in get_args(annotation)), False
    if origin is list:
        kind, codes, _ = _profile_kind(get_args(annotation)[0])
        return kind, codes, True
    if hasattr(annotation, "__metadata__"):  # Annotated[...]
        return _profile_kind(get_args(annotation)[0])
    return {bool: "boolean", int: "integer"}.get(annotation, "string"), (), False


PROFILE_FIELDS: dict[str, tuple[str, tuple[str, ...], bool]] = {
    name: _profile_kind(field.annotation) for name, field in Profile.model_fields.items() if name not in ON_PATIENT
}


# fields whose codes are another field's: a side names a bone site
_CODES_OF = {"completed_role": "role", "left_sites": "bone_sites", "right_sites": "bone_sites"}


def profile_code_display(field: str, code: str) -> str:
    key = f"profile.value.{_CODES_OF.get(field, field)}.{code}"
    return t(key) if key in MESSAGES else code


def profile_group() -> dict[str, Any]:
    items = []
    for field, (kind, codes, repeats) in PROFILE_FIELDS.items():
        item: dict[str, Any] = {"linkId": f"{PROFILE_GROUP}.{field}", "text": t(f"fhir.profile.{field}"), "type": kind}
        if repeats:
            item["repeats"] = True
        if codes:
            system = f"{BASE}/CodeSystem/{field}"
            item["answerOption"] = [
                {"valueCoding": {"system": system, "code": c, "display": profile_code_display(field, c)}} for c in codes
            ]
        items.append(item)
    return {"linkId": PROFILE_GROUP, "type": "group", "text": t("fhir.profile"), "item": items}
