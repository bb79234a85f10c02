"""The SQLite the store runs on: SQLCipher 4 (``sqlcipher3``), the same DB-API as ``sqlite3`` with
every page encrypted. Storage imports ``sqlite3`` from here and nowhere else, so the whole store
(and the sync's laptop half) runs on the one driver; type checkers see the standard module's types,
which ``sqlcipher3`` mirrors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3 as sqlite3
else:
    from sqlcipher3 import dbapi2 as sqlite3

__all__ = ["keyed", "sqlite3"]


def keyed(conn: sqlite3.Connection, key: bytes) -> None:
    """Give a fresh connection its raw 256-bit key: used as it is, no key derivation (SQLCipher's
    ``x'..'`` form), so opening costs no stretching. Must come before any other statement. SQLCipher's
    own log (which writes to stderr when a key is wrong) is silenced: the store says it in words."""
    if len(key) != 32:
        raise ValueError("a store key is 32 bytes")
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
