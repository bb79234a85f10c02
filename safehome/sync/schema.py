"""The clinic server's schema: one SQL file a step in ``migrations/``, applied in order.

A step's number is its version (the servers in use keep it in ``safehome.clinic``); its name is
what it does. Never edit a released file: add the next one (a test holds each released file's
hash). ``{clinician}`` and ``{lead}`` in a file stand for the clinic's two group roles.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent / "migrations"
SYNCED = ("people", "assessments", "answer_history", "tombstones", "conflicts")  # the tables a laptop syncs


class Migration(NamedTuple):
    name: str
    statements: list[str]


def _read(path: Path) -> Migration:
    """A step's statements: each ends with a line holding only ';' (function bodies hold their own)."""
    text = path.read_text(encoding="utf-8")
    statements = [s.strip() for s in text.split("\n;\n") if s.strip()]
    return Migration(path.stem.split("_", 1)[1], statements)


def _steps() -> list[Migration]:
    files = sorted(HERE.glob("[0-9][0-9][0-9][0-9]_*.sql"))
    numbers = [int(f.name[:4]) for f in files]
    if numbers != list(range(1, len(files) + 1)):  # a gap or a double would skip or repeat a step
        raise RuntimeError(f"safehome's clinic migrations are numbered {numbers}")
    return [_read(f) for f in files]


MIGRATIONS: list[Migration] = _steps()
VERSION = len(MIGRATIONS)
