"""The clinic store: a PostgreSQL server the team shares, and the sync between it and each laptop.

Only ``safehome clinic ...`` and ``safehome sync`` (and the app's sync command) import this
module, and with it psycopg; nothing else in safehome talks to a network.

The server's schema (``safehome``) is plain SQL, one file a step in ``migrations/`` (see
``safehome.sync.schema``), applied in order by ``safehome clinic init``. Plain SQL rather than
one SQLAlchemy definition for both stores: what the server needs (row-level security, roles,
triggers, a sequence) has no counterpart in the laptop's SQLite file, and what the two share is a
handful of columns.

How the data moves (the push and pull are in ``safehome.sync.transfer``, the laptop's side in
``safehome.sync.laptop``):

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
import os
import re
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import errors
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from safehome.sync.schema import MIGRATIONS, VERSION
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
                    for statement in MIGRATIONS[target].statements:
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
