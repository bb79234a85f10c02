"""The rows the clinic sync sends and receives, named: one place says which columns travel.

Both halves read these: the laptop's (``safehome.sync.laptop``, SQLite) and the server's
(``safehome.sync.server``, PostgreSQL). A synced column is added here, in the schema steps of
each side, and in the queries that read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class OutPerson(NamedTuple):
    id: int
    rev: int
    uuid: str
    name: str
    name_key: str
    created_at: str


class OutAssessment(NamedTuple):
    id: int
    rev: int
    uuid: str
    person_uuid: str
    checklist_id: str
    checklist_version: str
    mode: str
    status: str
    assessed_on: str
    profile_json: str
    language: str | None
    created_at: str
    updated_at: str


class OutChange(NamedTuple):
    id: int
    uuid: str
    assessment_uuid: str
    item_id: str
    old_value_json: str | None
    new_value_json: str | None
    old_note: str | None
    new_note: str | None
    changed_at: str
    amendment: int


class Confirmed(NamedTuple):
    uuid: str  # the conflict's
    assessment_uuid: str


class InPerson(NamedTuple):
    uuid: str
    name: str
    name_key: str
    created_at: str


class InAssessment(NamedTuple):
    uuid: str
    person_uuid: str
    checklist_id: str
    checklist_version: str
    mode: str
    status: str
    assessed_on: str
    profile_json: str
    language: str | None
    created_at: str
    updated_at: str
    owner: str | None


class InChange(NamedTuple):
    uuid: str
    assessment_uuid: str
    item_id: str
    old_value_json: str | None
    new_value_json: str | None
    old_note: str | None
    new_note: str | None
    changed_at: str
    amendment: bool
    author: str | None
    seq: int


class InConflict(NamedTuple):
    uuid: str
    assessment_uuid: str
    items: str  # a JSON list of question ids ("" for the visit's details)
    found_at: str
    found_by: str | None
    confirmed_at: str | None
    confirmed_by: str | None


def columns(row: type[tuple[object, ...]], *, skip: int = 0) -> str:
    """The column list of a row kind (less its first ``skip`` fields, the laptop's own)."""
    return ", ".join(row._fields[skip:])  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Outgoing:
    """What changed on this laptop since the last push (see :func:`safehome.sync.laptop.outgoing`)."""

    people: list[OutPerson]
    assessments: list[OutAssessment]
    history: list[OutChange]
    tombstones: list[str]
    confirmed: list[Confirmed]  # confirmed here

    def __bool__(self) -> bool:
        return bool(self.people or self.assessments or self.history or self.tombstones or self.confirmed)

    def changed(self) -> set[str]:
        """The UUIDs of the assessments whose answers or details changed here."""
        return {row.uuid for row in self.assessments} | {row.assessment_uuid for row in self.history}


@dataclass(frozen=True, slots=True)
class Incoming:
    """What the clinic server has that this laptop has not seen (see :func:`safehome.sync.laptop.apply`)."""

    people: list[InPerson]
    assessments: list[InAssessment]
    history: list[InChange]
    tombstones: list[str]
    conflicts: list[InConflict]
    cursor: int

    def __len__(self) -> int:
        return len(self.people) + len(self.assessments) + len(self.history) + len(self.tombstones) + len(self.conflicts)
