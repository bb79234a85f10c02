"""The clinic store: a PostgreSQL server the team shares, and the sync between it and each laptop.

Only ``safehome clinic ...`` and ``safehome sync`` (and the app's sync command) import this
module, and with it psycopg; nothing else in safehome talks to a network.

The server's schema (``safehome``) is plain SQL in :data:`MIGRATIONS`, applied in order by
``safehome clinic init``. Plain SQL rather than one SQLAlchemy definition for both stores: what
the server needs (row-level security, roles, triggers, a sequence) has no counterpart in the
laptop's SQLite file, and what the two share is a handful of columns.

How the data moves (the laptop's side is :meth:`safehome.storage.store.Store.outgoing` / ``apply``):

- Every person, assessment and history entry has a UUID made where it was created, so a push
  sent twice inserts nothing twice (``ON CONFLICT``), and a push or pull killed at any point
  is one transaction on each side: it is there whole, or not at all, and a rerun converges.
- Every row written on the server takes the next number of one sequence, under one lock held
  to the end of the writing transaction, so the numbers are in commit order: a pull asks for
  everything above the last number it saw (the laptop's cursor) and misses nothing.
- An answer's current value is the last change in the server's order. When the same assessment
  changed here and on another laptop since this laptop's cursor, both histories are kept and a
  conflict is recorded for a clinician to confirm.
- A deleted person becomes a tombstone (their UUID, nothing else); the server deletes their rows
  and refuses them from then on; each laptop deletes them, PDFs included, at its next sync.
- Who may do what is the database's business (row-level security): a clinician reads the
  clinic's people and writes their own visits; writing someone else's needs the lead role. The
  audit keeps who changed what and when, and nothing identifying.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import errors
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from safehome.storage.store import Incoming, Outgoing, Store
from safehome.i18n.words import t

ROLE_NAME = re.compile(r"[a-z][a-z0-9_]{0,40}")  # a database name that can name the clinic's roles
LOCK = 7_346_501  # the advisory lock every writer on the server holds until it commits
LOCK_WAIT = "30s"  # how long a sync waits for it before saying the server is busy
# a connection that stops answering is given up on (a cut cable, a server switched off)
DEFAULTS = {
    "connect_timeout": "10",
    "keepalives": "1",
    "keepalives_idle": "10",
    "keepalives_interval": "5",
    "keepalives_count": "3",
    "tcp_user_timeout": "30000",
    "application_name": "safehome",
}

SYNCED = ("people", "assessments", "answer_history", "tombstones", "conflicts")

# Each entry takes the server's schema from version N to N+1. Never edit a released entry: add one.
NEXT = "nextval('safehome.change_seq')"
# A clinic's two group roles are named after its database ({clinician}, {lead} below), so that a
# PostgreSQL server holding two clinics keeps each clinic's people to its own clinicians.
MIGRATIONS: list[list[str]] = [
    [
        "CREATE SCHEMA IF NOT EXISTS safehome",
        """CREATE TABLE safehome.clinic (clinic_id uuid NOT NULL, version integer NOT NULL,
             clinician_role name NOT NULL, lead_role name NOT NULL)""",
        "INSERT INTO safehome.clinic VALUES (gen_random_uuid(), 0, '{clinician}', '{lead}')",
        # every row written takes the next number: a laptop asks for what is above its last one
        "CREATE SEQUENCE safehome.change_seq",
        # who wrote a row is the login role (session_user): SET ROLE to a group changes nothing
        f"""CREATE TABLE safehome.people (
            uuid uuid PRIMARY KEY,
            name text NOT NULL,
            name_key text NOT NULL,
            created_at text NOT NULL,
            device uuid,
            changed_by name NOT NULL DEFAULT session_user,
            seq bigint NOT NULL DEFAULT {NEXT}
        )""",
        "CREATE INDEX people_seq ON safehome.people (seq)",
        f"""CREATE TABLE safehome.assessments (
            uuid uuid PRIMARY KEY,
            person_uuid uuid NOT NULL REFERENCES safehome.people ON DELETE CASCADE,
            checklist_id text NOT NULL,
            checklist_version text NOT NULL,
            mode text NOT NULL CHECK (mode IN ('clinician', 'self')),
            status text NOT NULL CHECK (status IN ('in-progress', 'finished')),
            assessed_on text NOT NULL,
            profile_json text NOT NULL CHECK (jsonb_typeof(profile_json::jsonb) = 'object'),
            language text,
            created_at text NOT NULL,
            updated_at text NOT NULL,
            device uuid,
            owner name NOT NULL DEFAULT session_user,
            changed_by name NOT NULL DEFAULT session_user,
            seq bigint NOT NULL DEFAULT {NEXT}
        )""",
        "CREATE INDEX assessments_seq ON safehome.assessments (seq)",
        "CREATE INDEX assessments_person ON safehome.assessments (person_uuid)",
        f"""CREATE TABLE safehome.answer_history (
            uuid uuid PRIMARY KEY,
            assessment_uuid uuid NOT NULL,  -- its visit: checked by the row policy and swept below
            item_id text NOT NULL,
            old_value_json text CHECK (old_value_json IS NULL OR old_value_json::jsonb IS NOT NULL),
            new_value_json text CHECK (new_value_json IS NULL OR new_value_json::jsonb IS NOT NULL),
            old_note text CHECK (length(old_note) <= 100000),
            new_note text CHECK (length(new_note) <= 100000),
            changed_at text NOT NULL,
            amendment boolean NOT NULL,
            device uuid,
            author name NOT NULL DEFAULT session_user,
            received_at timestamptz NOT NULL DEFAULT now(),
            seq bigint NOT NULL DEFAULT {NEXT}
        )""",
        "CREATE INDEX answer_history_seq ON safehome.answer_history (seq)",
        f"""CREATE TABLE safehome.tombstones (
            person_uuid uuid PRIMARY KEY,
            seq bigint NOT NULL DEFAULT {NEXT}
        )""",
        "CREATE INDEX tombstones_seq ON safehome.tombstones (seq)",
        # the UUIDs of deleted visits: never taken again (a visit must not come back under another name)
        "CREATE TABLE safehome.gone_visits (uuid uuid PRIMARY KEY)",
        f"""CREATE TABLE safehome.conflicts (
            uuid uuid PRIMARY KEY,
            assessment_uuid uuid NOT NULL REFERENCES safehome.assessments ON DELETE CASCADE,
            items text NOT NULL CHECK (jsonb_typeof(items::jsonb) = 'array'
                                       AND NOT jsonb_path_exists(items::jsonb, '$[*] ? (@.type() != "string")')),
            found_at text NOT NULL,
            found_by name NOT NULL DEFAULT session_user,
            confirmed_at text,
            confirmed_by name,
            seq bigint NOT NULL DEFAULT {NEXT}
        )""",
        "CREATE INDEX conflicts_seq ON safehome.conflicts (seq)",
        # who changed what and when: UUIDs and actions only, never a name or an answer
        """CREATE TABLE safehome.audit (
            id bigserial PRIMARY KEY,
            at timestamptz NOT NULL DEFAULT now(),
            who name NOT NULL,
            as_role text NOT NULL,
            action text NOT NULL,
            kind text NOT NULL,
            row_uuid uuid NOT NULL
        )""",
        # Every writing statement takes the clinic's lock, held to its commit: the numbers are
        # then handed out in commit order, and a pull never skips one still being written. Writes
        # are READ COMMITTED only, so what a row trigger checks is what is committed now (a
        # tombstone made while this transaction waited for the lock included).
        """CREATE FUNCTION safehome.take_turn() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
           SET search_path = pg_catalog, safehome AS $$
           BEGIN
             IF current_setting('transaction_isolation') <> 'read committed' THEN
               RAISE EXCEPTION 'safehome writes only in READ COMMITTED transactions' USING ERRCODE = '0A000';
             END IF;
             PERFORM pg_advisory_xact_lock(7346501);
             RETURN NULL;
           END $$""",
        # A row changed takes a new number and its writer; who made a row never changes; a
        # deleted person never comes back. (New rows get their number and maker from the column
        # defaults: the clinicians' INSERT privilege leaves those columns out.)
        f"""CREATE FUNCTION safehome.guard() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN
             IF TG_OP = 'UPDATE' THEN
               NEW.seq := {NEXT};
               IF TG_TABLE_NAME IN ('people', 'assessments') THEN
                 NEW.changed_by := session_user;
               END IF;
               IF TG_TABLE_NAME = 'assessments' THEN
                 NEW.owner := OLD.owner;
               ELSIF TG_TABLE_NAME = 'conflicts' THEN
                 NEW.found_by := OLD.found_by;
                 NEW.confirmed_by := CASE WHEN OLD.confirmed_at IS NULL AND NEW.confirmed_at IS NOT NULL
                                          THEN session_user ELSE OLD.confirmed_by END;
               END IF;
             ELSIF TG_TABLE_NAME = 'people' THEN
               IF EXISTS (SELECT 1 FROM safehome.tombstones WHERE person_uuid = NEW.uuid) THEN RETURN NULL; END IF;
             ELSIF TG_TABLE_NAME = 'assessments' THEN
               IF EXISTS (SELECT 1 FROM safehome.tombstones WHERE person_uuid = NEW.person_uuid)
                  OR EXISTS (SELECT 1 FROM safehome.gone_visits WHERE uuid = NEW.uuid) THEN
                 RETURN NULL;
               END IF;
             END IF;
             RETURN NEW;
           END $$""",
        # the audit, one statement at a time: the login role, whether it holds the lead role, the
        # action, the kind of row and its UUID
        """CREATE FUNCTION safehome.record() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
           SET search_path = pg_catalog, safehome AS $$
           BEGIN
             EXECUTE format(
               'INSERT INTO safehome.audit (who, as_role, action, kind, row_uuid) '
               'SELECT DISTINCT $1, $2, $3, $4, %I FROM changed',
               TG_ARGV[1])
             USING session_user, CASE WHEN pg_has_role(session_user, '{lead}', 'MEMBER') THEN 'lead'
                                      ELSE 'clinician' END, lower(TG_OP), TG_ARGV[0];
             RETURN NULL;
           END $$""",
        # A history entry whose visit is gone by the end of its statement goes too: a writer whose
        # statement began before a deletion committed (and then waited for the lock) never leaves
        # a person's answers behind. One pass per statement (a foreign key would check every row).
        """CREATE FUNCTION safehome.sweep() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
           SET search_path = pg_catalog, safehome AS $$
           BEGIN
             DELETE FROM safehome.answer_history h USING changed c
             WHERE h.uuid = c.uuid
               AND NOT EXISTS (SELECT 1 FROM safehome.assessments a WHERE a.uuid = c.assessment_uuid);
             RETURN NULL;
           END $$""",
        # an assessment deleted takes its history with it
        """CREATE FUNCTION safehome.drop_history() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
           SET search_path = pg_catalog, safehome AS $$
           BEGIN
             DELETE FROM safehome.answer_history WHERE assessment_uuid = OLD.uuid;
             INSERT INTO safehome.gone_visits VALUES (OLD.uuid) ON CONFLICT DO NOTHING;
             RETURN OLD;
           END $$""",
        # the clinic's lock for a writer's whole transaction (clinicians may not take advisory locks
        # of their own where the administrator is a superuser: init revokes them from PUBLIC)
        """CREATE FUNCTION safehome.take_turn_now() RETURNS void LANGUAGE sql SECURITY DEFINER
           SET search_path = pg_catalog AS $$ SELECT pg_advisory_xact_lock(7346501) $$""",
        # a tombstone deletes the person and everything of theirs (the cascade)...
        """CREATE FUNCTION safehome.forget() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
           SET search_path = pg_catalog, safehome AS $$
           BEGIN DELETE FROM safehome.people WHERE uuid = NEW.person_uuid; RETURN NULL; END $$""",
        # ... and a person deleted any other way leaves one too, so the deletion still spreads
        """CREATE FUNCTION safehome.leave_tombstone() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
           SET search_path = pg_catalog, safehome AS $$
           BEGIN
             INSERT INTO safehome.tombstones (person_uuid) VALUES (OLD.uuid) ON CONFLICT DO NOTHING;
             RETURN NULL;
           END $$""",
        """CREATE FUNCTION safehome.may_write(owner name) RETURNS boolean LANGUAGE sql STABLE AS $$
           SELECT owner = session_user OR pg_has_role(session_user, '{lead}', 'MEMBER') $$""",
        *[
            f"""CREATE TRIGGER take_turn BEFORE INSERT OR UPDATE OR DELETE ON safehome.{table}
                FOR EACH STATEMENT EXECUTE FUNCTION safehome.take_turn()"""
            for table in ("people", "assessments", "answer_history", "tombstones", "conflicts")
        ],
        *[
            f"CREATE TRIGGER {name} {when} ON safehome.{table} FOR EACH ROW EXECUTE FUNCTION safehome.{function}()"
            for name, when, table, function in [
                ("guard", "BEFORE INSERT OR UPDATE", "people", "guard"),
                ("guard", "BEFORE INSERT OR UPDATE", "assessments", "guard"),
                ("guard", "BEFORE UPDATE", "conflicts", "guard"),
                ("forget", "AFTER INSERT", "tombstones", "forget"),
                ("tombstone", "AFTER DELETE", "people", "leave_tombstone"),
                ("history", "BEFORE DELETE", "assessments", "drop_history"),
            ]
        ],
        """CREATE TRIGGER sweep AFTER INSERT ON safehome.answer_history REFERENCING NEW TABLE AS changed
           FOR EACH STATEMENT EXECUTE FUNCTION safehome.sweep()""",
        *[
            f"""CREATE TRIGGER audit_{event.lower()} AFTER {event} ON safehome.{table}
                REFERENCING {"OLD" if event == "DELETE" else "NEW"} TABLE AS changed
                FOR EACH STATEMENT EXECUTE FUNCTION safehome.record('{kind}', '{column}')"""
            for table, kind, column, events in [
                ("people", "person", "uuid", ("INSERT", "UPDATE", "DELETE")),
                ("assessments", "assessment", "uuid", ("INSERT", "UPDATE")),
                ("answer_history", "answers", "assessment_uuid", ("INSERT",)),  # one row per visit changed
                ("tombstones", "tombstone", "person_uuid", ("INSERT",)),
                ("conflicts", "conflict", "uuid", ("INSERT", "UPDATE")),
            ]
            for event in events
        ],
        # who may do what, enforced here and not by the client
        *[f"ALTER TABLE safehome.{table} ENABLE ROW LEVEL SECURITY" for table in SYNCED],
        *[f"CREATE POLICY read ON safehome.{table} FOR SELECT USING (true)" for table in SYNCED],
        "CREATE POLICY add ON safehome.people FOR INSERT WITH CHECK (changed_by = session_user)",
        "CREATE POLICY rename ON safehome.people FOR UPDATE USING (true)",
        """CREATE POLICY add ON safehome.assessments FOR INSERT
           WITH CHECK (owner = session_user AND changed_by = session_user)""",
        """CREATE POLICY amend ON safehome.assessments FOR UPDATE
           USING (safehome.may_write(owner)) WITH CHECK (safehome.may_write(owner))""",
        """CREATE POLICY add ON safehome.answer_history FOR INSERT WITH CHECK (author = session_user AND EXISTS (
             SELECT 1 FROM safehome.assessments a WHERE a.uuid = assessment_uuid AND safehome.may_write(a.owner)))""",
        "CREATE POLICY add ON safehome.tombstones FOR INSERT WITH CHECK (true)",
        """CREATE POLICY add ON safehome.conflicts FOR INSERT WITH CHECK (found_by = session_user AND EXISTS (
             SELECT 1 FROM safehome.assessments a WHERE a.uuid = assessment_uuid AND safehome.may_write(a.owner)))""",
        """CREATE POLICY confirm ON safehome.conflicts FOR UPDATE USING (EXISTS (
             SELECT 1 FROM safehome.assessments a WHERE a.uuid = assessment_uuid AND safehome.may_write(a.owner)))""",
        "GRANT USAGE ON SCHEMA safehome TO {clinician}",
        "GRANT SELECT ON safehome.clinic TO {clinician}",
        *[f"GRANT SELECT ON safehome.{table} TO {{clinician}}" for table in SYNCED],
        # the columns a clinician may give: never a row's number, maker or time of arrival
        "GRANT INSERT (uuid, name, name_key, created_at, device), UPDATE (name, name_key, device) "
        "ON safehome.people TO {clinician}",
        "GRANT INSERT (uuid, person_uuid, checklist_id, checklist_version, mode, status, assessed_on, profile_json, "
        "language, created_at, updated_at, device), UPDATE (person_uuid, checklist_id, checklist_version, mode, "
        "status, assessed_on, profile_json, updated_at, device) ON safehome.assessments TO {clinician}",
        "GRANT INSERT (uuid, assessment_uuid, item_id, old_value_json, new_value_json, old_note, new_note, "
        "changed_at, amendment, device) ON safehome.answer_history TO {clinician}",
        "GRANT INSERT (person_uuid) ON safehome.tombstones TO {clinician}",
        "GRANT INSERT (uuid, assessment_uuid, items, found_at), UPDATE (confirmed_at) "
        "ON safehome.conflicts TO {clinician}",
        "GRANT USAGE ON SEQUENCE safehome.change_seq TO {clinician}",
        "GRANT EXECUTE ON FUNCTION safehome.take_turn_now() TO {clinician}",
        "GRANT SELECT ON safehome.gone_visits TO {clinician}",
        "GRANT SELECT ON safehome.audit TO {lead}",
    ],
]

VERSION = len(MIGRATIONS)


class ClinicError(Exception):
    """The clinic server cannot be used as asked; the message says why and what to do."""


# -- the address


def checked_url(url: str) -> str:
    """The server's address as given, refused when it holds a password (safehome keeps none)."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        raise ClinicError(t("clinic.bad_url")) from None
    if parts.get("password") or parts.get("sslpassword"):
        raise ClinicError(t("clinic.password_in_url"))
    return url


