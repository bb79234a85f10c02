"""Reading a FHIR QuestionnaireResponse (alone or in a Bundle) back into an assessment."""

from __future__ import annotations

from typing import Any
from safehome.core.errors import InputError, Issue
from safehome.core.models import NOT_APPLICABLE, Checklist, Item
from safehome.core.profile import Profile
from safehome.i18n.words import language_of, t
from safehome.exchange.fhir.common import ABSENT, ANSWER_CODES, BASE, LOINC, NOTE, PROFILE_FIELDS, PROFILE_GROUP, YES_NO
from safehome.exchange.fhir.expressions import CALCULATED_LINKS


def is_fhir(data: Any) -> bool:
    return isinstance(data, dict) and "resourceType" in data


def assessment_data(data: dict[str, Any], source: str, find: Any) -> tuple[dict[str, Any], bool]:
    """An answers file's data from a QuestionnaireResponse of one of our Questionnaires (alone or
    in a Bundle, whose Patient named by the response's ``subject`` gives the name and birth date),
    and whether it named the person (a de-identified copy does not: it is imported as a person of
    its own). ``find(id, version)`` gives the checklist.

    Nothing is guessed: the subject resolves to exactly one Patient of the Bundle or the file is
    refused; items are read at any depth (``item.item``, ``answer.item``) and anything that cannot be
    placed is refused, never dropped; a response entered in error, a code of another code system
    and an answer to a question hidden for this person are refused. Every refusal is an InputError
    naming the FHIR path and what was expected there."""

    def fail(where: str, message: str) -> InputError:
        return InputError([Issue(source, None, where, message)])

    qr, patient = _response_and_patient(data, fail)
    status = qr.get("status")
    if status == "entered-in-error":
        raise fail("QuestionnaireResponse.status", t("fhir.import.entered_in_error"))
    canonical = qr.get("questionnaire")
    if canonical is None:
        raise fail("QuestionnaireResponse.questionnaire", t("fhir.import.missing", what="questionnaire"))
    url, _, version = _text(canonical, "QuestionnaireResponse.questionnaire", fail).partition("|")
    if not url.startswith(f"{BASE}/Questionnaire/") or not version:
        raise fail(
            "QuestionnaireResponse.questionnaire", t("fhir.import.other_questionnaire", url=str(canonical)[:120])
        )
    if qr.get("authored") is None:
        raise fail("QuestionnaireResponse.authored", t("fhir.import.no_date"))
    authored = _text(qr.get("authored"), "QuestionnaireResponse.authored", fail)[:10]
    checklist: Checklist = find(url.removeprefix(f"{BASE}/Questionnaire/"), version)
    reader = _Reader(checklist, fail)
    reader.walk(qr.get("item"), "QuestionnaireResponse.item", None, top=True)
    profile, answers = reader.profile, reader.answers

    subject: dict[str, Any] = qr["subject"] if isinstance(qr.get("subject"), dict) else {}
    names: list[Any] = patient["name"] if isinstance(patient.get("name"), list) else []
    name = next((n.get("text") for n in names if isinstance(n, dict) and isinstance(n.get("text"), str)), None)
    display = subject.get("display")
    name = name or (display if isinstance(display, str) else None)
    profile["name"] = name or t("fhir.import.no_name")
    if patient.get("birthDate"):
        profile["birth_date"] = _text(patient["birthDate"], "Patient.birthDate", fail)
    reader.refuse_hidden(profile)
    language = language_of(str(qr.get("language") or ""))  # "fr", "fr-CA" or "en-US": safehome's tag, else none
    data = {
        "checklist_id": checklist.id,
        "checklist_version": checklist.version,
        "mode": checklist.modes[0],
        "assessed_on": authored,
        "profile": profile,
        "answers": answers,
        **({"language": language} if language else {}),
    }
    return data, bool(name)


