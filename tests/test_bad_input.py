"""A corpus of bad input: every case exits 2 with one clear message naming the file and the fix,
never a traceback; valid but unusual text is shown literally."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from collections.abc import Callable

import pytest
from freezegun import freeze_time

from safehome.faces.cli import main

from .conftest import FIXTURES

BROKEN = sorted(p.name for p in (FIXTURES / "broken").glob("*.yaml"))


def run(capsys, argv: list[str]) -> tuple[int, str, str]:
    with freeze_time("2026-11-27"):
        code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def example(tmp_path, capsys) -> dict[str, Any]:
    path = tmp_path / "example.json"
    with freeze_time("2026-11-27"):
        assert main(["example", "-o", str(path)]) == 0
    capsys.readouterr()
    return json.loads(path.read_text())


# ---------------------------------------------------------------- checklists: one case per broken file


@pytest.mark.parametrize("name", BROKEN)
def test_broken_checklist(capsys, name: str) -> None:
    path = FIXTURES / "broken" / name
    code, _, err = run(capsys, ["checklist", "validate", str(path)])
    assert code == 2
    first = err.splitlines()[0]
    assert first.startswith(f"error: {path}:"), first
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda d: d / "nope.yaml", "no such file"),
        (lambda d: d, "is a folder, not a file"),
        (lambda d: _write(d / "big.yaml", b"#" * (5 * 1024 * 1024)), "too large (5.2 MB; the limit is 1 MB)"),
        (lambda d: _write(d / "latin1.yaml", "title: Caf\xe9".encode("latin-1")), "is not UTF-8 text"),
        (lambda d: _write(d / "empty.yaml", b""), "the file is empty"),
        (lambda d: _write(d / "scalar.yaml", b"just words"), "a checklist must be a set of keys"),
        (lambda d: _write(d / "tabs.yaml", b"id: x\n\tversion: 1"), "YAML syntax"),
        (lambda d: _write(d / "anchor.yaml", b"a: *nothing"), "YAML syntax"),
    ],
    ids=["missing", "folder", "5MB", "not-utf8", "empty", "scalar", "tab-indent", "bad-alias"],
)
def test_unreadable_checklist(capsys, tmp_path, make: Callable[[Path], Path], words: str) -> None:
    path = make(tmp_path)
    code, _, err = run(capsys, ["checklist", "validate", str(path)])
    assert code == 2 and words in err and str(path) in err and "Traceback" not in err


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------- answer files


def _set(path: str, value: Any) -> Callable[[dict], None]:
    def edit(d: dict) -> None:
        *parents, last = path.split(".")
        for p in parents:
            d = d[p]
        d[last] = value

    return edit


def _drop(path: str) -> Callable[[dict], None]:
    def edit(d: dict) -> None:
        *parents, last = path.split(".")
        for p in parents:
            d = d[p]
        del d[last]

    return edit


ANSWER_CASES: list[tuple[str, Callable[[dict], None], str]] = [
    ("unknown-item", _set("answers.no_such_item", {"value": "yes"}), "answers/no_such_item: no item with this id"),
    ("old-version", _set("checklist_version", "0.9"), "the answers were given for version 0.9"),
    ("unknown-checklist", _set("checklist_id", "hip-fracture"), "no checklist with id 'hip-fracture'"),
    ("bad-checklist-id", _set("checklist_id", "Not An Id"), "is not a valid id"),
    ("tug-too-big", _set("answers.ft_tug.value", 9999), "answers/ft_tug: 9999 is out of range"),
    ("tug-negative", _set("answers.ft_tug.value", -1), "answers/ft_tug: -1 is out of range"),
    ("chair-fraction", _set("answers.ft_chair_stand.value", 9.5), "must be a whole number"),
    ("mirels-too-low", _set("answers.cs_mirels.value", 2), "2 is out of range (4 to 12 points)"),
    ("scale-11", _set("answers.pn_score.value", 11), "11 is out of range (0 to 10)"),
    ("scale-text", _set("answers.pn_score.value", "seven"), "expected a number"),
    ("nan", _set("answers.ft_tug.value", float("nan")), "'NaN' is not a number safehome can use"),
    ("yes-as-bool", _set("answers.hw_rugs.value", True), "is not allowed; use yes or no"),
    ("maybe", _set("answers.hw_rugs.value", "maybe"), "'maybe' is not allowed"),
    ("na-not-offered", _set("answers.ws_balance.value", "na"), "'na' (not applicable) is not offered"),
    ("text-for-number", _set("answers.ft_balance.value", "good"), "expected a number"),
    ("missing-profile", _drop("profile"), "missing required key 'profile'"),
    ("missing-name", _drop("profile.name"), "missing required key 'name'"),
    ("empty-name", _set("profile.name", ""), "profile.name: is empty"),
    ("blank-name", _set("profile.name", "   "), "the name is empty"),
    ("control-in-name", _set("profile.name", "Ann\x1b[31m"), "control characters"),
    ("future-date", _set("assessed_on", "2027-01-01"), "is in the future (today is 2026-11-27)"),
    ("not-a-date", _set("assessed_on", "last tuesday"), "expected a date (YYYY-MM-DD)"),
    ("born-after", _set("profile.birth_date", "2026-12-01"), "the birth date is not before the assessment date"),
    ("age-17", _set("profile.age", 17), "17 is out of range: it must be at least 18"),
    ("age-text", _set("profile.age", "old"), "expected a whole number"),
    ("bad-site", _set("profile.bone_sites", ["femur"]), "'femur' is not allowed here"),
    ("site-twice", _set("profile.bone_sites", ["spine", "spine"]), "list each bone site once"),
    ("negative-falls", _set("profile.falls_last_12_months", -2), "out of range"),
    ("unknown-profile-key", _set("profile.shoe_size", 9), "unknown key 'shoe_size'"),
    ("unknown-top-key", _set("visitor", "me"), "unknown key 'visitor'"),
    ("bad-mode", _set("mode", "robot"), "'robot' is not allowed here"),
    ("wrong-mode", _set("mode", "self"), "this checklist is not meant for mode 'self'"),
    ("answers-not-object", _set("answers", ["yes"]), "answers: expected a set of keys and values"),
    ("answer-not-object", _set("answers.hw_rugs", "yes"), "expected a set of keys and values"),
    ("note-not-text", _set("answers.hw_rugs.note", 5), "expected text"),
    ("note-too-long", _set("answers.hw_rugs.note", "x" * 100_001), "is too long (at most 100000 characters)"),
    ("wrong-format", _set("format", "other/2"), "'other/2' is not allowed here"),
]


@pytest.mark.parametrize(("case", "edit", "words"), ANSWER_CASES, ids=[c[0] for c in ANSWER_CASES])
def test_bad_answers_file(capsys, tmp_path, example, case: str, edit, words: str) -> None:
    edit(example)
    path = tmp_path / f"{case}.json"
    path.write_text(json.dumps(example, allow_nan=True))
    code, _, err = run(capsys, ["score", str(path)])
    assert code == 2, err
    assert words in err, err
    assert str(path) in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"[]", "must be a JSON object"),
        (b'"text"', "must be a JSON object"),
        (b"42", "must be a JSON object"),
        (b"null", "must be a JSON object"),
        (b"{", "is not valid JSON"),
        (b"", "is not valid JSON"),
        (b"\xff\xfe{}", "is not UTF-8 text"),
    ],
    ids=["list", "string", "number", "null", "truncated", "empty", "utf16"],
)
def test_answers_file_that_is_not_an_object(capsys, tmp_path, content: bytes, words: str) -> None:
    path = tmp_path / "answers.json"
    path.write_bytes(content)
    code, _, err = run(capsys, ["score", str(path)])
    assert code == 2 and words in err and str(path) in err


# ---------------------------------------------------------------- text that is valid: shown literally

LITERAL = {
    "markup": "<b>bold?</b> & <i>not</i> <img src='http://127.0.0.1:9/x'/>",
    "ampersand": "Tom & Jerry's & co",
    "rtl": "مرحبا بالعالم",
    "emoji": "rug 👍 gone",
    "long": "word " * 20_000,
}


@pytest.mark.parametrize("kind", sorted(LITERAL))
def test_unusual_text_is_kept_literally(capsys, tmp_path, example, kind: str) -> None:
    text = LITERAL[kind]
    example["answers"]["hw_rugs"] = {"value": "yes", "note": text}
    example["profile"]["name"] = text[:200]
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(example, ensure_ascii=False))
    code, out, err = run(capsys, ["score", str(path), "--json"])
    assert code == 0, err
    payload = json.loads(out)
    assert payload["person"] == text[:200]
    assert next(a for a in payload["plan"]["actions"] if a["item_id"] == "hw_rugs")["note"] == text
    pdf = tmp_path / "plan.pdf"
    code, _, err = run(capsys, ["report", str(path), "-o", str(pdf)])
    assert code == 0, err
    from .test_pdf import flat, text_of

    shown = flat(text_of(pdf.read_bytes()))
    if kind in ("markup", "ampersand"):
        assert " ".join(text.split()) in shown
    elif kind == "emoji":
        assert "rug [thumbs up sign] gone" in shown  # an emoji by its name, never "?"
    elif kind == "long":
        # a visit's notes are the clinician's: the handout holds none of the note, the summary all of it
        assert shown.count("word") < 100 and "The note is shortened here" not in shown
        summary = tmp_path / "summary.pdf"
        code, _, err = run(capsys, ["report", str(path), "-o", str(summary), "--audience", "clinician"])
        assert code == 0, err
        assert flat(text_of(summary.read_bytes())).count("word") >= 20_000  # every word of the note, over many pages
        # a self-check's notes are the person's own: printed in their handout, shortened
        own = tmp_path / "self.json"
        with freeze_time("2026-11-27"):
            assert main(["example", "--checklist", "bone-metastases-self-check", "-o", str(own)]) == 0
        capsys.readouterr()
        code, out, err = run(capsys, ["score", str(own), "--json"])
        assert code == 0, err
        item = json.loads(out)["plan"]["actions"][0]["item_id"]  # a hazard of the person's home: in the plan
        data = json.loads(own.read_text())
        data["answers"][item]["note"] = text
        own.write_text(json.dumps(data, ensure_ascii=False))
        handout = tmp_path / "self.pdf"
        code, _, err = run(capsys, ["report", str(own), "-o", str(handout)])
        assert code == 0, err
        assert "The note is shortened here" in flat(text_of(handout.read_bytes()))


# ---------------------------------------------------------------- command-line arguments


@pytest.fixture
def answers_file(tmp_path, example) -> Path:
    path = tmp_path / "a.json"
    path.write_text(json.dumps(example))
    return path


CLI_CASES: list[tuple[str, Callable[[Path, Path], list[str]], str]] = [
    ("score-missing", lambda t, a: ["score", str(t / "missing.json")], "no such file"),
    ("score-folder", lambda t, a: ["score", str(t)], "is a folder, not a file"),
    ("report-missing", lambda t, a: ["report", str(t / "missing.json")], "no such file"),
    ("report-into-folder", lambda t, a: ["report", str(a), "-o", str(t)], "is a folder; give a file name"),
    ("report-no-folder", lambda t, a: ["report", str(a), "-o", str(t / "nope" / "x.pdf")], "no such folder"),
    (
        "report-under-a-file",
        lambda t, a: ["report", str(a), "-o", str(a) + "/x.pdf"],
        "is a file, not a folder",
    ),  # said as it is
    ("report-not-pdf", lambda t, a: ["report", str(a), "-o", str(t / "x.docx")], "must end in .pdf"),
    ("report-exists", lambda t, a: ["report", str(a), "-o", str(a.with_suffix(".pdf"))], "already exists"),
    ("report-bad-audience", lambda t, a: ["report", str(a), "--audience", "everyone"], "invalid choice"),
    ("example-exists", lambda t, a: ["example", "-o", str(a)], "already exists"),
    (
        "example-bad-checklist",
        lambda t, a: ["example", "-o", str(t / "n.json"), "--checklist", "nope"],
        "no checklist with id 'nope'",
    ),
    ("unknown-command", lambda t, a: ["frobnicate"], "invalid choice"),
    ("show-not-a-number", lambda t, a: ["show", "abc"], "is not an id"),
    ("show-missing", lambda t, a: ["show", "999"], "there is no assessment 999"),
    ("export-missing", lambda t, a: ["export", "999"], "there is no assessment 999"),
    ("score-missing-id", lambda t, a: ["score", "12345"], "there is no assessment 12345"),
    ("delete-empty-store", lambda t, a: ["delete"], "nobody is stored yet"),
    ("delete-nobody", lambda t, a: ["delete", "--person", "Nobody", "--yes"], "there is nobody called 'Nobody'"),
    ("data-dir-is-a-file", lambda t, a: ["--data-dir", str(a), "list"], "a.json"),
    ("import-bad", lambda t, a: ["import", str(t / "missing.json")], "no such file"),
    ("compare-one", lambda t, a: ["compare", str(a)], "the following arguments are required"),
    ("validate-nothing", lambda t, a: ["checklist", "validate"], "the following arguments are required"),
    ("schema-exists", lambda t, a: ["checklist", "schema", "-o", str(a)], "already exists"),
]


@pytest.mark.parametrize(("case", "argv", "words"), CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_bad_arguments(capsys, tmp_path, answers_file, case: str, argv, words: str) -> None:
    answers_file.with_suffix(".pdf").write_bytes(b"keep")
    before = answers_file.read_bytes()
    code, _, err = run(capsys, argv(tmp_path, answers_file))
    assert code == 2, err
    assert words in err, err
    assert "Traceback" not in err
    assert answers_file.read_bytes() == before  # nothing already saved is lost or overwritten
    assert answers_file.with_suffix(".pdf").read_bytes() == b"keep"


def test_names_that_would_escape_reports_stay_inside(capsys, tmp_path, example, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SAFEHOME_DATA_DIR", str(tmp_path / "data"))
    example["profile"]["name"] = "../../x"
    path = tmp_path / "a.json"
    path.write_text(json.dumps(example))
    code, _out, _ = run(capsys, ["report", str(path)])
    assert code == 0
    assert not (tmp_path / "reports").exists()  # never the folder the command started in
    written = [p for p in (tmp_path / "data" / "reports").iterdir()]
    assert sorted(p.name for p in written) == [
        "2026-11-27-X-home.ics",
        "2026-11-27-X-home.pdf",
    ]  # the re-check beside it
    assert not (tmp_path.parent / "x").exists()


def test_corpus_size() -> None:
    total = len(BROKEN) + 8 + len(ANSWER_CASES) + 7 + len(LITERAL) + len(CLI_CASES) + 1
    assert total >= 60, total
