"""The laptop's half of the clinic sync: what changed here goes out, what the clinic has comes in.

It works on the laptop's SQLite store (through its connection and its transaction), so it is
the one module outside ``safehome.storage`` that writes SQL for SQLite. The server's half is
``safehome.sync.server``; the rows both halves pass are named in ``safehome.sync.rows``.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from datetime import date

from safehome.storage.ids import fresh_id
from safehome.storage.schema import name_key
from safehome.storage.store import Store, load_value
from safehome.sync.rows import Confirmed, Incoming, OutAssessment, OutChange, Outgoing, OutPerson


# What another laptop (or anyone with a clinician's role) put on the server is checked before it
# is taken in: what safehome could not have written is never let in to break this laptop.


def _readable(
    checklist: str, version: str, mode: str, status: str, on: str, profile: str, language: str | None
) -> bool:
    """A received assessment's details are ones safehome can read back."""
    from pydantic import ValidationError

    from safehome.core.models import Assessment
    from safehome.core.profile import Profile

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

    from safehome.core.profile import Profile

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


@functools.lru_cache(maxsize=4096)
def _value_ok(text: str | None) -> bool:
    from pydantic import ValidationError

    from safehome.core.models import Answer

    try:
        Answer(value=load_value(text))
    except (ValidationError, ValueError, TypeError, RecursionError):
        return False
    return True


def _note_ok(note: str | None) -> bool:
    from safehome.core.models import NOTE_LIMIT

    return note is None or (isinstance(note, str) and len(note) <= NOTE_LIMIT)


def outgoing(store: Store) -> Outgoing:
    """Everything changed here since the last push, read in one snapshot."""
    with store.transaction():  # one consistent read (and no writer between it and the revisions read)
        people = [
            OutPerson._make(r)
            for r in store.conn.execute(
                "SELECT id, rev, uuid, name, name_key, created_at FROM people WHERE rev > pushed_rev ORDER BY id"
            )
        ]
        assessments = [
            OutAssessment._make(r)
            for r in store.conn.execute(
                """SELECT a.id, a.rev, a.uuid, p.uuid, a.checklist_id, a.checklist_version, a.mode, a.status,
                          a.assessed_on, a.profile_json, a.language, a.created_at, a.updated_at
                   FROM assessments a JOIN people p ON p.id = a.person_id WHERE a.rev > a.pushed_rev
                   ORDER BY a.id"""
            )
        ]
        history = [
            OutChange._make(r)
            for r in store.conn.execute(
                """SELECT h.id, h.uuid, a.uuid, h.item_id, h.old_value_json, h.new_value_json, h.old_note,
                          h.new_note, h.changed_at, h.amendment
                   FROM answer_history h JOIN assessments a ON a.id = h.assessment_id
                   WHERE h.pushed = 0 ORDER BY h.id"""
            )
        ]
        tombstones = [u for (u,) in store.conn.execute("SELECT uuid FROM tombstones WHERE pushed = 0")]
        confirmed = [
            Confirmed._make(r)
            for r in store.conn.execute(
                "SELECT uuid, assessment_uuid FROM conflicts WHERE pushed = 0 AND confirmed_at IS NOT NULL"
            )
        ]
    return Outgoing(people, assessments, history, tombstones, confirmed)


def mark_pushed(
    store: Store,
    out: Outgoing,
    orders: dict[str, int],
    refused: set[str],
    confirmed: set[str] | None = None,
    names: dict[str, str] | None = None,
) -> None:
    """The server has these now (``orders``: each history entry's place in the server's order);
    the assessments in ``refused`` were not taken and stay to be sent; a confirmation not in
    ``confirmed`` was refused by the server, and the conflict is open here again; a rename the
    server refused (``names``: person UUID -> the clinic's name) gives way to the clinic's name."""
    taken = {c.uuid for c in out.confirmed} if confirmed is None else confirmed
    with store.transaction():
        store.conn.executemany(
            "UPDATE conflicts SET confirmed_at = NULL WHERE uuid = ?",
            [(c.uuid,) for c in out.confirmed if c.uuid not in taken],
        )
        store.conn.executemany(
            "UPDATE people SET pushed_rev = max(pushed_rev, ?) WHERE id = ?", [(r.rev, r.id) for r in out.people]
        )
        store.conn.executemany(
            "UPDATE people SET name = ?, name_key = ? WHERE uuid = ?",
            [(name, name_key(name), uuid_) for uuid_, name in (names or {}).items() if _person_name(name)],
        )
        store.conn.executemany(
            "UPDATE assessments SET pushed_rev = max(pushed_rev, ?) WHERE id = ?",
            [(r.rev, r.id) for r in out.assessments if r.uuid not in refused],
        )
        # one UPDATE from a temporary table: tens of thousands of entries after a first sync
        store.conn.execute("CREATE TEMP TABLE IF NOT EXISTS pushed_now (id INTEGER PRIMARY KEY, seq INTEGER)")
        store.conn.execute("DELETE FROM pushed_now")
        store.conn.executemany(
            "INSERT INTO pushed_now (id, seq) VALUES (?, ?)",
            [(r.id, orders.get(r.uuid)) for r in out.history if r.assessment_uuid not in refused],
        )
        store.conn.execute(
            """UPDATE answer_history SET pushed = 1, server_seq = pushed_now.seq
               FROM pushed_now WHERE answer_history.id = pushed_now.id"""
        )
        store.conn.execute("DELETE FROM pushed_now")
        store.conn.executemany("UPDATE tombstones SET pushed = 1 WHERE uuid = ?", [(u,) for u in out.tombstones])
        store.conn.executemany("UPDATE conflicts SET pushed = 1 WHERE uuid = ?", [(c.uuid,) for c in out.confirmed])