def _response_and_patient(data: dict[str, Any], fail: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The QuestionnaireResponse, and the Patient its subject names in the Bundle ({} for a response
    alone, or a de-identified Bundle with no Patient). Never the first Patient that comes: several,
    a subject that names none of them, or Patients with no subject to choose are refused."""
    if data.get("resourceType") != "Bundle":
        if data.get("resourceType") != "QuestionnaireResponse":
            raise fail("resourceType", t("fhir.import.not_a_response", found=str(data.get("resourceType"))[:60]))
        return data, {}
    entries = data.get("entry")
    if entries is None:
        entries = []
    if not isinstance(entries, list):
        raise fail("Bundle.entry", t("fhir.import.expected", what=t("fhir.import.what.list")))
    resources: list[tuple[str | None, dict[str, Any]]] = []
    for n, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("resource"), dict):
            raise fail(f"Bundle.entry[{n}]", t("fhir.import.expected", what=t("fhir.import.what.entry")))
        full = entry.get("fullUrl")
        resources.append((full if isinstance(full, str) else None, entry["resource"]))
    responses = [r for _, r in resources if r.get("resourceType") == "QuestionnaireResponse"]
    if len(responses) != 1:
        raise fail("Bundle.entry", t("fhir.import.one_response", count=len(responses)))
    qr = responses[0]
    patients = [(full, r) for full, r in resources if r.get("resourceType") == "Patient"]
    subject = qr.get("subject")
    if subject is not None and not isinstance(subject, dict):
        raise fail("QuestionnaireResponse.subject", t("fhir.import.expected", what=t("fhir.import.what.reference")))
    reference = (subject or {}).get("reference")
    if reference is None:
        if patients:  # whose is it? the response does not say: never the first one that comes
            raise fail("QuestionnaireResponse.subject", t("fhir.import.no_subject", count=len(patients)))
        return qr, {}
    if not isinstance(reference, str) or not reference:
        raise fail(
            "QuestionnaireResponse.subject.reference", t("fhir.import.expected", what=t("fhir.import.what.text"))
        )

    def names_it(full: str | None, patient: dict[str, Any]) -> bool:
        pid = patient.get("id")
        return reference == full or (isinstance(pid, str) and reference in (f"Patient/{pid}", f"urn:uuid:{pid}"))

    matching = [p for full, p in patients if names_it(full, p)]
    if len(matching) != 1:
        key = "fhir.import.dangling_subject" if not matching else "fhir.import.several_subjects"
        raise fail("QuestionnaireResponse.subject.reference", t(key, ref=reference[:120], count=len(matching)))
    return qr, matching[0]


def _text(value: Any, where: str, fail: Any) -> str:
    if not isinstance(value, str):
        raise fail(where, t("fhir.import.expected", what=t("fhir.import.what.text")))
    return value


class _Reader:
    """Walks a response's items at any depth and places each one: the profile group, a section, or a
    question of the checklist (an answer's own nested items included). Anything that cannot be placed
    is refused."""

    def __init__(self, checklist: Checklist, fail: Any) -> None:
        self.checklist = checklist
        self.fail = fail
        self.sections = {section.id for section in checklist.sections}
        self.profile: dict[str, Any] = {}
        self.answers: dict[str, dict[str, Any]] = {}
        self.where: dict[str, str] = {}  # item id -> the FHIR path it was read at

    def walk(self, items: Any, path: str, section: str | None, *, top: bool = False) -> None:
        fail = self.fail
        for n, entry in enumerate(_list(items, path, fail)):
            link = _text(entry.get("linkId"), f"{path}[{n}].linkId", fail)
            here = f"{path}[{n}](linkId '{link[:60]}')"  # the path, and the question it is
            if link == PROFILE_GROUP and top:
                self._profile(entry, here)
            elif link in self.sections and section is None:
                self.walk(entry.get("item"), f"{here}.item", link)
            elif link in CALCULATED_LINKS and section is not None:
                continue  # a total the renderer worked out: safehome scores the answers itself
            elif link in self.checklist.index:
                owner = self.checklist.index[link][0].id
                if section is not None and owner != section:  # a question filed under another section
                    raise fail(f"{here}.linkId", t("fhir.import.other_section", link=link, section=section))
                self._question(entry, here, owner)
            else:
                raise fail(f"{here}.linkId", t("fhir.import.unknown_link"))

    def _profile(self, group: dict[str, Any], path: str) -> None:
        fail = self.fail
        for n, entry in enumerate(_list(group.get("item"), f"{path}.item", fail)):
            link = _text(entry.get("linkId"), f"{path}.item[{n}].linkId", fail)
            here = f"{path}.item[{n}](linkId '{link[:60]}')"
            field = link.removeprefix(f"{PROFILE_GROUP}.")
            if not link.startswith(f"{PROFILE_GROUP}.") or field not in PROFILE_FIELDS:
                raise fail(f"{here}.linkId", t("fhir.import.unknown_link"))
            if field in self.profile:
                raise fail(f"{here}.linkId", t("fhir.import.twice"))
            values = _list(entry.get("answer"), f"{here}.answer", fail)
            self.profile[field] = _profile_value(field, values, f"{here}.answer", fail)

    def _question(self, entry: dict[str, Any], path: str, section: str) -> None:
        fail = self.fail
        link = str(entry["linkId"])
        if link in self.where:  # the same question twice: safehome never guesses which answer counts
            raise fail(f"{path}.linkId", t("fhir.import.twice"))
        self.where[link] = path
        item = self.checklist.item(link)
        values = _list(entry.get("answer"), f"{path}.answer", fail)
        if len(values) > 1:
            raise fail(f"{path}.answer", t("fhir.import.one_answer"))
        extensions: dict[Any, dict[str, Any]] = {}
        for k, extension in enumerate(_list(entry.get("extension"), f"{path}.extension", fail)):
            extensions[_text(extension.get("url"), f"{path}.extension[{k}].url", fail)] = extension
        absent = extensions.get(ABSENT, {}).get("valueCode")
        value: Any = None
        if values:
            value = _value(item, values[0], f"{path}.answer[0]", fail)
        elif absent == "not-applicable":
            value = NOT_APPLICABLE
        elif absent == "asked-declined" and item.answer.is_free_text():
            value = ""
        note = extensions.get(NOTE, {}).get("valueString")
        if note is not None:
            note = _text(note, f"{path}.extension.valueString", fail)
        if value is not None or note:
            self.answers[link] = {"value": value, **({"note": note} if note else {})}
        # the normal R4 shapes for nested questions: under the item, and under its answer
        self.walk(entry.get("item"), f"{path}.item", section)
        for k, answer in enumerate(values):
            self.walk(answer.get("item"), f"{path}.answer[{k}].item", section)

    def refuse_hidden(self, profile_data: dict[str, Any]) -> None:
        """An answer to a question this person is never asked (its enableWhen is false) is refused:
        it could not have been given, and would be scored as if it had."""
        try:
            profile = Profile.model_validate(profile_data)
        except ValueError:
            return  # the profile's own problems are said when the file is checked, each in its place
        checklist, mode = self.checklist, self.checklist.modes[0]

        def value_of(item: Item) -> Any:
            return self.answers.get(item.id, {}).get("value")

        for link, path in self.where.items():
            item = checklist.item(link)
            if link not in self.answers or self.answers[link]["value"] is None:
                continue
            if not checklist.asks(item, mode, profile, value_of):
                raise self.fail(f"{path}.answer", t("fhir.import.hidden"))


def _list(value: Any, where: str, fail: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise fail(where, t("fhir.import.not_a_list"))
    return value


def _coding(answer: dict[str, Any], system: str, where: str, fail: Any) -> str:
    """The code of an answer's valueCoding, which must be of ``system`` (a right code of another code
    system means something else)."""
    coding = answer.get("valueCoding")
    if not isinstance(coding, dict):
        raise fail(f"{where}.valueCoding", t("fhir.import.expected", what=t("fhir.import.what.coding")))
    if coding.get("system") != system:
        found = coding.get("system")
        raise fail(f"{where}.valueCoding.system", t("fhir.import.other_system", wanted=system, found=str(found)[:120]))
    return _text(coding.get("code"), f"{where}.valueCoding.code", fail)


def _value(item: Item, answer: dict[str, Any], where: str, fail: Any) -> Any:
    kind = item.answer.kind
    if kind == "yes_no":
        code = _coding(answer, LOINC, where, fail)
        found = next((v for v, c in YES_NO.items() if c == code), None)
        if found is None:
            raise fail(where, t("fhir.import.wrong_type", wanted="valueCoding (LOINC LA33-6 / LA32-8)"))
        return found
    if kind == "choice":
        return _coding(answer, ANSWER_CODES, where, fail)  # the checklist says whether it is one of its choices
    if kind in ("text", "equipment"):
        if "valueString" not in answer:
            raise fail(where, t("fhir.import.wrong_type", wanted="valueString"))
        return _text(answer["valueString"], f"{where}.valueString", fail)
    for key in ("valueInteger", "valueDecimal"):
        if key in answer:
            if isinstance(answer[key], bool) or not isinstance(answer[key], (int, float)):
                break
            return answer[key]
    raise fail(where, t("fhir.import.wrong_type", wanted="valueInteger / valueDecimal"))


def _profile_value(field: str, values: list[dict[str, Any]], where: str, fail: Any) -> Any:
    kind, _codes, repeats = PROFILE_FIELDS[field]
    if kind == "choice":
        system = f"{BASE}/CodeSystem/{field}"
        found = [_coding(v, system, f"{where}[{n}]", fail) for n, v in enumerate(values)]
        if len(found) > 1 and not repeats:
            raise fail(where, t("fhir.import.one_answer"))
        return found if repeats else found[0] if found else None
    key = {"boolean": "valueBoolean", "integer": "valueInteger"}.get(kind, "valueString")
    if (len(values) != 1 and not repeats) or not all(key in v for v in values):
        raise fail(where, t("fhir.import.wrong_type", wanted=key))
    found = [v[key] for v in values]
    return found if repeats else found[0]
