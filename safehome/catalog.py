"""Finding the checklists that ship with safehome.

In an installed wheel they live in ``safehome/checklists``; in a source checkout (and an
editable install) they are read from the repository's ``checklists/`` folder.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .loader import InputError, Issue, load_checklist
from .models import Checklist

_PACKAGE = Path(__file__).resolve().parent


def checklist_dir() -> Path:
    for candidate in (_PACKAGE / "checklists", _PACKAGE.parent / "checklists"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the bundled checklists are missing from this installation")


def bundled_paths() -> list[Path]:
    return sorted(checklist_dir().glob("*.yaml"))


@lru_cache(maxsize=32)
def _load_cached(path: str, mtime_ns: int) -> Checklist:
    return load_checklist(path)


def load(path: Path) -> Checklist:
    """Load a checklist file, reusing the parsed model while the file is unchanged."""
    return _load_cached(str(path), path.stat().st_mtime_ns)


def bundled() -> list[tuple[Path, Checklist]]:
    return [(path, load(path)) for path in bundled_paths()]


def find(checklist_id: str) -> Checklist:
    """The bundled checklist with this id; InputError naming the ones there are if none."""
    known = []
    for _path, checklist in bundled():
        if checklist.id == checklist_id:
            return checklist
        known.append(checklist.id)
    raise InputError(
        [Issue("checklists", None, "", f"no checklist with id '{checklist_id}' (known: {', '.join(known)})")]
    )
