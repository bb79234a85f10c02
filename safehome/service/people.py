"""People: finding them by id or name, and forgetting one completely."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from safehome.core.errors import UsageError
from safehome.i18n.words import t
from safehome.service.faults import scrub_log

if TYPE_CHECKING:
    from safehome.core.records import Person, Written
    from safehome.storage.store import Store


@dataclass(frozen=True, slots=True)
class Deleted:
    """What deleting a person removed, and any file of theirs that could not be removed."""

    assessments: int
    files_removed: tuple[str, ...]
    files_left: tuple[str, ...]  # changed since safehome wrote it, or could not be removed
    log_entries: int


def delete_person(store: Store, person_id: int, data: str | Path | None = None) -> Deleted:
    """The one way a person is forgotten: the files safehome wrote for them (when unchanged since),
    the error-log entries that name them, then every row of theirs in the store."""
    person = store.person(person_id)
    removed: list[str] = []
    left: list[str] = []

    def remove(files: list[Written]) -> None:  # inside the deletion's transaction, under its lock
        for written in files:
            path = Path(written.path)
            try:
                if path.is_symlink() or not path.is_file():
                    continue  # gone already (moved or deleted by the user)
                if hashlib.sha256(path.read_bytes()).hexdigest() != written.sha256:
                    left.append(written.path)  # changed since: not ours to remove; named instead
                    continue
                path.unlink()
                removed.append(written.path)
            except OSError:
                left.append(written.path)

    names = store.names(person.id)
    scrubbed = scrub_log(names, data)
    count = store.delete_person(person_id, remove)
    return Deleted(count, tuple(dict.fromkeys(removed)), tuple(dict.fromkeys(left)), scrubbed)


def find_people(store: Store, ref: str) -> list[Person]:
    """The people a reference means: a person id (digits), else everyone whose name matches."""
    if ref.strip().isascii() and ref.strip().isdigit():
        if len(ref.strip()) > 18:
            raise UsageError(t("cli.bad_id", value=ref[:40]))
        return [store.person(int(ref))]
    return store.people(name=ref)
