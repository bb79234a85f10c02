"""More bad input, generated field by field: every case exits 2 with short lines (a value echoed at
most ~200 characters, one problem one line), never a traceback, and nothing already saved changes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from freezegun import freeze_time

from safehome.faces.cli import main

ROOT = Path(__file__).resolve().parent.parent
MAX_LINE = 400  # a message line: the sentence plus a value cut to ~200 characters

TEXT_FIELDS = [
    "name",
    "primary_cancer",
    "completed_by",
    "cancer_team_phone",
    "after_hours_phone",
    "visit_clinician",
    "next_appointment",
]
BAD_TEXT = {"c1-csi": "Zo\u009be", "c0-bell": "Ann\x07", "c1-nel": "A\u0085B", "huge": "x" * 100_000}
NUMBER_ITEMS = ["ft_tug", "ft_chair_stand", "ft_balance", "pn_score", "cs_sins", "cs_mirels"]
BAD_NUMBERS: dict[str, str] = {  # raw JSON text, so numbers no Python value would write can be sent
    "5000-digits": "9" * 5000,
    "401-digit-float": "1" * 401 + ".5",
    "1e400": "1e400",
    "-1e400": "-1e400",
    "NaN": "NaN",
    "Infinity": "Infinity",
    "-Infinity": "-Infinity",
    "text": '"twelve"',
    "list": "[1]",
    "object": '{"value": 1}',
    "bool": "true",
}
PROFILE_NUMBERS = ["age", "falls_last_12_months"]


@pytest.fixture(scope="module")
def example_text(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("ex") / "example.json"
    with freeze_time("2026-11-27"):
        assert main(["example", "-o", str(path)]) == 0
    return path.read_text()


def _check(capsys, tmp_path: Path, text: str) -> str:
    path = tmp_path / "answers.json"
    path.write_text(text, encoding="utf-8")
    with freeze_time("2026-11-27"):
        code = main(["score", str(path)])
    err = capsys.readouterr().err
    assert code == 2, err[:500]
    assert "Traceback" not in err and "unexpected problem" not in err
    assert all(len(line) <= MAX_LINE for line in err.splitlines()), max(err.splitlines(), key=len)[:300]
    return err


@pytest.mark.parametrize("bad", sorted(BAD_TEXT))
@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_bad_text_in_every_profile_field(capsys, tmp_path, example_text, field: str, bad: str) -> None:
    data = json.loads(example_text)
    data["profile"][field] = BAD_TEXT[bad]
    err = _check(capsys, tmp_path, json.dumps(data, ensure_ascii=False))
    assert f"profile.{field}" in err


@pytest.mark.parametrize("bad", sorted(BAD_NUMBERS))
@pytest.mark.parametrize("item", NUMBER_ITEMS)
def test_bad_numbers_in_every_measure(capsys, tmp_path, example_text, item: str, bad: str) -> None:
    data = json.loads(example_text)
    data["answers"][item] = {"value": "@@"}
    text = json.dumps(data, ensure_ascii=False).replace('"@@"', BAD_NUMBERS[bad])
    _check(capsys, tmp_path, text)


@pytest.mark.parametrize("bad", sorted(BAD_NUMBERS))
@pytest.mark.parametrize("field", PROFILE_NUMBERS)
def test_bad_numbers_in_the_profile(capsys, tmp_path, example_text, field: str, bad: str) -> None:
    data = json.loads(example_text)
    data["profile"][field] = "@@"
    text = json.dumps(data, ensure_ascii=False).replace('"@@"', BAD_NUMBERS[bad])
    _check(capsys, tmp_path, text)


DUPLICATES = ["format", "mode", "profile", "answers", "hw_rugs", "ws_limb_weakness_new", "ft_tug", "name", "value"]


@pytest.mark.parametrize("key", DUPLICATES)
def test_a_key_given_twice_anywhere_is_refused_with_its_line(capsys, tmp_path, example_text, key: str) -> None:
    lines = example_text.splitlines()
    at = next(n for n, line in enumerate(lines) if line.strip().startswith(f'"{key}"'))
    line = lines[at]
    if line.rstrip().endswith("{"):  # an object: the same key once more, empty, just before it
        lines.insert(at, line.rstrip()[:-1] + "{},")
    else:
        lines.insert(at, line if line.rstrip().endswith(",") else line + ",")
    err = _check(capsys, tmp_path, "\n".join(lines))
    assert "appears twice" in err and f"{key}" in err


IDS = ["99999999999999999999", "١٢", "١", "12a", "-1", "0x10", "1e3", " 12", "+5", "٣٤٥"]


@pytest.mark.parametrize("command", ["show", "export"])
@pytest.mark.parametrize("ref", IDS)
def test_ids_are_plain_digits_within_range(capsys, tmp_path, command: str, ref: str) -> None:
    code = main(["--data-dir", str(tmp_path / "data"), command, ref])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and "unexpected" not in err, err


@pytest.mark.parametrize("ref", ["99999999999999999999", "123456789012345678901234567890"])
def test_a_huge_id_as_answers_reference_is_refused(capsys, tmp_path, ref: str) -> None:
    code = main(["--data-dir", str(tmp_path / "data"), "score", ref])
    err = capsys.readouterr().err
    assert code == 2 and "not an id" in err, err


@pytest.mark.parametrize("name", ["a" * 252 + ".pdf", "b" * 300 + ".pdf", ("é" * 130) + ".pdf"])
def test_output_names_longer_than_the_file_system_allows(capsys, tmp_path, example_text, name: str) -> None:
    answers = tmp_path / "a.json"
    answers.write_text(example_text)
    with freeze_time("2026-11-27"):
        code = main(["report", str(answers), "-o", str(tmp_path / name)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and "unexpected" not in err, err
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]  # no temporary file left behind


@pytest.mark.parametrize(
    "shell",
    [
        "{safehome} score {file} > /dev/full",
        "{safehome} score {file} >&-",
        "{safehome} export 1 > /dev/full",
        "{safehome} list > /dev/full",
    ],
)
def test_output_that_cannot_be_written_ends_with_one_sentence(tmp_path, example_text, shell: str) -> None:
    file = tmp_path / "a.json"
    file.write_text(example_text)
    data = tmp_path / "data"
    env = dict(os.environ, SAFEHOME_DATA_DIR=str(data))
    subprocess.run([sys.executable, "-m", "safehome", "import", str(file)], env=env, check=True, capture_output=True)
    command = shell.format(safehome=f"{sys.executable} -m safehome", file=file)
    done = subprocess.run(["sh", "-c", command], env=env, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_an_ascii_only_terminal_gets_readable_names(tmp_path, example_text) -> None:
    """Integrity v3: never a row of question marks: the accent dropped where the letter is then plain,
    else the character's code."""
    file = tmp_path / "a.json"
    file.write_text(example_text.replace("Zoë Tremblay", "Zoë Tremblay 李"))
    env = dict(os.environ, PYTHONIOENCODING="ascii", SAFEHOME_DATA_DIR=str(tmp_path / "d"))
    done = subprocess.run([sys.executable, "-m", "safehome", "score", str(file)], env=env, capture_output=True)
    assert done.returncode == 0 and b"Zoe Tremblay <U+674E>" in done.stdout and b"?" not in done.stdout.split(b"\n")[0]


def test_corpus_size_with_the_first_corpus() -> None:
    from .test_bad_input import ANSWER_CASES, BROKEN, CLI_CASES, LITERAL

    here = len(TEXT_FIELDS) * len(BAD_TEXT) + (len(NUMBER_ITEMS) + len(PROFILE_NUMBERS)) * len(BAD_NUMBERS)
    here += len(DUPLICATES) + 2 * len(IDS) + 2 + 3 + 4 + 1
    first = len(BROKEN) + 8 + len(ANSWER_CASES) + 7 + len(LITERAL) + len(CLI_CASES) + 1
    assert here + first >= 200, (here, first)
