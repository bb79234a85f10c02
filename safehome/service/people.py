"""People: finding them by id or name, and forgetting one completely."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
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
    remover = Remover()
    names = store.names(person.id)
    scrubbed = scrub_log(names, data)
    count = store.delete_person(person_id, remover)
    return Deleted(count, remover.removed_paths, remover.left_paths, scrubbed)


class Remover:
    """Removes files safehome wrote, each only when it is unchanged since (its SHA-256 as recorded):
    a file the user changed, or one that cannot be removed, is named instead; one already gone is
    skipped. Called inside the store's transaction, under the lock a file being written takes too."""

    def __init__(self) -> None:
        self.removed: list[str] = []
        self.left: list[str] = []

    def __call__(self, files: list[Written]) -> None:
        for written in files:
            path = Path(written.path)
            try:
                if path.is_symlink() or not path.is_file():
                    continue  # gone already (moved or deleted by the user)
                if hashlib.sha256(path.read_bytes()).hexdigest() != written.sha256:
                    self.left.append(written.path)  # changed since: not ours to remove; named instead
                    continue
                path.unlink()
                self.removed.append(written.path)
            except OSError:
                self.left.append(written.path)

    @property
    def removed_paths(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.removed))

    @property
    def left_paths(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.left))


PURGE_DAYS = 30  # what the app offers to remove: documents older than a month (a safehome rule)


@dataclass(frozen=True, slots=True)
class Purged:
    """What purging old files removed, and what it left (changed since, or not removable)."""

    removed: tuple[str, ...]
    left: tuple[str, ...]


def purge_files(store: Store, older_than_days: int, now: datetime) -> Purged:
    """Remove the PDFs, letters and exports safehome wrote more than ``older_than_days`` days before
    ``now`` (each only when unchanged since), and forget their records; the visits stay."""
    cutoff = (now - timedelta(days=older_than_days)).isoformat(timespec="microseconds")
    remover = Remover()
    store.purge_files(cutoff, remover)
    return Purged(remover.removed_paths, remover.left_paths)


def find_people(store: Store, ref: str) -> list[Person]:
    """The people a reference means: a person id (digits), else everyone whose name matches."""
    if ref.strip().isascii() and ref.strip().isdigit():
        if len(ref.strip()) > 18:
            raise UsageError(t("cli.bad_id", value=ref[:40]))
        return [store.person(int(ref))]
    return store.people(name=ref)