def where(url: str) -> str:
    """The server's host, port and database, to name it in messages (never a password)."""
    with contextlib.suppress(psycopg.ProgrammingError):
        parts = conninfo_to_dict(url)
        host = str(parts.get("host") or parts.get("service") or os.environ.get("PGHOST") or "localhost")
        port = parts.get("port") or os.environ.get("PGPORT")
        database = parts.get("dbname") or os.environ.get("PGDATABASE") or parts.get("user") or ""
        return f"{host}{':' + str(port) if port else ''}/{database}".rstrip("/")
    return "?"


def connect(url: str, *, sending: bool = True) -> psycopg.Connection[Any]:
    """A connection with the address's own settings (TLS included); the password, if any, comes
    from where libpq looks for it (PGPASSWORD, the password file, the service file)."""
    parts = DEFAULTS | {k: str(v) for k, v in conninfo_to_dict(checked_url(url)).items() if v is not None}
    try:
        return psycopg.connect(make_conninfo("", **parts))
    except psycopg.OperationalError as exc:
        raise ClinicError(_refusal(url, exc, sending)) from None


# what libpq says when it cannot get in, and what that means for the user (in their language)
LOGIN_REFUSED = (
    "permission denied",
    "does not exist",
    "password authentication failed",
    "no password supplied",
    "authentication failed",
    "no pg_hba.conf entry",
)
REASONS = {
    "connection refused": "clinic.reason.refused",
    "timeout expired": "clinic.reason.timeout",
    "could not translate host name": "clinic.reason.unknown_host",
    "name or service not known": "clinic.reason.unknown_host",
    "no route to host": "clinic.reason.no_route",
    "network is unreachable": "clinic.reason.no_route",
    "server closed the connection unexpectedly": "clinic.reason.closed",
    "terminating connection due to administrator command": "clinic.reason.stopped",
    "ssl": "clinic.reason.tls",
}


