"""Integrity v3 (issue 28): a record never goes to the wrong person, a reported "yes" is never
dropped, each FHIR problem is one sentence in FHIR terms and exit 2.

Each case here failed on the main before this change."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from safehome import service
from safehome.core import catalog
from safehome.core.example import example_assessment
from safehome.faces.cli import main
from safehome.storage.store import Store

from .conftest import DAY, HOME, REPO


@pytest.fixture
def bundle(tmp_path: Path) -> dict[str, Any]:
    """The example visit exported as a Bundle (Patient first, then the response)."""
    home = catalog.find(HOME)
    with Store(tmp_path / "source" / "safehome.sqlite3") as store:
        aid = store.create(example_assessment(home, DAY))
        return json.loads(service.bundle_json(store, aid))


def _response(data: dict[str, Any]) -> dict[str, Any]:
    return next(e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse")


def _item(response: dict[str, Any], link: str) -> dict[str, Any]:
    return next(i for g in response["item"] for i in g.get("item", []) if i["linkId"] == link)


def _import(tmp_path: Path, data: Any, capsys, *extra: str) -> tuple[int, str]:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    capsys.readouterr()
    code = main(["--data-dir", str(tmp_path / "data"), "import", str(path), *extra])
    captured = capsys.readouterr()
    return code, captured.err if code else captured.out


def _stored_names(tmp_path: Path) -> list[str]:
    with Store(tmp_path / "data" / "safehome.sqlite3") as store:
        return [p.name for p in store.people()]


def _second_patient(data: dict[str, Any], name: str) -> dict[str, Any]:
    other = copy.deepcopy(data["entry"][0])
    other["resource"]["id"] = "0f0f0f0f-0000-4000-8000-000000000002"
    other["resource"]["name"] = [{"text": name}]
    other["fullUrl"] = "urn:uuid:0f0f0f0f-0000-4000-8000-000000000002"
    return other


# ------------------------------------------------------------------ the subject decides whose it is


def test_the_visit_goes_to_the_patient_its_subject_names_never_the_first_one(tmp_path, bundle, capsys) -> None:
    bundle["entry"].insert(0, _second_patient(bundle, "Somebody Else"))  # now the first Patient is not the subject
    code, _ = _import(tmp_path, bundle, capsys)
    assert code == 0
    assert _stored_names(tmp_path) == ["Zoë Tremblay"]


def test_a_subject_that_names_another_patient_of_the_bundle_is_followed(tmp_path, bundle, capsys) -> None:
    bundle["entry"].append(_second_patient(bundle, "Ann Other"))
    _response(bundle)["subject"] = {"reference": "urn:uuid:0f0f0f0f-0000-4000-8000-000000000002"}
    assert _import(tmp_path, bundle, capsys)[0] == 0
    assert _stored_names(tmp_path) == ["Ann Other"]


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (
            lambda b: _response(b).update(
                subject={"reference": "Patient/not-in-this-bundle", "display": "Zoë Tremblay"}
            ),
            "is not a Patient of this Bundle",
        ),
        (lambda b: (_response(b).pop("subject"), b["entry"].append(_second_patient(b, "X")))[0], "names no subject"),
        (lambda b: _response(b).pop("subject"), "names no subject"),
        (lambda b: b["entry"].append(copy.deepcopy(b["entry"][0])), "names 2 Patients"),
    ],
)
def test_no_guess_about_whose_response_it_is(tmp_path, bundle, capsys, change, said) -> None:
    change(bundle)
    code, err = _import(tmp_path, bundle, capsys)
    assert code == 2 and said in err and err.count("\n") == 1, err
    assert not (tmp_path / "data" / "safehome.sqlite3").exists() or _stored_names(tmp_path) == []


def test_a_name_already_stored_with_another_birth_date_is_another_person(tmp_path, bundle, capsys) -> None:
    bundle["entry"][0]["resource"]["birthDate"] = "1958-03-02"
    assert _import(tmp_path, bundle, capsys)[0] == 0
    again = copy.deepcopy(bundle)
    again["entry"][0]["resource"]["birthDate"] = "1961-07-19"
    _response(again)["authored"] = "2026-11-28"
    code, err = _import(tmp_path, again, capsys)
    assert code == 2 and "already stored with another birth date (1958-03-02)" in err and "--person 1" in err
    assert _import(tmp_path, again, capsys, "--new-person")[0] == 0
    assert _stored_names(tmp_path) == ["Zoë Tremblay", "Zoë Tremblay"]
    same = copy.deepcopy(bundle)
    _response(same)["authored"] = "2026-11-29"
    assert _import(tmp_path, same, capsys)[0] == 0  # the same birth date: the same person


# ------------------------------------------------------------------ a reported "yes" is never dropped


def _yes() -> dict[str, Any]:
    return {"valueCoding": {"system": "http://loinc.org", "code": "LA33-6", "display": "Yes"}}


def _urgency_of_import(tmp_path: Path, data: dict[str, Any], capsys) -> str:
    path = tmp_path / "nested.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    capsys.readouterr()
    assert main(["score", str(path), "--json"]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)["score"]["urgency"]


@pytest.mark.parametrize("shape", ["item.item", "answer.item"])
def test_a_warning_sign_nested_in_the_normal_r4_shapes_is_read(tmp_path, bundle, capsys, shape) -> None:
    response = _response(bundle)
    group = next(g for g in response["item"] if g["linkId"] == "warning_signs")
    sign = next(i for i in group["item"] if i["linkId"] == "ws_balance")
    group["item"].remove(sign)
    sign["answer"] = [_yes()]
    host = next(i for i in group["item"] if i["linkId"] == "ws_limb_weakness_new")
    if shape == "item.item":
        host["item"] = [sign]
    else:
        host["answer"][0]["item"] = [sign]
    assert _urgency_of_import(tmp_path, bundle, capsys) == "emergency"


# ------------------------------------------------------------------ what is refused, in FHIR terms


def _answer_a_hidden_question(response: dict[str, Any]) -> None:
    """Answer "yes" to a question the example's person is not asked (its enableWhen is false)."""
    home = catalog.find(HOME)
    person = example_assessment(home, DAY).profile
    section, item = next(
        (s, i) for s, i in home.items() if i.answer.kind == "yes_no" and not i.applies("clinician", person)
    )
    group = next((g for g in response["item"] if g["linkId"] == section.id), None)
    if group is None:
        group = {"linkId": section.id, "item": []}
        response["item"].append(group)
    group["item"].append({"linkId": item.id, "answer": [_yes()]})


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (
            lambda r: r.update(status="entered-in-error"),
            "QuestionnaireResponse.status: the response is marked entered-in-error",
        ),
        (
            lambda r: _item(r, "ws_balance").update(
                answer=[{"valueCoding": {"system": "http://snomed.info/sct", "code": "LA33-6"}}]
            ),
            "valueCoding.system: a code of another code system (http://snomed.info/sct); this question takes codes of http://loinc.org",
        ),
        (lambda r: _item(r, "ws_balance").update(answer=[{"valueCoding": {"code": "LA32-8"}}]), "code system (None)"),
        (_answer_a_hidden_question, "this question is not asked of this person"),
        (lambda r: r.pop("questionnaire"), "QuestionnaireResponse.questionnaire: the response has no 'questionnaire'"),
        (lambda r: r.pop("authored"), "QuestionnaireResponse.authored: the response has no 'authored' date"),
        (lambda r: _item(r, "ws_balance").update(answer=[{"valueCoding": "LA33-6"}]), "expected a Coding"),
        (lambda r: _item(r, "ws_balance").update(answer=[{"valueCoding": [{"code": "LA33-6"}]}]), "expected a Coding"),
        (
            lambda r: _item(r, "hw_rugs").update(extension=[{"url": ["x"], "valueString": "y"}]),
            ".url: expected a string",
        ),
        (lambda r: r.update(subject="Patient/1"), "QuestionnaireResponse.subject: expected a Reference"),
        (lambda r: _item(r, "ws_balance").update(linkId=7), ".linkId: expected a string"),
        (lambda r: r["item"][2]["item"].append(dict(_item(r, "hw_rugs"))), "hw_rugs"),
    ],
)
def test_each_problem_is_one_sentence_with_its_fhir_path_and_exit_2(tmp_path, bundle, capsys, change, said) -> None:
    change(_response(bundle))
    code, err = _import(tmp_path, bundle, capsys)
    assert code == 2, err
    assert said in err and err.count("\n") == 1 and "Traceback" not in err, err


