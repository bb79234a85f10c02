"""Reading a FHIR QuestionnaireResponse (alone or in a Bundle) back into an assessment."""

from __future__ import annotations

from typing import Any
from safehome.core.errors import InputError, Issue
from safehome.core.models import NOT_APPLICABLE, Checklist, Item
from safehome.i18n.words import language_of, t
from safehome.exchange.fhir.common import ABSENT, BASE, NOTE, PROFILE_FIELDS, PROFILE_GROUP, YES_NO


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
    if (len(values) != 1 and not repeats) or not all(key in v for v in values):
        raise fail(where, t("fhir.import.wrong_type", wanted=key))
    found = [v[key] for v in values]
    return found if repeats else found[0]
