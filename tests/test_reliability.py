"""Reliability and privacy: what was reported saved stays saved, honest refusals, private files.

Each case failed (or was silently accepted) before the fix it names.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import threading
import time

import pytest
from freezegun import freeze_time

from safehome.faces.cli import main
from safehome.storage.store import Store, open_store

from .conftest import FIXTURES, make


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_key_given_twice_in_an_answers_file_is_refused_not_guessed(home, tmp_path, capsys) -> None:
    text = make(home).model_dump_json(indent=1)
    # the warning sign answered "yes", then "no" again further down: JSON alone would keep the "no"
    text = text.replace('"ws_balance": {', '"ws_balance": {"value": "yes"}, "ws_balance": {', 1)
    path = tmp_path / "twice.json"
    path.write_text(text)
    with freeze_time("2026-11-27"):
        code, out, err = run(capsys, "score", str(path))
    assert code == 2 and out == ""
    assert "the key 'ws_balance' appears twice" in err and f"{path}:" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_devices_are_refused_at_once(capsys, device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    start = time.monotonic()
    code, _, err = run(capsys, "score", device)
    assert code == 2 and "not a regular file" in err
    assert time.monotonic() - start < 5


def test_a_pipe_with_no_writer_does_not_hang(tmp_path, capsys) -> None:
    fifo = tmp_path / "answers.json"
    os.mkfifo(fifo)
    result: dict[str, object] = {}
    worker = threading.Thread(target=lambda: result.update(code=main(["score", str(fifo)])), daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "safehome hung on a pipe"
    assert result["code"] == 2 and "not a regular file" in capsys.readouterr().err


def test_nan_and_infinite_thresholds_are_refused_in_checklists(tmp_path, capsys) -> None:
    text = (FIXTURES / "valid_minimal.yaml").read_text()
    text += """      - id: speed
        prompt: Walking speed?
        answer: {kind: number, unit: m/s, min: 0, max: .inf, hazard_below: .nan}
        severity: low
        action: Walk with care.
        why: Slow walking.
        source: "safehome rule"
