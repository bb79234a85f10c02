"""The laptop's audit log: one row for each time a record was opened, changed, amended, written to a
PDF or letter, exported, imported, deleted, synced or purged; who (the operating-system user, and
the clinician named on the visit), which person and visit (ids only), when. Append-only: the
schema's triggers refuse to change or delete a row, so no face can rewrite what happened."""

from __future__ import annotations

import getpass
import json
from datetime import datetime, timedelta

from safehome.core.records import AuditEvent
from safehome.core.terms import clinician_named
from safehome.storage.connection import Connection, reads
from safehome.storage.schema import new_uuid

ACTIONS = ("opened", "changed", "amended", "wrote", "exported", "imported", "deleted", "synced", "purged")
# the same person at the same visit opening or changing it again within this many minutes is one
# sitting, recorded once (a web page asks for the visit at every answer); a document written,
# an export or an import is always recorded (a safehome rule)
SITTING = ("opened", "changed", "amended")
SITTING_MINUTES = 30


def _clinician(profile_json: str) -> str | None:
    try:
        fields = json.loads(profile_json)
    except ValueError:
        return None
    if not isinstance(fields, dict):
        return None
    return clinician_named(fields.get("visit_clinician"), fields.get("completed_by"), fields.get("completed_role"))


def os_user() -> str:
    """Who is logged in to this computer (their login name, never a password); "unknown" when the
    system cannot say."""
    try:
        return getpass.getuser()[:120] or "unknown"
    except (OSError, KeyError, ImportError):
        return "unknown"


class AuditTrail(Connection):
    """The store's audit methods (mixed into :class:`~safehome.storage.store.Store`)."""

    def _record_event(self, action: str, *, assessment_id: int | None = None, person_id: int | None = None) -> None:
        """Inside a transaction: one event, its person, visit and the visit's clinician found from the ids."""
        assert action in ACTIONS, action
        if action in SITTING and assessment_id is not None and self._same_sitting(action, assessment_id):
            return
        person_uuid = assessment_uuid = clinician = None
        if assessment_id is not None:
            row = self.conn.execute(
                """SELECT a.uuid, p.id, p.uuid, a.profile_json FROM assessments a JOIN people p ON p.id = a.person_id
                   WHERE a.id = ?""",
                (assessment_id,),
            ).fetchone()
            if row is not None:
                assessment_uuid, person_id, person_uuid, profile_json = row
                clinician = _clinician(profile_json)  # as the visit's profile names them
        elif person_id is not None:
            row = self.conn.execute("SELECT uuid FROM people WHERE id = ?", (person_id,)).fetchone()
            person_uuid = row[0] if row else None
        self.conn.execute(
            """INSERT INTO audit_log (uuid, at, os_user, clinician, action, person_uuid, person_id,
                   assessment_uuid, assessment_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                new_uuid(),
                self.now(),
                os_user(),
                clinician,
                action,
                person_uuid,
                person_id,
                assessment_uuid,
                assessment_id,
            ),
        )

    @reads
    def _same_sitting(self, action: str, assessment_id: int) -> bool:
        row = self.conn.execute(
            "SELECT at, os_user FROM audit_log WHERE assessment_id = ? AND action = ? ORDER BY id DESC LIMIT 1",
            (assessment_id, action),
        ).fetchone()
        if row is None or row[1] != os_user():
            return False
        try:
            then = datetime.fromisoformat(row[0])
            return timedelta(0) <= self._clock() - then < timedelta(minutes=SITTING_MINUTES)
        except (TypeError, ValueError):
            return False

    def record_event(self, action: str, *, assessment_id: int | None = None, person_id: int | None = None) -> None:
        """Append one event to the audit log (in a transaction of its own; a repeat in the same
        sitting is seen by a read, without taking the write lock)."""
        if action in SITTING and assessment_id is not None and self._same_sitting(action, assessment_id):
            return
        with self.transaction():
            self._record_event(action, assessment_id=assessment_id, person_id=person_id)

    @reads
    def events(self, *, person_id: int | None = None) -> list[AuditEvent]:
        """The audit log, oldest first (one person's events with ``person_id``)."""
        sql = """SELECT id, at, os_user, clinician, action, person_id, assessment_id, pushed FROM audit_log"""
        rows = (
            self.conn.execute(sql + " WHERE person_id = ? ORDER BY id", (person_id,))
            if person_id is not None
            else self.conn.execute(sql + " ORDER BY id")
        )
        return [AuditEvent(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7])) for r in rows]

    # -- the clinic sync: the events go to the server as this laptop's claims (safehome.sync.transfer)

    @reads
    def unsent_events(self, limit: int = 5000) -> list[tuple[int, str, str, str, str | None, str | None]]:
        """(id, uuid, at, action, person uuid, visit uuid) of the events the server does not have yet."""
        return self.conn.execute(
            """SELECT id, uuid, at, action, person_uuid, assessment_uuid FROM audit_log
               WHERE pushed = 0 ORDER BY id LIMIT ?""",
            (limit,),
        ).fetchall()

    def events_sent(self, ids: list[int]) -> None:
        """The server has these events (the one change the audit log allows)."""
        with self.transaction():
            self.conn.executemany("UPDATE audit_log SET pushed = 1 WHERE id = ?", [(i,) for i in ids])
