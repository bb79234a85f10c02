"""The laptop store's file and its connection: opened safely, migrated, written in transactions.

:class:`Connection` is what every part of the store shares: the file checked before it is
opened (ours, private, not a link, SQLite), the schema brought up to date, the one kind of
write transaction, and the check that the file is still the one opened. :class:`safehome.storage.store.Store`
adds the records on top.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ParamSpec, Self, TypeVar

from safehome.i18n.words import t
from safehome.storage.driver import keyed, sqlite3
from safehome.storage.errors import StoreError
from safehome.storage.encryption import open_key
from safehome.storage.schema import MIGRATIONS, SCHEMA_VERSION
from safehome.storage.transaction import Transaction, busy, problem

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


def _private(path: Path, mode: int) -> None:
    """Bring a file or folder of ours to ``mode`` (0600 / 0700); refuse one owned by someone else."""
    info = path.stat()
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise StoreError(t("store.not_owner", path=path))
    if info.st_mode & 0o777 != mode:
        path.chmod(mode)


def utc_now() -> datetime:
    return datetime.now(UTC)


_P = ParamSpec("_P")
_R = TypeVar("_R")


def reads(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """A read whose SQLite error reaches the caller as a StoreError in words (writes get the same
    from their :class:`Transaction`): nothing outside storage ever sees ``sqlite3``."""

    @functools.wraps(method)
    def guarded(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(*args, **kwargs)
        except sqlite3.Error as exc:
            store = args[0]
            raise problem(store.path, exc) from None  # type: ignore[attr-defined]

    return guarded


class Connection:
    """One SQLite store file, open. :class:`~safehome.storage.store.Store` is the one to use."""

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
                if not busy(exc):
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
        else:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _private(path.parent, 0o700)
        # Already open in this process (the app and its sync worker): its header is not read again.
        # Closing any descriptor of a file drops every POSIX lock this process holds on it, SQLite's
        # included, and another process could then remove the journal under the open store.
        self._key = open_key(path, held=_held(path))
        _private(path, 0o600)

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(
                self.path, timeout=self._busy_ms / 1000, isolation_level=None, check_same_thread=False
            )
            keyed(conn, self._key)
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
            if busy(exc):
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
                with self.transaction():
                    # another process may have migrated while we waited for the lock
                    if self.conn.execute("PRAGMA user_version").fetchone()[0] > target:
                        continue
                    for step in MIGRATIONS[target].steps:
                        if isinstance(step, str):  # a step is SQL, or a function for what SQL cannot do
                            self.conn.execute(step)
                        else:
                            step(self.conn)
                    self.conn.execute(f"PRAGMA user_version = {target + 1}")
        except sqlite3.OperationalError as exc:
            if busy(exc):
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

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- transactions

    def transaction(self) -> Transaction:
        self.still_there()
        return Transaction(self.conn, self.path)

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

    @property
    def key(self) -> bytes:
        """The key this store was opened with (for tests that read its pages under the encryption)."""
        return self._key

    def now(self) -> str:
        return self._clock().isoformat(timespec="microseconds")

    def checkpoint(self) -> None:
        """Copy the WAL into the main database file, so what was saved is in the file itself."""
        with contextlib.suppress(sqlite3.Error):  # busy: another process will checkpoint
            self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def require(self, assessment_id: int) -> None:
        """A StoreError in words unless the assessment is stored."""
        if not 0 < assessment_id < 2**63:
            raise StoreError(t("store.no_assessment", id=assessment_id, path=self.path))
        if self.conn.execute("SELECT 1 FROM assessments WHERE id = ?", (assessment_id,)).fetchone() is None:
            raise StoreError(t("store.no_assessment", id=assessment_id, path=self.path))

    @reads
    def exists(self, assessment_id: int) -> bool:
        row = self.conn.execute("SELECT 1 FROM assessments WHERE id = ?", (assessment_id,)).fetchone()
        return row is not None

    @reads
    def integrity(self) -> str:
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])
