"""The fault corpus: a full disk, a read-only or locked store, a journal removed or a file replaced
under an open store, an assessment deleted while it is being answered, kills and parallel imports.

Each fault is checked for: one true sentence (never "damaged" for a healthy store), nothing that
was reported saved is lost, nothing is claimed saved that was not. `make soak` runs each family
at full size (SAFEHOME_SOAK=1); `make test` runs a smaller number of each.
"""

from __future__ import annotations

import json
import os
import signal
from safehome.storage.driver import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from freezegun import freeze_time

from safehome.faces.cli import main
from safehome.service.session import SaveFailed, Session
from safehome.storage.store import Store

from .conftest import make

SOAK = bool(os.environ.get("SAFEHOME_SOAK"))
ROOT = Path(__file__).resolve().parent.parent


def scaled(small: int, full: int) -> list[int]:
    return list(range(full if SOAK else small))


AFTER = scaled(5, 25)  # the write at which the disk fails
JOURNAL = scaled(4, 6)
REPLACED = scaled(3, 5)
DELETED = scaled(4, 6)
KILLS = [1, 5, 20, 60, *([100, 150, 200, 300, 400, 500, 700, 1000] if SOAK else [])]
PROCESSES = [2, 3, *([4, 6, 8] if SOAK else [])]


class FailingConnection:
    """An SQLite connection whose writes fail with ``message`` from the ``after``-th write on."""

    def __init__(self, conn: sqlite3.Connection, message: str, after: int) -> None:
        self._conn, self.message, self.after, self.writes, self.failing = conn, message, after, 0, True

    def execute(self, sql: str, *args: Any) -> Any:
        if self.failing and sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            self.writes += 1
            if self.writes >= self.after:
                raise sqlite3.OperationalError(self.message)
        return self._conn.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


def _session(home, tmp_path: Path) -> tuple[Store, Session]:
    store = Store(tmp_path / "safehome.sqlite3")
    from safehome.core.profile import Profile
    from datetime import date

    session = Session.start(store, home, "clinician", Profile(name="Ann Lee"), date(2026, 11, 27))
    return store, session


HOME_ITEMS = ["hw_rugs", "hw_clutter", "st_rails", "ba_grab_bars", "ba_shower_chair", "kt_reach", "lr_chair"]

WRITE_FAULTS = [
    ("database or disk is full", "the disk is full"),
    ("attempt to write a readonly database", "read-only"),
    ("database is locked", "locked"),
    ("disk I/O error", "the disk reported an error"),
]


@pytest.mark.parametrize(("sqlite_message", "words"), WRITE_FAULTS, ids=["full", "read-only", "locked", "io"])
@pytest.mark.parametrize("after", AFTER)
def test_a_write_fault_keeps_every_answer_and_says_what_is_true(home, tmp_path, sqlite_message, words, after) -> None:
    store, session = _session(home, tmp_path)
    items = [i for i in HOME_ITEMS if home.index.get(i)]
    assert len(items) >= 6
    real = store.conn
    store.conn = FailingConnection(real, sqlite_message, after + 1)  # type: ignore[assignment]
    refused = []
    for item in items:
        try:
            session.answer(item, "yes")
        except SaveFailed as exc:
            refused.append(item)
            assert words in str(exc) and "damaged" not in str(exc)
    assert refused, "the fault never fired"
    assert all(session.value(i) == "yes" for i in items)  # every answer kept in memory
    store.conn.failing = False  # type: ignore[attr-defined]  # the disk has room again
    session.flush()
    assert not session.pending
    store.conn = real
    store.close()
    with Store(tmp_path / "safehome.sqlite3") as again:
        answers = again.load(session.id).assessment.answers
        assert all(answers[i].value == "yes" for i in items)
        assert again.integrity() == "ok"


@pytest.mark.parametrize("answered", JOURNAL)
def test_a_journal_removed_under_an_open_store_stops_writes_and_loses_nothing_reported(
    home, tmp_path, answered
) -> None:
    store, session = _session(home, tmp_path)
    items = [i for i in HOME_ITEMS if home.index.get(i)]
    for item in items[:answered]:
        session.answer(item, "yes")
    os.unlink(f"{store.path}-wal")  # a cleaner or a sync tool
    with pytest.raises(SaveFailed) as refused:
        session.answer(items[answered], "yes")
    assert "was removed or replaced" in str(refused.value) and "kept in memory" in str(refused.value)
    assert session.pending  # not claimed saved
    store.close()
    with Store(tmp_path / "safehome.sqlite3") as again:  # what was reported saved is there
        answers = again.load(session.id).assessment.answers
        assert all(answers[i].value == "yes" for i in items[:answered])