"""
    path = tmp_path / "nan.yaml"
    path.write_text(text)
    code, _, err = run(capsys, "checklist", "validate", str(path))
    assert code == 2 and "speed" in err and "nan.yaml:" in err


@pytest.mark.parametrize("name", ["Zo\u009be", "Ann\u0085Lee", "tab\there"])
def test_control_characters_c0_and_c1_are_refused_in_names(home, tmp_path, capsys, name: str) -> None:
    data = json.loads(make(home).model_dump_json())
    data["profile"]["name"] = name
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data))
    with freeze_time("2026-11-27"):
        code, _, err = run(capsys, "score", str(path))
    assert code == 2 and "control characters" in err


@pytest.mark.parametrize("jobs", ["0", "-1", "many"])
def test_jobs_must_be_at_least_one(capsys, jobs: str) -> None:
    code, _, err = run(capsys, "report", "--all", "--jobs", jobs)
    assert code == 2 and "give 1 or more" in err


def test_output_onto_a_device_is_refused_even_with_force(home, tmp_path, capsys) -> None:
    answers = tmp_path / "a.json"
    answers.write_text(make(home).model_dump_json())
    with freeze_time("2026-11-27"):
        code, _, err = run(capsys, "example", "-o", "/dev/null", "--force")
    assert code == 2 and "not a regular file" in err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    link = tmp_path / "plan.pdf"
    link.symlink_to(tmp_path / "elsewhere.pdf")
    with freeze_time("2026-11-27"):
        code, _, err = run(capsys, "report", str(answers), "-o", str(link), "--force")
    assert code == 2 and "not a regular file" in err and not (tmp_path / "elsewhere.pdf").exists()


def test_loose_permissions_are_brought_back_to_private(tmp_path) -> None:
    folder = tmp_path / "data"
    with open_store(folder):
        pass
    db = folder / "safehome.sqlite3"
    folder.chmod(0o777)
    db.chmod(0o644)
    with open_store(folder):
        pass
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_a_symlink_in_place_of_the_database_is_refused(tmp_path, capsys) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    target = tmp_path / "somewhere-else.sqlite3"
    (folder / "safehome.sqlite3").symlink_to(target)
    code, _, err = run(capsys, "--data-dir", str(folder), "list")
    assert code == 2 and "symbolic link" in err
    assert not target.exists()


def test_what_import_reports_saved_is_in_the_main_file_when_it_exits(home, tmp_path, capsys) -> None:
    folder = tmp_path / "data"
    answers = tmp_path / "a.json"
    answers.write_text(make(home, {"hw_rugs": "yes"}, profile={"name": "Ann Lee"}).model_dump_json())
    with Store(folder / "safehome.sqlite3"):  # another program (the app) holds the store open meanwhile
        with freeze_time("2026-11-27"):
            code, out, _ = run(capsys, "--data-dir", str(folder), "import", str(answers))
        assert code == 0 and "as assessment 1" in out
        # the WAL is lost (a cleaner, a sync tool): the main file alone must hold the import
        copy = tmp_path / "copy"
        copy.mkdir(mode=0o700)
        shutil.copy2(folder / "safehome.sqlite3", copy / "safehome.sqlite3")
        shutil.copy2(folder / "safehome.keys", copy / "safehome.keys")
    with Store(copy / "safehome.sqlite3") as alone:
        assert alone.load(1).assessment.answers["hw_rugs"].value == "yes"


def test_delete_removes_every_spelling_the_files_written_and_the_log_entries(home, tmp_path, capsys) -> None:
    folder = tmp_path / "data"
    spellings = ["Zoë Tremblay", "Zoe\u0308 Tremblay", "Zoë Tremblay ", "ZOË TREMBLAY", "Zoë\u00a0Tremblay"]
    for n, name in enumerate(spellings):
        answers = tmp_path / f"a{n}.json"
        answers.write_text(make(home, {"hw_rugs": "yes"}, profile={"name": name}).model_dump_json())
        with freeze_time("2026-11-27"):
            assert run(capsys, "--data-dir", str(folder), "import", str(answers))[0] == 0
    with freeze_time("2026-11-27"):
        assert run(capsys, "--data-dir", str(folder), "report", "1", "-o", str(tmp_path / "plan.pdf"))[0] == 0
        assert run(capsys, "--data-dir", str(folder), "export", "2", "-o", str(tmp_path / "two.json"))[0] == 0
        assert run(capsys, "--data-dir", str(folder), "report", "3", "-o", str(tmp_path / "changed.pdf"))[0] == 0
    (tmp_path / "changed.pdf").write_bytes(b"edited by the user since")  # not ours any more: named, kept
    (folder / "safehome-errors.log").write_text("an old entry that names Zoë Tremblay\n----\nanother entry\n----\n")
    code, out, _ = run(capsys, "--data-dir", str(folder), "delete", "--person", "zoë tremblay", "--yes")
    assert code == 0 and "5 assessment(s)" in out
    # plan.pdf and its .ics, two.json, and the .ics beside changed.pdf (the user's changed PDF stays)
    assert "removed 4 file(s) safehome had written" in out and "changed.pdf" in out
    assert not (tmp_path / "plan.pdf").exists() and not (tmp_path / "two.json").exists()
    assert not (tmp_path / "plan.ics").exists() and not (tmp_path / "changed.ics").exists()
    assert (tmp_path / "changed.pdf").exists()
    log = (folder / "safehome-errors.log").read_text()
    assert "Tremblay" not in log and "another entry" in log
    with Store(folder / "safehome.sqlite3") as s:
        assert s.people() == [] and s.assessments() == []


def test_the_error_log_follows_the_data_folder_and_holds_no_typed_text(capsys, tmp_path, monkeypatch) -> None:
    import safehome.faces.cli.records as cli

    def boom(args):
        raise ValueError("input_value='Zoë Tremblay'")

    monkeypatch.setattr(cli, "cmd_list", boom)
    folder = tmp_path / "elsewhere"
    code, _, err = run(capsys, "--data-dir", str(folder), "list")
    assert code == 1 and str(folder) in err
    logged = (folder / "safehome-errors.log").read_text()
    assert "ValueError" in logged and "Zoë" not in logged
    assert oct((folder / "safehome-errors.log").stat().st_mode & 0o777) == "0o600"
