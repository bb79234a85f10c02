"""Opening an encrypted store: its key found, a new store set up, a plaintext one converted in place,
a rekey. :class:`~safehome.storage.connection.Connection` calls :func:`open_key` before it connects.

A store is "sealed" once its file is SQLCipher's (a non-empty file without SQLite's plaintext
header) and ``safehome.keys`` is beside it. Until then any keys file is from a set-up that never
finished and is made afresh: set-up and conversion write the keys file first and the store last,
each atomically, so a kill at any point leaves the plaintext store whole or the sealed one whole.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Literal

from safehome.i18n.words import t
from safehome.storage import keys as keyfile
from safehome.storage.driver import keyed, sqlite3
from safehome.storage.errors import StoreError
from safehome.storage.schema import SCHEMA_VERSION, SQLITE_HEADER

State = Literal["absent", "plain", "sealed"]
ENV_NEW_PASSPHRASE = "SAFEHOME_NEW_PASSPHRASE"


def state(db: Path) -> State:
    """What the file is, from its first 16 bytes (the store is not open in this process)."""
    try:
        with open(db, "rb") as handle:
            head = handle.read(16)
    except FileNotFoundError:
        return "absent"
    except OSError as exc:
        raise StoreError(t("store.unreadable", path=db, reason=exc.strerror)) from None
    if not head:
        return "absent"
    return "plain" if head == SQLITE_HEADER else "sealed"


def open_key(db: Path, *, held: bool = False) -> bytes:
    """The key that opens ``db``, after setting a new store up or converting a plaintext one.
    ``held``: the store is open in this process already (its header is not read again)."""
    keys_path = keyfile.keys_path(db)
    found = "sealed" if held else state(db)
    if found == "sealed" and keys_path.exists():
        return _unlock(db, keyfile.Keys.read(keys_path))
    if found == "sealed":
        raise StoreError(t("keys.not_a_store", path=db, keys=keys_path.name))
    if keys_path.exists() or keys_path.is_symlink():
        keys = keyfile.Keys.read(keys_path)  # a key file of a sealed store is never replaced
        if not keys.pending:
            raise StoreError(t("keys.store_missing" if found == "absent" else "keys.plain_with_keys", path=db))
    with keyfile.folder_lock(db.parent):
        found = state(db)
        if found != "sealed":  # else another process set it up while this one waited: opened below
            return _set_up(db, keys_path, found)
    return open_key(db, held=held)


def _set_up(db: Path, keys_path: Path, found: State) -> bytes:
    """A new store's keys, or a plaintext store's, and the store sealed with them (under the lock)."""
    if keys_path.exists():  # from a set-up or conversion that never finished: the store is still as it was
        stale = keyfile.Keys.read(keys_path)
        if not stale.pending:  # sealed by another process meanwhile, then its file removed: never replaced
            raise StoreError(t("keys.store_missing" if found == "absent" else "keys.plain_with_keys", path=db))
        keyfile.drop_keyring(stale, stale.entries)
        keys_path.unlink()
        keyfile.notice(t("keys.setup_again"))
    if found == "plain":
        _check_plain(db)
    keys, key, recovery = keyfile.make_keys(db)
    keys.pending = True
    keys.write()
    keyfile.show_recovery(db, recovery)
    try:
        _convert(db, key) if found == "plain" else _create(db, key)
    except BaseException:
        keys_path.unlink(missing_ok=True)  # the store is as it was: so is its (absent) key file
        keyfile.drop_keyring(keys, keys.entries)
        raise
    keys.pending = False  # sealed: from now on this key file is never replaced
    keys.write()
    keys.remember(key)
    return key


def _check_plain(db: Path) -> None:
    """A plaintext file is converted only when it is a safehome store this version knows."""
    conn = sqlite3.connect(db, isolation_level=None)  # reads only
    try:
        version, tables = conn.execute(
            "SELECT user_version, (SELECT count(*) FROM sqlite_master) FROM pragma_user_version"
        ).fetchone()
    except sqlite3.DatabaseError as exc:
        raise StoreError(t("store.damaged", path=db, reason=exc)) from None
    finally:
        conn.close()
    if version > SCHEMA_VERSION:
        raise StoreError(t("store.newer_schema", path=db, version=version, known=SCHEMA_VERSION))
    if version == 0 and tables:
        raise StoreError(t("store.foreign_sqlite", path=db))


def _opens(db: Path, key: bytes) -> bool:
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        keyed(conn, key)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlite3.DatabaseError as exc:
        return "not a database" not in str(exc)  # busy, locked: the key is right; the connection says the rest
    finally:
        conn.close()


def _unlock(db: Path, keys: keyfile.Keys) -> bytes:
    tried = False
    for source in (keys.candidates(), keys.asked(keyfile.current_asker(), db)):
        for key in source:
            tried = True
            if _opens(db, key):
                if len(keys.entries) > 1 or keys.pending:
                    _settle(db, keys.path, key)
                keys.remember(key)
                return key
    if tried and len(keys.entries) > 1:  # the old key, and a rekey put the new one on the store
        raise StoreError(t("keys.rekey_unfinished", path=db))
    if tried:  # a key the keys file vouches for, and the store does not open with it
        raise StoreError(t("keys.other_store", path=db, keys=keys.path.name))
    if keys.uses_passphrase() or keyfile.given() is not None:
        raise StoreError(t("keys.locked", path=db, env=keyfile.ENV_PASSPHRASE))
    raise StoreError(t("keys.keyring_lost", path=db))


def _settle(db: Path, keys_path: Path, key: bytes) -> None:
    """A keys file with two keys is a rekey that was stopped: keep the one that opens the store."""
    with keyfile.folder_lock(db.parent):
        keys = keyfile.Keys.read(keys_path)
        entry = keys.entry_of(key)
        if entry is None or not _opens(db, key) or (len(keys.entries) < 2 and not keys.pending):
            return
        others = [e for e in keys.entries if e is not entry]
        if entry is not keys.entries[0]:  # the re-encryption was done: its recovery key was never shown
            keyfile.notice(t("keys.rekey_no_recovery"))
        keys.entries = [entry]
        keys.pending = False
        keys.write()
        keyfile.drop_keyring(keys, others)


def _create(db: Path, key: bytes) -> None:
    """A new, empty sealed store: its first page written now, so it is seen as sealed at once."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(db, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        keyed(conn, key)
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _convert(db: Path, key: bytes) -> None:
    """A plaintext store encrypted in place: copied into a sealed file beside it, checked, renamed
    over it, and the old file's bytes overwritten before they are let go."""
    work = db.with_name(db.name + ".encrypting")
    for leftover in (work, Path(f"{work}-wal"), Path(f"{work}-shm"), Path(f"{work}-journal")):
        leftover.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(db, isolation_level=None)
        try:
            src.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            version = int(src.execute("PRAGMA user_version").fetchone()[0])
            src.execute(f"ATTACH DATABASE ? AS sealed KEY \"x'{key.hex()}'\"", (str(work),))
            src.execute("BEGIN IMMEDIATE")  # no other process writes while it is copied
            src.execute("SELECT sqlcipher_export('sealed')")
            src.execute(f"PRAGMA sealed.user_version = {version}")
            src.execute("COMMIT")
            src.execute("DETACH DATABASE sealed")
        finally:
            src.close()
        _check_copy(db, work, key, version)
    except sqlite3.Error as exc:
        work.unlink(missing_ok=True)
        raise StoreError(t("keys.convert_failed", path=db, reason=exc)) from None
    wal = Path(f"{db}-wal")
    if wal.exists() and wal.stat().st_size:  # another program has the plaintext store open
        work.unlink(missing_ok=True)
        raise StoreError(t("keys.in_use", path=db))
    _fsync(work)
    with open(db, "r+b") as old:
        os.replace(work, db)
        keyfile.sync_folder(db.parent)
        size = os.fstat(old.fileno()).st_size
        old.seek(0)
        block = b"\0" * 65536
        for _ in range(0, size, len(block)):
            old.write(block)
        old.flush()
        os.fsync(old.fileno())
    for leftover in (wal, Path(f"{db}-shm")):
        leftover.unlink(missing_ok=True)