def _refusal(url: str, exc: BaseException, sending: bool) -> str:
    reason = _reason(exc)
    if any(sign in reason.lower() for sign in LOGIN_REFUSED):
        return t("clinic.login_refused", server=where(url), reason=reason)
    return t("clinic.unreachable" if sending else "clinic.unreachable_now", server=where(url), reason=reason)


def _reason(exc: BaseException) -> str:
    """libpq's own first line, in words of the catalogue where it is a usual one."""
    text = str(exc)
    if "failed: " in text:  # libpq: 'connection to server at "h", port 5432 failed: Connection refused ...'
        text = text.rsplit("failed: ", 1)[1]
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")  # the rest is libpq's guesses
    first = first.removeprefix("FATAL:").strip()
    for sign, key in REASONS.items():
        if sign in first.lower():
            return t(key)
    return first[:300].rstrip(". ") or type(exc).__name__


@dataclass(frozen=True, slots=True)
class Server:
    clinic_id: str
    version: int
    role: str  # the login role
    lead: bool
    clinician: bool
    tls: bool
    where: str  # host/database as connected (the PG* variables and service file included)
    clinician_role: str
    lead_role: str


def describe(conn: psycopg.Connection[Any]) -> Server:
    """Which clinic this is, the schema's version, and who we are on it."""
    with conn.transaction():
        found = conn.execute("SELECT to_regclass('safehome.clinic') IS NOT NULL").fetchone()
        if not found or not found[0]:
            raise ClinicError(t("clinic.not_initialised"))
        row = conn.execute(
            """SELECT clinic_id::text, version, session_user::text,
                      pg_has_role(session_user, lead_role, 'MEMBER'),
                      pg_has_role(session_user, clinician_role, 'MEMBER'),
                      clinician_role::text, lead_role::text
               FROM safehome.clinic"""
        ).fetchone()
    if row is None:
        raise ClinicError(t("clinic.not_initialised"))
    info = conn.info
    host = info.host if not info.host.startswith("/") else "localhost"
    return Server(
        row[0],
        int(row[1]),
        row[2],
        bool(row[3]),
        bool(row[4]),
        bool(conn.pgconn.ssl_in_use),
        f"{host}/{info.dbname}",
        row[5],
        row[6],
    )


