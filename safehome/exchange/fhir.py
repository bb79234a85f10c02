"""HL7 FHIR R4 for safehome: a checklist as an SDC Questionnaire, an assessment as a Bundle.

On the service layer, beside the store and the PDFs: the domain core knows nothing of FHIR.
Everything here is plain JSON-ready data (dicts and lists); the tests parse every export with
the ``fhir.resources`` R4B models. Files only: nothing here opens a connection.

- :func:`questionnaire`: sections as groups, items with ``linkId`` = item id, answer options
  with codes (LOINC Yes/No for yes/no items), the Stay Independent points as ``itemWeight``, the
  profile facts as a group of their own so that ``enableWhen`` can point at them, ``required``.
- :func:`bundle`: a ``collection`` of the Patient, the QuestionnaireResponse (every answer and
  note), an Observation per measure (Stay Independent total, each functional test), a
  RiskAssessment holding the separate outputs and their reasons, and a CarePlan of the actions.
- :func:`assessment_data`: a QuestionnaireResponse of one of our Questionnaires (alone or in a
  Bundle) back into an answers file's data, refusing anything it cannot read exactly.

Resource ids are UUIDs made from the assessment's own stored UUID: exporting twice gives the
same ids. "Not applicable" travels as the standard data-absent-reason ``not-applicable`` on the
item, a free-text question answered with nothing to add as ``asked-declined``; a note as
safehome's ``note`` extension.
"""

from __future__ import annotations

import unicodedata
import uuid
from datetime import date
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin

from safehome.core.errors import InputError, Issue
from safehome.core.models import NOT_APPLICABLE, Assessment, Checklist, Item
from safehome.core.profile import Profile
from safehome.core.plan import Plan
from safehome.core.score import Score
from safehome.core.outputs import outputs
from safehome.i18n.words import MESSAGES, language_of, t

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


# ------------------------------------------------------------------ the profile facts, as questions


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


def _profile_code_display(field: str, code: str) -> str:
    key = f"profile.value.{'role' if field == 'completed_role' else field}.{code}"
    return t(key) if key in MESSAGES else code


def _profile_group() -> dict[str, Any]:
    items = []
    for field, (kind, codes, repeats) in PROFILE_FIELDS.items():
        item: dict[str, Any] = {"linkId": f"{PROFILE_GROUP}.{field}", "text": t(f"fhir.profile.{field}"), "type": kind}
        if repeats:
            item["repeats"] = True
        if codes:
            system = f"{BASE}/CodeSystem/{field}"
            item["answerOption"] = [
                {"valueCoding": {"system": system, "code": c, "display": _profile_code_display(field, c)}}
                for c in codes
            ]
        items.append(item)
    return {"linkId": PROFILE_GROUP, "type": "group", "text": t("fhir.profile"), "item": items}


# ------------------------------------------------------------------ the checklist as a Questionnaire


def _enable_when(item: Item) -> dict[str, Any]:
    """``enableWhen`` for the conditions a Questionnaire can say (on the profile group's answers)."""
    entries: list[dict[str, Any]] = []

    def coding(field: str, code: str) -> dict[str, Any]:
        return {"system": f"{BASE}/CodeSystem/{field}", "code": code}

    def question(field: str) -> str:
        return f"{PROFILE_GROUP}.{field}"

    only, unless = item.only_if or {}, item.unless or {}
    lists = [(f, v) for f, v in only.items() if isinstance(v, list)]
    if len(only) == 1 and lists:  # any of these values
        field, values = lists[0]
        entries = [{"question": question(field), "operator": "=", "answerCoding": coding(field, v)} for v in values]
        behaviour = "any"
    else:  # every one of these facts
        behaviour = "all"
        for field, wanted in only.items():
            if field == "uses_walking_aid":
                entries.append(
                    {
                        "question": question("walking_aid"),
                        "operator": "!=" if wanted else "=",
                        "answerCoding": coding("walking_aid", "none"),
                    }
                )
            elif field == "has_fallen":
                op = ">" if wanted else "<="
                entries.append({"question": question("falls_last_12_months"), "operator": op, "answerInteger": 0})
            elif isinstance(wanted, bool):
                entries.append({"question": question(field), "operator": "=", "answerBoolean": wanted})
            elif isinstance(wanted, str):
                entries.append({"question": question(field), "operator": "=", "answerCoding": coding(field, wanted)})
            else:
                return {}  # a mix a Questionnaire cannot say: the item is always shown (never hidden by mistake)
    for field, wanted in unless.items():
        if (only and behaviour == "any") or isinstance(wanted, bool):
            return {}
        values = [str(v) for v in wanted] if isinstance(wanted, list) else [str(wanted)]
        behaviour = "all"
        entries += [{"question": question(field), "operator": "!=", "answerCoding": coding(field, v)} for v in values]
    if not entries:
        return {}
    return {"enableWhen": entries, **({"enableBehavior": behaviour} if len(entries) > 1 else {})}


