"""The assessment store: every answer saved the moment it is given, nothing silently lost.

SQLite stays inside ``safehome.storage`` (this module, its schema and its transaction) and the
laptop half of the clinic sync (``safehome.sync.laptop``); everyone else sees :class:`Store`'s
methods, the records of ``safehome.core.records`` and :class:`StoreError`, never an SQLite error.

- One SQLite file in the user's data folder (0700), the file itself 0600; WAL mode,
  foreign keys on, ``synchronous=FULL`` so a committed answer survives a crash.
- ``PRAGMA user_version`` holds the schema version; the named steps of
  :data:`safehome.storage.schema.MIGRATIONS` take a database from any earlier version to the
  current one, in one transaction each.
- Every change to an answer is also appended to ``answer_history`` (old and new value),
  so a mistaken overwrite can be undone.
- A file that is not a safehome database is never written to: opening it raises
  :class:`StoreError` naming the file.
- ``secure_delete`` is on, and deleting a person ends with a checkpoint and VACUUM, so
  their data does not linger in free pages or the WAL.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from datetime import date
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from safehome.core.records import Change, Conflict, Person, Stored, Summary, Written
from safehome.core.terms import Status
from safehome.i18n.words import LANGUAGES, Language, t
from safehome.storage.schema import DB_NAME, SCHEMA_VERSION, name_key, new_uuid
from safehome.storage.errors import StoreError
from safehome.storage.connection import reads, utc_now
from safehome.storage.ids import fresh_id, keep_floors
from safehome.storage.photos import NewPhoto, PhotoShelf
from safehome.storage.written import WrittenFiles

if TYPE_CHECKING:  # the models (pydantic) are imported only when an assessment is read or written
    from safehome.core.models import Assessment
    from safehome.core.profile import Profile

__all__ = ["DB_NAME", "SCHEMA_VERSION", "Store", "StoreError", "database_path", "open_store", "utc_now"]

# the columns of a Summary, in its order (one list for every query that makes them)
SUMMARY = """a.id, p.id, p.name, a.checklist_id, a.checklist_version, a.mode, a.status, a.assessed_on,
             a.answered, a.updated_at, a.owner"""


def dump_value(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def load_value(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _items(text: str) -> tuple[str, ...]:
    """A conflict's question ids, as kept (a JSON list)."""
    try:
        found = json.loads(text)
    except ValueError:
        return ()
    return tuple(str(i) for i in found) if isinstance(found, list) else ()


