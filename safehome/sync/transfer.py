"""The clinic sync itself: push what changed on this laptop, then pull what changed at the clinic.

The server's half of the protocol (PostgreSQL: staging tables, COPY, the clinic's lock, conflicts);
the laptop's half is ``safehome.sync.laptop`` and the rows both pass are ``safehome.sync.rows``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import errors

from safehome.i18n.words import t
from safehome.storage.store import Store
from safehome.sync import laptop, server
from safehome.sync.rows import (
    Incoming,
    InAssessment,
    InChange,
    InConflict,
    InPerson,
    OutAssessment,
    OutChange,
    Outgoing,
    OutPerson,
    columns,
)
from safehome.sync.server import ClinicError, Server, _reason, describe, same_schema, where


@dataclass(slots=True)
class Synced:
    """What one sync did."""

    sent_assessments: int = 0
    sent_changes: int = 0
    sent_deletions: int = 0
    received_assessments: int = 0
    received_changes: int = 0
    refused: list[str] = field(default_factory=list)  # assessment UUIDs the server would not take from us
    not_confirmed: int = 0  # confirmations the server would not take (someone else's visit)
    not_renamed: dict[str, str] = field(default_factory=dict)  # person UUID -> the clinic's name, kept
    sent_events: int = 0  # audit events this laptop sent
    server: Server | None = None


STAGING = [
    "CREATE TEMP TABLE IF NOT EXISTS in_people (uuid uuid, name text, name_key text, created_at text) "
    "ON COMMIT DELETE ROWS",
    """CREATE TEMP TABLE IF NOT EXISTS in_assessments (uuid uuid, person_uuid uuid, checklist_id text,
         checklist_version text, mode text, status text, assessed_on text, profile_json text, language text,
         created_at text, updated_at text) ON COMMIT DELETE ROWS""",
    """CREATE TEMP TABLE IF NOT EXISTS in_history (ord bigint, uuid uuid, assessment_uuid uuid, item_id text,
         old_value_json text, new_value_json text, old_note text, new_note text, changed_at text, amendment boolean)
         ON COMMIT DELETE ROWS""",
]


def _copy(cur: psycopg.Cursor[Any], table: str, columns: str, rows: Iterator[tuple[Any, ...]]) -> None:
    with cur.copy(f"COPY pg_temp.{table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _push(conn: psycopg.Connection[Any], store: Store, device: str, cursor: int, result: Synced) -> None:
    out = laptop.outgoing(store)
    if not out:
        return
    changed = sorted(out.changed())
    orders: dict[str, int] = {}
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(f"SET LOCAL lock_timeout = '{server.LOCK_WAIT}'")  # a sync never waits for ever behind another
        cur.execute("SELECT safehome.take_turn_now()")
        cur.execute("SET LOCAL work_mem = '64MB'")  # the history is sorted into the order it was made
        # someone else's visits this role may not write: kept here, and named (the server would refuse them)
        refused = {
            u
            for (u,) in cur.execute(
                """SELECT uuid::text FROM safehome.assessments
                   WHERE uuid = ANY(%s::uuid[]) AND NOT safehome.may_write(owner)""",
                (changed,),
            )
        }
        result.refused = sorted(refused)
        _record_conflicts(cur, out, refused, device, cursor, store.secret())
        for statement in STAGING:
            cur.execute(statement)
        _copy(cur, "in_people", columns(OutPerson, skip=2), (r[2:] for r in out.people))
        # new people first; a rename waits until this push's visits are in, so that a clinician's
        # first visit of someone lets them correct the name (the server's row policy, step 2)
        cur.execute(
            """INSERT INTO safehome.people (uuid, name, name_key, created_at, device)
               SELECT uuid, name, name_key, created_at, %s FROM pg_temp.in_people
               ON CONFLICT (uuid) DO NOTHING""",
            (device,),
        )
        _copy(
            cur,
            "in_assessments",
            columns(OutAssessment, skip=2),
            (r[2:] for r in out.assessments if r.uuid not in refused),
        )
        cur.execute(
            """INSERT INTO safehome.assessments (uuid, person_uuid, checklist_id, checklist_version, mode, status,
                   assessed_on, profile_json, language, created_at, updated_at, device)
               SELECT uuid, person_uuid, checklist_id, checklist_version, mode, status, assessed_on, profile_json,
                      language, created_at, updated_at, %s
               FROM pg_temp.in_assessments s
               WHERE EXISTS (SELECT 1 FROM safehome.people p WHERE p.uuid = s.person_uuid)
               ON CONFLICT (uuid) DO UPDATE SET person_uuid = EXCLUDED.person_uuid,
                   checklist_id = EXCLUDED.checklist_id, checklist_version = EXCLUDED.checklist_version,
                   mode = EXCLUDED.mode, status = EXCLUDED.status, assessed_on = EXCLUDED.assessed_on,
                   profile_json = EXCLUDED.profile_json, updated_at = EXCLUDED.updated_at, device = EXCLUDED.device
               WHERE (assessments.person_uuid, assessments.checklist_id, assessments.checklist_version,
                      assessments.mode, assessments.status, assessments.assessed_on, assessments.profile_json)
                 IS DISTINCT FROM (EXCLUDED.person_uuid, EXCLUDED.checklist_id, EXCLUDED.checklist_version,
                      EXCLUDED.mode, EXCLUDED.status, EXCLUDED.assessed_on, EXCLUDED.profile_json)""",
            (device,),
        )
        result.sent_assessments = len(set(changed) - refused)
        cur.execute(
            """SELECT i.uuid::text FROM pg_temp.in_people i JOIN safehome.people p ON p.uuid = i.uuid
               WHERE (p.name, p.name_key) IS DISTINCT FROM (i.name, i.name_key)"""
        )
        renames = {u for (u,) in cur.fetchall()}
        # a row the policy does not let this role rename is not touched (no error): it is said, and the
        # clinic's name comes back to this laptop
        cur.execute(
            """UPDATE safehome.people p SET name = i.name, name_key = i.name_key, device = %s
               FROM pg_temp.in_people i
               WHERE p.uuid = i.uuid AND (p.name, p.name_key) IS DISTINCT FROM (i.name, i.name_key)
               RETURNING p.uuid::text""",
            (device,),
        )
        not_renamed = sorted(renames - {u for (u,) in cur.fetchall()})
        if not_renamed:
            cur.execute("SELECT uuid::text, name FROM safehome.people WHERE uuid = ANY(%s::uuid[])", (not_renamed,))
            result.not_renamed = dict(cur.fetchall())
        history = [r for r in out.history if r.assessment_uuid not in refused]
        _copy(
            cur,
            "in_history",
            "ord, " + columns(OutChange, skip=1),  # the laptop's row id keeps the order the changes were made in
            ((*r[:-1], bool(r.amendment)) for r in history),
        )
        cur.execute(
            """INSERT INTO safehome.answer_history (uuid, assessment_uuid, item_id, old_value_json, new_value_json,
                   old_note, new_note, changed_at, amendment, device)
               SELECT uuid, assessment_uuid, item_id, old_value_json, new_value_json, old_note, new_note, changed_at,
                      amendment, %s
               FROM pg_temp.in_history s
               WHERE EXISTS (SELECT 1 FROM safehome.assessments a WHERE a.uuid = s.assessment_uuid)
                 AND NOT EXISTS (SELECT 1 FROM safehome.answer_history x WHERE x.uuid = s.uuid)
               ORDER BY ord
               RETURNING uuid::text, seq""",
            (device,),
        )
        orders = {u: int(seq) for u, seq in cur.fetchall()}
        result.sent_changes = len(orders)
        missing = [r.uuid for r in history if r.uuid not in orders]
        if missing:  # sent by a push that was cut after the server had it
            cur.execute("SELECT uuid::text, seq FROM safehome.answer_history WHERE uuid = ANY(%s::uuid[])", (missing,))
            orders.update({u: int(seq) for u, seq in cur.fetchall()})
        if out.tombstones:
            cur.execute(
                """INSERT INTO safehome.tombstones (person_uuid) SELECT u FROM unnest(%s::uuid[]) AS u
                   ON CONFLICT DO NOTHING""",
                (out.tombstones,),
            )
            result.sent_deletions = len(out.tombstones)
        taken: set[str] = set()
        if out.confirmed:
            # a conflict on a visit this role may not write stays open (the server's row policy)
            cur.execute(
                """UPDATE safehome.conflicts SET confirmed_at = %s WHERE uuid = ANY(%s::uuid[])
                   RETURNING uuid::text""",
                (_now(), [c.uuid for c in out.confirmed]),
            )
            taken = {u for (u,) in cur.fetchall()}
            result.not_confirmed = len(out.confirmed) - len(taken)
    laptop.mark_pushed(store, out, orders, refused, confirmed=taken, names=result.not_renamed)


def _record_conflicts(
    cur: psycopg.Cursor[Any], out: Outgoing, refused: set[str], device: str, cursor: int, secret: str
) -> None:
    """Assessments changed here and, since this laptop last heard from the server, on another one."""
    mine: dict[str, set[str]] = {}
    for row in out.history:
        mine.setdefault(row.assessment_uuid, set()).add(row.item_id)
    details = {row.uuid for row in out.assessments}
    for u in details:
        mine.setdefault(u, set()).add("")  # "" stands for the assessment's details (profile, status, date)
    wanted = sorted(set(mine) - refused)
    if not wanted:
        return
    theirs: dict[str, set[str]] = {}
    rows = cur.execute(
        """SELECT assessment_uuid::text, item_id FROM safehome.answer_history
           WHERE assessment_uuid = ANY(%s::uuid[]) AND seq > %s
             AND NOT (device = %s::uuid AND author = session_user) IS TRUE
           UNION SELECT uuid::text, '' FROM safehome.assessments
           WHERE uuid = ANY(%s::uuid[]) AND seq > %s
             AND NOT (device = %s::uuid AND changed_by = session_user) IS TRUE""",
        (wanted, cursor, device, sorted(details - refused), cursor, device),
    ).fetchall()
    for u, item in rows:
        theirs.setdefault(u, set()).add(item)
    # the same finding made again by a push that was cut after the server had it is the same row;
    # the laptop's own secret in it, so that nobody else can take that id first
    found = [
        (
            str(uuid.uuid5(uuid.NAMESPACE_URL, f"{secret}:{u}:{cursor}")),
            u,
            json.dumps(sorted(mine[u] & theirs[u])),
            _now(),
        )
        for u in sorted(theirs)
    ]
    if found:
        cur.executemany(
            """INSERT INTO safehome.conflicts (uuid, assessment_uuid, items, found_at) VALUES (%s, %s, %s, %s)
               ON CONFLICT (uuid) DO NOTHING""",
            found,
        )


def _now() -> str:
    from safehome.storage.store import utc_now

    return utc_now().isoformat(timespec="microseconds")


def _pull(
    conn: psycopg.Connection[Any], store: Store, device: str, cursor: int, result: Synced, *, full: bool = False
) -> list[int]:
    """Everything above the cursor but what this laptop wrote itself (it has that already): rows
    from this device *and* this login role, so another role cannot hide a change by claiming
    this device's id. ``full``: everything, this laptop's own rows included (after the data
    folder was restored from a backup)."""
    conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    conn.read_only = True
    try:
        with conn.transaction(), conn.cursor() as cur:
            # and the details of assessments whose refused changes were dropped here (discard_unsent)
            again = json.loads(store.sync_value("refetch") or "[]")
            args = {"c": cursor, "d": None if full else device, "again": again}
            people = cur.execute(
                f"""SELECT uuid::text, {columns(InPerson, skip=1)} FROM safehome.people
                   WHERE seq > %(c)s AND NOT (device = %(d)s::uuid AND changed_by = session_user) IS TRUE
                   ORDER BY seq""",
                args,
            ).fetchall()
            assessments = cur.execute(
                """SELECT uuid::text, person_uuid::text, checklist_id, checklist_version, mode, status, assessed_on,
                          profile_json, language, created_at, updated_at, owner::text
                   FROM safehome.assessments
                   WHERE (seq > %(c)s AND NOT (device = %(d)s::uuid AND changed_by = session_user) IS TRUE)
                      OR uuid = ANY(%(again)s::uuid[])
                   ORDER BY seq""",
                args,
            ).fetchall()
            history = cur.execute(
                """SELECT uuid::text, assessment_uuid::text, item_id, old_value_json, new_value_json, old_note,
                          new_note, changed_at, amendment, author::text, seq
                   FROM safehome.answer_history
                   WHERE seq > %(c)s AND NOT (device = %(d)s::uuid AND author = session_user) IS TRUE
                   ORDER BY seq""",
                args,
            ).fetchall()
            tombstones = [
                u for (u,) in cur.execute("SELECT person_uuid::text FROM safehome.tombstones WHERE seq > %(c)s", args)
            ]
            conflicts = cur.execute(
                """SELECT uuid::text, assessment_uuid::text, items, found_at, found_by::text, confirmed_at,
                          confirmed_by::text FROM safehome.conflicts WHERE seq > %(c)s""",
                args,
            ).fetchall()
            top = cur.execute(
                """SELECT greatest(%(c)s, (SELECT max(seq) FROM safehome.people),
                       (SELECT max(seq) FROM safehome.assessments),
                       (SELECT max(seq) FROM safehome.answer_history), (SELECT max(seq) FROM safehome.tombstones),
                       (SELECT max(seq) FROM safehome.conflicts))""",
                args,
            ).fetchone()
    finally:
        conn.isolation_level = None
        conn.read_only = None
    incoming = Incoming(
        [InPerson._make(r) for r in people],
        [InAssessment._make(r) for r in assessments],
        [InChange._make(r) for r in history],
        tombstones,
        [InConflict._make(r) for r in conflicts],
        int(top[0]) if top else cursor,
    )
    received = {row.uuid for row in incoming.assessments} | {row.assessment_uuid for row in incoming.history}
    result.received_assessments = len(received)
    result.received_changes = len(history)
    return laptop.apply(store, incoming)


def sync(conn: psycopg.Connection[Any], store: Store, *, full: bool = False) -> tuple[Synced, list[int]]:
    """Push what changed here, then pull what changed at the clinic; return what was done and the
    people to forget here (deleted elsewhere: the caller removes their files too)."""
    try:
        return _sync(conn, store, full)
    except errors.LockNotAvailable:
        raise ClinicError(t("clinic.busy", server=where(conn.info.dsn))) from None
    except errors.InsufficientPrivilege as exc:
        raise ClinicError(t("clinic.refused", reason=_reason(exc))) from None
    except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
        raise ClinicError(t("clinic.cut", server=where(conn.info.dsn), reason=_reason(exc))) from None


def _sync(conn: psycopg.Connection[Any], store: Store, full: bool) -> tuple[Synced, list[int]]:
    result = Synced()
    server = describe(conn)
    result.server = server
    same_schema(server)
    known = store.sync_value("clinic")
    if known is not None and known != server.clinic_id:  # never one clinic's people to another's server
        raise ClinicError(t("clinic.other_clinic", server=server.where))
    store.set_sync_values(clinic=server.clinic_id, role=server.role)
    device = store.device()
    cursor = 0 if full else int(store.sync_value("cursor") or 0)
    _push(conn, store, device, int(store.sync_value("cursor") or 0), result)
    forget = _pull(conn, store, device, cursor, result, full=full)
    result.sent_events = _push_events(conn, store, device)
    store.set_sync_values(synced_at=_now())
    return result, forget


def _push_events(conn: psycopg.Connection[Any], store: Store, device: str) -> int:
    """This laptop's audit events, to the server's table of laptop claims (ids only); each sent once:
    marked here once the server has committed them, and sent again harmlessly after a cut."""
    sent = 0
    while rows := store.unsent_events():
        events = [
            {"uuid": u, "at": at, "action": action, "person_uuid": person, "assessment_uuid": visit, "device": device}
            for _, u, at, action, person, visit in rows
        ]
        with conn.transaction():
            conn.execute("SELECT safehome.add_laptop_events(%s::jsonb)", (json.dumps(events),))
        store.events_sent([row[0] for row in rows])
        sent += len(rows)
    return sent