def _options(item: Item) -> list[dict[str, Any]]:
    kind = item.answer.kind
    options: list[dict[str, Any]] = []
    if kind == "yes_no":
        for value in ("yes", "no"):
            option: dict[str, Any] = {
                "valueCoding": {"system": LOINC, "code": YES_NO[value], "display": t(f"answer.shown.{value}")}
            }
            if item.steadi_points is not None:  # the Stay Independent points, as SDC weights
                weight = item.steadi_points if value == "yes" else 0
                option["extension"] = [{"url": ITEM_WEIGHT, "valueDecimal": weight}]
            options.append(option)
    elif kind == "choice":
        options = [
            {"valueCoding": {"system": ANSWER_CODES, "code": o.value, "display": o.label}}
            for o in item.answer.options()
            if o.value != NOT_APPLICABLE
        ]
    return options


def _question(item: Item, mode: str) -> dict[str, Any]:
    kind = item.answer.kind
    facts = item.answer.model_dump()  # the kind's own fields (min, max, unit...), read without switching on its class
    fhir_type = {"yes_no": "choice", "choice": "choice", "scale": "integer", "text": "text"}.get(kind)
    if kind == "number":
        fhir_type = "integer" if facts.get("integer") else "decimal"
    question: dict[str, Any] = {"linkId": item.id, "text": item.prompt_for(mode), "type": fhir_type}
    question.update(_enable_when(item))
    if item.is_required:
        question["required"] = True
    options = _options(item)
    if options:
        question["answerOption"] = options
    extensions: list[dict[str, Any]] = []
    if kind in ("number", "scale"):
        value_key = "valueInteger" if fhir_type == "integer" else "valueDecimal"
        low, high = facts["min"], facts["max"]
        extensions += [
            {"url": MIN_VALUE, value_key: int(low) if fhir_type == "integer" else low},
            {"url": MAX_VALUE, value_key: int(high) if fhir_type == "integer" else high},
        ]
        if kind == "number":
            extensions.append({"url": UNIT, "valueCoding": {"display": facts["unit"]}})
    if kind == "text":
        question["maxLength"] = facts["max_length"]
    if extensions:
        question["extension"] = extensions
    return question


def questionnaire(checklist: Checklist) -> dict[str, Any]:
    """The checklist as an R4 SDC Questionnaire (in the checklist's own language)."""
    mode = checklist.modes[0]
    groups = [_profile_group()]
    for section in checklist.sections:
        group: dict[str, Any] = {"linkId": section.id, "type": "group", "text": section.title}
        if any(item.steadi_points is not None for item in section.items):
            group["code"] = [{"system": LOINC, "code": STEADI_PANEL, "display": t("fhir.steadi_panel")}]
        group["item"] = [_question(item, mode) for item in section.items if item.modes is None or mode in item.modes]
        groups.append(group)
    name = "".join(part.capitalize() for part in checklist.id.replace(".", "-").split("-"))
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": f"{checklist.id}-{checklist.version}".replace(".", "-")[:64],
        "meta": {"profile": ["http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire"]},
        "language": checklist.language,
        "url": url_of(checklist.id),
        "version": checklist.version,
        "name": name,
        "title": checklist.title,
        "status": "active",
        "subjectType": ["Patient"],
        "publisher": "safehome",
        "item": groups,
    }
    if checklist.description:
        resource["description"] = checklist.description
    return resource


# ------------------------------------------------------------------ an assessment as a Bundle


def _yes_no_codings() -> dict[str, dict[str, Any]]:
    """LOINC Yes and No, in the language in use (made once per response, not once per answer)."""
    return {v: {"system": LOINC, "code": YES_NO[v], "display": t(f"answer.shown.{v}")} for v in YES_NO}