@pytest.mark.parametrize(
    "broken",
    [
        {"resourceType": "Bundle", "entry": 5},
        {"resourceType": "Bundle", "entry": [5]},
        {"resourceType": "Bundle", "entry": [{"resource": "QuestionnaireResponse"}]},
        {"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Patient"}}]},
        {"resourceType": "QuestionnaireResponse", "questionnaire": 5, "authored": "2026-11-27"},
        {"resourceType": "Observation"},
    ],
)
def test_malformed_fhir_shapes_are_one_sentence(tmp_path, capsys, broken) -> None:
    code, err = _import(tmp_path, broken, capsys)
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err, err


def test_our_own_export_never_carries_an_answer_the_import_would_refuse(tmp_path, capsys) -> None:
    """A question hidden for this person (an answer kept from before the profile changed) stays in the
    store and out of the FHIR copy, so the copy imports."""
    home = catalog.find(HOME)
    visit = example_assessment(home, DAY)
    profile = visit.profile.model_copy(update={"walking_aid": "none"})
    answers = {**visit.answers, "wa_condition": visit.answers["hw_rugs"]}  # answered while an aid was in use
    with Store(tmp_path / "source" / "safehome.sqlite3") as store:
        aid = store.create(visit.model_copy(update={"profile": profile, "answers": answers}))
        data = json.loads(service.bundle_json(store, aid))
        assert "wa_condition" in store.load(aid).assessment.answers  # nothing saved is lost
    assert "wa_condition" not in json.dumps(_response(data))
    assert _import(tmp_path, data, capsys)[0] == 0


