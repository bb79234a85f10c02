"""What the user chose last time (the app's theme and language), kept in the data folder."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from safehome.i18n.words import LANGUAGES, choose_language
from safehome.storage.files import write_atomic
from safehome.storage.paths import data_dir

if TYPE_CHECKING:
    pass


PREFERENCES = "preferences.json"


def preference(data: str | Path | None, key: str, allowed: set[str]) -> str | None:
    """A remembered choice (the app's theme), if it is one of ``allowed``; never an error."""
    try:
        value = json.loads((data_dir(data, create=False) / PREFERENCES).read_text(encoding="utf-8")).get(key)
    except (OSError, ValueError, AttributeError):
        return None
    return value if isinstance(value, str) and value in allowed else None


def run_language(asked: str | None, environ: Mapping[str, str], data: str | Path | None) -> str:
    """The language of this run (see :func:`safehome.i18n.words.choose_language`), with the one last
    chosen in the app remembered in the data folder; ValueError for one safehome does not speak."""
    remembered = None
    if asked is None and not environ.get("SAFEHOME_LANG"):  # the file is read only when it can count
        remembered = preference(data, "language", set(LANGUAGES))
    return choose_language(asked, environ, remembered)


def set_preference(data: str | Path | None, key: str, value: str) -> None:
    path = data_dir(data) / PREFERENCES
    try:
        current = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(current, dict):
            current = {}
    except (OSError, ValueError):
        current = {}
    current[key] = value
    with contextlib.suppress(OSError):  # a preference is a convenience: never fail over it
        write_atomic(path, json.dumps(current).encode("utf-8"), force=True)