class Store(PhotoShelf, WrittenFiles):
    """One SQLite store. Use :func:`open_store` to get one; close it (or use ``with``)."""

    # -- the interface

    def create(
        self,
        assessment: Assessment,
        *,
        status: Status = "in-progress",
        person_id: int | None = None,
        new_person: bool = False,
        photos: tuple[tuple[NewPhoto, ...], int] | None = None,
    ) -> int:
        """Store a new assessment (with any answers it already has); return its id.

        ``photos`` (the cleaned photos, and how many a visit may hold) are kept in the same
        transaction: the visit is stored with all of them or not at all.

        The assessment belongs to ``person_id`` when given; otherwise to the person whose
        name matches (:func:`safehome.core.models.person_key`), the earliest if several do;
        otherwise, or with ``new_person``, to a new person.
        """
        now = self.now()
        with self.transaction():
            name = assessment.profile.name
            person = person_id
            if person is not None:
                if self.conn.execute("SELECT 1 FROM people WHERE id = ?", (person,)).fetchone() is None:
                    raise StoreError(t("store.no_person", id=person, path=self.path))
            elif not new_person:
                row = self.conn.execute(
                    "SELECT id FROM people WHERE name_key = ? ORDER BY id LIMIT 1", (name_key(name),)
                ).fetchone()
                person = row[0] if row else None
            if person is None:
                person = self.conn.execute(
                    "INSERT INTO people (id, name, name_key, uuid, created_at) VALUES (?, ?, ?, ?, ?)",
                    (fresh_id(self.conn, "people"), name, name_key(name), new_uuid(), now),
                ).lastrowid
            aid = self.conn.execute(
                """INSERT INTO assessments (id, person_id, checklist_id, checklist_version, mode, status,
                       assessed_on, profile_json, created_at, updated_at, uuid, language)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    fresh_id(self.conn, "assessments"),
                    person,
                    assessment.checklist_id,
                    assessment.checklist_version,
                    assessment.mode,
                    status,
                    assessment.assessed_on.isoformat(),
                    assessment.profile.model_dump_json(),
                    now,
                    now,
                    new_uuid(),
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
                    (aid, item_id, dump_value(answer.value), answer.note, now),
                )
                self.conn.execute(
                    """INSERT INTO answer_history (assessment_id, item_id, old_value_json, new_value_json,
                           old_note, new_note, changed_at, uuid) VALUES (?, ?, NULL, ?, NULL, ?, ?, ?)""",
                    (aid, item_id, dump_value(answer.value), answer.note, now, new_uuid()),
                )
            self.conn.execute("UPDATE assessments SET answered = ? WHERE id = ?", (answered, aid))
            if photos is not None:
                assert aid is not None
                self._insert_photos(int(aid), photos[0], photos[1])
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
        now = self.now()
        with self.transaction():
            row = self.conn.execute(
                "SELECT value_json, note FROM answers WHERE assessment_id = ? AND item_id = ?", (assessment_id, item_id)
            ).fetchone()
            new_value = dump_value(value)
            if row is not None and row[0] == new_value and row[1] == note:
                if position is not None:
                    self._touch(assessment_id, now, position)
                return False
            self.require(assessment_id)
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
                (assessment_id, item_id, old_value, new_value, old_note, note, now, new_uuid(), int(amendment)),
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

    def set_draft(self, assessment_id: int, item_id: str | None, text: str | None) -> None:
        """Keep (or with None, clear) what was typed for a question but not yet entered."""
        with self.transaction():
            self.conn.execute(
                "UPDATE assessments SET draft_item = ?, draft_text = ? WHERE id = ?",
                (item_id if text else None, text or None, assessment_id),
            )

    def set_position(self, assessment_id: int, item_id: str | None) -> None:
        with self.transaction():
            self.conn.execute("UPDATE assessments SET position = ? WHERE id = ?", (item_id, assessment_id))

    def update_profile(self, assessment_id: int, profile: Profile, assessed_on: date | None = None) -> None:
        """Replace the profile (the person's name may change: the person row follows)."""
        now = self.now()
        with self.transaction():
            self.require(assessment_id)
            fields = "profile_json = ?, updated_at = ?" + (", assessed_on = ?" if assessed_on else "")
            params: list[Any] = [profile.model_dump_json(), now] + ([assessed_on.isoformat()] if assessed_on else [])
            self.conn.execute(f"UPDATE assessments SET {fields} WHERE id = ?", (*params, assessment_id))
            person = self.conn.execute("SELECT person_id FROM assessments WHERE id = ?", (assessment_id,)).fetchone()[0]
            self.conn.execute(
                "UPDATE people SET name = ?, name_key = ? WHERE id = ?", (profile.name, name_key(profile.name), person)
            )

    @reads
    def uuid_of(self, assessment_id: int) -> str:
        """The assessment's own UUID (the same on every machine it is synced to)."""
        row = self.conn.execute("SELECT uuid FROM assessments WHERE id = ?", (assessment_id,)).fetchone()
        if row is None:
            raise StoreError(t("store.no_assessment", id=assessment_id, path=self.path))
        return str(row[0])

    def set_language(self, assessment_id: int, language: Language | None) -> None:
        """The language this assessment's handout and summary are written in."""
        with self.transaction():
            self.require(assessment_id)
            self.conn.execute(
                "UPDATE assessments SET language = ?, updated_at = ? WHERE id = ?",
                (language, self.now(), assessment_id),
            )

    def set_status(self, assessment_id: int, status: Status) -> None:
        with self.transaction():
            self.require(assessment_id)
            self.conn.execute(
                "UPDATE assessments SET status = ?, updated_at = ? WHERE id = ?", (status, self.now(), assessment_id)
            )

    @reads
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
        from safehome.core.models import Answer, Assessment
        from safehome.core.profile import Profile

        try:
            answers = {
                item_id: Answer(value=load_value(value), note=note)
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
        except ValueError as exc:  # a row changed outside safehome (or by a fault): named, never a traceback
            first = str(exc).splitlines()[0][:160]
            raise StoreError(t("store.damaged_assessment", id=assessment_id, path=self.path, reason=first)) from None
        draft = (row[10], row[11]) if row[10] and row[11] else None
        return Stored(row[0], row[4], row[7], row[8], row[9], assessment, draft)

    @reads
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

    @reads
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

    @reads
    def by_uuid(self, uuids: list[str]) -> list[Summary]:
        """The list lines of these assessments (given by their UUIDs), oldest first."""
        marks = ",".join("?" * len(uuids))
        rows = self.conn.execute(
            f"""SELECT {SUMMARY} FROM assessments a JOIN people p ON p.id = a.person_id WHERE a.uuid IN ({marks})
                ORDER BY a.assessed_on, a.id""",
            uuids,
        )
        return [Summary(*row) for row in rows]

    @reads
    def profiles(self, ids: list[int]) -> dict[int, Profile]:
        """The profiles of these assessments (to count the questions each person is asked)."""
        from safehome.core.profile import Profile

        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(f"SELECT id, profile_json FROM assessments WHERE id IN ({marks})", ids)
        return {aid: Profile.model_validate_json(text) for aid, text in rows}

    @reads
    def people(self, *, name: str | None = None) -> list[Person]:
        """Everyone in the store (or those whose name matches ``name``), by name."""
        sql = """SELECT p.id, p.uuid, p.name, count(a.id), max(a.assessed_on)
                 FROM people p LEFT JOIN assessments a ON a.person_id = p.id"""
        params: list[Any] = []
        if name is not None:
            sql += " WHERE p.name_key = ?"
            params.append(name_key(name))
        sql += " GROUP BY p.id ORDER BY p.name_key, p.id"
        return [Person(*row) for row in self.conn.execute(sql, params)]

    @reads
    def person_of(self, assessment_id: int) -> int | None:
        """The person id an assessment belongs to (None when there is no such assessment)."""
        row = self.conn.execute("SELECT person_id FROM assessments WHERE id = ?", (assessment_id,)).fetchone()
        return int(row[0]) if row else None

    @reads
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

    @reads
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

    @reads
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
            Change(i, load_value(ov), load_value(nv), on, nn, at, bool(am), au)
            for i, ov, nv, on, nn, at, am, au in self.conn.execute(sql + order, params)
        ]

    def undo_last_change(self, assessment_id: int, item_id: str) -> bool:
        """Put back the value an answer had before its last change (recorded as a change too)."""
        changes = self.history(assessment_id, item_id)
        if not changes:
            return False
        last = changes[-1]
        return self.save_answer(assessment_id, item_id, last.old_value, last.old_note)

    def delete_person(self, person_id: int, remove_files: Callable[[list[Written]], None] | None = None) -> int:
        """Remove a person and everything about them; return how many assessments went.

        ``remove_files`` is given the files written for them and removes them inside the same
        transaction, under the write lock that a file being written for them must take too: a file
        written in a race with the deletion is either removed with the rest or never made.
        Deleted rows are zeroed (secure_delete), then the WAL is emptied and the file
        rebuilt, so nothing of the person remains in the database's bytes.
        """
        with self.transaction():
            person = self.person(person_id)
            if remove_files is not None:
                remove_files(self._person_files(person_id))
            count = int(
                self.conn.execute("SELECT count(*) FROM assessments WHERE person_id = ?", (person_id,)).fetchone()[0]
            )
            self.conn.execute(
                "DELETE FROM conflicts WHERE assessment_uuid IN (SELECT uuid FROM assessments WHERE person_id = ?)",
                (person_id,),
            )
            self._record_event("deleted", person_id=person_id)  # ids only: the name goes with the rows
            keep_floors(self.conn)  # their ids are never another person's
            self.conn.execute("DELETE FROM people WHERE id = ?", (person_id,))  # a trigger leaves the tombstone
            self.conn.execute("UPDATE tombstones SET applied = 1 WHERE uuid = ?", (person.uuid,))
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.execute("VACUUM")
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return count

    # -- the clinic sync's state on this laptop (what is sent and taken in: safehome.sync.laptop)

    @reads
    def sync_value(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_sync_values(self, **values: str) -> None:
        with self.transaction():
            self.conn.executemany(
                """INSERT INTO sync_state (key, value) VALUES (?, ?)
                   ON CONFLICT (key) DO UPDATE SET value = excluded.value""",
                list(values.items()),
            )

    def secret(self) -> str:
        """A random value known to this store alone (it makes ids nobody else can predict)."""
        found = self.sync_value("secret")
        if found is None:
            with self.transaction():
                self.conn.execute(
                    "INSERT OR IGNORE INTO sync_state (key, value) VALUES ('secret', ?)", (secrets.token_hex(16),)
                )
            found = self.sync_value("secret") or ""
        return found

    def device(self) -> str:
        """This store's own UUID: the server tells its changes from other laptops' by it."""
        found = self.sync_value("device")
        if found is None:
            found = new_uuid()
            with self.transaction():
                self.conn.execute("INSERT OR IGNORE INTO sync_state (key, value) VALUES ('device', ?)", (found,))
            found = self.sync_value("device") or found
        return found

    @reads
    def pending_deletions(self) -> list[int]:
        """People deleted on another laptop (their tombstone came in) who are still here."""
        rows = self.conn.execute(
            "SELECT p.id FROM tombstones t JOIN people p ON p.uuid = t.uuid WHERE t.applied = 0 ORDER BY p.id"
        )
        return [int(pid) for (pid,) in rows]

    def deletions_applied(self) -> None:
        with self.transaction():
            self.conn.execute(
                "UPDATE tombstones SET applied = 1 WHERE applied = 0 AND uuid NOT IN (SELECT uuid FROM people)"
            )

    @reads
    def unsent(self) -> int:
        """How many assessments (and deletions) changed here have not reached the clinic yet."""
        return int(
            self.conn.execute(
                """SELECT (SELECT count(*) FROM assessments a WHERE a.rev > a.pushed_rev
                              OR EXISTS (SELECT 1 FROM answer_history h WHERE h.assessment_id = a.id AND h.pushed = 0))
                        + (SELECT count(*) FROM tombstones WHERE pushed = 0)"""
            ).fetchone()[0]
        )

    @reads
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

    def confirm_conflicts(self, assessment_id: int) -> int:
        """The clinician has checked the answers of an assessment changed on two laptops."""
        with self.transaction():
            self.require(assessment_id)
            return self.conn.execute(
                """UPDATE conflicts SET confirmed_at = ?, pushed = 0 WHERE confirmed_at IS NULL
                   AND assessment_uuid = (SELECT uuid FROM assessments WHERE id = ?)""",
                (self.now(), assessment_id),
            ).rowcount


def database_path(data_dir: Path) -> Path:
    return data_dir / DB_NAME


def open_store(data_dir: str | os.PathLike[str] | None = None, **kwargs: Any) -> Store:
    """Open (creating if needed) the store in the data folder."""
    from safehome.storage.paths import data_dir as resolve

    folder = resolve(data_dir, create=False)
    if folder.exists() and not folder.is_dir():
        raise StoreError(t("store.data_dir_is_file", path=folder))
    return Store(database_path(resolve(data_dir)), **kwargs)
