"""The plain CLI: commands, exit codes, and one clear line for each bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from freezegun import freeze_time

from safehome.faces.cli import main

from .conftest import FIXTURES, REPO


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def example(tmp_path, capsys) -> Path:
    path = tmp_path / "example.json"
    with freeze_time("2026-11-27"):
        assert run(capsys, "example", "-o", str(path))[0] == 0
    return path


def test_checklist_list(capsys) -> None:
    code, out, _ = run(capsys, "checklist", "list")
    assert code == 0
    assert "bone-metastases-home-visit" in out and "bone-metastases-self-check" in out
    code, out, _ = run(capsys, "checklist", "list", "--json")
    assert {c["id"] for c in json.loads(out)} == {"bone-metastases-home-visit", "bone-metastases-self-check"}


def test_validate_ok_and_broken(capsys) -> None:
    code, out, err = run(capsys, "checklist", "validate", str(REPO / "checklists/bone-metastases-home-visit.en.yaml"))
    assert code == 0 and out.startswith("ok: ") and "132 items, 19 red flags" in out
    code, out, err = run(capsys, "checklist", "validate", str(FIXTURES / "broken/extra_key.yaml"))
    assert code == 2
    assert "extra_key.yaml:15: hall/rugs: unknown key 'acton'" in err
    assert "Traceback" not in err


def test_schema(capsys, tmp_path) -> None:
    code, out, _ = run(capsys, "checklist", "schema")
    schema = json.loads(out)
    assert code == 0 and schema["title"] == "safehome checklist"
    target = tmp_path / "schema.json"
    assert run(capsys, "checklist", "schema", "-o", str(target))[0] == 0
    code, _, err = run(capsys, "checklist", "schema", "-o", str(target))
    assert code == 2 and "already exists" in err


def test_example_then_score(capsys, example: Path) -> None:
    data = json.loads(example.read_text())
    assert data["assessed_on"] == "2026-11-27" and data["profile"]["name"] == "Zoë Tremblay"
    with freeze_time("2026-11-27"):
        code, out, err = run(capsys, "score", str(example))
    assert code == 0, err
    assert "Warning signs: No warning signs (every sign was checked)" in out
    assert "Fall risk: AT RISK OF FALLING" in out
    assert "Home hazards: HIGH" in out and "Completeness: Complete" in out
    assert "Stay Independent: 7 of 14, may be at risk of falling" in out
    assert "Timed Up and Go: 13.5 s: at risk" in out
    assert "below average for women aged 68 (under 11)" in out
    assert "Unanswered: 0 of 116" in out  # 3.1: 96 as in 3.0, ten measurements, 10 pieces of equipment recommended
    assert "Check again by 2026-12-27 (30 days)" in out
    assert "not a validated instrument" in out


def test_score_json(capsys, example: Path) -> None:
    with freeze_time("2026-11-27"):
        _code, out, _ = run(capsys, "score", str(example), "--json")
    payload = json.loads(out)
    assert (payload["score"]["urgency"], payload["score"]["fall_risk"], payload["score"]["hazard_level"]) == (
        "none",
        "at_risk",
        "high",
    )
    assert payload["score"]["complete"] is True and payload["score"]["missing"] == []
    assert payload["plan"]["recheck_on"] == "2026-12-27"
    assert payload["plan"]["actions"][0]["severity"] == "high"


def test_example_never_overwrites(capsys, example: Path) -> None:
    before = example.read_bytes()
    code, _, err = run(capsys, "example", "-o", str(example))
    assert code == 2 and "already exists" in err and "--force" in err
    assert example.read_bytes() == before


def test_score_refuses_a_future_date(capsys, example: Path) -> None:
    with freeze_time("2026-11-26"):
        code, _, err = run(capsys, "score", str(example))
    assert code == 2
    assert "assessed_on: the assessment date 2026-11-27 is in the future (today is 2026-11-26)" in err


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["answers"].update({"bogus": {"value": "yes"}}), "answers/bogus: no item with this id"),
        (lambda d: d.update(checklist_version="0.1"), "checklist_version: the answers were given for version 0.1"),
        (lambda d: d["answers"]["ft_tug"].update(value=-3), "answers/ft_tug: -3 is out of range (0 to 300 seconds)"),
        (lambda d: d.pop("profile"), "missing required key 'profile'"),
        (lambda d: d["profile"].update(name="  "), "profile.name: the name is empty"),
        (lambda d: d["profile"].update(age=250), "profile.age: 250 is out of range: it must be at most 120"),
        (lambda d: d.update(checklist_id="nope"), "no checklist with id 'nope'"),
    ],
)
def test_score_bad_answers(capsys, example: Path, edit, message: str) -> None:
    data = json.loads(example.read_text())
    edit(data)
    example.write_text(json.dumps(data))
    with freeze_time("2026-11-27"):
        code, _, err = run(capsys, "score", str(example))
    assert code == 2
    assert message in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "message"),
    [("[1, 2]", "must be a JSON object"), ("{not json", "is not valid JSON"), (None, "no such file")],
)
def test_score_bad_files(capsys, tmp_path, content, message) -> None:
    path = tmp_path / "answers.json"
    if content is not None:
        path.write_text(content)
    code, _, err = run(capsys, "score", str(path))
    assert code == 2 and message in err


def test_bad_arguments_exit_2(capsys) -> None:
    code, _, err = run(capsys, "score")  # one line, as every refusal; the usage is a --help away
    assert code == 2 and err.startswith("error: ") and "safehome score --help" in err and err.count("\n") == 1
    code, _, err = run(capsys, "checklist", "frobnicate")
    assert code == 2


def test_unexpected_fault_is_logged_not_shown(capsys, monkeypatch, _private_data_dir) -> None:
    import safehome.faces.cli.checklists as cli

    def boom(args):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(cli, "cmd_checklist_list", boom)
    code, _, err = run(capsys, "checklist", "list")
    assert code == 1
    assert "secret internals" not in err and "Traceback" not in err
    log = _private_data_dir / "safehome-errors.log"
    logged = log.read_text()
    # where it happened, never what it said: a message can hold a name a user typed
    assert "RuntimeError" in logged and "in boom" in logged and "secret internals" not in logged
    assert os.stat(log).st_mode & 0o777 == 0o600
    assert os.stat(_private_data_dir).st_mode & 0o777 == 0o700


def test_python_dash_m_and_help_are_light() -> None:
    code = "import sys; from safehome.faces.cli import main; main(['--help'])"
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            code
            + "; print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual','reportlab','pydantic','yaml')))",
        ],
        capture_output=True,
        text=True,
    )
    assert out.stdout.strip().endswith("[]")
    done = subprocess.run([sys.executable, "-m", "safehome", "checklist", "list"], capture_output=True, text=True)
    assert done.returncode == 0 and "bone-metastases-self-check" in done.stdout
