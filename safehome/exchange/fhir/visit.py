"""The rest of a visit as FHIR resources: each piece of equipment as a DeviceRequest (its status),
each referral as a ServiceRequest, each length measured in the home as an Observation in cm, and
the due date of each action of the CarePlan. Every one has an id and an identifier of its own made
from the assessment's, so exporting twice gives the same resources.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import date
from typing import Any

from safehome.core.letters import build_letter, called_for
from safehome.core.records import Photo
from safehome.core.score import Score

from safehome.core.models import NOT_APPLICABLE, Assessment, Checklist
from safehome.core.plan import EquipmentLine, Plan, PlanAction, PlanReferral
from safehome.i18n.words import t
from safehome.exchange.fhir.common import BASE, identifier, quantity, stable_id

EQUIPMENT_STATUS = f"{BASE}/StructureDefinition/equipment-status"
DOCUMENT_CODES = f"{BASE}/CodeSystem/document"
MEDIA_TYPE = "http://terminology.hl7.org/CodeSystem/media-type"
MEASUREMENT_CODES = f"{BASE}/CodeSystem/measurement"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"

# safehome's status of a piece of equipment as a DeviceRequest says it: (status, intent). A
# recommendation is a proposal; once ordered it is an order, active until it is in place; declined
# is revoked. The exact word also travels in safehome's extension.
DEVICE_STATUS: dict[str, tuple[str, str]] = {
    "recommended": ("active", "proposal"),
    "ordered": ("active", "order"),
    "delivered": ("active", "order"),
    "installed": ("completed", "order"),
    "declined": ("revoked", "proposal"),
}


def _resource(resource_type: str, kind: str, key: str) -> dict[str, Any]:
    """A resource's type, its id and its identifier, each made from the assessment's key and ``kind``."""
    return {"resourceType": resource_type, "id": stable_id(key, kind), "identifier": [identifier(key, kind)]}


def _subject(key: str) -> dict[str, str]:
    return {"reference": f"urn:uuid:{stable_id(key, 'Patient')}"}


def device_request(line: EquipmentLine, assessment: Assessment, key: str) -> dict[str, Any]:
    status, intent = DEVICE_STATUS[line.status]
    kind = f"DeviceRequest/{line.id}"
    resource: dict[str, Any] = {
        **_resource("DeviceRequest", kind, key),
        "extension": [{"url": EQUIPMENT_STATUS, "valueCode": line.status}],
        "status": status,
        "intent": intent,
        "codeCodeableConcept": {
            "coding": [{"system": f"{BASE}/CodeSystem/equipment", "code": line.id, "display": line.name}],
            "text": line.name,
        },
        "subject": _subject(key),
        "authoredOn": assessment.assessed_on.isoformat(),
        "reasonCode": [{"text": line.solves}],
        "performerType": {"text": t(f"equipment.who_clinician.{line.who}")},
    }
    if line.by is not None:
        resource["occurrenceDateTime"] = line.by.isoformat()
    notes = [*line.sizes, *([line.sizing] if line.sizing else [])]
    if notes:
        resource["note"] = [{"text": text} for text in notes]
    return resource


def letter(
    checklist: Checklist, assessment: Assessment, result: Score, plan: Plan, to: str, key: str
) -> dict[str, Any]:
    """The referral letter (the OT field kit's) as a DocumentReference holding its plain text."""
    written = build_letter(checklist, assessment, result, plan, to)
    kind = f"DocumentReference/letter/{to}"
    return {
        **_resource("DocumentReference", kind, key),
        "status": "current",
        "docStatus": "final",
        "type": {
            "coding": [{"system": DOCUMENT_CODES, "code": "referral-letter", "display": t("fhir.letter")}],
            "text": t("fhir.letter"),
        },
        "subject": _subject(key),
        "description": written.title,
        "content": [
            {
                "attachment": {
                    "contentType": "text/plain; charset=utf-8",
                    "language": checklist.language,
                    "data": base64.b64encode(written.text().encode("utf-8")).decode("ascii"),
                    "title": written.title,
                }
            }
        ],
    }


def photo(item_prompt: str, kept: Photo, assessment: Assessment, key: str) -> dict[str, Any]:
    """A photo of the home as a Media resource: the cleaned JPEG, its caption as the attachment's title
    (what a reader shows in its place), the question it was taken for as the reason."""
    kind = f"Media/photo/{kept.id}"
    media: dict[str, Any] = {
        **_resource("Media", kind, key),
        "status": "completed",
        "type": {"coding": [{"system": MEDIA_TYPE, "code": "image", "display": "Image"}]},
        "subject": _subject(key),
        "createdDateTime": assessment.assessed_on.isoformat(),
        "reasonCode": [{"text": item_prompt}],
        "width": kept.width,
        "height": kept.height,
        "content": {
            "contentType": "image/jpeg",
            "data": base64.b64encode(kept.jpeg).decode("ascii"),
            "title": kept.caption or t("fhir.photo_untitled", prompt=item_prompt),
        },
    }
    return media


def service_request(referral: PlanReferral, assessment: Assessment, key: str, *, with_letter: bool) -> dict[str, Any]:
    kind = f"ServiceRequest/{referral.to}"
    supporting = [{"reference": f"urn:uuid:{stable_id(key, 'RiskAssessment')}"}]
    if with_letter:
        supporting.append({"reference": f"urn:uuid:{stable_id(key, f'DocumentReference/letter/{referral.to}')}"})
    return {
        **_resource("ServiceRequest", kind, key),
        "status": "active",
        "intent": "proposal",
        "code": {
            "coding": [{"system": f"{BASE}/CodeSystem/referral", "code": referral.to, "display": referral.name}],
            "text": referral.name,
        },
        "subject": _subject(key),
        "authoredOn": assessment.assessed_on.isoformat(),
        "reasonCode": [{"text": reason} for reason in referral.reasons],
        "supportingInfo": supporting,
    }


def measurements(checklist: Checklist, assessment: Assessment, key: str) -> list[dict[str, Any]]:
    """Each length measured in the home, as an Observation in cm (UCUM), with its question."""
    found = []
    for _, item in checklist.items():
        answer = assessment.answers.get(item.id)
        if item.answer.kind != "length" or answer is None or answer.value in (None, NOT_APPLICABLE):
            continue
        kind, shown = f"Observation/{item.id}", item.statement or item.prompt
        found.append(
            {
                **_resource("Observation", kind, key),
                "status": "final",
                "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "exam"}], "text": t("fhir.home")}],
                "code": {
                    "coding": [{"system": MEASUREMENT_CODES, "code": item.id, "display": shown}],
                    "text": item.prompt,
                },
                "subject": _subject(key),
                "effectiveDateTime": assessment.assessed_on.isoformat(),
                "derivedFrom": [{"reference": f"urn:uuid:{stable_id(key, 'QuestionnaireResponse')}"}],
                "valueQuantity": quantity(float(answer.value), "length", None, "cm"),
            }
        )
    return found


def schedule(action: PlanAction, words: str, plan: Plan, day: date) -> dict[str, Any]:
    """A CarePlan activity's timing: the words the handout uses, and the period from the visit to
    the day it is due (when a day fixes it)."""
    timing: dict[str, Any] = {"code": {"text": words}}
    due = action.due_on(day, plan.recheck_on)
    if due is not None:
        timing["repeat"] = {"boundsPeriod": {"start": day.isoformat(), "end": due.isoformat()}}
    return {"scheduledTiming": timing}


def visit_resources(
    checklist: Checklist,
    assessment: Assessment,
    result: Score,
    plan: Plan,
    key: str,
    *,
    named: bool,
    photos: Sequence[Photo] = (),
) -> list[dict[str, Any]]:
    """Measurements, referrals (with their letters), equipment, photos. A de-identified copy has no
    letter (a letter names the person) and no photo (a photo of a home can)."""
    letters = called_for(plan, assessment.mode) if named else ()
    return [
        *measurements(checklist, assessment, key),
        *(service_request(r, assessment, key, with_letter=r.to in letters) for r in plan.referrals),
        *(letter(checklist, assessment, result, plan, to, key) for to in letters),
        *(device_request(line, assessment, key) for line in plan.equipment),
        *(photo(checklist.item(p.item_id).prompt_for(assessment.mode), p, assessment, key) for p in photos if named),
    ]