def _check_copy(db: Path, work: Path, key: bytes, version: int) -> None:
    """The sealed copy holds every row of every table of the plaintext one, and opens with the key."""
    plain = sqlite3.connect(db, isolation_level=None)
    sealed = sqlite3.connect(work, isolation_level=None)
    try:
        keyed(sealed, key)
        if sealed.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("the encrypted copy did not pass its check")
        if int(sealed.execute("PRAGMA user_version").fetchone()[0]) != version:
            raise sqlite3.DatabaseError("the encrypted copy lost its schema version")
        tables = [r[0] for r in plain.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            count = f'SELECT count(*) FROM "{table}"'
            if plain.execute(count).fetchone() != sealed.execute(count).fetchone():
                raise sqlite3.DatabaseError(f"the encrypted copy of {table} is not whole")
    finally:
        plain.close()
        sealed.close()


def rekey(db: Path, new_passphrase: str | None) -> str:
    """A new key for the store, kept as the old one was (the keyring, or a new passphrase: given,
    or asked for), and a new recovery key, returned to be shown. The old key, its passphrase and its
    recovery key open nothing afterwards."""
    old = open_key(db)
    with keyfile.folder_lock(db.parent):
        keys = keyfile.Keys.read(keyfile.keys_path(db))
        current = keys.entry_of(old) or keys.entries[0]
        given = new_passphrase if new_passphrase is not None else os.environ.get(ENV_NEW_PASSPHRASE) or None
        key, entry, recovery = keyfile.new_key(
            keys, db, given, keyring=bool(current.get("keyring")), env=ENV_NEW_PASSPHRASE
        )
        keys.entries = [current, entry]
        keys.write()  # both keys first: killed during the re-encryption, one of them opens the store
        conn = sqlite3.connect(db, isolation_level=None)
        try:
            keyed(conn, old)
            conn.execute(f"PRAGMA rekey = \"x'{key.hex()}'\"")
        except sqlite3.Error as exc:
            raise StoreError(t("keys.rekey_failed", path=db, reason=exc)) from None
        finally:
            conn.close()
        keys.entries = [entry]
        keys.write()
        keyfile.drop_keyring(keys, [current])
        keyfile.forget()
        keys.remember(key)
    return recovery