# ------------------------------------------------------------------ invisible controls in a terminal

BIDI_NAME = "Sam \u202eevil\u202c \u2067x\u2069 محمد שרה"


def test_bidi_controls_in_a_name_are_shown_by_their_codes_and_arabic_and_hebrew_read_right(tmp_path, capsys) -> None:
    from safehome.i18n.visible import visible

    home = catalog.find(HOME)
    visit = example_assessment(home, DAY)
    with Store(tmp_path / "data" / "safehome.sqlite3") as store:
        store.create(visit.model_copy(update={"profile": visit.profile.model_copy(update={"name": BIDI_NAME})}))
    for command in (["people"], ["list"], ["show", "1"]):
        capsys.readouterr()
        assert main(["--data-dir", str(tmp_path / "data"), *command]) == 0
        out = capsys.readouterr().out
        assert "\u202e" not in out and "\u2067" not in out, command
        assert "Sam <U+202E>evil<U+202C> <U+2067>x<U+2069> محمد שרה" in out, command
    assert visible("محمد שרה Zoë") == "محمد שרה Zoë"  # letters of every script stay themselves
    assert visible("a\x1b[31mb") == "a<U+001B>[31mb"


def test_an_ascii_only_terminal_gets_readable_names(tmp_path) -> None:
    import os
    import subprocess
    import sys

    home = catalog.find(HOME)
    visit = example_assessment(home, DAY)
    with Store(tmp_path / "data" / "safehome.sqlite3") as store:
        store.create(visit)  # Zoë Tremblay
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "SAFEHOME_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run([sys.executable, "-m", "safehome", "people"], capture_output=True, env=env, check=False)
    assert done.returncode == 0 and b"Zoe Tremblay" in done.stdout and b"?" not in done.stdout


