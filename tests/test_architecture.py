"""The rules that keep the code in shape: one rule per answer kind, one catalogue of words,
stable person ids, and JSON output that every --json command can really print."""

from __future__ import annotations

import ast
import json
import random
import re
import string
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from freezegun import freeze_time

from safehome.core import catalog
from safehome.core.answers import NOT_APPLICABLE
from safehome.faces.cli import main
from safehome.core.profile import BoneSite, person_key
from safehome.core.score import answer_of, score
from safehome.storage.store import open_store
from safehome.i18n.words import MESSAGES

from .conftest import HOME, SELF, hazard_value, make, safe_value

PACKAGE = Path(__file__).resolve().parent.parent / "safehome"
KINDS = ("YesNoAnswer", "ChoiceAnswer", "NumberAnswer", "ScaleAnswer", "TextAnswer")


def _sources() -> dict[Path, ast.Module]:
    return {p: ast.parse(p.read_text(encoding="utf-8")) for p in PACKAGE.rglob("*.py")}


# ------------------------------------------------------------------ one rule per answer kind


def test_no_switch_on_the_answer_kind_outside_its_module() -> None:
    found = []
    for path, tree in _sources().items():
        if path.name == "answers.py":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "isinstance":
                names = {n.id for n in ast.walk(node.args[1]) if isinstance(n, ast.Name)}
                if names & set(KINDS):
                    found.append(f"{path.name}:{node.lineno}")
    assert found == []


def _random_answers(checklist, rng: random.Random) -> dict:
    answers = {}
    for _, item in checklist.items():
        options = [None, safe_value(item)]
        if (hazard := hazard_value(item)) is not None:
            options.append(hazard)
        if NOT_APPLICABLE in item.answer.values():
            options.append(NOT_APPLICABLE)
        if item.answer.kind == "equipment":  # any status, with or without who and a date
            options += ["ordered;vendor;2026-12-20", "installed", "declined;person"]
        elif item.answer.typed() and not item.answer.is_free_text():  # any number (or length) in range
            spec = item.answer
            options.append(rng.randint(int(spec.min), int(spec.max)))  # type: ignore[attr-defined]
        answers[item.id] = rng.choice(options)
    return answers


@pytest.mark.parametrize("checklist_id", [HOME, SELF])
def test_the_single_answer_verdict_and_the_score_agree_item_by_item(checklist_id: str) -> None:
    """1,000 generated answer sets per checklist: the rule the app uses as each answer arrives
    (the kind's verdict, and the session's warning-sign check) equals what ``score`` says."""
    checklist = catalog.find(checklist_id)
    rng = random.Random(20261127)
    sites = list(BoneSite.__args__)
    for _ in range(1000):
        profile = {
            "age": rng.randint(40, 99),
            "sex": rng.choice(["female", "male", "other", "unknown"]),
            "bone_sites": rng.sample(sites, rng.randint(0, 3)),
            "walking_aid": rng.choice(["none", "cane", "walker"]),
        }
        a = make(checklist, _random_answers(checklist, rng), fill_safe=False, profile=profile)
        result = score(checklist, a)
        for item_result in result.items:
            if item_result.status == "skipped":
                continue
            item = checklist.item(item_result.item_id)
            value = answer_of(item, a.answers, a.profile)[0]  # as the app shows it (profile fills included)
            stored = {k: v.value for k, v in a.answers.items()}.get  # a length compared with another
            verdict = item.answer.verdict(value, a.profile, a.assessed_on, stored)
            expected = verdict.status
            if item.answer.is_physical_test() and result.safety_stops:
                expected = "unsafe"  # the one safety stop: a value recorded anyway is never judged
            assert expected == item_result.status, item.id
            assert (item.id in result.red_flags) == (item.red_flag and verdict.hazard)


# ------------------------------------------------------------------ one catalogue of words


def _t_calls(tree: ast.Module) -> tuple[set[str], set[str]]:
    """Message ids used as t("id"), and the prefixes of ids built as t(f"prefix.{x}")."""
    ids, prefixes = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "t" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                ids.add(first.value)
            elif isinstance(first, ast.JoinedStr) and first.values and isinstance(first.values[0], ast.Constant):
                prefixes.add(str(first.values[0].value))
    return ids, prefixes


def test_every_message_id_used_exists_and_every_message_is_used() -> None:
    ids, prefixes, constants = set(), set(), set()
    for tree in _sources().values():
        used, built = _t_calls(tree)
        ids |= used
        prefixes |= built
        constants |= {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    assert sorted(ids - set(MESSAGES)) == []
    unused = [k for k in MESSAGES if k not in constants and not any(k.startswith(p) for p in prefixes)]
    assert unused == []


def test_every_message_formats_with_its_own_placeholders() -> None:
    for key, text in MESSAGES.items():
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name}
        assert all(re.fullmatch(r"[a-z_]+(\.[a-z_]+)?", n) for n in names), key


FACES = [
    "core/loader.py",
    "core/twins.py",
    "core/example.py",
    "faces/cli/*.py",
    "faces/tui/*.py",
    "faces/tui/screens/*.py",
    "reports/layout.py",
    "reports/home.py",
    "reports/clinician.py",
    "service/*.py",
    "core/labels.py",
    "core/score.py",
    "core/plan.py",
    "core/outputs.py",
    "core/compare.py",
]
# Literals that are not sentences a person reads: names, a URL, an argument placeholder,
# pydantic's own prefix (stripped from its messages), a programmer's error.
ALLOWED = {
    "safehome",
    "AtkinsonHyperlegible",
    "https://json-schema.org/draft/2020-12/schema",
    "ANSWERS.json|ID",
    "Value error, ",
    "Issue",  # a name in __all__
    "the checklists are not loaded yet; use when_loaded()",
}


