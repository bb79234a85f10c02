"""Finding the checklists that ship with safehome.

In an installed wheel they live in ``safehome/checklists``; in a source checkout (and an
editable install) they are read from the repository's ``checklists/`` folder.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from safehome.core.loader import InputError, Issue, load_checklist
from safehome.core.models import Checklist
from safehome.i18n.words import ENGLISH, t

_PACKAGE = Path(__file__).resolve().parents[1]  # safehome/: a wheel carries the checklists there


def checklist_dir() -> Path:
    for candidate in (_PACKAGE / "checklists", _PACKAGE.parent / "checklists"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(t("catalog.missing"))


def bundled_paths() -> list[Path]:
    return sorted(checklist_dir().glob("*.yaml"))


@lru_cache(maxsize=32)
def _load_cached(path: str, mtime_ns: int) -> Checklist:
    return load_checklist(path)


def load(path: Path) -> Checklist:
    """Load a checklist file, reusing the parsed model while the file is unchanged."""
    return _load_cached(str(path), path.stat().st_mtime_ns)


def bundled() -> list[tuple[Path, Checklist]]:
    """The current version of every bundled checklist, in every language it comes in."""
    return [(path, load(path)) for path in bundled_paths()]


def current(language: str | None = None) -> dict[str, Checklist]:
    """The current version of each bundled checklist by id, in ``language`` where it comes in it."""
    english = [load(path) for path in bundled_paths() if _maybe_english(path)]
    return {c.id: find(c.id, None, language) for c in english if c.language == ENGLISH}


def archived_paths() -> list[Path]:
    """Earlier versions, kept so that assessments made with them open and score as they were."""
    return sorted((checklist_dir() / "archive").glob("*.yaml"))


def find(checklist_id: str, version: str | None = None, language: str | None = None) -> Checklist:
    """The bundled checklist with this id (the current version, or ``version`` if given).

    In ``language`` when it comes in that language (a translation has the same ids and scoring),
    else in English. InputError naming what there is when none fits: the ids, or the installed version.
    """
    english = _find_english(checklist_id, version)
    if language is None or language == english.language:
        return english
    for path in [*bundled_paths(), *archived_paths()]:
        checklist = load(path)
        if (checklist.id, checklist.version, checklist.language) == (english.id, english.version, language):
            return checklist
    return english


def _maybe_english(path: Path) -> bool:
    """Not a translation by its name (``name.fr.yaml``): a translation is read only when asked for."""
    parts = path.name.split(".")
    return len(parts) < 3 or parts[-2] == ENGLISH.split("-")[0] or len(parts[-2]) != 2


def _find_english(checklist_id: str, version: str | None) -> Checklist:
    loaded = (load(path) for path in bundled_paths() if _maybe_english(path))
    current = {c.id: c for c in loaded if c.language == ENGLISH}
    if checklist_id not in current:
        known = ", ".join(current)
        raise InputError([Issue("checklists", None, "", t("catalog.no_id", id=checklist_id, known=known))])
    if version is None or current[checklist_id].version == version:
        return current[checklist_id]
    for path in filter(_maybe_english, archived_paths()):
        checklist = load(path)
        if (checklist.id, checklist.version, checklist.language) == (checklist_id, version, ENGLISH):
            return checklist
    wanted = current[checklist_id].version
    message = t("answers.other_version", found=version, wanted=wanted)
    raise InputError([Issue("checklists", None, "checklist_version", message)])