async def test_the_app_shows_a_names_bidi_controls_by_their_codes(tmp_path) -> None:
    from textual.widgets import OptionList

    from .test_tui import make_app

    home = catalog.find(HOME)
    visit = example_assessment(home, DAY)
    with Store(tmp_path / "data" / "safehome.sqlite3") as store:
        store.create(visit.model_copy(update={"profile": visit.profile.model_copy(update={"name": BIDI_NAME})}))
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        menu = app.screen.query_one("#start-list", OptionList)
        shown = " ".join(str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count))
        assert "<U+202E>evil<U+202C>" in shown and "\u202e" not in shown


# ------------------------------------------------------------------ deletion wins every race


def test_an_export_racing_a_deletion_leaves_no_file_of_the_person(tmp_path) -> None:
    """`export --all` and `delete` started together, again and again: whichever takes the store's
    write lock first, no file of the deleted person is left (the export's file appears and is
    recorded under the same lock the deletion takes)."""
    import os
    import subprocess
    import sys
    import time

    home = catalog.find(HOME)
    env = {**os.environ, "SAFEHOME_DATA_DIR": str(tmp_path / "data")}
    runs = 20 if os.environ.get("SAFEHOME_SOAK") else 4
    for run in range(runs):
        out = tmp_path / f"out{run}"
        with Store(tmp_path / "data" / "safehome.sqlite3") as store:
            visit = example_assessment(home, DAY)
            person_name = f"Race Person {run}"
            ids = [
                store.create(
                    visit.model_copy(update={"profile": visit.profile.model_copy(update={"name": person_name})})
                )
                for _ in range(25)
            ]
            person_id = store.people(name=person_name)[0].id
        export = subprocess.Popen(
            [sys.executable, "-m", "safehome", "export", "--all", "--output-dir", str(out)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(0.05 * run)
        delete = subprocess.run(
            [sys.executable, "-m", "safehome", "delete", "--person", str(person_id), "--yes"],
            env=env,
            capture_output=True,
            check=False,
        )
        export.wait(60)
        assert delete.returncode == 0, delete.stderr
        assert export.returncode == 0, export.stderr
        left = (
            [p.name for p in out.iterdir() if any(p.name.endswith(f"-{i}.json") for i in ids)] if out.exists() else []
        )
        assert left == [], (run, left)


def test_a_damaged_stored_assessment_is_named_and_the_rest_still_go(tmp_path, capsys) -> None:
    home = catalog.find(HOME)
    data = tmp_path / "data"
    with Store(data / "safehome.sqlite3") as store:
        good = store.create(example_assessment(home, DAY))
        visit = example_assessment(home, DAY)
        bad = store.create(visit.model_copy(update={"profile": visit.profile.model_copy(update={"name": "Other"})}))
    with Store(data / "safehome.sqlite3") as store:
        store.conn.execute("UPDATE assessments SET profile_json = '{\"name\": 5}' WHERE id = ?", (bad,))
    capsys.readouterr()
    assert main(["--data-dir", str(data), "show", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"assessment {bad}" in err and "damaged" in err and err.count("\n") == 1 and "Traceback" not in err
    assert main(["--data-dir", str(data), "report", "--all", "--jobs", "1", "--output-dir", str(tmp_path / "pdf")]) == 0
    out = capsys.readouterr().out
    assert f"-{good}.pdf" in " ".join(p.name for p in (tmp_path / "pdf").iterdir())
    assert "damaged" in out


def test_delete_names_every_file_it_removed_and_pdfs_go_to_the_data_folder(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    home = catalog.find(HOME)
    data = tmp_path / "data"
    with Store(data / "safehome.sqlite3") as store:
        aid = store.create(example_assessment(home, DAY))
    assert main(["--data-dir", str(data), "report", str(aid)]) == 0
    assert main(["--data-dir", str(data), "report", str(aid), "--audience", "clinician"]) == 0
    assert not (tmp_path / "reports").exists()
    written = sorted((data / "reports").iterdir())
    assert len(written) == 3  # the handout, its re-check reminder (.ics) and the summary
    capsys.readouterr()
    assert main(["--data-dir", str(data), "delete", "--person", "1", "--yes"]) == 0
    out = capsys.readouterr().out
    for path in written:
        assert f"removed: {path}" in out and not path.exists()


# ------------------------------------------------------------------ every bad input: one sentence, exit 2

CHECKLIST = REPO / "checklists" / "bone-metastases-self-check.en.yaml"


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda s: "a: &x [*x]\n" + s, "refers to itself"),
        (
            lambda s: s.replace(
                "    only_if: {bone_sites: [spine]}", "    only_if: &c {bone_sites: [spine], more: *c}", 1
            ),
            "refers to itself",
        ),
        (lambda s: s.replace('version: "3.0"', 'version: "3.0"\nx: ' + "9" * 5000, 1), "has 5000 characters"),
    ],
)
def test_a_checklist_that_would_never_end_or_overflow_is_one_sentence(tmp_path, capsys, change, said) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(change(CHECKLIST.read_text(encoding="utf-8")), encoding="utf-8")
    capsys.readouterr()
    assert main(["checklist", "validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err and err.startswith("error: ")


@pytest.mark.parametrize(
    "argv",
    [["show", str(2**70)], ["report", "--all", "--jobs", "-1"], ["bogus"], ["list", "--status", "nope"]],
)
def test_bad_arguments_are_one_error_line_and_exit_2(capsys, argv) -> None:
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "--help" in err, err


def test_an_error_never_echoes_a_huge_value_whole(tmp_path, capsys) -> None:
    capsys.readouterr()
    assert main(["score", "x" * 100_000]) == 2
    err = capsys.readouterr().err
    assert len(err) < 600 and "more characters left out" in err and err.count("\n") == 1


def test_an_answer_of_the_wrong_shape_is_one_line(tmp_path, capsys) -> None:
    data = json.loads(example_assessment(catalog.find(HOME), DAY).model_dump_json())
    data["answers"]["hw_rugs"]["value"] = {"a": 1}
    path = tmp_path / "shape.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    capsys.readouterr()
    assert main(["score", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "answers.hw_rugs.value: expected an answer" in err


def test_a_file_where_the_reports_folder_should_be_is_said_so(tmp_path, capsys) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "reports").write_text("not a folder")
    path = tmp_path / "a.json"
    path.write_text(example_assessment(catalog.find(HOME), DAY).model_dump_json(), encoding="utf-8")
    capsys.readouterr()
    assert main(["--data-dir", str(data), "report", str(path)]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err


# ------------------------------------------------------------------ a full disk in the app loses nothing


async def test_six_answers_while_the_disk_is_full_are_all_saved_once_space_is_back(tmp_path, monkeypatch) -> None:
    from .test_tui import Keys, make_app, start, stored

    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await start(keys, "c", "ZT")
        store = app.session.store
        real = store.save_answer

        def full(*args, **kwargs):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(store, "save_answer", full)
        screen = app.screen
        given = []
        for _ in range(6):
            item = screen.session.current.item.id
            await keys("n")
            given.append(item)
            if screen.session.current.item.id == item:
                await keys("enter")  # the message seen: on to the next question
        monkeypatch.setattr(store, "save_answer", real)
        await keys("n")
    saved = stored(tmp_path).assessment.answers
    assert all(i in saved and saved[i].value == "no" for i in given)
