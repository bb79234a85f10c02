"""The store's encryption as the faces see it: who is asked for the passphrase, a passphrase given
in a file, the lock, and a new key. The keys themselves are storage's (safehome.storage.keys).
"""

from __future__ import annotations

from pathlib import Path

from safehome.core.errors import UsageError
from safehome.i18n.words import t
from safehome.storage import keys as _keys
from safehome.storage.keys import MIN_PASSPHRASE as MIN_PASSPHRASE
from safehome.storage.keys import Asker as Asker
from safehome.storage.keys import passphrase_problem as passphrase_problem

MAX_SECRET_FILE = 4096


def set_asker(asker: Asker | None) -> None:
    """Who is asked for a passphrase and shown a new recovery key (None: nobody; give it instead)."""
    _keys.set_asker(asker)


def read_secret(path: str | Path) -> str:
    """A passphrase or recovery key kept in a file (its first line): one sentence when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_SECRET_FILE + 1)
    except OSError as exc:
        raise UsageError(t("keys.file_unreadable", path=path, reason=exc.strerror or type(exc).__name__)) from None
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")  # Notepad's byte-order mark is not part of it
    except UnicodeDecodeError:
        raise UsageError(t("keys.file_not_text", path=path)) from None
    if len(data) > MAX_SECRET_FILE:
        raise UsageError(t("keys.file_too_long", path=path, size=MAX_SECRET_FILE))
    line = text.splitlines()[0] if text else ""
    if not line.strip():
        raise UsageError(t("keys.file_empty", path=path))
    return line


def use_passphrase_file(path: str | Path | None) -> None:
    """``--passphrase-file``: the store's passphrase (or recovery key) for this run."""
    _keys.set_passphrase(read_secret(path) if path else None)


def lock() -> None:
    """Forget every key this process holds: the next store opened asks again."""
    _keys.forget()


def unlock(data: str | Path | None, secret: str | None) -> bool:
    """The app's lock lifted: the passphrase or recovery key opens the store's key (or, with none
    given, the keyring still gives it); the key is held again for this process."""
    keys = _keys.Keys.read(_keys.keys_path(database_file(data)))
    return keys.unlock(secret)


def store_uses_passphrase(data: str | Path | None = None) -> bool:
    """Whether the store is opened with a passphrase (else the keyring holds its key)."""
    path = _keys.keys_path(database_file(data))
    return path.exists() and _keys.Keys.read(path).uses_passphrase()


def database_file(data: str | Path | None = None) -> Path:
    from safehome.storage.paths import data_dir
    from safehome.storage.store import database_path

    return database_path(data_dir(data, create=False))


def rekey(data: str | Path | None, new_passphrase_file: str | Path | None = None) -> str:
    """A new key for the store (and a new recovery key, returned to be shown once)."""
    from safehome.storage.encryption import rekey as _rekey

    new = read_secret(new_passphrase_file) if new_passphrase_file else None
    return _rekey(database_file(data), new)
