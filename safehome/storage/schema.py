"""The laptop store's schema: one named migration step per version, never edited once released.

``PRAGMA user_version`` holds how many steps a file has had (those numbers are in users' files),
and each step has a name, so a step is known by what it does rather than by its place.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import NamedTuple

from safehome.storage.driver import sqlite3

DB_NAME = "safehome.sqlite3"
SQLITE_HEADER = b"SQLite format 3\x00"


def new_uuid() -> str:
    return str(uuid.uuid4())


def name_key(name: str) -> str:
    from safehome.core.profile import person_key  # the one rule for matching names lives in the core

    return person_key(name)


def _ids_and_keys(conn: sqlite3.Connection) -> None:
    """Schema 4: a UUID for every person, assessment and history entry; a matching key per name."""
    for pid, name in conn.execute("SELECT id, name FROM people").fetchall():
        conn.execute("UPDATE people SET uuid = ?, name_key = ? WHERE id = ?", (new_uuid(), name_key(name), pid))
    for table in ("assessments", "answer_history"):
        for (row_id,) in conn.execute(f"SELECT id FROM {table}").fetchall():
            conn.execute(f"UPDATE {table} SET uuid = ? WHERE id = ?", (new_uuid(), row_id))


# A step is SQL statements, or a function for what SQL cannot do (Unicode normalisation, UUIDs).
Step = str | Callable[[sqlite3.Connection], None]


class Migration(NamedTuple):
    """Takes the database from version N to N+1 (N its place in :data:`MIGRATIONS`)."""

    name: str
    steps: list[Step]


# Never edit a released entry: add one.
MIGRATIONS: list[Migration] = [
    # 0 -> 1: people, assessments and their answers
    Migration(
        "people_assessments_answers",
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
    ),
    # 1 -> 2: the append-only history of every answer change, and where the person stopped
    Migration(
        "answer_history_and_position",
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
    ),
    # 2 -> 3: keep the number of answered items on the assessment, so listing thousands is quick
    Migration(
        "answered_count",
        [
            "ALTER TABLE assessments ADD COLUMN answered INTEGER NOT NULL DEFAULT 0",
            """UPDATE assessments SET answered =
            (SELECT count(*) FROM answers x WHERE x.assessment_id = assessments.id AND x.value_json IS NOT NULL)""",
            "CREATE INDEX assessments_updated ON assessments(updated_at, id)",
        ],
    ),
    # 3 -> 4: stable ids. People are matched by a normalised name key (NFC, case-folded,
    # spaces collapsed), and every person, assessment and history entry gets a UUID.
    Migration(
        "uuids_and_name_keys",
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
    ),
    # 4 -> 5: what was typed but not yet entered (a draft survives a crash like a note does);
    # changes made to a finished visit marked as amendments; the files safehome wrote for an
    # assessment, with their hash, so they can be shown out of date and removed with the person
    Migration(
        "drafts_amendments_written_files",
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
    ),
    # 5 -> 6: the language of an assessment's documents (an English-speaking OT may visit a
    # French-speaking family); NULL for earlier ones: the language in use when they are written
    Migration(
        "document_language",
        [
            "ALTER TABLE assessments ADD COLUMN language TEXT",
        ],
    ),
    # 6 -> 7: the clinic sync (see safehome.sync). What changed here since the last push is
    # known from a revision counter (bumped by triggers, so no write path can forget it) and an
    # unpushed mark on history entries; the server's order of each entry is kept; a deleted
    # person leaves a tombstone (the UUID only) to spread the deletion.
    Migration(
        "clinic_sync",
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
    ),
    # 7 -> 8: photos on items, cleaned (safehome.exchange.images) and kept here, never synced;
    # they go with the visit (and so with the person). AUTOINCREMENT: a removed photo's number is
    # never given to another (a stale 'photo remove 1 7' must not find someone else's photo)
    Migration(
        "photos_on_items",
        [
            """CREATE TABLE photos (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
            item_id TEXT NOT NULL,
            uuid TEXT NOT NULL UNIQUE,
            jpeg BLOB NOT NULL,
            width INTEGER NOT NULL,
            height INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            caption TEXT,
            added_at TEXT NOT NULL
        )""",
            "CREATE INDEX photos_assessment ON photos(assessment_id, id)",
        ],
    ),
    # 8 -> 9: the laptop's audit log (PHIPA: who viewed, changed or disclosed a record, and when):
    # append-only (triggers refuse an UPDATE of what happened and any DELETE), ids only, never a
    # person's name; 'pushed' is the one column a sync may set, when the server has the event
    Migration(
        "audit_log",
        [
            """CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            uuid TEXT NOT NULL UNIQUE,
            at TEXT NOT NULL,
            os_user TEXT NOT NULL,
            clinician TEXT,
            action TEXT NOT NULL CHECK (action IN ('opened', 'changed', 'amended', 'wrote', 'exported',
                'imported', 'deleted', 'synced', 'purged')),
            person_uuid TEXT,
            person_id INTEGER,
            assessment_uuid TEXT,
            assessment_id INTEGER,
            pushed INTEGER NOT NULL DEFAULT 0
        )""",
            "CREATE INDEX audit_log_person ON audit_log(person_id, id)",
            "CREATE INDEX audit_log_visit ON audit_log(assessment_id, action, id)",
            "CREATE INDEX audit_log_unpushed ON audit_log(id) WHERE pushed = 0",
            """CREATE TRIGGER audit_log_kept BEFORE UPDATE OF id, uuid, at, os_user, clinician, action,
               person_uuid, person_id, assessment_uuid, assessment_id ON audit_log
           BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
            """CREATE TRIGGER audit_log_never_deleted BEFORE DELETE ON audit_log
           BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
        ],
    ),
]
SCHEMA_VERSION = len(MIGRATIONS)
