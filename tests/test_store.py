"""The assessment store: nothing typed is ever lost."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, datetime, timedelta, UTC
from pathlib import Path

import pytest
from .sealed_pages import plaintext
from freezegun import freeze_time

from safehome.faces.cli import main
from safehome.core.compare import compare
from safehome.storage.schema import MIGRATIONS, SCHEMA_VERSION
from safehome.storage.store import Store, open_store
from safehome.storage.errors import StoreError

from .conftest import REPO, make


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "data" / "safehome.sqlite3", clock=Clock())
    yield s
    s.close()


def test_answers_saved_one_by_one_survive_reopening(home, store) -> None:
    aid = store.create(make(home, {}, fill_safe=False))
    store.save_answer(aid, "hw_rugs", "yes", note="two rugs", position="hw_rugs")
    store.save_answer(aid, "ft_tug", 13.5, position="ft_tug")
    store.save_answer(aid, "cs_notes", "Zoë & <b>co</b>")
    other = Store(store.path)  # a new connection
    loaded = other.load(aid)
    answers = loaded.assessment.answers
    assert answers["hw_rugs"].value == "yes" and answers["hw_rugs"].note == "two rugs"
    assert answers["ft_tug"].value == 13.5
    assert answers["cs_notes"].value == "Zoë & <b>co</b>"
    assert loaded.position == "ft_tug" and loaded.status == "in-progress"
    other.close()


def test_history_keeps_every_change_and_undo(home, store) -> None:
    aid = store.create(make(home, {}, fill_safe=False))
    store.save_answer(aid, "hw_rugs", "no")
    store.save_answer(aid, "hw_rugs", "yes", note="oops")
    assert store.save_answer(aid, "hw_rugs", "yes", note="oops") is False  # unchanged: no history row
    changes = store.history(aid, "hw_rugs")
    assert [(c.old_value, c.new_value) for c in changes] == [(None, "no"), ("no", "yes")]
    assert store.undo_last_change(aid, "hw_rugs")
    assert store.load(aid).assessment.answers["hw_rugs"].value == "no"
    assert len(store.history(aid, "hw_rugs")) == 3


def test_update_profile_renames_the_person(home, store) -> None:
    aid = store.create(make(home, profile={"name": "Ann"}))
    profile = store.load(aid).assessment.profile.model_copy(update={"name": "Ann Lee", "age": 71})
    store.update_profile(aid, profile, date(2026, 11, 20))
    loaded = store.load(aid)
    assert (loaded.assessment.profile.name, loaded.assessment.profile.age, loaded.assessment.assessed_on) == (
        "Ann Lee",
        71,
        date(2026, 11, 20),
    )
    assert [s.person for s in store.assessments()] == ["Ann Lee"]


def test_list_filters_and_order(home, selfcheck, store) -> None:
    a = store.create(make(home, profile={"name": "Ann"}), status="finished")
    b = store.create(make(selfcheck, {}, fill_safe=False, profile={"name": "Bob"}))
    store.save_answer(a, "hw_rugs", "yes")  # a is now the most recently updated
    assert [s.id for s in store.assessments()] == [a, b]
    pid = lambda name: store.people(name=name)[0].id  # noqa: E731
    assert [s.id for s in store.assessments(person_id=pid("bob"))] == [b]
    assert [s.id for s in store.assessments(status="finished")] == [a]
    assert store.assessments(person_id=pid("Ann"))[0].answered == 111  # 3.1: 132 items, 21 equipment statuses unset
    store.save_answer(b, "hw_rugs", "yes")
    store.save_answer(b, "hw_rugs", None)
    store.save_answer(b, "hw_clutter", "no")
    assert store.assessments(person_id=pid("Bob"))[0].answered == 1


def test_previous_and_comparison_hand_checked(home, store) -> None:
    old = make(home, {"hw_rugs": "yes", "st_rails": "yes"}, day=date(2026, 8, 1), profile={"name": "Ann"})
    new = make(home, {"st_rails": "yes", "ba_grab_bars": "yes", "ws_calcium_signs": "yes"}, profile={"name": "Ann"})
    first = store.create(old, status="finished")
    second = store.create(new)
    assert store.previous(second).id == first
    assert store.previous(first) is None
    c = compare(home, store.previous(second).assessment, store.load(second).assessment)
    assert c.resolved == ("hw_rugs",)
    assert c.new == ("ba_grab_bars",)  # the new warning sign is in new_red_flags, once
    assert c.unchanged == ("st_rails",)
    assert c.not_rechecked == ()
    assert c.new_red_flags == ("ws_calcium_signs",)
    partial = make(home, {"st_rails": "yes"}, fill_safe=False, profile={"name": "Ann"})
    c2 = compare(home, old, partial)
    assert (c2.resolved, c2.unchanged, c2.not_rechecked) == ((), ("st_rails",), ("hw_rugs",))
    # home-hazard points: before rugs 2 + rails 3 = 5, moderate (a high-severity hazard); after rails 3 +
    # grab bars 3 = 6, moderate; the calcium sign counts in urgency, not in points
    assert (c.points_before, c.points_after, c.previous_hazards, c.current_hazards, c.hazard_change) == (
        5,
        6,
        "moderate",
        "moderate",
        "unchanged",
    )
    assert (c.previous_urgency, c.current_urgency) == ("none", "same_day")
    # a follow-up begun and not finished never reads "better" (its unanswered questions may hold
    # hazards); "worse" it may, since what was already found is worse
    many = ["en_steps_rail", "en_lighting", "en_surface", "hw_clutter", "hw_rugs", "hw_cords", "st_rails", "lr_chair"]
    high = make(home, dict.fromkeys(many, "yes"), profile={"name": "Ann"})
    begun = make(home, {"st_rails": "yes"}, fill_safe=False, profile={"name": "Ann"})
    c3 = compare(home, high, begun)
    assert (c3.previous_hazards, c3.current_hazards, c3.hazard_change) == ("high", "moderate", "unknown")
    assert compare(home, begun, high).hazard_change == "worse"


def test_permissions(home, tmp_path) -> None:
    with open_store(tmp_path / "fresh") as s:
        s.create(make(home))
        folder = tmp_path / "fresh"
        assert os.stat(folder).st_mode & 0o777 == 0o700
        for name in ("safehome.sqlite3", "safehome.sqlite3-wal", "safehome.sqlite3-shm"):
            assert os.stat(folder / name).st_mode & 0o777 == 0o600, name


def test_delete_leaves_no_trace_in_the_bytes(home, store) -> None:
    secret_name, secret_note = "Zebulon Quixote", "lives at 42 Hidden Lane"
    keep = store.create(make(home, profile={"name": "Keep Me"}))
    gone = store.create(make(home, {"hw_rugs": "yes"}, profile={"name": secret_name}, notes={"hw_rugs": secret_note}))
    store.save_answer(gone, "cs_notes", secret_note)
    (person,) = store.people(name=secret_name.upper())
    assert store.delete_person(person.id) == 1
    raw = b"".join(p.read_bytes() for p in store.path.parent.iterdir() if p.is_file())
    pages = plaintext(store.path, store.key)  # under the encryption: every page, freed ones and the WAL's too
    for secret in (secret_name, secret_note, "Quixote"):
        assert secret.encode() not in raw
        assert secret.encode() not in pages
    assert b"Keep Me" not in raw and b"Keep Me" in pages  # the pages were read right, and the file is sealed
    assert store.load(keep)
    with pytest.raises(StoreError):
        store.load(gone)
    assert store.integrity() == "ok"


def test_migrations_from_every_earlier_version(home, tmp_path) -> None:
    for start in range(SCHEMA_VERSION):
        path = tmp_path / f"v{start}.sqlite3"
        conn = sqlite3.connect(path)
        for version in range(start):
            for step in MIGRATIONS[version].steps:
                conn.execute(step) if isinstance(step, str) else step(conn)
        conn.execute(f"PRAGMA user_version = {start}")
        if start >= 1:
            conn.execute("INSERT INTO people (id, name, created_at) VALUES (1, 'Old Timer', '2025-01-01')")
            profile = make(home, profile={"name": "Old Timer"}).profile.model_dump_json()
            conn.execute(
                """INSERT INTO assessments (id, person_id, checklist_id, checklist_version, mode, status, assessed_on,
                       profile_json, created_at, updated_at)
                   VALUES (1, 1, ?, ?, 'clinician', 'finished', '2025-01-01', ?, '2025-01-01', '2025-01-01')""",
                (home.id, home.version, profile),
            )
            conn.execute("INSERT INTO answers VALUES (1, 'hw_rugs', '\"yes\"', 'from v1', '2025-01-01')")
        conn.commit()
        conn.close()
        with Store(path) as s:
            assert s.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
            if start >= 1:
                loaded = s.load(1)
                assert loaded.assessment.answers["hw_rugs"].note == "from v1"
                assert loaded.position is None
                if start < 3:  # counted by the 2 -> 3 migration (rows written by hand after it are not)
                    assert s.assessments()[0].answered == 1
                s.save_answer(1, "hw_rugs", "no")
                assert s.history(1)[-1].old_value == "yes"
                if start < 4:  # schema 4 gave every row then present a UUID and every name a key
                    for table in ("people", "assessments", "answer_history"):
                        assert s.conn.execute(f"SELECT count(*) FROM {table} WHERE uuid IS NULL").fetchone()[0] == 0
                    assert s.people(name="  old   TIMER ")[0].name == "Old Timer"
                # schema 5: drafts, amendments, the files written
                assert s.load(1).draft is None
                s.set_draft(1, "hw_rugs", "half typed")
                assert s.load(1).draft == ("hw_rugs", "half typed")
                s.save_answer(1, "hw_rugs", "yes", amendment=True)
                assert s.history(1)[-1].amendment and not s.history(1)[0].amendment
                assert s.files(1) == []
            assert s.integrity() == "ok"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"this is not a database at all" * 10, "is not a safehome store, or its key file"),
        (b"SQLite format 3\x00" + b"\xff" * 200, "damaged or not a safehome database"),
        (None, "not a safehome database"),  # another program's SQLite file
        ("newer", "newer safehome"),
    ],
)
def test_foreign_or_corrupt_files_are_named_and_left_alone(tmp_path, content, words) -> None:
    path = tmp_path / "safehome.sqlite3"
    if content is None:
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.commit()
        conn.close()
    elif content == "newer":
        conn = sqlite3.connect(path)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.commit()
        conn.close()
    else:
        path.write_bytes(content)
    before = path.read_bytes()
    with pytest.raises(StoreError) as caught:
        Store(path)
    assert str(path) in str(caught.value) and words in str(caught.value)
    assert path.read_bytes() == before


def test_two_processes_opening_a_new_store_at_once(tmp_path) -> None:
    db = tmp_path / "safehome.sqlite3"
    code = "import sys; from safehome.storage.store import Store; Store(sys.argv[1]).close(); print('ok')"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    outs = [p.communicate(timeout=60) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1] for o in outs]
    with Store(db) as s:
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def _child(db: Path, aid: int, prefix: str, count: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.store_child", str(db), str(aid), prefix, str(count)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_sigkill_while_saving_loses_no_reported_answer(home, tmp_path) -> None:
    db = tmp_path / "safehome.sqlite3"
    with Store(db) as s:
        aid = s.create(make(home, {}, fill_safe=False))
    rng = random.Random(20261127)
    runs = 24
    total_reported = 0
    for run in range(runs):
        child = _child(db, aid, f"r{run}_", 100_000)
        first = child.stdout.readline()  # the child is saving now
        assert first.strip() == f"r{run}_0", child.stderr.read()
        time.sleep(rng.uniform(0.0, 0.25))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        reported = [first.strip()] + [line for line in out.splitlines() if line and line != "done"]
        # the last line may be cut in half by the kill; a half line was never fully reported
        if out and not out.endswith("\n"):
            reported = reported[:-1]
        total_reported += len(reported)
        with Store(db) as s:
            answers = s.load(aid).assessment.answers
            assert s.integrity() == "ok"
            missing = [item for item in reported if item not in answers]
            assert not missing, f"run {run}: lost {missing[:5]}"
            assert all(answers[i].note == f"note {i} ✓" for i in reported)
    assert total_reported > runs


@pytest.mark.slow
def test_two_processes_saving_at_once(home, tmp_path) -> None:
    db = tmp_path / "safehome.sqlite3"
    with Store(db) as s:
        first = s.create(make(home, {}, fill_safe=False, profile={"name": "A"}))
        second = s.create(make(home, {}, fill_safe=False, profile={"name": "B"}))
    children = [_child(db, first, "a", 300), _child(db, first, "b", 300), _child(db, second, "c", 300)]
    results = [c.communicate(timeout=120) for c in children]
    for child, (out, err) in zip(children, results):
        assert child.returncode == 0, err
        assert "locked" not in err
        assert out.splitlines()[-1] == "done"
    with Store(db) as s:
        a = s.load(first).assessment.answers
        b = s.load(second).assessment.answers
        assert sum(1 for k in a if k.startswith("a")) == 300
        assert sum(1 for k in a if k.startswith("b")) == 300
        assert len(b) == 300
        assert s.integrity() == "ok"


# --------------------------------------------------------------------------- CLI


@pytest.fixture
def two_visits(tmp_path, capsys, home) -> tuple[Path, Path]:
    # a loose rail recommends a second one, and missing grab bars recommend them: each status is recorded
    old = make(
        home,
        {"hw_rugs": "yes", "st_rails": "yes", "eq_second_stair_rail": "recommended"},
        day=date(2026, 8, 1),
        profile={"name": "Ann Lee"},
    )
    new = make(
        home,
        {
            "st_rails": "yes",
            "ba_grab_bars": "yes",
            "eq_second_stair_rail": "ordered;installer",
            "eq_grab_bar": "recommended",
        },
        profile={"name": "Ann Lee"},
        notes={"st_rails": "still loose"},
    )
    paths = tmp_path / "old.json", tmp_path / "new.json"
    paths[0].write_text(old.model_dump_json())
    paths[1].write_text(new.model_dump_json())
    with freeze_time("2026-11-27"):
        assert main(["import", str(paths[0])]) == 0
        assert main(["import", str(paths[1])]) == 0
    assert "as assessment 2 (finished)" in capsys.readouterr().out
    return paths


def test_cli_list_show_export(two_visits, capsys, tmp_path) -> None:
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split("  ")[:3] == ["ID", "PERSON ID", "PERSON"]
    assert [w for w in out.splitlines()[0].split() if w not in ("ID", "PERSON")] == [
        "CHECKLIST",
        "MODE",
        "STATUS",
        "DATE",
        "ANSWERED",
        "UPDATED",
    ]
    assert "Ann Lee" in out and out.count("finished") == 2
    assert main(["list", "--person", "nobody"]) == 2
    assert "there is nobody called 'nobody'" in capsys.readouterr().err
    with freeze_time("2026-11-27"):
        assert main(["show", "2"]) == 0
    assert "Assessment 2: finished" in capsys.readouterr().out
    assert main(["export", "2", "-o", str(tmp_path / "back.json")]) == 0
    from safehome.core.models import Assessment

    assert Assessment.model_validate_json((tmp_path / "back.json").read_text()) == Assessment.model_validate_json(
        two_visits[1].read_text()
    )


def test_cli_compare_and_clinician_report_with_comparison(two_visits, capsys, tmp_path) -> None:
    with freeze_time("2026-11-27"):
        assert main(["compare", "1", "2"]) == 0
    out = capsys.readouterr().out
    assert "Home hazards: Moderate -> Moderate (unchanged); points 5 -> 6" in out
    assert "Hazards resolved (1):\n  - Loose rugs or mats that could slip or curl" in out
    assert "New hazards (1):\n  - No grab bars by the toilet or in the tub or shower" in out
    pdf = tmp_path / "c.pdf"
    with freeze_time("2026-11-27"):
        assert main(["report", "2", "--audience", "clinician", "-o", str(pdf)]) == 0
    from .test_pdf import flat, text_of

    text = flat(text_of(pdf.read_bytes()))
    assert "Since the last assessment (2026-08-01)" in text
    assert "Hazards resolved (1): Loose rugs or mats that could slip or curl" in text


def test_cli_delete_needs_confirmation(two_visits, capsys, _private_data_dir) -> None:
    assert main(["delete", "--person", "Ann Lee"]) == 2
    assert "add --yes" in capsys.readouterr().err
    assert main(["delete", "--person", "Nobody", "--yes"]) == 2
    assert main(["delete", "--person", "Ann Lee", "--yes"]) == 0
    assert "2 assessment(s)" in capsys.readouterr().out
    assert b"Ann Lee" not in (_private_data_dir / "safehome.sqlite3").read_bytes()


def test_cli_store_errors_are_clear(capsys, tmp_path) -> None:
    assert main(["show", "99"]) == 2
    assert "there is no assessment 99" in capsys.readouterr().err
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "safehome.sqlite3").write_text("not sqlite")
    assert main(["--data-dir", str(bad), "list"]) == 2
    err = capsys.readouterr().err
    assert "is not a safehome store" in err and str(bad) in err
    assert (bad / "safehome.sqlite3").read_text() == "not sqlite"


def test_a_second_store_on_the_same_file_in_one_process_leaves_the_first_ones_locks(tmp_path, home):
    """The app and its sync worker each open the store. Opening the second must not close a
    descriptor of the file (that drops every POSIX lock of the process): another process
    closing the store would then remove the journal under the first, open one."""
    import subprocess
    import sys
    from datetime import date as day

    from safehome.core.example import example_assessment
    from safehome.storage.store import Store

    db = tmp_path / "data" / "safehome.sqlite3"
    app = Store(db)
    aid = app.create(example_assessment(home, day(2026, 11, 27)))
    Store(db).close()  # the sync worker's, opened and closed while the app's stays open
    subprocess.run(
        [sys.executable, "-m", "safehome", "--data-dir", str(db.parent), "list"], capture_output=True, check=True
    )
    assert db.with_name(db.name + "-wal").exists()
    assert app.save_answer(aid, "hw_rugs", "no")
    app.close()
    with Store(db) as again:
        assert again.load(aid).assessment.answers["hw_rugs"].value == "no"
        assert again.integrity() == "ok"
