"""Row numbers that are never given twice: a person's or a visit's id, once deleted, is never the
id of someone else's (a stale ``safehome report 13`` must not reach a person imported later).

``people`` and ``assessments`` were made without AUTOINCREMENT, so SQLite would hand a deleted
highest id out again. Before a deletion the highest ids are kept in ``sync_state`` (a floor), and
every new row takes one more than the higher of its table's highest id and that floor.
"""

from __future__ import annotations

from safehome.storage.driver import sqlite3

FLOORED = ("people", "assessments")


def _floor(conn: sqlite3.Connection, table: str) -> int:
    row = conn.execute("SELECT value FROM sync_state WHERE key = ?", (f"id_floor.{table}",)).fetchone()
    try:
        return int(row[0]) if row else 0
    except ValueError:
        return 0


def fresh_id(conn: sqlite3.Connection, table: str) -> int:
    """The id for a new row of ``table`` (inside the transaction that inserts it)."""
    assert table in FLOORED, table
    top = int(conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0])
    return max(top, _floor(conn, table)) + 1


def keep_floors(conn: sqlite3.Connection) -> None:
    """Before rows are deleted (inside the deleting transaction): remember the highest ids."""
    for table in FLOORED:
        top = int(conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0])
        if top > _floor(conn, table):
            conn.execute(
                """INSERT INTO sync_state (key, value) VALUES (?, ?)
                   ON CONFLICT(key) DO UPDATE SET value = excluded.value""",
                (f"id_floor.{table}", str(top)),
            )
