"""The clinic sync against PostgreSQL: a first push of 1,000 visits and a sync with nothing to do."""

from __future__ import annotations

import contextlib
import os
import statistics
import time
from pathlib import Path

from bench.common import fill_store


PG_URL = os.environ.get("SAFEHOME_TEST_PG_URL") or "postgresql://postgres@127.0.0.1:5432/test"


def bench_sync(tmp: Path, count: int, runs: int = 3) -> tuple[float, float, float] | None:
    """Sync ``count`` assessments from a laptop to an empty clinic server, against a bare psycopg
    COPY of the same rows into tables of the same shape (no triggers, no row security) on the same
    server; then a sync with nothing to do. None when there is no PostgreSQL to measure against."""
    import shutil
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    try:
        import psycopg
    except ImportError:
        return None
    from safehome import service
    from safehome.storage.store import Store
    from safehome.sync import laptop

    def at(name: str, user: str | None = None) -> str:
        parts = urlsplit(PG_URL)
        netloc = parts.netloc if user is None else f"{user}@{parts.netloc.split('@')[-1]}"
        return urlunsplit((parts.scheme, netloc, "/" + name, parts.query, ""))

    try:
        admin = psycopg.connect(PG_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError:
        return None
    with contextlib.suppress(psycopg.errors.DuplicateObject):
        admin.execute("CREATE ROLE shb_clinician LOGIN")
    source = tmp / "sync-source.sqlite3"
    fill_store(source, count, seed=18)
    with Store(source) as store:
        out = laptop.outgoing(store)
    ours, floor, quiet = [], [], []
    for run in range(runs):
        name = f"shb_{uuid.uuid4().hex[:10]}"
        admin.execute(f"CREATE DATABASE {name}")
        try:
            service.init_clinic(at(name))
            with psycopg.connect(at(name), autocommit=True) as conn:
                conn.execute(f"GRANT {name}_clinician TO shb_clinician")
                conn.execute(
                    """CREATE TABLE bare_people (uuid uuid PRIMARY KEY, name text, name_key text, created_at text);
                       CREATE TABLE bare_assessments (uuid uuid PRIMARY KEY, person_uuid uuid, checklist_id text,
                         checklist_version text, mode text, status text, assessed_on text, profile_json text,
                         language text, created_at text, updated_at text);
                       CREATE TABLE bare_history (uuid uuid PRIMARY KEY, assessment_uuid uuid, item_id text,
                         old_value_json text, new_value_json text, old_note text, new_note text, changed_at text,
                         amendment boolean);
                       GRANT INSERT ON bare_people, bare_assessments, bare_history TO shb_clinician;"""
                )
            folder = tmp / f"laptop{run}"
            folder.mkdir()
            shutil.copy(source, folder / "safehome.sqlite3")
            with service.open_store(folder) as store:
                service.connect_clinic(store, at(name, "shb_clinician"))
                start = time.perf_counter()
                service.sync(store, folder)
                ours.append(time.perf_counter() - start)
                for _ in range(5):
                    start = time.perf_counter()
                    service.sync(store, folder)
                    quiet.append(time.perf_counter() - start)
            start = time.perf_counter()
            with psycopg.connect(at(name, "shb_clinician")) as conn, conn.cursor() as cur:
                for table, rows in (
                    ("bare_people", [r[2:] for r in out.people]),
                    ("bare_assessments", [r[2:] for r in out.assessments]),
                    ("bare_history", [(*r[1:9], bool(r[9])) for r in out.history]),
                ):
                    with cur.copy(f"COPY {table} FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
            floor.append(time.perf_counter() - start)
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            for group in ("lead", "clinician"):
                admin.execute(f"DROP ROLE IF EXISTS {name}_{group}")
    admin.close()
    return statistics.median(ours), statistics.median(floor), statistics.median(quiet)
