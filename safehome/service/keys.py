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
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise UsageError(t("keys.file_unreadable", path=path, reason=reason)) from None
    line = text.splitlines()[0] if text.strip() else ""
    if not line or len(data) > MAX_SECRET_FILE:
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
    from safehome.storage.paths import data_dir

    keys = _keys.Keys.read(data_dir(data, create=False) / _keys.KEYS_NAME)
    return keys.unlock(secret)


def store_uses_passphrase(data: str | Path | None = None) -> bool:
    """Whether the store is opened with a passphrase (else the keyring holds its key)."""
    from safehome.storage.paths import data_dir

    path = data_dir(data, create=False) / _keys.KEYS_NAME
    return path.exists() and _keys.Keys.read(path).uses_passphrase()


def database_file(data: str | Path | None = None) -> Path:
    from safehome.storage.paths import data_dir
    from safehome.storage.schema import DB_NAME

    return data_dir(data, create=False) / DB_NAME


def rekey(data: str | Path | None, new_passphrase_file: str | Path | None = None) -> str:
    """A new key for the store (and a new recovery key, returned to be shown once)."""
    from safehome.storage.encryption import rekey as _rekey

    new = read_secret(new_passphrase_file) if new_passphrase_file else None
    return _rekey(database_file(data), new)