def _answer(item: Item, value: Any, yes_no: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One FHIR answer for a stored value (not "not applicable": that is no answer, and a reason)."""
    kind = item.answer.kind
    if kind == "yes_no":
        return {"valueCoding": dict(yes_no[value])}
    if kind == "choice":
        label = next((o.label for o in item.answer.options() if o.value == value), value)
        return {"valueCoding": {"system": ANSWER_CODES, "code": value, "display": label}}
    if kind == "text":
        return {"valueString": value}
    if kind == "scale" or item.answer.model_dump().get("integer"):
        return {"valueInteger": int(value)}
    return {"valueDecimal": value}


def _response_item(
    item: Item, value: Any, note: str | None, mode: str, yes_no: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    entry: dict[str, Any] = {"linkId": item.id, "text": item.prompt_for(mode)}
    extensions = []
    if value == NOT_APPLICABLE:
        extensions.append({"url": ABSENT, "valueCode": "not-applicable"})
    elif value == "":  # asked, nothing to add (a FHIR string is never empty)
        extensions.append({"url": ABSENT, "valueCode": "asked-declined"})
    elif value is MASKED:  # left out of a de-identified copy
        extensions.append({"url": ABSENT, "valueCode": "masked"})
    elif value is not None:
        entry["answer"] = [_answer(item, value, yes_no)]
    if note:
        extensions.append({"url": NOTE, "valueString": note})
    if extensions:
        entry["extension"] = extensions
    return entry


def _profile_answers(profile: Profile, *, named: bool, day: date) -> dict[str, Any]:
    items = []
    for field, (kind, _codes, _) in PROFILE_FIELDS.items():
        if not named and field in IDENTIFYING:
            continue
        value = getattr(profile, field)
        if field == "age" and value is None and not named:
            value = profile.age_on(day)  # the birth date stays out of a de-identified copy; the age it gave stays in
        if value is None or value == [] or (field == "sites_to_review" and value is False):
            continue
        if kind == "choice":
            system = f"{BASE}/CodeSystem/{field}"
            answers = [
                {"valueCoding": {"system": system, "code": v, "display": _profile_code_display(field, v)}}
                for v in (value if isinstance(value, list) else [value])
            ]
        elif kind == "boolean":
            answers = [{"valueBoolean": value}]
        elif kind == "integer":
            answers = [{"valueInteger": value}]
        else:
            answers = [{"valueString": value}]
        items.append({"linkId": f"{PROFILE_GROUP}.{field}", "text": t(f"fhir.profile.{field}"), "answer": answers})
    return {"linkId": PROFILE_GROUP, "text": t("fhir.profile"), "item": items}


def response(
    checklist: Checklist, assessment: Assessment, *, key: str, named: bool = True, finished: bool = True
) -> dict[str, Any]:
    """The QuestionnaireResponse: the profile facts, then every answer and note, section by section."""
    mode = assessment.mode
    yes_no = _yes_no_codings()
    groups = [_profile_answers(assessment.profile, named=named, day=assessment.assessed_on)]
    for section in checklist.sections:
        entries = []
        for item in section.items:
            answer = assessment.answers.get(item.id)
            if answer is not None and (answer.value is not None or answer.note):
                value, note = answer.value, answer.note
                if not named:  # free text that holds the name is left out whole, marked as masked
                    note = _without_name(note, assessment.profile.name)
                    if isinstance(value, str) and item.answer.is_free_text():
                        value = _without_name(value, assessment.profile.name)
                        value = MASKED if value is None else value
                entries.append(_response_item(item, value, note, mode, yes_no))
        if entries:
            groups.append({"linkId": section.id, "text": section.title, "item": entries})
    subject: dict[str, Any] = {"reference": f"urn:uuid:{stable_id(key, 'Patient')}"}
    if named:
        subject["display"] = assessment.profile.name
    return {
        "resourceType": "QuestionnaireResponse",
        "id": stable_id(key, "QuestionnaireResponse"),
        "language": checklist.language,  # the language its texts are in
        "questionnaire": f"{url_of(checklist.id)}|{checklist.version}",
        "status": "completed" if finished else "in-progress",
        "subject": subject,
        "authored": assessment.assessed_on.isoformat(),
        "item": groups,
    }


def _without_name(note: str | None, name: str) -> str | None:
    """A text for a de-identified copy: left out whole when it holds the person's name or a part of
    it (compared in one Unicode form, case-folded: "Zoë" typed with a combining accent too)."""
    if not note:
        return note

    def folded(text: str) -> str:
        return unicodedata.normalize("NFC", text).casefold()

    parts = [p for p in name.replace(",", " ").split() if len(p) >= 2] + [name]
    return None if any(folded(p) in folded(note) for p in parts) else note


def _patient(assessment: Assessment, key: str, named: bool) -> dict[str, Any]:
    p = assessment.profile
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "id": stable_id(key, "Patient"),
        "gender": SEX_TO_GENDER[p.sex],
    }
    if named:
        patient["name"] = [{"text": p.name}]
        if p.birth_date is not None:
            patient["birthDate"] = p.birth_date.isoformat()
    return patient


def _observations(checklist: Checklist, assessment: Assessment, result: Score, key: str) -> list[dict[str, Any]]:
    common = {
        "status": "final",
        "subject": {"reference": f"urn:uuid:{stable_id(key, 'Patient')}"},
        "effectiveDateTime": assessment.assessed_on.isoformat(),
        "derivedFrom": [{"reference": f"urn:uuid:{stable_id(key, 'QuestionnaireResponse')}"}],
    }
    survey = [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "survey"}]}]
    found: list[dict[str, Any]] = []
    if result.steadi is not None and result.steadi.answered:
        steadi = result.steadi
        found.append(
            {
                "resourceType": "Observation",
                "id": stable_id(key, "Observation/steadi"),
                "category": survey,
                "code": {
                    "coding": [{"system": LOINC, "code": STEADI_PANEL, "display": t("fhir.steadi_panel")}],
                    "text": t("fhir.steadi_total"),
                },
                **common,
                "valueInteger": steadi.score,
                "interpretation": [_interpretation(steadi.at_risk if steadi.complete else None)],
                "note": [{"text": t("fhir.steadi_rule", answered=steadi.answered, questions=steadi.questions)}],
            }
        )
    for measure in result.measures:
        item = checklist.item(measure.item_id)
        quantity: dict[str, Any] = {"value": measure.value, "unit": measure.unit}
        if measure.unit == "s":
            quantity.update(system=UCUM, code="s")
        found.append(
            {
                "resourceType": "Observation",
                "id": stable_id(key, f"Observation/{measure.item_id}"),
                "category": [{"coding": [{"system": survey[0]["coding"][0]["system"], "code": "exam"}]}],
                "code": {
                    "coding": [{"system": f"{BASE}/CodeSystem/measure", "code": measure.measure}],
                    "text": item.prompt,
                },
                **common,
                "valueQuantity": quantity,
                "interpretation": [_interpretation(measure.at_risk)],
                "note": [{"text": measure.judgement}],
            }
        )
    return found


def _interpretation(at_risk: bool | None) -> dict[str, Any]:
    if at_risk is None:
        return {"text": t("fhir.not_judged")}
    code, words = ("A", "fhir.at_risk") if at_risk else ("N", "fhir.not_at_risk")
    return {"coding": [{"system": INTERPRETATION, "code": code}], "text": t(words)}


# the four outputs, by their key in core.outputs, and their name in the export
RISK_OUTPUTS = {
    "urgency": "urgency",
    "fall_risk": "fall_risk",
    "hazards": "home_hazards",
    "completeness": "completeness",
}


def _risk_assessment(
    checklist: Checklist, assessment: Assessment, result: Score, plan: Plan, key: str
) -> dict[str, Any]:
    """The four outputs as every face words them (core.outputs), each with its reason."""
    shown = {output.key: output for output in outputs(checklist, result, assessment.mode)}
    predictions = [(name, shown[key]) for key, name in RISK_OUTPUTS.items()]
    return {
        "resourceType": "RiskAssessment",
        "id": stable_id(key, "RiskAssessment"),
        "status": "final",
        "subject": {"reference": f"urn:uuid:{stable_id(key, 'Patient')}"},
        "occurrenceDateTime": assessment.assessed_on.isoformat(),
        "basis": [{"reference": f"urn:uuid:{stable_id(key, 'QuestionnaireResponse')}"}],
        "method": {"text": t("fhir.method")},
        "prediction": [
            {
                "outcome": {"text": t(f"fhir.output.{name}")},
                "qualitativeRisk": {
                    "coding": [{"system": f"{BASE}/CodeSystem/{name}", "code": output.level}],
                    "text": output.label,
                },
                "rationale": output.because,
            }
            for name, output in predictions
        ],
        "note": [{"text": plan.disclaimer}],
    }


def _care_plan(assessment: Assessment, plan: Plan, key: str) -> dict[str, Any]:
    activities = []
    for action in (*plan.red_flags, *plan.actions):
        detail: dict[str, Any] = {
            "status": "not-started",
            "description": action.action,
            "performer": [{"display": t(f"pdf.who.home.{action.who}")}],
        }
        if action.red_flag and action.urgency:
            detail["scheduledString"] = t(f"urgency.{action.urgency}")
        else:
            detail["scheduledString"] = action.by_when
        activities.append({"detail": detail})
    for referral in plan.referrals:
        reasons = "; ".join(referral.reasons)
        activities.append(
            {
                "detail": {
                    "status": "not-started",
                    "description": t("fhir.referral", name=referral.name, reasons=reasons),
                }
            }
        )
    care_plan: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": stable_id(key, "CarePlan"),
        "status": "active",
        "intent": "plan",
        "title": t("pdf.home.title"),
        "subject": {"reference": f"urn:uuid:{stable_id(key, 'Patient')}"},
        "created": assessment.assessed_on.isoformat(),
        "supportingInfo": [{"reference": f"urn:uuid:{stable_id(key, 'RiskAssessment')}"}],
    }
    if activities:
        care_plan["activity"] = activities
    return care_plan


def bundle(
    checklist: Checklist,
    assessment: Assessment,
    result: Score,
    plan: Plan,
    *,
    key: str,
    named: bool = True,
    finished: bool = True,
) -> dict[str, Any]:
    """The results Bundle (type collection) of one assessment; ``named`` False: no name, birth date,
    contacts, or free text that holds the name, and ids of its own (a named and a de-identified
    copy cannot be matched by their ids)."""
    key = key if named else f"{key}/de-identified"
    resources = [
        _patient(assessment, key, named),
        response(checklist, assessment, key=key, named=named, finished=finished),
        *_observations(checklist, assessment, result, key),
        _risk_assessment(checklist, assessment, result, plan, key),
        _care_plan(assessment, plan, key),
    ]
    return {
        "resourceType": "Bundle",
        "id": stable_id(key, "Bundle"),
        "type": "collection",
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }


# ------------------------------------------------------------------ reading a response back


def is_fhir(data: Any) -> bool:
    return isinstance(data, dict) and "resourceType" in data


def assessment_data(data: dict[str, Any], source: str, find: Any) -> tuple[dict[str, Any], bool]:
    """An answers file's data from a QuestionnaireResponse of one of our Questionnaires (alone or
    in a Bundle, whose Patient gives the name and birth date), and whether it named the person
    (a de-identified copy does not: it is imported as a person of its own). ``find(id, version)``
    gives the checklist. InputError naming the linkId and the problem; nothing is guessed."""

    def fail(where: str, message: str) -> InputError:
        return InputError([Issue(source, None, where, message)])

    patient: dict[str, Any] = {}
    qr = data
    if data.get("resourceType") == "Bundle":
        resources = [e.get("resource") for e in data.get("entry") or [] if isinstance(e, dict)]
        responses = [r for r in resources if isinstance(r, dict) and r.get("resourceType") == "QuestionnaireResponse"]
        if len(responses) != 1:
            raise fail("entry", t("fhir.import.one_response", count=len(responses)))
        qr = responses[0]
        patient = next((r for r in resources if isinstance(r, dict) and r.get("resourceType") == "Patient"), {})
    if qr.get("resourceType") != "QuestionnaireResponse":
        raise fail("resourceType", t("fhir.import.not_a_response", found=str(qr.get("resourceType"))[:60]))
    canonical = str(qr.get("questionnaire") or "")
    url, _, version = canonical.partition("|")
    if not url.startswith(f"{BASE}/Questionnaire/") or not version:
        raise fail("questionnaire", t("fhir.import.other_questionnaire", url=canonical[:120]))
    checklist: Checklist = find(url.removeprefix(f"{BASE}/Questionnaire/"), version)
    mode = checklist.modes[0]
    sections = {section.id for section in checklist.sections}
    profile: dict[str, Any] = {}
    answers: dict[str, dict[str, Any]] = {}
    seen: set[str] = set()
    for group in _list(qr.get("item"), "item", fail):
        link = str(group.get("linkId"))
        if link != PROFILE_GROUP and link not in sections:
            raise fail(link, t("fhir.import.unknown_link"))
        for entry in _list(group.get("item"), link, fail):
            entry_link = str(entry.get("linkId"))
            if entry_link in seen:  # the same question twice: safehome never guesses which answer counts
                raise fail(entry_link, t("fhir.import.twice"))
            seen.add(entry_link)
            values = _list(entry.get("answer"), entry_link, fail)
            if link == PROFILE_GROUP:
                field = entry_link.removeprefix(f"{PROFILE_GROUP}.")
                if not entry_link.startswith(f"{PROFILE_GROUP}.") or field not in PROFILE_FIELDS:
                    raise fail(entry_link, t("fhir.import.unknown_link"))
                profile[field] = _profile_value(field, values, entry_link, fail)
                continue
            if entry_link not in checklist.index or checklist.index[entry_link][0].id != link:
                raise fail(entry_link, t("fhir.import.unknown_link"))
            item = checklist.item(entry_link)
            if len(values) > 1:
                raise fail(entry_link, t("fhir.import.one_answer"))
            extensions = {e.get("url"): e for e in _list(entry.get("extension"), entry_link, fail)}
            absent = extensions.get(ABSENT, {}).get("valueCode")
            value: Any = None
            if values:
                value = _value(item, values[0], entry_link, fail)
            elif absent == "not-applicable":
                value = NOT_APPLICABLE
            elif absent == "asked-declined" and item.answer.is_free_text():
                value = ""
            note = extensions.get(NOTE, {}).get("valueString")
            if value is not None or note:
                answers[entry_link] = {"value": value, **({"note": note} if note else {})}
    subject: dict[str, Any] = qr["subject"] if isinstance(qr.get("subject"), dict) else {}
    names: list[Any] = patient["name"] if isinstance(patient.get("name"), list) else []
    name = next((n.get("text") for n in names if isinstance(n, dict) and n.get("text")), None)
    name = name or subject.get("display")
    profile["name"] = name or t("fhir.import.no_name")
    if patient.get("birthDate"):
        profile["birth_date"] = patient["birthDate"]
    authored = str(qr.get("authored") or "")[:10]
    if not authored:
        raise fail("authored", t("fhir.import.no_date"))
    language = language_of(str(qr.get("language") or ""))  # "fr", "fr-CA" or "en-US": safehome's tag, else none
    data = {
        "checklist_id": checklist.id,
        "checklist_version": checklist.version,
        "mode": mode,
        "assessed_on": authored,
        "profile": profile,
        "answers": answers,
        **({"language": language} if language else {}),
    }
    return data, bool(name)


def _list(value: Any, where: str, fail: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise fail(where, t("fhir.import.not_a_list"))
    return value


def _value(item: Item, answer: dict[str, Any], where: str, fail: Any) -> Any:
    kind = item.answer.kind
    if kind == "yes_no":
        code = (answer.get("valueCoding") or {}).get("code")
        found = next((v for v, c in YES_NO.items() if c == code), None)
        if found is None:
            raise fail(where, t("fhir.import.wrong_type", wanted="valueCoding (LOINC LA33-6 / LA32-8)"))
        return found
    if kind == "choice":
        code = (answer.get("valueCoding") or {}).get("code")
        if code is None:
            raise fail(where, t("fhir.import.wrong_type", wanted="valueCoding"))
        return code  # the checklist says whether it is one of its choices
    if kind == "text":
        if "valueString" not in answer:
            raise fail(where, t("fhir.import.wrong_type", wanted="valueString"))
        return answer["valueString"]
    for key in ("valueInteger", "valueDecimal"):
        if key in answer:
            if isinstance(answer[key], bool) or not isinstance(answer[key], (int, float)):
                break
            return answer[key]
    raise fail(where, t("fhir.import.wrong_type", wanted="valueInteger / valueDecimal"))


def _profile_value(field: str, values: list[dict[str, Any]], where: str, fail: Any) -> Any:
    kind, _codes, repeats = PROFILE_FIELDS[field]
    if kind == "choice":
        found = [(v.get("valueCoding") or {}).get("code") for v in values]
        if any(code is None for code in found):
            raise fail(where, t("fhir.import.wrong_type", wanted="valueCoding"))
        return found if repeats else found[0] if found else None
    key = {"boolean": "valueBoolean", "integer": "valueInteger"}.get(kind, "valueString")
    if len(values) != 1 or key not in values[0]:
        raise fail(where, t("fhir.import.wrong_type", wanted=key))
    return values[0][key]