def _docstrings(tree: ast.Module) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def test_no_user_facing_english_left_in_the_faces() -> None:
    """Screens, commands and PDF layout take their words from the catalogue: a string literal
    there that reads as English words (two or more words, or a capitalised word) fails."""
    files = sorted({p for pattern in FACES for p in PACKAGE.glob(pattern)})
    assert len(files) >= 10
    found = []
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or id(node) in skip:
                continue
            text = node.value
            if text in ALLOWED or text in MESSAGES or "{" in text:
                continue
            words = re.findall(r"[A-Za-z]{2,}", text)
            english = re.search(r"[A-Za-z]{2,}[ ,.;:!?]+[A-Za-z]{2,}", text) or re.fullmatch(
                r"[A-Z][a-z]{2,}[.:!]?", text
            )
            if words and english and not re.fullmatch(r"[a-z_.:#\-() ,'|0-9]+", text):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {text!r}")
    assert found == []


# ------------------------------------------------------------------ people have stable ids


def test_a_name_written_differently_is_the_same_person(home, capsys) -> None:
    nfc = "Zoë Tremblay"
    forms = [nfc, unicodedata.normalize("NFD", nfc), nfc + " ", "ZOË  TREMBLAY", "zoë\u00a0tremblay"]
    assert len({person_key(f) for f in forms}) == 1
    with open_store() as store:
        for form in forms:
            store.create(make(home, profile={"name": form}))
        assert len(store.people()) == 1
        assert len(store.assessments()) == 5
    assert main(["delete", "--person", unicodedata.normalize("NFD", "zoë tremblay"), "--yes"]) == 0
    assert "5 assessment(s)" in capsys.readouterr().out
    with open_store() as store:
        assert store.people() == [] and store.assessments() == []


def test_two_people_with_one_name_are_kept_apart_and_deleted_by_id(home, tmp_path, capsys) -> None:
    path = tmp_path / "a.json"
    path.write_text(make(home, profile={"name": "Ann Lee"}).model_dump_json())
    with freeze_time("2026-11-27"):
        assert main(["import", str(path)]) == 0
        assert main(["import", str(path), "--new-person"]) == 0
        assert main(["import", str(path), "--person", "1"]) == 0
        assert main(["import", str(path), "--person", "99"]) == 2
    assert "there is no person 99" in capsys.readouterr().err
    with open_store() as store:
        people = store.people(name="ann lee")
        assert [(p.id, p.assessments) for p in people] == [(1, 2), (2, 1)]
        assert len({p.uuid for p in people}) == 2
    # by name, two people match: without a terminal, safehome names their ids instead of guessing
    assert main(["delete", "--person", "Ann Lee", "--yes"]) == 2
    assert "matches several people (ids 1, 2)" in capsys.readouterr().err
    assert main(["list", "--person", "2"]) == 0
    assert capsys.readouterr().out.count("Ann Lee") == 1
    assert main(["delete", "--person", "2", "--yes"]) == 0
    assert "(person 2): 1 assessment(s)" in capsys.readouterr().out
    with open_store() as store:
        assert [p.id for p in store.people()] == [1]


def test_delete_asks_which_person_in_a_terminal(home, monkeypatch, capsys) -> None:
    with open_store() as store:
        store.create(make(home, profile={"name": "Ann Lee"}))
        store.create(make(home, profile={"name": "Bob Ray"}))
    replies = iter(["2", "2"])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt="": next(replies))
    assert main(["delete"]) == 0
    out = capsys.readouterr().out
    assert "person 1: Ann Lee" in out and "person 2: Bob Ray" in out and "deleted 'Bob Ray' (person 2)" in out
    with open_store() as store:
        assert [p.name for p in store.people()] == ["Ann Lee"]


# ------------------------------------------------------------------ every --json prints JSON


def test_every_json_output(home, tmp_path, capsys) -> None:
    path = tmp_path / "a.json"
    path.write_text(make(home, {"hw_rugs": "yes"}, profile={"name": "Ann Lee"}).model_dump_json())
    with freeze_time("2026-11-27"):
        assert main(["import", str(path)]) == 0
        assert main(["import", str(path)]) == 0
    capsys.readouterr()
    outputs = {}
    for argv in (
        ["list", "--json"],
        ["people", "--json"],
        ["checklist", "list", "--json"],
        ["score", "1", "--json"],
        ["compare", "1", "2", "--json"],
    ):
        with freeze_time("2026-11-27"):
            assert main(argv) == 0, argv
        outputs[argv[0] if argv[0] != "checklist" else "checklist"] = json.loads(capsys.readouterr().out)
    listed = outputs["list"]
    assert [row["id"] for row in listed] == [2, 1] and listed[0]["person_id"] == 1 and listed[0]["person"] == "Ann Lee"
    assert outputs["people"][0]["assessments"] == 2 and len(outputs["people"][0]["uuid"]) == 36
    scored = outputs["score"]["score"]
    assert (scored["urgency"], scored["fall_risk"], scored["hazard_level"], scored["complete"]) == (
        "none",
        "not_at_risk",
        "low",
        True,
    )
    assert outputs["score"]["assessed_on"] == "2026-11-27" and scored["recheck_days"] == 180
    assert outputs["score"]["plan"]["recheck_on"] == str(date(2027, 5, 26))
    assert outputs["compare"]["hazard_change"] == "unchanged" and outputs["compare"]["unchanged"] == ["hw_rugs"]


def test_the_first_screen_needs_neither_pydantic_nor_yaml() -> None:
    """The app's first screen loads only Textual and the store; the models come in a worker."""
    import subprocess
    import sys

    code = "import sys, safehome.faces.tui.app; print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'yaml')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
