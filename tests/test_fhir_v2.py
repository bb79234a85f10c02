"""FHIR v2: what a renderer works out for itself. Every SDC expression in the exported
Questionnaires is evaluated with a FHIRPath engine (fhirpathpy, the R4 model) over generated answer
sets, exported by safehome as QuestionnaireResponses, and compared with safehome's own result: the
Stay Independent total with the score, the physical tests' enableWhenExpression with the safety
stop, a score's follow-up with Checklist.asks."""

from __future__ import annotations

import os
import random
from datetime import date, timedelta
from typing import Any

import pytest
from fhirpathpy import compile as compiled
from fhirpathpy.models import models

from safehome.core import catalog
from safehome.core.models import Item
from safehome.core.safety import safety_stops
from safehome.core.score import score
from safehome.exchange import fhir
from safehome.exchange.fhir import expressions

from .conftest import HOME, SELF, make

R4 = models["r4"]
SETS = 300 if os.environ.get("SAFEHOME_SOAK") else 30


def _questions(questionnaire: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = {}
    for group in questionnaire["item"]:
        for item in group.get("item", []):
            found[item["linkId"]] = item
    return found


def _expression(question: dict[str, Any], url: str) -> str | None:
    for extension in question.get("extension", []):
        if extension["url"] == url:
            return str(extension["valueExpression"]["expression"])
    return None


def _answers(checklist, rng: random.Random, today: date) -> dict[str, Any]:
    """An answer set that reaches every branch: warning signs mostly "no" (each stopping sign now
    and then), Stay Independent answers at random, scores on both sides of their stops, and a
    clearance that is given, missing, dated after today, or not a date."""
    values: dict[str, Any] = {}
    for _, item in checklist.items():
        kind = item.answer.kind
        if kind == "yes_no":
            yes = rng.random() < (0.04 if item.red_flag else 0.5)
            values[item.id] = "yes" if yes else ("no" if rng.random() < 0.9 else None)
        elif getattr(item.answer, "measure", None) in ("mirels", "sins"):
            low, high = int(item.answer.min), int(item.answer.max)
            values[item.id] = rng.choice([None, rng.randint(low, high)])
    ids = checklist.clearance_items
    if ids and rng.random() < 0.5:
        values[ids["who"]] = rng.choice(["Dr Tremblay, oncologist", "   ", "Ms Ngata RN"])
        when = rng.choice([today - timedelta(days=3), today, today + timedelta(days=2)])
        values[ids["date"]] = rng.choice([when.isoformat(), f" {when.isoformat()} ", "last week"])
    return values


@pytest.mark.parametrize("checklist_id", [HOME, SELF])
def test_every_expression_agrees_with_safehome_over_generated_answers(checklist_id) -> None:
    checklist = catalog.find(checklist_id)
    questionnaire = fhir.questionnaire(checklist)
    questions = _questions(questionnaire)
    total = _expression(questions[expressions.STEADI_TOTAL], expressions.CALCULATED)
    tests = {
        item.id: _expression(questions[item.id], expressions.ENABLE_WHEN_EXPRESSION)
        for _, item in checklist.items()
        if expressions.is_physical_test(item)
    }
    follow_ups: dict[str, str] = {}
    for _, item in checklist.items():
        found = _expression(questions[item.id], expressions.ENABLE_WHEN_EXPRESSION)
        if item.follows and found:
            follow_ups[item.id] = found
    assert total is not None
    run_total = compiled(total, R4)
    run_tests = {link: compiled(e, R4) for link, e in tests.items() if e}
    run_follow_ups = {link: compiled(e, R4) for link, e in follow_ups.items()}
    assert all(tests.values()) and (checklist_id == SELF or len(tests) == 3)
    rng = random.Random(f"{checklist_id}-20261208")
    today = date.today()  # today() in the expressions is the visit's day
    agreed = {"total": 0, "tests": 0, "follow_ups": 0}
    stopped = allowed = 0
    for n in range(SETS):
        assessment = make(checklist, _answers(checklist, rng, today), fill_safe=False, day=today)
        result = score(checklist, assessment)
        response = fhir.response(checklist, assessment, key=f"set-{n}")
        env = {"resource": response}
        got = run_total(response, env)
        assert got == [result.steadi.score], (n, got, result.steadi.score)
        agreed["total"] += 1

        def value_of(item: Item, answers: dict[str, Any] = assessment.answers) -> Any:
            answer = answers.get(item.id)
            return None if answer is None else answer.value

        stops = safety_stops(checklist, assessment.mode, assessment.profile, today, value_of)
        stopped, allowed = stopped + bool(stops), allowed + (not stops)
        for link, run in run_tests.items():
            assert run(response, env) == [not stops], (n, link, stops)
            agreed["tests"] += 1
        for link, run in run_follow_ups.items():
            asked = checklist.asks(checklist.item(link), assessment.mode, assessment.profile, value_of)
            assert run(response, env) == [asked], (n, link)
            agreed["follow_ups"] += 1
    if checklist_id == HOME:
        assert stopped and allowed  # both sides of the stop were reached
    print(f"{checklist_id}: {SETS} answer sets, expressions agreeing: {agreed}; tests stopped in {stopped}")


def test_the_visit_travels_as_resources_an_ehr_reads(capsys) -> None:
    """Equipment as DeviceRequests with their status, referrals as ServiceRequests, each length as an
    Observation in cm, the plan's actions with their due dates; the whole Bundle read by the R4B models."""
    from collections import Counter

    from fhir.resources.R4B.bundle import Bundle

    from safehome.core.example import example_assessment
    from safehome.core.plan import build_plan
    from safehome.exchange.fhir.visit import DEVICE_STATUS, EQUIPMENT_STATUS

    from .conftest import DAY

    checklist = catalog.find(HOME)
    assessment = example_assessment(checklist, DAY)
    result = score(checklist, assessment)
    plan = build_plan(checklist, assessment, result)
    bundle = fhir.bundle(checklist, assessment, result, plan, key="visit")
    Bundle.model_validate(bundle)
    resources = [e["resource"] for e in bundle["entry"]]
    kinds = Counter(r["resourceType"] for r in resources)
    print(f"example home visit Bundle: {dict(kinds)}")
    assert kinds["DeviceRequest"] == len(plan.equipment) > 0
    assert kinds["ServiceRequest"] == len(plan.referrals) > 0
    for line, request in zip(
        plan.equipment, (r for r in resources if r["resourceType"] == "DeviceRequest"), strict=True
    ):
        assert (request["status"], request["intent"]) == DEVICE_STATUS[line.status]
        assert request["extension"] == [{"url": EQUIPMENT_STATUS, "valueCode": line.status}]
        assert request["codeCodeableConcept"]["coding"][0]["display"] == line.name
        assert request.get("occurrenceDateTime") == (line.by.isoformat() if line.by else None)
    lengths = {
        item.id: assessment.answers[item.id].value
        for _, item in checklist.items()
        if item.answer.kind == "length"
        and item.id in assessment.answers
        and isinstance(assessment.answers[item.id].value, int | float)
    }
    measured = {
        r["code"]["coding"][0]["code"]: r["valueQuantity"]
        for r in resources
        if r["resourceType"] == "Observation" and r["code"]["coding"][0]["system"].endswith("/measurement")
    }
    assert {k: q["value"] for k, q in measured.items()} == {k: float(v) for k, v in lengths.items()}
    assert all(q["code"] == "cm" and q["system"] == "http://unitsofmeasure.org" for q in measured.values())
    ids = [r["id"] for r in resources]
    assert len(ids) == len(set(ids))  # every resource its own id
    again = fhir.bundle(checklist, assessment, result, plan, key="visit")
    assert again == bundle  # the same ids and identifiers on every export


def test_letters_and_photos_travel_with_a_named_bundle_and_never_with_a_de_identified_one(home, tmp_path) -> None:
    import base64
    import json

    from fhir.resources.R4B.bundle import Bundle

    from safehome import service
    from safehome.core.example import example_assessment
    from safehome.storage.store import Store

    from .conftest import DAY
    from safehome.service.photos import cleaned

    from .test_photos_letters import camera_photo

    picture = camera_photo(tmp_path / "kitchen.jpg", size=(60, 40), orientation=1)
    with Store(tmp_path / "data" / "safehome.sqlite3") as store:
        aid = store.create(example_assessment(home, DAY))
        store.add_photos(aid, [cleaned(home, "hw_rugs", picture, "Loose rug by the stove")], limit=40)
        named = json.loads(service.bundle_json(store, aid))
        nameless = json.loads(service.bundle_json(store, aid, named=False))
    Bundle.model_validate(named)
    Bundle.model_validate(nameless)
    resources = [e["resource"] for e in named["entry"]]
    letters = [r for r in resources if r["resourceType"] == "DocumentReference"]
    requests = {r["id"]: r for r in resources if r["resourceType"] == "ServiceRequest"}
    assert letters and len(letters) <= len(requests)
    for letter in letters:
        text = base64.b64decode(letter["content"][0]["attachment"]["data"]).decode("utf-8")
        assert "Zoë Tremblay" in text or "Tremblay" in text  # the letter as written, about the person
        assert any(
            f"urn:uuid:{letter['id']}" in [s["reference"] for s in r["supportingInfo"]] for r in requests.values()
        )
    (media,) = [r for r in resources if r["resourceType"] == "Media"]
    assert media["content"]["title"] == "Loose rug by the stove" and media["content"]["contentType"] == "image/jpeg"
    assert base64.b64decode(media["content"]["data"])[:2] == b"\xff\xd8"
    kinds = {e["resource"]["resourceType"] for e in nameless["entry"]}
    assert not {"DocumentReference", "Media"} & kinds
    assert "Tremblay" not in json.dumps(nameless)
