"""The assessment store: every answer saved the moment it is given, nothing silently lost.

All SQL lives in this module, behind a small interface (open, create, save_answer, load,
list, previous, history, delete_person). It is plain standard SQL apart from the SQLite
pragmas in :meth:`Store._connect`, so a shared PostgreSQL store for a clinic could be added
beside it without touching the app or the CLI.

- One SQLite file in the user's data folder (0700), the file itself 0600; WAL mode,
  foreign keys on, ``synchronous=FULL`` so a committed answer survives a crash.
- ``PRAGMA user_version`` holds the schema version; :data:`MIGRATIONS` takes a database
  from any earlier version to the current one, in one transaction each.
- Every change to an answer is also appended to ``answer_history`` (old and new value),
  so a mistaken overwrite can be undone.
- A file that is not a safehome database is never written to: opening it raises
  :class:`StoreError` naming the file.
- ``secure_delete`` is on, and deleting a person ends with a checkpoint and VACUUM, so
  their data does not linger in free pages or the WAL.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import secrets
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from safehome.i18n.words import LANGUAGES, t

if TYPE_CHECKING:  # the models (pydantic) are imported only when an assessment is read or written
    from safehome.core.models import Assessment, Language, Profile

DB_NAME = "safehome.sqlite3"
SQLITE_HEADER = b"SQLite format 3\x00"
Status = Literal["in-progress", "finished"]


def _new_uuid() -> str:
    return str(uuid.uuid4())


def _name_key(name: str) -> str:
    from safehome.core.models import person_key  # the one rule for matching names lives in the core

    return person_key(name)


def _ids_and_keys(conn: sqlite3.Connection) -> None:
    """Schema 4: a UUID for every person, assessment and history entry; a matching key per name."""
    for pid, name in conn.execute("SELECT id, name FROM people").fetchall():
        conn.execute("UPDATE people SET uuid = ?, name_key = ? WHERE id = ?", (_new_uuid(), _name_key(name), pid))
    for table in ("assessments", "answer_history"):
        for (row_id,) in conn.execute(f"SELECT id FROM {table}").fetchall():
            conn.execute(f"UPDATE {table} SET uuid = ? WHERE id = ?", (_new_uuid(), row_id))


# Each entry takes the database from version N to N+1: SQL statements, or a function for
# what SQL cannot do (Unicode normalisation, UUIDs). Never edit a released entry: add one.
Step = str | Callable[[sqlite3.Connection], None]
MIGRATIONS: list[list[Step]] = [
    # 0 -> 1: people, assessments and their answers
    [
        """CREATE TABLE people (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX people_name ON people(name)",
        """CREATE TABLE assessments (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            checklist_id TEXT NOT NULL,
            checklist_version TEXT NOT NULL,
            mode TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('in-progress', 'finished')),
            assessed_on TEXT NOT NULL,
            profile_json TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        "CREATE INDEX assessments_person ON assessments(person_id, assessed_on)",
        """CREATE TABLE answers (
            assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
            item_id TEXT NOT NULL,
            value_json TEXT,
            note TEXT,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (assessment_id, item_id)
        )""",
    ],
    # 1 -> 2: the append-only history of every answer change, and where the person stopped
    [
        """CREATE TABLE answer_history (
            id INTEGER PRIMARY KEY,
            assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
            item_id TEXT NOT NULL,
            old_value_json TEXT,
            new_value_json TEXT,
            old_note TEXT,
            new_note TEXT,
            changed_at TEXT NOT NULL
        )""",
        "CREATE INDEX answer_history_assessment ON answer_history(assessment_id, id)",
        "ALTER TABLE assessments ADD COLUMN position TEXT",
    ],
    # 2 -> 3: keep the number of answered items on the assessment, so listing thousands is quick
    [
        "ALTER TABLE assessments ADD COLUMN answered INTEGER NOT NULL DEFAULT 0",
        """UPDATE assessments SET answered =
            (SELECT count(*) FROM answers x WHERE x.assessment_id = assessments.id AND x.value_json IS NOT NULL)""",
        "CREATE INDEX assessments_updated ON assessments(updated_at, id)",
    ],
    # 3 -> 4: stable ids. People are matched by a normalised name key (NFC, case-folded,
    # spaces collapsed), and every person, assessment and history entry gets a UUID.
    [
        "ALTER TABLE people ADD COLUMN uuid TEXT",
        "ALTER TABLE people ADD COLUMN name_key TEXT",
        "ALTER TABLE assessments ADD COLUMN uuid TEXT",
        "ALTER TABLE answer_history ADD COLUMN uuid TEXT",
        _ids_and_keys,
        "CREATE UNIQUE INDEX people_uuid ON people(uuid)",
        "CREATE INDEX people_name_key ON people(name_key)",
        "CREATE UNIQUE INDEX assessments_uuid ON assessments(uuid)",
        "CREATE UNIQUE INDEX answer_history_uuid ON answer_history(uuid)",
    ],
    # 4 -> 5: what was typed but not yet entered (a draft survives a crash like a note does);
    # changes made to a finished visit marked as amendments; the files safehome wrote for an
    # assessment, with their hash, so they can be shown out of date and removed with the person
    [
        "ALTER TABLE assessments ADD COLUMN draft_item TEXT",
        "ALTER TABLE assessments ADD COLUMN draft_text TEXT",
        "ALTER TABLE answer_history ADD COLUMN amendment INTEGER NOT NULL DEFAULT 0",
        """CREATE TABLE written_files (
            id INTEGER PRIMARY KEY,
            assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            source TEXT NOT NULL,
            written_at TEXT NOT NULL
        )""",
        "CREATE INDEX written_files_assessment ON written_files(assessment_id, id)",
    ],
    # 5 -> 6: the language of an assessment's documents (an English-speaking OT may visit a
    # French-speaking family); NULL for earlier ones: the language in use when they are written
    [
        "ALTER TABLE assessments ADD COLUMN language TEXT",
    ],
    # 6 -> 7: the clinic sync (see safehome.clinic). What changed here since the last push is
    # known from a revision counter (bumped by triggers, so no write path can forget it) and an
    # unpushed mark on history entries; the server's order of each entry is kept; a deleted
    # person leaves a tombstone (the UUID only) to spread the deletion.
    [
        "ALTER TABLE people ADD COLUMN rev INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE people ADD COLUMN pushed_rev INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE assessments ADD COLUMN rev INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE assessments ADD COLUMN pushed_rev INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE assessments ADD COLUMN owner TEXT",
        "ALTER TABLE answer_history ADD COLUMN pushed INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE answer_history ADD COLUMN server_seq INTEGER",
        "ALTER TABLE answer_history ADD COLUMN author TEXT",
        "CREATE INDEX people_unpushed ON people(id) WHERE rev > pushed_rev",
        "CREATE INDEX assessments_unpushed ON assessments(id) WHERE rev > pushed_rev",
        "CREATE INDEX answer_history_unpushed ON answer_history(assessment_id) WHERE pushed = 0",
        "CREATE INDEX answer_history_item ON answer_history(assessment_id, item_id)",
        """CREATE TRIGGER people_rev AFTER UPDATE OF name ON people
           BEGIN UPDATE people SET rev = rev + 1 WHERE id = NEW.id; END""",
        """CREATE TRIGGER assessments_rev
           AFTER UPDATE OF person_id, checklist_id, checklist_version, mode, status, assessed_on, profile_json
           ON assessments BEGIN UPDATE assessments SET rev = rev + 1 WHERE id = NEW.id; END""",
        """CREATE TABLE tombstones (
            uuid TEXT PRIMARY KEY,
            pushed INTEGER NOT NULL DEFAULT 0,
            applied INTEGER NOT NULL DEFAULT 1
        )""",
        """CREATE TRIGGER people_tombstone AFTER DELETE ON people
           BEGIN INSERT OR IGNORE INTO tombstones (uuid) VALUES (OLD.uuid); END""",
        """CREATE TABLE conflicts (
            uuid TEXT PRIMARY KEY,
            assessment_uuid TEXT NOT NULL,
            items TEXT NOT NULL,
            found_at TEXT NOT NULL,
            found_by TEXT,
            confirmed_at TEXT,
            confirmed_by TEXT,
            pushed INTEGER NOT NULL DEFAULT 1
        )""",
        "CREATE INDEX conflicts_assessment ON conflicts(assessment_uuid)",
        "CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ],
]
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(Exception):
    """The store cannot be used as asked; the message names the file and what to do."""


OPEN_ATTEMPTS = 40  # about 40 s of waiting in all while another process holds the new store


_OPEN: dict[tuple[int, int], int] = {}  # the store files open in this process: (device, inode) -> how many
_OPEN_LOCK = threading.Lock()


def _hold(identity: tuple[int, int], change: int) -> None:
    with _OPEN_LOCK:
        count = _OPEN.get(identity, 0) + change
        if count > 0:
            _OPEN[identity] = count
        else:
            _OPEN.pop(identity, None)


def _held(path: Path) -> bool:
    try:
        info = os.stat(path)
    except OSError:
        return False
    with _OPEN_LOCK:
        return (info.st_dev, info.st_ino) in _OPEN


def _busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc)
    return "locked" in text or "busy" in text


def _private(path: Path, mode: int) -> None:
    """Bring a file or folder of ours to ``mode`` (0600 / 0700); refuse one owned by someone else."""
    info = path.stat()
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise StoreError(t("store.not_owner", path=path))
    if info.st_mode & 0o777 != mode:
        path.chmod(mode)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Stored:
    """An assessment as kept in the store, with its bookkeeping."""

    id: int
    status: Status
    position: str | None
    created_at: str
    updated_at: str
    assessment: Assessment
    draft: tuple[str, str] | None = None  # (item id, text typed there but not entered)


@dataclass(frozen=True, slots=True)
class Written:
    """A file safehome wrote for an assessment."""

    path: str
    sha256: str
    source: str  # the digest of the assessment it was made from (Assessment.digest)
    written_at: str


@dataclass(frozen=True, slots=True)
class Summary:
    """One line of the list."""

    id: int
    person_id: int
    person: str
    checklist_id: str
    checklist_version: str
    mode: str
    status: Status
    assessed_on: str
    answered: int
    updated_at: str
    owner: str | None = None  # the clinic role whose visit it is, for one received from the clinic


# the columns of a Summary, in its order (one list for every query that makes them)
SUMMARY = """a.id, p.id, p.name, a.checklist_id, a.checklist_version, a.mode, a.status, a.assessed_on,
             a.answered, a.updated_at, a.owner"""


@dataclass(frozen=True, slots=True)
class Person:
    """A person in the store: a stable id, whatever their name is written like."""

    id: int
    uuid: str
    name: str
    assessments: int
    last_assessed: str | None


@dataclass(frozen=True, slots=True)
class Change:
    item_id: str
    old_value: Any
    new_value: Any
    old_note: str | None
    new_note: str | None
    changed_at: str
    amendment: bool = False
    author: str | None = None  # the clinic role that made it, for a change received from the clinic


@dataclass(frozen=True, slots=True)
class Outgoing:
    """What changed on this laptop since the last push (see :meth:`Store.outgoing`)."""

    # (id, rev, uuid, name, name_key, created_at)
    people: list[tuple[int, int, str, str, str, str]]
    # (id, rev, uuid, person uuid, checklist id, version, mode, status, assessed on, profile json,
    #  language, created at, updated at)
    assessments: list[tuple[Any, ...]]
    # (id, uuid, assessment uuid, item id, old value, new value, old note, new note, changed at, amendment)
    history: list[tuple[Any, ...]]
    tombstones: list[str]
    confirmed: list[tuple[str, str]]  # (conflict uuid, assessment uuid) confirmed here

    def __bool__(self) -> bool:
        return bool(self.people or self.assessments or self.history or self.tombstones or self.confirmed)

    def changed(self) -> set[str]:
        """The UUIDs of the assessments whose answers or details changed here."""
        return {row[2] for row in self.assessments} | {row[2] for row in self.history}


@dataclass(frozen=True, slots=True)
class Incoming:
    """What the clinic server has that this laptop has not seen (see :meth:`Store.apply`)."""

    people: list[tuple[str, str, str, str]]  # (uuid, name, name key, created at)
    # (uuid, person uuid, checklist id, version, mode, status, assessed on, profile json, language,
    #  created at, updated at, owner)
    assessments: list[tuple[Any, ...]]
    # (uuid, assessment uuid, item id, old value, new value, old note, new note, changed at, amendment,
    #  author, server order)
    history: list[tuple[Any, ...]]
    tombstones: list[str]
    # (uuid, assessment uuid, items json, found at, found by, confirmed at, confirmed by)
    conflicts: list[tuple[Any, ...]]
    cursor: int

    def __len__(self) -> int:
        return len(self.people) + len(self.assessments) + len(self.history) + len(self.tombstones) + len(self.conflicts)


@dataclass(frozen=True, slots=True)
class Conflict:
    """An assessment changed on two laptops between their syncs: both histories are kept."""

    uuid: str
    assessment_id: int
    person: str
    assessed_on: str
    items: tuple[str, ...]  # the questions changed on both (none: different questions)
    found_at: str
    found_by: str | None
    confirmed_at: str | None
    confirmed_by: str | None


# What another laptop (or anyone with a clinician's role) put on the server is checked before it
# is taken in: what safehome could not have written is never let in to break this laptop.


def _readable(
    checklist: str, version: str, mode: str, status: str, on: str, profile: str, language: str | None
) -> bool:
    """A received assessment's details are ones safehome can read back."""
    from pydantic import ValidationError

    from safehome.core.models import Assessment, Profile

    try:
        Assessment(
            checklist_id=checklist,
            checklist_version=version,
            mode=mode,  # checked here, by the model
            assessed_on=date.fromisoformat(on),
            profile=Profile.model_validate_json(profile),
            language=language,
        )
    except (ValidationError, ValueError, TypeError, RecursionError):
        return False
    return status in ("in-progress", "finished")


def _person_name(name: str) -> bool:
    from pydantic import ValidationError

    from safehome.core.models import Profile

    try:
        Profile(name=name)
    except (ValidationError, TypeError):
        return False
    return True


def _change_ok(item: str, old: str | None, new: str | None, old_note: str | None, new_note: str | None) -> bool:
    """A received answer change is one safehome could have made: a question id, values an answer
    may hold, notes within an answer's limits (the rules of ``models.Answer``, asked once per
    distinct value: a pull holds tens of thousands of changes and a handful of values)."""
    if not isinstance(item, str) or len(item) > 100 or _item_id().match(item) is None:
        return False
    return all(_value_ok(v) for v in (old, new)) and all(_note_ok(n) for n in (old_note, new_note))


@functools.cache
def _item_id() -> re.Pattern[str]:
    from safehome.core.answers import ID_PATTERN  # the core's rule for a question id (loaded only when a sync needs it)

    return re.compile(ID_PATTERN)


def _items(text: str) -> tuple[str, ...]:
    try:
        found = json.loads(text)
    except ValueError:
        return ()
    return tuple(str(i) for i in found) if isinstance(found, list) else ()


@functools.lru_cache(maxsize=4096)
def _value_ok(text: str | None) -> bool:
    from pydantic import ValidationError

    from safehome.core.models import Answer

    try:
        Answer(value=_load(text))
    except (ValidationError, ValueError, TypeError, RecursionError):
        return False
    return True


def _note_ok(note: str | None) -> bool:
    from safehome.core.models import NOTE_LIMIT

    return note is None or (isinstance(note, str) and len(note) <= NOTE_LIMIT)


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


class Store:
    """One SQLite store. Use :func:`open_store` to get one; close it (or use ``with``)."""

    def __init__(self, path: Path, *, clock: Callable[[], datetime] = utc_now, busy_timeout_ms: int = 10_000):
        self.path = Path(path)
        self._clock = clock
        self._busy_ms = busy_timeout_ms
        self._check_file()
        for attempt in range(OPEN_ATTEMPTS):
            self.conn = self._connect()
            try:
                self._check_schema()  # reads only: a file that is not ours is never written to
                self._configure()
                info = os.stat(self.path)
                self._identity = (info.st_dev, info.st_ino)
                _hold(self._identity, +1)
                self._wal_seen = False
                self._migrate()
                return
            except sqlite3.OperationalError as exc:  # another process is creating or migrating it
                self.conn.close()
                if not _busy(exc):
                    raise problem(self.path, exc) from None
                if attempt == OPEN_ATTEMPTS - 1:
                    raise StoreError(t("store.busy", path=self.path)) from None
                time.sleep(0.05 * (attempt + 1))
            except BaseException:
                self.conn.close()
                raise

    # -- opening

    def _check_file(self) -> None:
        path = self.path
        if path.is_symlink() or path.parent.is_symlink():  # a link could point the data anywhere
            raise StoreError(t("store.symlink", path=path))
        if path.is_dir():
            raise StoreError(t("store.is_folder", path=path))
        if path.exists():
            _private(path, 0o600)
            if _held(path):
                # Already open in this process (the app and its sync worker): checked then. Reading
                # it again would be wrong: closing any descriptor of a file drops every POSIX lock
                # this process holds on it, SQLite's included, and another process could then
                # remove the journal under the open store.
                return _private(path.parent, 0o700)
            try:
                with open(path, "rb") as handle:
                    head = handle.read(16)
            except OSError as exc:
                raise StoreError(t("store.unreadable", path=path, reason=exc.strerror)) from None
            if head and head != SQLITE_HEADER:
                raise StoreError(t("store.not_sqlite", path=path))
        else:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            with contextlib.suppress(FileExistsError):  # another process created it a moment ago
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
        _private(path.parent, 0o700)

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(
                self.path, timeout=self._busy_ms / 1000, isolation_level=None, check_same_thread=False
            )
            conn.execute(f"PRAGMA busy_timeout = {int(self._busy_ms)}")
            return conn
        except sqlite3.DatabaseError as exc:
            raise StoreError(t("store.cannot_open", path=self.path, reason=exc)) from None

    def _check_schema(self) -> None:
        try:
            # one statement, so one snapshot: a store another process is creating right now is
            # never caught between its tables and its version number
            version, tables = self.conn.execute(
                "SELECT user_version, (SELECT count(*) FROM sqlite_master) FROM pragma_user_version"
            ).fetchone()
        except sqlite3.OperationalError as exc:
            if _busy(exc):
                raise
            raise problem(self.path, exc) from None
        except sqlite3.DatabaseError as exc:
            raise problem(self.path, exc) from None
        if version > SCHEMA_VERSION:
            raise StoreError(t("store.newer_schema", path=self.path, version=version, known=SCHEMA_VERSION))
        if version == 0 and tables:
            raise StoreError(t("store.foreign_sqlite", path=self.path))
        self._version = version

    def _configure(self) -> None:
        conn = self.conn
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise StoreError(t("store.no_wal", path=self.path))
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA secure_delete = ON")

    def _migrate(self) -> None:
        try:
            version = self._version
            for target in range(version, SCHEMA_VERSION):
                with self._write():
                    # another process may have migrated while we waited for the lock
                    if self.conn.execute("PRAGMA user_version").fetchone()[0] > target:
                        continue
                    for step in MIGRATIONS[target]:
                        if isinstance(step, str):  # a step is SQL, or a function for what SQL cannot do
                            self.conn.execute(step)
                        else:
                            step(self.conn)
                    self.conn.execute(f"PRAGMA user_version = {target + 1}")
        except sqlite3.OperationalError as exc:
            if _busy(exc):
                raise  # opened again a moment later (Store.__init__)
            raise StoreError(t("store.migration_failed", path=self.path, reason=exc)) from None
        except sqlite3.DatabaseError as exc:
            raise StoreError(t("store.migration_failed", path=self.path, reason=exc)) from None

    def close(self) -> None:
        self.checkpoint()
        self.conn.close()
        if getattr(self, "_identity", None) is not None:
            _hold(self._identity, -1)
            self._identity = None  # type: ignore[assignment]  # closed twice is closed once

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- transactions

    def _write(self) -> _Transaction:
        self.still_there()
        return _Transaction(self.conn, self.path)

    def still_there(self) -> None:
        """Refuse to write when the database file or its WAL was removed or replaced under us:
        what is written then would be lost when safehome closes (say so; keep it in memory)."""
        try:
            now = os.stat(self.path)
        except OSError:
            raise StoreError(t("store.moved", path=self.path)) from None
        if (now.st_dev, now.st_ino) != self._identity:
            raise StoreError(t("store.moved", path=self.path))
        if Path(f"{self.path}-wal").exists():
            self._wal_seen = True
        elif self._wal_seen:  # SQLite removes it only when the last connection closes, and ours is open
            raise StoreError(t("store.moved", path=self.path))

    def _now(self) -> str:
        return self._clock().isoformat(timespec="microseconds")

    # -- the interface

    def create(
        self,
        assessment: Assessment,
        *,
        status: Status = "in-progress",
        person_id: int | None = None,
        new_person: bool = False,
    ) -> int:
        """Store a new assessment (with any answers it already has); return its id.

        The assessment belongs to ``person_id`` when given; otherwise to the person whose
        name matches (:func:`safehome.core.models.person_key`), the earliest if several do;
        otherwise, or with ``new_person``, to a new person.
        """
        now = self._now()
        with self._write():
            name = assessment.profile.name
            person = person_id
            if person is not None:
                if self.conn.execute("SELECT 1 FROM people WHERE id = ?", (person,)).fetchone() is None:
                    raise StoreError(t("store.no_person", id=person, path=self.path))
            elif not new_person:
                row = self.conn.execute(
                    "SELECT id FROM people WHERE name_key = ? ORDER BY id LIMIT 1", (_name_key(name),)
                ).fetchone()
                person = row[0] if row else None
            if person is None:
                person = self.conn.execute(
                    "INSERT INTO people (name, name_key, uuid, created_at) VALUES (?, ?, ?, ?)",
                    (name, _name_key(name), _new_uuid(), now),
                ).lastrowid
            aid = self.conn.execute(
                """INSERT INTO assessments (person_id, checklist_id, checklist_version, mode, status,
                       assessed_on, profile_json, created_at, updated_at, uuid, language)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    person,
                    assessment.checklist_id,
                    assessment.checklist_version,
                    assessment.mode,
                    status,
                    assessment.assessed_on.isoformat(),
                    assessment.profile.model_dump_json(),
                    now,
                    now,
                    _new_uuid(),
                    assessment.language,
                ),
            ).lastrowid
            answered = 0
            for item_id, answer in assessment.answers.items():
                if answer.value is None and not answer.note:
                    continue
                answered += answer.value is not None
                self.conn.execute(
                    "INSERT INTO answers (assessment_id, item_id, value_json, note, updated_at) VALUES (?, ?, ?, ?, ?)",
                    (aid, item_id, _dump(answer.value), answer.note, now),
                )
                self.conn.execute(
                    """INSERT INTO answer_history (assessment_id, item_id, old_value_json, new_value_json,
                           old_note, new_note, changed_at, uuid) VALUES (?, ?, NULL, ?, NULL, ?, ?, ?)""",
                    (aid, item_id, _dump(answer.value), answer.note, now, _new_uuid()),
                )
            self.conn.execute("UPDATE assessments SET answered = ? WHERE id = ?", (answered, aid))
        assert aid is not None
        return int(aid)

    def save_answer(
        self,
        assessment_id: int,
        item_id: str,
        value: Any,
        note: str | None = None,
        *,
        position: str | None = None,
        amendment: bool = False,
    ) -> bool:
        """Save one answer (and its note) at once. Returns False when nothing changed.

        The old value goes to the history in the same transaction, so a crash leaves either
        the old answer or the new one, each with its history, never half of a change.
        """
        now = self._now()
        with self._write():
            row = self.conn.execute(
                "SELECT value_json, note FROM answers WHERE assessment_id = ? AND item_id = ?", (assessment_id, item_id)
            ).fetchone()
            new_value = _dump(value)
            if row is not None and row[0] == new_value and row[1] == note:
                if position is not None:
                    self._touch(assessment_id, now, position)
                return False
            self._require(assessment_id)
            old_value, old_note = (row[0], row[1]) if row else (None, None)
            self.conn.execute(
                """INSERT INTO answers (assessment_id, item_id, value_json, note, updated_at) VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (assessment_id, item_id) DO UPDATE
                   SET value_json = excluded.value_json, note = excluded.note, updated_at = excluded.updated_at""",
                (assessment_id, item_id, new_value, note, now),
            )
            self.conn.execute(
                """INSERT INTO answer_history (assessment_id, item_id, old_value_json, new_value_json,
                       old_note, new_note, changed_at, uuid, amendment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (assessment_id, item_id, old_value, new_value, old_note, note, now, _new_uuid(), int(amendment)),
            )
            self._touch(assessment_id, now, position)
            change = (new_value is not None) - (old_value is not None)
            if change:
                self.conn.execute(
                    "UPDATE assessments SET answered = answered + ? WHERE id = ?", (change, assessment_id)
                )
        return True

    def _touch(self, assessment_id: int, now: str, position: str | None) -> None:
        if position is None:
            self.conn.execute("UPDATE assessments SET updated_at = ? WHERE id = ?", (now, assessment_id))
        else:
            self.conn.execute(
                "UPDATE assessments SET updated_at = ?, position = ? WHERE id = ?", (now, position, assessment_id)
            )

    def _require(self, assessment_id: int) -> None:
        if not 0 < assessment_id < 2**63:
            raise StoreError(t("store.no_assessment", id=assessment_id, path=self.path))
        if self.conn.execute("SELECT 1 FROM assessments WHERE id = ?", (assessment_id,)).fetchone() is None:
            raise StoreError(t("store.no_assessment", id=assessment_id, path=self.path))

    def set_draft(self, assessment_id: int, item_id: str | None, text: str | None) -> None:
        """Keep (or with None, clear) what was typed for a question but not yet entered."""
        with self._write():
            self.conn.execute(
                "UPDATE assessments SET draft_item = ?, draft_text = ? WHERE id = ?",
                (item_id if text else None, text or None, assessment_id),
            )

    def record_file(self, assessment_id: int, path: Path, data: bytes, source: str) -> None:
        """Remember a file written for this assessment: its absolute path, its SHA-256 and the
        digest of the assessment it was made from (to tell when it is out of date)."""
        with self._write():
            self._require(assessment_id)
            self.conn.execute(
                "INSERT INTO written_files (assessment_id, path, sha256, source, written_at) VALUES (?, ?, ?, ?, ?)",
                (assessment_id, str(path.resolve()), hashlib.sha256(data).hexdigest(), source, self._now()),
            )

    def files(self, assessment_id: int) -> list[Written]:
        """The files written for this assessment, oldest first."""
        rows = self.conn.execute(
            "SELECT path, sha256, source, written_at FROM written_files WHERE assessment_id = ? ORDER BY id",
            (assessment_id,),
        )
        return [Written(*row) for row in rows]

    def person_files(self, person_id: int) -> list[Written]:
        rows = self.conn.execute(
            """SELECT w.path, w.sha256, w.source, w.written_at
               FROM written_files w JOIN assessments a ON a.id = w.assessment_id WHERE a.person_id = ? ORDER BY w.id""",
            (person_id,),
        )
        return [Written(*row) for row in rows]

    def set_position(self, assessment_id: int, item_id: str | None) -> None:
        with self._write():
            self.conn.execute("UPDATE assessments SET position = ? WHERE id = ?", (item_id, assessment_id))

    def update_profile(self, assessment_id: int, profile: Profile, assessed_on: date | None = None) -> None:
        """Replace the profile (the person's name may change: the person row follows)."""
        now = self._now()
        with self._write():
            self._require(assessment_id)
            fields = "profile_json = ?, updated_at = ?" + (", assessed_on = ?" if assessed_on else "")
            params: list[Any] = [profile.model_dump_json(), now] + ([assessed_on.isoformat()] if assessed_on else [])
            self.conn.execute(f"UPDATE assessments SET {fields} WHERE id = ?", (*params, assessment_id))
            person = self.conn.execute("SELECT person_id FROM assessments WHERE id = ?", (assessment_id,)).fetchone()[0]
            self.conn.execute(
                "UPDATE people SET name = ?, name_key = ? WHERE id = ?", (profile.name, _name_key(profile.name), person)
            )

    def uuid_of(self, assessment_id: int) -> str:
        """The assessment's own UUID (the same on every machine it is synced to)."""
        row = self.conn.execute("SELECT uuid FROM assessments WHERE id = ?", (assessment_id,)).fetchone()
        if row is None:
            raise StoreError(t("store.no_assessment", id=assessment_id, path=self.path))
        return str(row[0])

    def set_language(self, assessment_id: int, language: Language | None) -> None:
        """The language this assessment's handout and summary are written in."""
        with self._write():
            self._require(assessment_id)
            self.conn.execute(
                "UPDATE assessments SET language = ?, updated_at = ? WHERE id = ?",
                (language, self._now(), assessment_id),
            )

    def set_status(self, assessment_id: int, status: Status) -> None:
        with self._write():
            self._require(assessment_id)
            self.conn.execute(
                "UPDATE assessments SET status = ?, updated_at = ? WHERE id = ?", (status, self._now(), assessment_id)
            )

    def load(self, assessment_id: int) -> Stored:
        if not 0 < assessment_id < 2**63:  # beyond SQLite's integers: cannot be one of ours
            raise StoreError(t("store.no_assessment", id=assessment_id, path=self.path))
        row = self.conn.execute(
            """SELECT id, checklist_id, checklist_version, mode, status, assessed_on, profile_json,
                      position, created_at, updated_at, draft_item, draft_text, language
               FROM assessments WHERE id = ?""",
            (assessment_id,),
        ).fetchone()
        if row is None:
            raise StoreError(t("store.no_assessment", id=assessment_id, path=self.path))
        from safehome.core.models import Answer, Assessment, Profile

        answers = {
            item_id: Answer(value=_load(value), note=note)
            for item_id, value, note in self.conn.execute(
                "SELECT item_id, value_json, note FROM answers WHERE assessment_id = ? ORDER BY item_id",
                (assessment_id,),
            )
        }
        assessment = Assessment(
            checklist_id=row[1],
            checklist_version=row[2],
            mode=row[3],
            assessed_on=date.fromisoformat(row[5]),
            profile=Profile.model_validate_json(row[6]),
            answers=answers,
            language=row[12] if row[12] in LANGUAGES else None,
        )
        draft = (row[10], row[11]) if row[10] and row[11] else None
        return Stored(row[0], row[4], row[7], row[8], row[9], assessment, draft)

    def assessments(
        self, *, person_id: int | None = None, status: Status | None = None, limit: int | None = None
    ) -> list[Summary]:
        """Assessments, most recently updated first."""
        sql = f"SELECT {SUMMARY} FROM assessments a JOIN people p ON p.id = a.person_id WHERE 1 = 1"
        params: list[Any] = []
        if person_id is not None:
            sql += " AND p.id = ?"
            params.append(person_id)
        if status is not None:
            sql += " AND a.status = ?"
            params.append(status)
        sql += " ORDER BY a.updated_at DESC, a.id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [Summary(*row) for row in self.conn.execute(sql, params)]

    def names(self, person_id: int) -> set[str]:
        """Every name this person goes by here (the person's, and each assessment's profile's), read
        without validating anything, so that a damaged profile never stops a deletion."""
        found = {str(n) for (n,) in self.conn.execute("SELECT name FROM people WHERE id = ?", (person_id,))}
        for (text,) in self.conn.execute("SELECT profile_json FROM assessments WHERE person_id = ?", (person_id,)):
            with contextlib.suppress(ValueError, AttributeError):
                name = json.loads(text).get("name")
                if isinstance(name, str):
                    found.add(name)
        return found

    def by_uuid(self, uuids: list[str]) -> list[Summary]:
        """The list lines of these assessments (given by their UUIDs), oldest first."""
        marks = ",".join("?" * len(uuids))
        rows = self.conn.execute(
            f"""SELECT {SUMMARY} FROM assessments a JOIN people p ON p.id = a.person_id WHERE a.uuid IN ({marks})
                ORDER BY a.assessed_on, a.id""",
            uuids,
        )
        return [Summary(*row) for row in rows]

    def profiles(self, ids: list[int]) -> dict[int, Profile]:
        """The profiles of these assessments (to count the questions each person is asked)."""
        from safehome.core.models import Profile

        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(f"SELECT id, profile_json FROM assessments WHERE id IN ({marks})", ids)
        return {aid: Profile.model_validate_json(text) for aid, text in rows}

    def people(self, *, name: str | None = None) -> list[Person]:
        """Everyone in the store (or those whose name matches ``name``), by name."""
        sql = """SELECT p.id, p.uuid, p.name, count(a.id), max(a.assessed_on)
                 FROM people p LEFT JOIN assessments a ON a.person_id = p.id"""
        params: list[Any] = []
        if name is not None:
            sql += " WHERE p.name_key = ?"
            params.append(_name_key(name))
        sql += " GROUP BY p.id ORDER BY p.name_key, p.id"
        return [Person(*row) for row in self.conn.execute(sql, params)]

    def person_of(self, assessment_id: int) -> int | None:
        """The person id an assessment belongs to (None when there is no such assessment)."""
        row = self.conn.execute("SELECT person_id FROM assessments WHERE id = ?", (assessment_id,)).fetchone()
        return int(row[0]) if row else None

    def person(self, person_id: int) -> Person:
        if not 0 < person_id < 2**63:
            raise StoreError(t("store.no_person", id=person_id, path=self.path))
        row = self.conn.execute(
            """SELECT p.id, p.uuid, p.name, count(a.id), max(a.assessed_on)
               FROM people p LEFT JOIN assessments a ON a.person_id = p.id WHERE p.id = ? GROUP BY p.id""",
            (person_id,),
        ).fetchone()
        if row is None:
            raise StoreError(t("store.no_person", id=person_id, path=self.path))
        return Person(*row)

    def previous(self, assessment_id: int) -> Stored | None:
        """The same person's latest earlier assessment with the same checklist, if any."""
        row = self.conn.execute(
            """SELECT b.id FROM assessments a JOIN assessments b
                 ON b.person_id = a.person_id AND b.checklist_id = a.checklist_id AND b.id <> a.id
               WHERE a.id = ? AND (b.assessed_on < a.assessed_on OR (b.assessed_on = a.assessed_on AND b.id < a.id))
               ORDER BY b.assessed_on DESC, b.id DESC LIMIT 1""",
            (assessment_id,),
        ).fetchone()
        return self.load(row[0]) if row else None

    def history(self, assessment_id: int, item_id: str | None = None) -> list[Change]:
        sql = """SELECT item_id, old_value_json, new_value_json, old_note, new_note, changed_at, amendment, author
                 FROM answer_history WHERE assessment_id = ?"""
        params: list[Any] = [assessment_id]
        if item_id is not None:
            sql += " AND item_id = ?"
            params.append(item_id)
        # in the server's order where known (what a sync received goes where the server put it),
        # then what was changed here and not yet sent
        order = " ORDER BY server_seq IS NULL, server_seq, id"
        return [
            Change(i, _load(ov), _load(nv), on, nn, at, bool(am), au)
            for i, ov, nv, on, nn, at, am, au in self.conn.execute(sql + order, params)
        ]

    def undo_last_change(self, assessment_id: int, item_id: str) -> bool:
        """Put back the value an answer had before its last change (recorded as a change too)."""
        changes = self.history(assessment_id, item_id)
        if not changes:
            return False
        last = changes[-1]
        return self.save_answer(assessment_id, item_id, last.old_value, last.old_note)

    def delete_person(self, person_id: int) -> int:
        """Remove a person and everything about them; return how many assessments went.

        Deleted rows are zeroed (secure_delete), then the WAL is emptied and the file
        rebuilt, so nothing of the person remains in the database's bytes.
        """
        with self._write():
            person = self.person(person_id)
            count = int(
                self.conn.execute("SELECT count(*) FROM assessments WHERE person_id = ?", (person_id,)).fetchone()[0]
            )
            self.conn.execute(
                "DELETE FROM conflicts WHERE assessment_uuid IN (SELECT uuid FROM assessments WHERE person_id = ?)",
                (person_id,),
            )
            self.conn.execute("DELETE FROM people WHERE id = ?", (person_id,))  # a trigger leaves the tombstone
            self.conn.execute("UPDATE tombstones SET applied = 1 WHERE uuid = ?", (person.uuid,))
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.execute("VACUUM")
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return count

    # -- the clinic sync: this side's half (the server's is in safehome.clinic)

    def sync_value(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_sync_values(self, **values: str) -> None:
        with self._write():
            self.conn.executemany(
                """INSERT INTO sync_state (key, value) VALUES (?, ?)
                   ON CONFLICT (key) DO UPDATE SET value = excluded.value""",
                list(values.items()),
            )

    def secret(self) -> str:
        """A random value known to this store alone (it makes ids nobody else can predict)."""
        found = self.sync_value("secret")
        if found is None:
            with self._write():
                self.conn.execute(
                    "INSERT OR IGNORE INTO sync_state (key, value) VALUES ('secret', ?)", (secrets.token_hex(16),)
                )
            found = self.sync_value("secret") or ""
        return found

    def device(self) -> str:
        """This store's own UUID: the server tells its changes from other laptops' by it."""
        found = self.sync_value("device")
        if found is None:
            found = _new_uuid()
            with self._write():
                self.conn.execute("INSERT OR IGNORE INTO sync_state (key, value) VALUES ('device', ?)", (found,))
            found = self.sync_value("device") or found
        return found

    def outgoing(self) -> Outgoing:
        """Everything changed here since the last push, read in one snapshot."""
        with self._write():  # one consistent read (and no writer between it and the revisions read)
            people = self.conn.execute(
                "SELECT id, rev, uuid, name, name_key, created_at FROM people WHERE rev > pushed_rev ORDER BY id"
            ).fetchall()
            assessments = self.conn.execute(
                """SELECT a.id, a.rev, a.uuid, p.uuid, a.checklist_id, a.checklist_version, a.mode, a.status,
                          a.assessed_on, a.profile_json, a.language, a.created_at, a.updated_at
                   FROM assessments a JOIN people p ON p.id = a.person_id WHERE a.rev > a.pushed_rev ORDER BY a.id"""
            ).fetchall()
            history = self.conn.execute(
                """SELECT h.id, h.uuid, a.uuid, h.item_id, h.old_value_json, h.new_value_json, h.old_note, h.new_note,
                          h.changed_at, h.amendment
                   FROM answer_history h JOIN assessments a ON a.id = h.assessment_id
                   WHERE h.pushed = 0 ORDER BY h.id"""
            ).fetchall()
            tombstones = [u for (u,) in self.conn.execute("SELECT uuid FROM tombstones WHERE pushed = 0")]
            confirmed = self.conn.execute(
                "SELECT uuid, assessment_uuid FROM conflicts WHERE pushed = 0 AND confirmed_at IS NOT NULL"
            ).fetchall()
        return Outgoing(people, assessments, history, tombstones, confirmed)

    def mark_pushed(
        self, out: Outgoing, orders: dict[str, int], refused: set[str], confirmed: set[str] | None = None
    ) -> None:
        """The server has these now (``orders``: each history entry's place in the server's order);
        the assessments in ``refused`` were not taken and stay to be sent; a confirmation not in
        ``confirmed`` was refused by the server, and the conflict is open here again."""
        taken = {c for c, _ in out.confirmed} if confirmed is None else confirmed
        with self._write():
            self.conn.executemany(
                "UPDATE conflicts SET confirmed_at = NULL WHERE uuid = ?",
                [(c,) for c, _ in out.confirmed if c not in taken],
            )
            self.conn.executemany(
                "UPDATE people SET pushed_rev = max(pushed_rev, ?) WHERE id = ?", [(r[1], r[0]) for r in out.people]
            )
            self.conn.executemany(
                "UPDATE assessments SET pushed_rev = max(pushed_rev, ?) WHERE id = ?",
                [(r[1], r[0]) for r in out.assessments if r[2] not in refused],
            )
            # one UPDATE from a temporary table: tens of thousands of entries after a first sync
            self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS pushed_now (id INTEGER PRIMARY KEY, seq INTEGER)")
            self.conn.execute("DELETE FROM pushed_now")
            self.conn.executemany(
                "INSERT INTO pushed_now (id, seq) VALUES (?, ?)",
                [(r[0], orders.get(r[1])) for r in out.history if r[2] not in refused],
            )
            self.conn.execute(
                """UPDATE answer_history SET pushed = 1, server_seq = pushed_now.seq
                   FROM pushed_now WHERE answer_history.id = pushed_now.id"""
            )
            self.conn.execute("DELETE FROM pushed_now")
            self.conn.executemany("UPDATE tombstones SET pushed = 1 WHERE uuid = ?", [(u,) for u in out.tombstones])
            self.conn.executemany("UPDATE conflicts SET pushed = 1 WHERE uuid = ?", [(c,) for c, _ in out.confirmed])

    def apply(self, incoming: Incoming, touched: Callable[[int], None] | None = None) -> list[int]:
        """Take in what the server sent, in one transaction with the new cursor (a sync killed
        half-way leaves the store as it was). The current value of an answer is the last change
        in the server's order, unless it was changed here since (that change goes next, so it
        comes later in the server's order). Returns the people to forget (tombstones)."""
        with self._write():
            c = self.conn
            c.executemany(
                "INSERT INTO tombstones (uuid, pushed, applied) VALUES (?, 1, 0) ON CONFLICT (uuid) DO NOTHING",
                [(u,) for u in incoming.tombstones],
            )
            gone = {u for (u,) in c.execute("SELECT uuid FROM tombstones")}  # deleted here or anywhere: never back
            for uuid_, name, key, created in incoming.people:
                if uuid_ in gone or not _person_name(name):
                    continue
                key = _name_key(name)  # the matching rule is this laptop's, not the sender's
                row = c.execute("SELECT id, rev, pushed_rev FROM people WHERE uuid = ?", (uuid_,)).fetchone()
                if row is None:
                    c.execute(
                        """INSERT INTO people (name, name_key, uuid, created_at, rev, pushed_rev)
                           VALUES (?, ?, ?, ?, 1, 1)""",
                        (name, key, uuid_, created),
                    )
                elif row[1] == row[2]:  # not renamed here since (else the rename here goes next)
                    c.execute("UPDATE people SET name = ?, name_key = ? WHERE id = ?", (name, key, row[0]))
                    c.execute("UPDATE people SET pushed_rev = rev WHERE id = ?", (row[0],))
            person_ids = dict(c.execute("SELECT uuid, id FROM people").fetchall()) if incoming.assessments else {}
            changed: set[int] = set()
            for row in incoming.assessments:
                (uuid_, person, checklist, version, mode, status, on, profile, language, created, updated, owner) = row
                pid = person_ids.get(person)
                if pid is None or person in gone:
                    continue  # the person was deleted here or anywhere, and goes with all of theirs
                if not _readable(checklist, version, mode, status, on, profile, language):
                    continue  # not one safehome could have written: never let it break this laptop
                have = c.execute(
                    """SELECT a.id, a.rev, a.pushed_rev, p.uuid FROM assessments a JOIN people p ON p.id = a.person_id
                       WHERE a.uuid = ?""",
                    (uuid_,),
                ).fetchone()
                if have is not None and have[3] in gone:
                    continue  # never moved away from a deleted person (it is deleted with them)
                if have is None:
                    aid = c.execute(
                        """INSERT INTO assessments (person_id, checklist_id, checklist_version, mode, status,
                               assessed_on, profile_json, created_at, updated_at, uuid, language, owner, rev,
                               pushed_rev)
                           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1)""",
                        (pid, checklist, version, mode, status, on, profile, created, updated, uuid_, language, owner),
                    ).lastrowid
                    changed.add(int(aid or 0))
                elif have[1] == have[2]:
                    c.execute(
                        """UPDATE assessments SET person_id = ?, checklist_id = ?, checklist_version = ?, mode = ?,
                               status = ?, assessed_on = ?, profile_json = ?, owner = ?,
                               updated_at = max(updated_at, ?) WHERE id = ?""",
                        (pid, checklist, version, mode, status, on, profile, owner, updated, have[0]),
                    )
                    c.execute("UPDATE assessments SET pushed_rev = rev WHERE id = ?", (have[0],))
                    changed.add(int(have[0]))
            assessment_ids = dict(c.execute("SELECT uuid, id FROM assessments").fetchall()) if incoming.history else {}
            pairs: set[tuple[int, str]] = set()
            entries = []
            for uuid_, assessment, item, old, new, old_note, new_note, at, amendment, author, seq in incoming.history:
                aid = assessment_ids.get(assessment)
                if aid is None or not _change_ok(item, old, new, old_note, new_note):
                    continue
                entries.append((aid, item, old, new, old_note, new_note, at, uuid_, int(amendment), author, seq))
                pairs.add((aid, item))
            c.executemany(
                """INSERT INTO answer_history (assessment_id, item_id, old_value_json, new_value_json, old_note,
                       new_note, changed_at, uuid, amendment, author, server_seq, pushed)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
                   ON CONFLICT (uuid) DO UPDATE SET server_seq = excluded.server_seq, pushed = 1""",
                entries,
            )
            self._current(pairs)
            changed |= {aid for aid, _ in pairs}
            c.executemany(
                """INSERT INTO conflicts (uuid, assessment_uuid, items, found_at, found_by, confirmed_at, confirmed_by,
                       pushed) VALUES (?, ?, ?, ?, ?, ?, ?, 1)
                   ON CONFLICT (uuid) DO UPDATE SET confirmed_at = coalesce(excluded.confirmed_at, confirmed_at),
                       confirmed_by = coalesce(excluded.confirmed_by, confirmed_by)""",
                incoming.conflicts,
            )
            c.execute(
                """INSERT INTO sync_state (key, value) VALUES ('cursor', ?)
                   ON CONFLICT (key) DO UPDATE SET value = excluded.value""",
                (str(incoming.cursor),),
            )
            c.execute("DELETE FROM sync_state WHERE key = 'refetch'")  # asked for again, and received
        if touched is not None:
            for aid in changed:
                touched(aid)
        return self.pending_deletions()

    def _current(self, pairs: set[tuple[int, str]]) -> None:
        """Set each answer to its last change in the server's order (none pending here)."""
        c = self.conn
        c.execute("CREATE TEMP TABLE IF NOT EXISTS touched (assessment_id INTEGER, item_id TEXT)")
        c.execute("DELETE FROM touched")
        c.executemany("INSERT INTO touched VALUES (?, ?)", sorted(pairs))
        c.execute(
            """INSERT INTO answers (assessment_id, item_id, value_json, note, updated_at)
               SELECT h.assessment_id, h.item_id, h.new_value_json, h.new_note, h.changed_at
               FROM touched t JOIN answer_history h ON h.id = (
                   SELECT x.id FROM answer_history x WHERE x.assessment_id = t.assessment_id AND x.item_id = t.item_id
                   ORDER BY x.server_seq DESC, x.id DESC LIMIT 1)
               WHERE NOT EXISTS (SELECT 1 FROM answer_history u
                                 WHERE u.assessment_id = t.assessment_id AND u.item_id = t.item_id AND u.pushed = 0)
               ON CONFLICT (assessment_id, item_id) DO UPDATE
               SET value_json = excluded.value_json, note = excluded.note, updated_at = excluded.updated_at"""
        )
        c.execute(
            """UPDATE assessments SET
                   answered = (SELECT count(*) FROM answers x WHERE x.assessment_id = assessments.id
                               AND x.value_json IS NOT NULL),
                   updated_at = max(updated_at, (SELECT max(changed_at) FROM answer_history h
                                                 WHERE h.assessment_id = assessments.id))
               WHERE id IN (SELECT DISTINCT assessment_id FROM touched)"""
        )
        c.execute("DELETE FROM touched")

    def pending_deletions(self) -> list[int]:
        """People deleted on another laptop (their tombstone came in) who are still here."""
        rows = self.conn.execute(
            "SELECT p.id FROM tombstones t JOIN people p ON p.uuid = t.uuid WHERE t.applied = 0 ORDER BY p.id"
        )
        return [int(pid) for (pid,) in rows]

    def deletions_applied(self) -> None:
        with self._write():
            self.conn.execute(
                "UPDATE tombstones SET applied = 1 WHERE applied = 0 AND uuid NOT IN (SELECT uuid FROM people)"
            )

    def unsent(self) -> int:
        """How many assessments (and deletions) changed here have not reached the clinic yet."""
        return int(
            self.conn.execute(
                """SELECT (SELECT count(*) FROM assessments a WHERE a.rev > a.pushed_rev
                              OR EXISTS (SELECT 1 FROM answer_history h WHERE h.assessment_id = a.id AND h.pushed = 0))
                        + (SELECT count(*) FROM tombstones WHERE pushed = 0)"""
            ).fetchone()[0]
        )

    def conflicts(self, assessment_id: int | None = None, *, open_only: bool = True) -> list[Conflict]:
        """Assessments changed on two laptops between syncs (for the clinician to confirm)."""
        sql = """SELECT c.uuid, a.id, p.name, a.assessed_on, c.items, c.found_at, c.found_by, c.confirmed_at,
                        c.confirmed_by
                 FROM conflicts c JOIN assessments a ON a.uuid = c.assessment_uuid JOIN people p ON p.id = a.person_id
                 WHERE 1 = 1"""
        params: list[Any] = []
        if assessment_id is not None:
            sql += " AND a.id = ?"
            params.append(assessment_id)
        if open_only:
            sql += " AND c.confirmed_at IS NULL"
        rows = self.conn.execute(sql + " ORDER BY c.found_at, c.uuid", params).fetchall()
        return [Conflict(r[0], r[1], r[2], r[3], _items(r[4]), *r[5:]) for r in rows]

    def discard_unsent(self, assessment_id: int) -> int:
        """Drop the changes made here to an assessment and not yet sent (the server refused them):
        its answers go back to the last ones from the clinic, and its details are asked for again
        at the next sync. Returns how many answer changes went."""
        with self._write():
            self._require(assessment_id)
            c = self.conn
            items = {
                i
                for (i,) in c.execute(
                    "SELECT DISTINCT item_id FROM answer_history WHERE assessment_id = ? AND pushed = 0",
                    (assessment_id,),
                )
            }
            gone = c.execute(
                "DELETE FROM answer_history WHERE assessment_id = ? AND pushed = 0", (assessment_id,)
            ).rowcount
            for item in items:  # never answered at the clinic: no answer here either
                if (
                    c.execute(
                        "SELECT 1 FROM answer_history WHERE assessment_id = ? AND item_id = ?", (assessment_id, item)
                    ).fetchone()
                    is None
                ):
                    c.execute("DELETE FROM answers WHERE assessment_id = ? AND item_id = ?", (assessment_id, item))
            self._current({(assessment_id, item) for item in items})
            row = c.execute("SELECT uuid, rev > pushed_rev FROM assessments WHERE id = ?", (assessment_id,)).fetchone()
            if row[1]:
                c.execute("UPDATE assessments SET pushed_rev = rev WHERE id = ?", (assessment_id,))
                wanted = set(json.loads(self.sync_value("refetch") or "[]")) | {row[0]}
                c.execute(
                    """INSERT INTO sync_state (key, value) VALUES ('refetch', ?)
                       ON CONFLICT (key) DO UPDATE SET value = excluded.value""",
                    (json.dumps(sorted(wanted)),),
                )
                gone += 1
        return int(gone)

    def confirm_conflicts(self, assessment_id: int) -> int:
        """The clinician has checked the answers of an assessment changed on two laptops."""
        with self._write():
            self._require(assessment_id)
            return self.conn.execute(
                """UPDATE conflicts SET confirmed_at = ?, pushed = 0 WHERE confirmed_at IS NULL
                   AND assessment_uuid = (SELECT uuid FROM assessments WHERE id = ?)""",
                (self._now(), assessment_id),
            ).rowcount

    def checkpoint(self) -> None:
        """Copy the WAL into the main database file, so what was saved is in the file itself."""
        with contextlib.suppress(sqlite3.Error):  # busy: another process will checkpoint
            self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def exists(self, assessment_id: int) -> bool:
        row = self.conn.execute("SELECT 1 FROM assessments WHERE id = ?", (assessment_id,)).fetchone()
        return row is not None

    def integrity(self) -> str:
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])


def problem(path: Path, exc: sqlite3.Error) -> StoreError:
    """What an SQLite error means for the user, in words that are true: only a damaged file is
    called damaged (a user told "damaged" may throw a good store away)."""
    text = str(exc).lower()
    if "full" in text:
        key = "store.full"
    elif "readonly" in text or "read-only" in text:
        key = "store.read_only"
    elif "locked" in text or "busy" in text:
        key = "store.busy"
    elif "unable to open" in text:
        key = "store.cannot_open_file"
    elif "disk i/o" in text:
        key = "store.io"
    elif "malformed" in text or "not a database" in text or "corrupt" in text:
        key = "store.damaged"
    else:
        key = "store.failed"
    return StoreError(t(key, path=path, reason=exc))


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, retrying the BEGIN while another process holds the lock.

    An SQLite error inside becomes a StoreError that says what is true (disk full, read-only...);
    the transaction is rolled back, so nothing half-written stays."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path

    def __enter__(self) -> None:
        for attempt in range(50):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise problem(self.path, exc) from None
                time.sleep(0.01 * (attempt + 1))
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise problem(self.path, exc) from None

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> None:
        if kind is None:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as error:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
                raise problem(self.path, error) from None
            return
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error):
            raise problem(self.path, exc) from None


def database_path(data_dir: Path) -> Path:
    return data_dir / DB_NAME


def open_store(data_dir: str | os.PathLike[str] | None = None, **kwargs: Any) -> Store:
    """Open (creating if needed) the store in the data folder."""
    from safehome.storage.paths import data_dir as resolve

    folder = resolve(data_dir, create=False)
    if folder.exists() and not folder.is_dir():
        raise StoreError(t("store.data_dir_is_file", path=folder))
    return Store(database_path(resolve(data_dir)), **kwargs)