def same_schema(server: Server) -> None:
    """This safehome and the server's schema must be the same version (else ClinicError saying who
    updates what)."""
    if server.version != VERSION:
        key = "clinic.older_schema" if server.version < VERSION else "clinic.newer_schema"
        raise ClinicError(t(key, version=server.version, known=VERSION))


def look(url: str) -> Server:
    """Connect, say which clinic it is and who we are there, and disconnect."""
    try:
        with connect(url, sending=False) as conn:
            return describe(conn)
    except errors.InsufficientPrivilege as exc:  # in, but in none of this clinic's groups
        raise ClinicError(t("clinic.login_refused", server=where(url), reason=_reason(exc))) from None
    except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
        raise ClinicError(t("clinic.cut", server=where(url), reason=_reason(exc))) from None


# -- setting up a clinic


@dataclass(frozen=True, slots=True)
class Initialised:
    before: int
    after: int
    roles_made: tuple[str, ...]
    clinician_role: str
    lead_role: str


def init(url: str) -> Initialised:
    """Create the two group roles and the schema, or bring the schema up to date. Run by the
    clinic's administrator (a role that may create roles); it owns the tables."""
    made: list[str] = []
    with connect(url) as conn:
        try:
            database = str(conn.info.dbname)
            if not ROLE_NAME.fullmatch(database):
                raise ClinicError(t("clinic.bad_database_name", name=database[:80]))
            clinician, lead = f"{database}_clinician", f"{database}_lead"
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK,))
                for role in (clinician, lead):  # roles belong to the whole server: another init may race us
                    if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is None:
                        with contextlib.suppress(errors.DuplicateObject, errors.UniqueViolation), conn.transaction():
                            conn.execute(f"CREATE ROLE {role} NOLOGIN")
                            made.append(role)
                member = conn.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", (lead, clinician)).fetchone()
                if not (member and member[0]):
                    conn.execute(f"GRANT {clinician} TO {lead}")
                # this database is the clinic's: only its clinicians (and its administrator) may connect
                conn.execute(f"REVOKE ALL ON DATABASE {database} FROM PUBLIC")
                conn.execute(f"GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {clinician}")
                # a transaction left open holds what it locked: ended after two idle minutes
                conn.execute(f"ALTER DATABASE {database} SET idle_in_transaction_session_timeout = '2min'")
                _no_advisory_locks(conn)
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK,))
                exists = conn.execute("SELECT to_regclass('safehome.clinic') IS NOT NULL").fetchone()
                row = conn.execute("SELECT version FROM safehome.clinic").fetchone() if exists and exists[0] else None
                before = int(row[0]) if row else 0
                if before > VERSION:
                    raise ClinicError(t("clinic.newer_schema", version=before, known=VERSION))
                for target in range(before, VERSION):
                    for statement in MIGRATIONS[target]:
                        sql = statement.replace("{clinician}", clinician).replace("{lead}", lead)
                        conn.execute(sql.encode())
                    conn.execute("UPDATE safehome.clinic SET version = %s", (target + 1,))
        except (errors.InsufficientPrivilege, errors.DuplicateObject) as exc:
            raise ClinicError(t("clinic.init_refused", reason=_reason(exc))) from None
        except psycopg.OperationalError as exc:
            raise ClinicError(t("clinic.cut", server=where(url), reason=_reason(exc))) from None
    return Initialised(before, VERSION, tuple(made), clinician, lead)


