"""A scored assessment as FHIR: the QuestionnaireResponse and the results Bundle."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import Any

from safehome.core.records import Photo
from safehome.core.models import NOT_APPLICABLE, Assessment, Checklist, Item
from safehome.core.profile import Profile
from safehome.core.plan import Plan
from safehome.core.score import Score
from safehome.core.outputs import outputs
from safehome.i18n.words import t
from safehome.exchange.fhir.visit import schedule, visit_resources
from safehome.exchange.fhir.common import (
    ABSENT,
    ANSWER_CODES,
    BASE,
    IDENTIFYING,
    INTERPRETATION,
    LOINC,
    MASKED,
    NOTE,
    PROFILE_FIELDS,
    PROFILE_GROUP,
    SEX_TO_GENDER,
    STEADI_PANEL,
    YES_NO,
    MEASURE_CODES,
    MEASURES,
    identifier,
    profile_code_display,
    quantity,
    stable_id,
    url_of,
)


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
    if kind in ("text", "equipment"):
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
                {"valueCoding": {"system": system, "code": v, "display": profile_code_display(field, v)}}
                for v in (value if isinstance(value, list) else [value])
            ]
        else:
            key = {"boolean": "valueBoolean", "integer": "valueInteger"}.get(kind, "valueString")
            answers = [{key: v} for v in (value if isinstance(value, list) else [value])]
        items.append({"linkId": f"{PROFILE_GROUP}.{field}", "text": t(f"fhir.profile.{field}"), "answer": answers})
    return {"linkId": PROFILE_GROUP, "text": t("fhir.profile"), "item": items}


def response(
    checklist: Checklist, assessment: Assessment, *, key: str, named: bool = True, finished: bool = True
) -> dict[str, Any]:
    """The QuestionnaireResponse: the profile facts, then every answer and note, section by section."""
    mode = assessment.mode
    yes_no = _yes_no_codings()
    groups = [_profile_answers(assessment.profile, named=named, day=assessment.assessed_on)]

    def value_of(item: Item) -> Any:  # a question not asked gives no answer to follow
        answer = assessment.answers.get(item.id)
        return None if answer is None or not item.applies(mode, assessment.profile) else answer.value

    for section in checklist.sections:
        entries = []
        for item in section.items:
            # a question this person is not asked (its enableWhen is false) carries no answer in
            # FHIR: one kept from before a change of profile stays in the store, not in the export
            if not checklist.asks(item, mode, assessment.profile, value_of):
                continue
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
        "identifier": identifier(key, "QuestionnaireResponse"),
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
                "identifier": [identifier(key, "Observation/steadi")],
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
        coded = MEASURES.get(measure.measure)
        shown = t(f"fhir.measure.{measure.measure}")
        codings = [{"system": MEASURE_CODES, "code": measure.measure, "display": shown}]
        if coded is not None and coded.system != MEASURE_CODES:  # LOINC's code first, safehome's beside it
            codings.insert(0, {"system": coded.system, "code": coded.code, "display": coded.name})
        found.append(
            {
                "resourceType": "Observation",
                "id": stable_id(key, f"Observation/{measure.item_id}"),
                "identifier": [identifier(key, f"Observation/{measure.item_id}")],
                "category": [{"coding": [{"system": survey[0]["coding"][0]["system"], "code": "exam"}]}],
                "code": {"coding": codings, "text": item.prompt},
                **common,
                "valueQuantity": quantity(measure.value, "number", measure.measure, measure.unit),
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
                    "coding": [{"system": f"{BASE}/CodeSystem/{name}", "code": output.level, "display": output.label}],
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
        words = t(f"urgency.{action.urgency}") if action.red_flag and action.urgency else action.by_when
        detail.update(schedule(action, words, plan, assessment.assessed_on))
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
    photos: Sequence[Photo] = (),
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
        *visit_resources(checklist, assessment, result, plan, key, named=named, photos=photos),
    ]
    return {
        "resourceType": "Bundle",
        "id": stable_id(key, "Bundle"),
        "type": "collection",
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }
