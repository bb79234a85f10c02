"""HL7 FHIR R4: the checklists as Questionnaires, assessments as Bundles, and responses read back.

Every export is parsed with the real models (``fhir.resources`` R4B); a Bundle read back scores
exactly as the stored assessment did (``score --json``, byte for byte).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from safehome.core import catalog
from safehome.exchange import fhir
from safehome import service
from safehome.faces.cli import main
from safehome.core.example import example_assessment
from safehome.core.models import NOT_APPLICABLE, Answer, Assessment
from safehome.core.score import score
from safehome.storage.store import Store

from .conftest import DAY, HOME, SELF, hazard_value, safe_value


def _store(tmp_path: Path) -> Path:
    return tmp_path / "data" / "safehome.sqlite3"


def _out(capsys) -> str:
    return capsys.readouterr().out


@pytest.mark.parametrize("checklist_id", [HOME, SELF])
@pytest.mark.parametrize("language", ["en-CA", "fr-CA"])
def test_every_checklist_is_a_questionnaire_the_r4_models_read(capsys, checklist_id, language) -> None:
    assert main(["--lang", language, "checklist", "export-fhir", checklist_id]) == 0
    data = json.loads(_out(capsys))
    questionnaire = Questionnaire.model_validate(data)
    checklist = catalog.find(checklist_id)
    assert questionnaire.url == fhir.url_of(checklist_id) and questionnaire.version == checklist.version
    assert questionnaire.language == language
    links = {i.linkId for group in questionnaire.item for i in group.item or []}
    assert {item.id for _, item in checklist.items()} <= links
    steadi = next(g for g in questionnaire.item if g.code)
    assert steadi.code[0].code == fhir.STEADI_PANEL
    weights = {
        i.linkId: [o.extension[0].valueDecimal for o in i.answerOption]
        for i in steadi.item
        if i.answerOption and o_has_weight(i)
    }
    assert sum(w[0] for w in weights.values()) == 14  # the Stay Independent points, as SDC weights
    required = {i.linkId for g in questionnaire.item for i in g.item or [] if i.required}
    assert {item.id for _, item in checklist.items() if item.red_flag} <= required
    conditional = [i for g in questionnaire.item for i in g.item or [] if i.enableWhen]
    ids = {item.id for _, item in checklist.items()}
    assert conditional and all(
        w.question.startswith("profile.") or w.question in ids for i in conditional for w in i.enableWhen
    )


def o_has_weight(item) -> bool:
    return bool(item.answerOption[0].extension)


def _stored(tmp_path: Path, assessment: Assessment, status: str = "finished") -> int:
    with Store(_store(tmp_path)) as store:
        return store.create(assessment, status=status)


def _score_json(capsys, tmp_path: Path, ref: str) -> str:
    capsys.readouterr()
    assert main(["--data-dir", str(tmp_path / "data"), "score", ref, "--json"]) == 0
    return _out(capsys)


def _round_trip(capsys, tmp_path: Path, aid: int) -> None:
    """Export as a Bundle, parse it with the R4 models, read it back: the same score, byte for byte."""
    with Store(_store(tmp_path)) as store:
        data = service.bundle_json(store, aid)
    Bundle.model_validate_json(data)
    path = tmp_path / f"bundle-{aid}.json"
    path.write_bytes(data)
    assert _score_json(capsys, tmp_path, path.as_posix()) == _score_json(capsys, tmp_path, str(aid)), aid


@pytest.mark.parametrize("checklist_id", [HOME, SELF])
def test_the_example_exports_and_comes_back_the_same(capsys, tmp_path, checklist_id) -> None:
    checklist = catalog.find(checklist_id)
    aid = _stored(tmp_path, example_assessment(checklist, DAY))
    _round_trip(capsys, tmp_path, aid)
    with Store(_store(tmp_path)) as store:
        first, again = service.bundle_json(store, aid), service.bundle_json(store, aid)
    assert first == again  # the same ids, the same bytes, every time
    bundle = json.loads(first)
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds[:2] == ["Patient", "QuestionnaireResponse"] and "CarePlan" in kinds and "RiskAssessment" in kinds
    resources = [e["resource"] for e in bundle["entry"]]
    observations = [r for r in resources if r["resourceType"] == "Observation"]
    home = [r for r in observations if r["code"]["coding"][0]["system"].endswith("/CodeSystem/measurement")]
    lengths = [item.id for _, item in checklist.items() if item.answer.kind == "length"]
    assert len(observations) - len(home) == (5 if checklist_id == HOME else 1)  # STEADI total (+ 4 tests on a visit)
    assert {r["code"]["coding"][0]["code"] for r in home} <= set(lengths) and (checklist_id == SELF or home)
    quantities = [r["valueQuantity"] for r in observations if "valueQuantity" in r]
    assert (checklist_id == SELF or quantities) and all(
        q["system"] == "http://unitsofmeasure.org" and q["code"] for q in quantities
    )
    assert all(r["identifier"][0]["value"].startswith("urn:uuid:") for r in observations)
    risk = next(r for r in resources if r["resourceType"] == "RiskAssessment")
    assert [p["outcome"]["text"] for p in risk["prediction"]] == [
        "Warning signs: how fast to act",
        "Risk of falling",
        "Home hazards",
        "Completeness",
    ]
    assert all(p["qualitativeRisk"]["coding"][0]["display"] for p in risk["prediction"])
    plan = next(r for r in resources if r["resourceType"] == "CarePlan")
    assert all(a["detail"]["description"] for a in plan["activity"])
    timings = [a["detail"]["scheduledTiming"] for a in plan["activity"] if "scheduledTiming" in a["detail"]]
    assert {"This week", "This month"} & {timing["code"]["text"] for timing in timings}
    week = next(x for x in timings if x["code"]["text"] == "This week" and "repeat" in x)
    assert week["repeat"]["boundsPeriod"] == {"start": DAY.isoformat(), "end": "2026-12-04"}


def test_two_hundred_generated_assessments_round_trip(capsys, tmp_path) -> None:
    rng = random.Random(20261127)
    checklists = [catalog.find(HOME), catalog.find(SELF)]
    ids = []
    for n in range(200):
        checklist = checklists[n % 2]
        answers = {}
        for _, item in checklist.items():
            options = [None, safe_value(item)]
            if hazard_value(item) is not None:
                options.append(hazard_value(item))
            if NOT_APPLICABLE in item.answer.values():
                options.append(NOT_APPLICABLE)
            value = rng.choice(options)
            note = rng.choice([None, None, "rail loose «ok» & 2 steps", "line one\nline two"])
            if value is not None or note:
                answers[item.id] = {"value": value, **({"note": note} if note else {})}
        profile = {
            "name": rng.choice(["Zoë Tremblay", "Jean-Guy O'Neil", "李小龙", "A"]),
            "age": rng.randint(50, 99),
            "sex": rng.choice(["female", "male", "unknown", "other"]),
            "walking_aid": rng.choice(["none", "cane", "walker", "wheelchair"]),
            "bone_sites": rng.sample(["spine", "pelvis", "ribs", "hip_thigh", "upper_limb"], rng.randint(0, 3)),
            "lives_alone": rng.choice([None, True, False]),
            "falls_last_12_months": rng.choice([None, 0, 1, 3]),
            "cancer_team_phone": rng.choice([None, "514-555-0100"]),
        }
        data = {
            "checklist_id": checklist.id,
            "checklist_version": checklist.version,
            "mode": checklist.modes[0],
            "assessed_on": DAY,
            "profile": profile,
            "answers": answers,
            "language": rng.choice([None, "en-CA", "fr-CA"]),
        }
        # a question not asked of this person has no answer in FHIR (the importer refuses one): the
        # generated answers are those a form would have let the person give
        for _ in range(3):
            skipped = {
                r.item_id for r in score(checklist, Assessment.model_validate(data)).items if r.status == "skipped"
            }
            data["answers"] = {k: v for k, v in data["answers"].items() if k not in skipped}
        assessment = Assessment.model_validate(data)
        ids.append(_stored(tmp_path, assessment, rng.choice(["finished", "in-progress"])))
    for aid in ids:
        _round_trip(capsys, tmp_path, aid)


def test_a_de_identified_copy_holds_no_name_birth_date_or_note_with_the_name(capsys, tmp_path, home) -> None:
    assessment = example_assessment(home, DAY)
    profile = assessment.profile.model_copy(update={"name": "Zoë Tremblay", "birth_date": DAY.replace(year=1958)})
    answers = dict(assessment.answers)
    answers["hw_rugs"] = Answer(value="yes", note="Zoë says the rugs stay")
    answers["fw_backless"] = Answer(value="yes", note="Zoe\u0308 wears them anyway")  # the name, a combining accent
    answers["st_rails"] = Answer(value="yes", note="rail loose at the top")
    answers["cs_notes"] = Answer(value="Tremblay family keen to help")  # free text holding the name
    profile = profile.model_copy(
        update={
            "age": None,
            "completed_by": "Dr Ana Lee",
            "cancer_team_phone": "514-555-0100",
            "next_appointment": "Dec 3",
        }
    )
    aid = _stored(tmp_path, assessment.model_copy(update={"profile": profile, "answers": answers}))
    assert main(["--data-dir", str(tmp_path / "data"), "export", str(aid), "--format", "fhir", "--no-name"]) == 0
    text = _out(capsys)
    Bundle.model_validate_json(text)
    assert "Zoë" not in text and "Zoe" not in text and "Tremblay" not in text and "1958" not in text
    assert "Ana Lee" not in text and "514-555" not in text and "Dec 3" not in text
    assert "rail loose at the top" in text  # a note without the name stays
    assert '"masked"' in text  # the free text with the name: left out, and said so
    data = json.loads(text)
    patient = data["entry"][0]["resource"]
    assert "name" not in patient and "birthDate" not in patient
    response = data["entry"][1]["resource"]
    ages = [i for g in response["item"] for i in g.get("item", []) if i["linkId"] == "profile.age"]
    assert ages[0]["answer"] == [{"valueInteger": 68}]  # the age the birth date gave stays
    named = json.loads(service.bundle_json(Store(_store(tmp_path)), aid))
    assert named["entry"][0]["resource"]["name"] == [{"text": "Zoë Tremblay"}]
    ids = {e["resource"]["id"] for e in named["entry"]} | {named["id"]}
    assert not ids & ({e["resource"]["id"] for e in data["entry"]} | {data["id"]})  # the two copies cannot be matched
    path = tmp_path / "anonymous.json"
    path.write_text(text, encoding="utf-8")
    for _ in range(2):  # each de-identified copy is a person of its own, never merged by a made-up name
        assert main(["--data-dir", str(tmp_path / "data"), "import", str(path)]) == 0
    with Store(_store(tmp_path)) as store:
        assert len(store.people()) == 3


def test_a_response_in_a_language_code_of_another_form_keeps_its_language(tmp_path, home) -> None:
    aid = _stored(tmp_path, example_assessment(home, DAY))
    with Store(_store(tmp_path)) as store:
        response = json.loads(service.bundle_json(store, aid))["entry"][1]["resource"]
    response["language"] = "fr"
    path = tmp_path / "fr.json"
    path.write_text(json.dumps(response), encoding="utf-8")
    assert service.open_file(path, DAY).assessment.language == "fr-CA"


def test_a_bundle_in_french_is_in_french(tmp_path, home) -> None:
    aid = _stored(tmp_path, example_assessment(home, DAY).model_copy(update={"language": "fr-CA"}))
    with Store(_store(tmp_path)) as store:
        data = json.loads(service.bundle_json(store, aid))
    response = QuestionnaireResponse.model_validate(data["entry"][1]["resource"])
    assert response.language == "fr-CA"
    plan = next(e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "CarePlan")
    assert plan["title"] == "Votre plan d'action pour la sécurité à la maison"
    assert "Cette semaine" in {
        a["detail"]["scheduledTiming"]["code"]["text"] for a in plan["activity"] if "scheduledTiming" in a["detail"]
    }


def test_export_all_writes_one_bundle_each(capsys, tmp_path, home, selfcheck) -> None:
    for checklist in (home, selfcheck):
        _stored(tmp_path, example_assessment(checklist, DAY))
    out = tmp_path / "out"
    assert (
        main(["--data-dir", str(tmp_path / "data"), "export", "--all", "--format", "fhir", "--output-dir", str(out)])
        == 0
    )
    files = sorted(out.glob("*.fhir.json"))
    assert [f.name for f in files] == ["2026-11-27-ZT-1.fhir.json", "2026-11-27-ZT-2.fhir.json"]
    for path in files:
        Bundle.model_validate_json(path.read_text(encoding="utf-8"))
        assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert (
        main(["--data-dir", str(tmp_path / "data"), "export", "--all", "--format", "fhir", "--output-dir", str(out)])
        == 0
    )
    assert "0 file(s)" in _out(capsys).splitlines()[-1]  # nothing replaced without --force


def _bad(tmp_path: Path, home, change) -> Path:
    aid = _stored(tmp_path, example_assessment(home, DAY))
    with Store(_store(tmp_path)) as store:
        data = json.loads(service.bundle_json(store, aid))
    change(data["entry"][1]["resource"])
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _first_item(response, link: str) -> dict:
    return next(i for g in response["item"] for i in g.get("item", []) if i["linkId"] == link)


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda r: r.update(questionnaire="http://example.org/Questionnaire/other|1.0"), "not one of safehome's"),
        (lambda r: r.update(questionnaire=r["questionnaire"].replace("|3.1", "|9.9")), "9.9"),
        (lambda r: _first_item(r, "hw_rugs").update(linkId="hw_carpets"), "hw_carpets"),
        (lambda r: _first_item(r, "hw_rugs").update(answer=[{"valueString": "yes"}]), "hw_rugs"),
        (lambda r: _first_item(r, "ft_tug").update(answer=[{"valueString": "13.5"}]), "ft_tug"),
        (lambda r: _first_item(r, "profile.walking_aid").update(linkId="profile.car"), "profile.car"),
        (lambda r: r.update(item="nothing"), "list"),
        (lambda r: r["item"][2]["item"].insert(0, dict(r["item"][2]["item"][0])), "twice"),
        (lambda r: r["item"].append({"linkId": "bogus", "item": []}), "bogus"),
    ],
)
def test_a_response_that_does_not_fit_is_refused_and_nothing_is_stored(capsys, tmp_path, home, change, said) -> None:
    path = _bad(tmp_path, home, change)
    with Store(_store(tmp_path)) as store:
        before = len(store.assessments())
    assert main(["--data-dir", str(tmp_path / "data"), "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert said in err and err.count("\n") <= 3
    with Store(_store(tmp_path)) as store:
        assert len(store.assessments()) == before


def test_a_response_alone_imports_with_the_name_it_shows(capsys, tmp_path, home) -> None:
    aid = _stored(tmp_path, example_assessment(home, DAY))
    with Store(_store(tmp_path)) as store:
        response = json.loads(service.bundle_json(store, aid))["entry"][1]["resource"]
    path = tmp_path / "response.json"
    path.write_text(json.dumps(response), encoding="utf-8")
    assert main(["--data-dir", str(tmp_path / "data"), "import", str(path)]) == 0
    with Store(_store(tmp_path)) as store:
        assert store.load(aid + 1).assessment.profile.name == "Zoë Tremblay"


def test_the_response_language_is_the_language_of_its_texts(tmp_path, home) -> None:
    aid = _stored(tmp_path, example_assessment(home, DAY))  # an English assessment, exported in French
    with Store(_store(tmp_path)) as store:
        data = json.loads(service.bundle_json(store, aid, language="fr-CA"))
    response = data["entry"][1]["resource"]
    assert response["language"] == "fr-CA" and response["item"][0]["text"] == "À propos de la personne"