@pytest.mark.parametrize("answered", REPLACED)
def test_a_database_replaced_under_an_open_store_is_not_written(home, tmp_path, answered) -> None:
    store, session = _session(home, tmp_path)
    items = [i for i in HOME_ITEMS if home.index.get(i)]
    for item in items[:answered]:
        session.answer(item, "yes")
    other = tmp_path / "other.sqlite3"
    with Store(other):
        pass
    os.replace(other, store.path)  # someone restored an old copy over it
    with pytest.raises(SaveFailed) as refused:
        session.answer(items[answered], "no")
    assert "was removed or replaced" in str(refused.value)
    assert session.value(items[answered]) == "no"
    store.conn.close()


@pytest.mark.parametrize("answered", DELETED)
def test_an_assessment_deleted_while_answered_can_be_saved_as_new(home, tmp_path, answered) -> None:
    store, session = _session(home, tmp_path)
    items = [i for i in HOME_ITEMS if home.index.get(i)]
    for item in items[:answered]:
        session.answer(item, "yes")
    with Store(store.path) as other:  # the CLI, another window: delete this person now
        other.delete_person(other.people()[0].id)
    with pytest.raises(SaveFailed) as refused:
        session.answer(items[answered], "no")
    assert "there is no assessment" in str(refused.value)
    assert session.deleted()
    session.save_as_new()
    assert not session.pending
    answers = store.load(session.id).assessment.answers
    assert all(answers[i].value == "yes" for i in items[:answered]) and answers[items[answered]].value == "no"
    store.close()


def _child(db: Path, aid: int, prefix: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.store_child", str(db), str(aid), prefix, str(count)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("lines", KILLS)
def test_a_kill_after_n_reported_saves_loses_none_of_them(home, tmp_path, lines) -> None:
    db = tmp_path / "safehome.sqlite3"
    with Store(db) as s:
        aid = s.create(make(home, {}, fill_safe=False))
    child = _child(db, aid, "k", 100_000)
    reported = [child.stdout.readline().strip() for _ in range(lines)]  # type: ignore[union-attr]
    child.send_signal(signal.SIGKILL)
    child.communicate()
    with Store(db) as s:
        answers = s.load(aid).assessment.answers
        assert s.integrity() == "ok"
        assert [i for i in reported if i not in answers] == []


@pytest.mark.parametrize("processes", PROCESSES)
def test_parallel_imports_all_land(home, tmp_path, processes) -> None:
    folder = tmp_path / "data"
    files = []
    for n in range(processes):
        path = tmp_path / f"a{n}.json"
        path.write_text(make(home, {"hw_rugs": "yes"}, profile={"name": f"Person {n}"}).model_dump_json())
        files.append(path)
    env = dict(os.environ, SAFEHOME_DATA_DIR=str(folder))
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "safehome", "import", str(f)], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
        )
        for f in files
    ]
    assert all(r.wait(timeout=120) == 0 for r in runs)
    with Store(folder / "safehome.sqlite3") as s:
        assert len(s.assessments()) == processes and s.integrity() == "ok"


@pytest.mark.parametrize(("sqlite_message", "words"), WRITE_FAULTS, ids=["full", "read-only", "locked", "io"])
def test_import_into_a_store_that_refuses_writes_exits_2_and_changes_nothing(
    home, tmp_path, capsys, monkeypatch, sqlite_message, words
) -> None:
    folder = tmp_path / "data"
    answers = tmp_path / "a.json"
    answers.write_text(make(home, {"hw_rugs": "yes"}, profile={"name": "Ann Lee"}).model_dump_json())
    with Store(folder / "safehome.sqlite3") as s:
        s.create(make(home, profile={"name": "Kept"}))
    real = Store._connect

    def failing(self: Store) -> Any:
        return FailingConnection(real(self), sqlite_message, 1)

    monkeypatch.setattr(Store, "_connect", failing)
    with freeze_time("2026-11-27"):
        code = main(["--data-dir", str(folder), "import", str(answers)])
    err = capsys.readouterr().err
    assert code == 2 and words in err and "damaged" not in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    monkeypatch.setattr(Store, "_connect", real)
    with Store(folder / "safehome.sqlite3") as s:
        assert [r.person for r in s.assessments()] == ["Kept"]


def test_store_errors_name_the_true_cause() -> None:
    from safehome.storage.transaction import problem

    path = Path("/data/safehome.sqlite3")
    cases = {
        "database or disk is full": "the disk is full",
        "attempt to write a readonly database": "read-only",
        "database is locked": "locked",
        "unable to open database file": "cannot be opened",
        "disk I/O error": "the disk reported an error",
        "database disk image is malformed": "is damaged",
        "file is not a database": "is damaged",
    }
    for message, words in cases.items():
        said = str(problem(path, sqlite3.OperationalError(message)))
        assert words in said, (message, said)
        assert ("damaged" in said) == (words == "is damaged")


def test_the_corpus_has_at_least_40_faults() -> None:
    families = [len(WRITE_FAULTS) * len(AFTER), len(JOURNAL), len(REPLACED), len(DELETED), len(KILLS)]
    families += [len(PROCESSES), len(WRITE_FAULTS)]
    assert sum(families) >= 40, families
    print(json.dumps({"faults": sum(families), "soak": SOAK}))