def apply(store: Store, incoming: Incoming, touched: Callable[[int], None] | None = None) -> list[int]:
    """Take in what the server sent, in one transaction with the new cursor (a sync killed
    half-way leaves the store as it was). The current value of an answer is the last change
    in the server's order, unless it was changed here since (that change goes next, so it
    comes later in the server's order). Returns the people to forget (tombstones)."""
    with store.transaction():
        c = store.conn
        c.executemany(
            "INSERT INTO tombstones (uuid, pushed, applied) VALUES (?, 1, 0) ON CONFLICT (uuid) DO NOTHING",
            [(u,) for u in incoming.tombstones],
        )
        gone = {u for (u,) in c.execute("SELECT uuid FROM tombstones")}  # deleted here or anywhere: never back
        for someone in incoming.people:
            uuid_, name, created = someone.uuid, someone.name, someone.created_at
            if uuid_ in gone or not _person_name(name):
                continue
            key = name_key(name)  # the matching rule is this laptop's, not the sender's
            here = c.execute("SELECT id, rev, pushed_rev FROM people WHERE uuid = ?", (uuid_,)).fetchone()
            if here is None:
                c.execute(
                    """INSERT INTO people (id, name, name_key, uuid, created_at, rev, pushed_rev)
                       VALUES (?, ?, ?, ?, ?, 1, 1)""",
                    (fresh_id(c, "people"), name, key, uuid_, created),
                )
            elif here[1] == here[2]:  # not renamed here since (else the rename here goes next)
                c.execute("UPDATE people SET name = ?, name_key = ? WHERE id = ?", (name, key, here[0]))
                c.execute("UPDATE people SET pushed_rev = rev WHERE id = ?", (here[0],))
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
                    """INSERT INTO assessments (id, person_id, checklist_id, checklist_version, mode, status,
                           assessed_on, profile_json, created_at, updated_at, uuid, language, owner, rev,
                           pushed_rev)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1)""",
                    (
                        fresh_id(c, "assessments"),
                        pid,
                        checklist,
                        version,
                        mode,
                        status,
                        on,
                        profile,
                        created,
                        updated,
                        uuid_,
                        language,
                        owner,
                    ),
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
        for h in incoming.history:
            aid = assessment_ids.get(h.assessment_uuid)
            if aid is None or not _change_ok(h.item_id, h.old_value_json, h.new_value_json, h.old_note, h.new_note):
                continue
            entries.append(
                (
                    aid,
                    h.item_id,
                    h.old_value_json,
                    h.new_value_json,
                    h.old_note,
                    h.new_note,
                    h.changed_at,
                    h.uuid,
                    int(h.amendment),
                    h.author,
                    h.seq,
                )
            )
            pairs.add((aid, h.item_id))
        c.executemany(
            """INSERT INTO answer_history (assessment_id, item_id, old_value_json, new_value_json, old_note,
                   new_note, changed_at, uuid, amendment, author, server_seq, pushed)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
               ON CONFLICT (uuid) DO UPDATE SET server_seq = excluded.server_seq, pushed = 1""",
            entries,
        )
        _current(store, pairs)
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
    return store.pending_deletions()


def _current(store: Store, pairs: set[tuple[int, str]]) -> None:
    """Set each answer to its last change in the server's order (none pending here)."""
    c = store.conn
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


def discard_unsent(store: Store, assessment_id: int) -> int:
    """Drop the changes made here to an assessment and not yet sent (the server refused them):
    its answers go back to the last ones from the clinic, and its details are asked for again
    at the next sync. Returns how many answer changes went."""
    with store.transaction():
        store.require(assessment_id)
        c = store.conn
        items = {
            i
            for (i,) in c.execute(
                "SELECT DISTINCT item_id FROM answer_history WHERE assessment_id = ? AND pushed = 0",
                (assessment_id,),
            )
        }
        gone = c.execute("DELETE FROM answer_history WHERE assessment_id = ? AND pushed = 0", (assessment_id,)).rowcount
        for item in items:  # never answered at the clinic: no answer here either
            if (
                c.execute(
                    "SELECT 1 FROM answer_history WHERE assessment_id = ? AND item_id = ?", (assessment_id, item)
                ).fetchone()
                is None
            ):
                c.execute("DELETE FROM answers WHERE assessment_id = ? AND item_id = ?", (assessment_id, item))
        _current(store, {(assessment_id, item) for item in items})
        row = c.execute("SELECT uuid, rev > pushed_rev FROM assessments WHERE id = ?", (assessment_id,)).fetchone()
        if row[1]:
            c.execute("UPDATE assessments SET pushed_rev = rev WHERE id = ?", (assessment_id,))
            wanted = set(json.loads(store.sync_value("refetch") or "[]")) | {row[0]}
            c.execute(
                """INSERT INTO sync_state (key, value) VALUES ('refetch', ?)
                   ON CONFLICT (key) DO UPDATE SET value = excluded.value""",
                (json.dumps(sorted(wanted)),),
            )
            gone += 1
    return int(gone)
