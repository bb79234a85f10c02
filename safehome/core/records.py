"""What the store hands back: plain records the faces may show (no engine behind them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from safehome.core.terms import Status

if TYPE_CHECKING:
    from safehome.core.models import Assessment


@dataclass(frozen=True, slots=True)
class Stored:
    """An assessment as kept in the store, with its bookkeeping."""

    id: int
    status: Status
    position: str | None
    created_at: str
    updated_at: str
    assessment: Assessment
    draft: tuple[str, str] | None = None  # (item id, text typed there but not entered)


@dataclass(frozen=True, slots=True)
class Written:
    """A file safehome wrote for an assessment."""

    path: str
    sha256: str
    source: str  # the digest of the assessment it was made from (Assessment.digest)
    written_at: str


@dataclass(frozen=True, slots=True)
class Photo:
    """A photo kept on an item of a visit: a clean JPEG (no metadata), its size and caption."""

    id: int
    item_id: str
    caption: str | None
    width: int
    height: int
    added_at: str
    jpeg: bytes = b""  # left empty when only the list is wanted

    @property
    def ratio(self) -> float:
        return self.height / self.width if self.width else 1.0


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One entry of the laptop's audit log: ids only, never a person's name."""

    id: int
    at: str  # UTC, ISO 8601
    os_user: str
    clinician: str | None  # the clinician named on the visit, when there was one
    action: str  # opened, changed, amended, wrote, exported, imported, deleted, synced, purged
    person_id: int | None
    assessment_id: int | None
    sent: bool  # the clinic server has it


@dataclass(frozen=True, slots=True)
class Summary:
    """One line of the list."""

    id: int
    person_id: int
    person: str
    checklist_id: str
    checklist_version: str
    mode: str
    status: Status
    assessed_on: str
    answered: int
    updated_at: str
    owner: str | None = None  # the clinic role whose visit it is, for one received from the clinic


@dataclass(frozen=True, slots=True)
class Person:
    """A person in the store: a stable id, whatever their name is written like."""

    id: int
    uuid: str
    name: str
    assessments: int
    last_assessed: str | None


@dataclass(frozen=True, slots=True)
class Change:
    item_id: str
    old_value: Any
    new_value: Any
    old_note: str | None
    new_note: str | None
    changed_at: str
    amendment: bool = False
    author: str | None = None  # the clinic role that made it, for a change received from the clinic


@dataclass(frozen=True, slots=True)
class Conflict:
    """An assessment changed on two laptops between their syncs: both histories are kept."""

    uuid: str
    assessment_id: int
    person: str
    assessed_on: str
    items: tuple[str, ...]  # the questions changed on both (none: different questions)
    found_at: str
    found_by: str | None
    confirmed_at: str | None
    confirmed_by: str | None
