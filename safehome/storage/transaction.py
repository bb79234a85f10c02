"""SQLite's errors in the user's words, and the one kind of write transaction."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import Any

from safehome.storage.driver import sqlite3

from safehome.i18n.words import t
from safehome.storage.errors import StoreError


def busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc)
    return "locked" in text or "busy" in text


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


class Transaction:
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