def _no_advisory_locks(conn: psycopg.Connection[Any]) -> None:
    """Advisory locks are for safehome's own functions only in this database (a clinician holding
    the clinic's lock in a session of their own would hold every push). Only a superuser may
    change the built-in functions' rights; another administrator leaves them as they are."""
    functions = conn.execute(
        "SELECT oid::regprocedure::text FROM pg_proc WHERE proname LIKE 'pg%advisory%lock%'"
    ).fetchall()
    superuser = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()
    if not (superuser and superuser[0]):
        return
    for (function,) in functions:
        conn.execute(f"REVOKE EXECUTE ON FUNCTION {function} FROM PUBLIC")


# -- the sync


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
    out = store.outgoing()
    if not out:
        return
    changed = sorted(out.changed())
    orders: dict[str, int] = {}
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(f"SET LOCAL lock_timeout = '{LOCK_WAIT}'")  # a sync never waits for ever behind another
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
        _copy(cur, "in_people", "uuid, name, name_key, created_at", (r[2:] for r in out.people))
        cur.execute(
            """INSERT INTO safehome.people (uuid, name, name_key, created_at, device)
               SELECT uuid, name, name_key, created_at, %s FROM pg_temp.in_people
               ON CONFLICT (uuid) DO UPDATE
               SET name = EXCLUDED.name, name_key = EXCLUDED.name_key, device = EXCLUDED.device
               WHERE (people.name, people.name_key) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.name_key)""",
            (device,),
        )
        _copy(
            cur,
            "in_assessments",
            "uuid, person_uuid, checklist_id, checklist_version, mode, status, assessed_on, profile_json, language, "
            "created_at, updated_at",
            (r[2:] for r in out.assessments if r[2] not in refused),
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
        history = [(r[0], *r[1:]) for r in out.history if r[2] not in refused]
        _copy(
            cur,
            "in_history",
            "ord, uuid, assessment_uuid, item_id, old_value_json, new_value_json, old_note, new_note, changed_at, "
            "amendment",
            ((*r[:9], bool(r[9])) for r in history),
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
        missing = [r[1] for r in history if r[1] not in orders]
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
                (_now(), [c for c, _ in out.confirmed]),
            )
            taken = {u for (u,) in cur.fetchall()}
            result.not_confirmed = len(out.confirmed) - len(taken)
    store.mark_pushed(out, orders, refused, confirmed=taken)


def _record_conflicts(
    cur: psycopg.Cursor[Any], out: Outgoing, refused: set[str], device: str, cursor: int, secret: str
) -> None:
    """Assessments changed here and, since this laptop last heard from the server, on another one."""
    mine: dict[str, set[str]] = {}
    for row in out.history:
        mine.setdefault(row[2], set()).add(row[3])
    details = {row[2] for row in out.assessments}
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
                """SELECT uuid::text, name, name_key, created_at FROM safehome.people
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
    incoming = Incoming(people, assessments, history, tombstones, conflicts, int(top[0]) if top else cursor)
    result.received_assessments = len({row[0] for row in assessments} | {row[1] for row in history})
    result.received_changes = len(history)
    return store.apply(incoming)


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
    store.set_sync_values(synced_at=_now())
    return result, forget
