"""The clinic server: setting it up, connecting this laptop, syncing, and what a sync did in words.

psycopg is imported by ``safehome.sync`` only, and ``safehome.sync`` only here, inside these verbs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from safehome.core.errors import InputError, UsageError
from safehome.i18n.words import t
from safehome.service.opening import open_stored
from safehome.service.people import delete_person

if TYPE_CHECKING:
    from safehome.core.models import Checklist
    from safehome.core.records import Conflict, Summary
    from safehome.storage.store import Store


@dataclass(frozen=True, slots=True)
class Connected:
    server: str
    role: str
    tls: bool
    clinician: bool
    clinician_role: str


@dataclass(frozen=True, slots=True)
class ClinicSetUp:
    server: str
    before: int  # the schema's version before, and after
    after: int
    roles_made: tuple[str, ...]
    clinician_role: str
    lead_role: str


def init_clinic(url: str) -> ClinicSetUp:
    """Create or migrate the clinic's schema and its two group roles."""
    from safehome.sync import server as clinic

    try:
        done = clinic.init(url)
    except clinic.ClinicError as exc:
        raise UsageError(str(exc)) from None
    return ClinicSetUp(clinic.where(url), done.before, done.after, done.roles_made, done.clinician_role, done.lead_role)


def connect_clinic(store: Store, url: str) -> Connected:
    """Check the server is a safehome clinic store we may use, then remember its address here
    (the address only: a password stays where PostgreSQL keeps it)."""
    from safehome.sync import server as clinic

    try:
        server = clinic.look(url)
        clinic.same_schema(server)
    except clinic.ClinicError as exc:
        raise UsageError(str(exc)) from None
    known = store.sync_value("clinic")
    if known not in (None, server.clinic_id):  # one clinic's people never go to another's server
        raise UsageError(t("clinic.other_clinic", server=server.where))
    store.set_sync_values(url=url, role=server.role)
    return Connected(server.where, server.role, server.tls, server.clinician, server.clinician_role)


def connected_lines(done: Connected) -> list[str]:
    """What connecting this laptop found, in words (the CLI prints them, the app shows them)."""
    lines = [t("clinic.connect.done", server=done.server, role=done.role)]
    lines.append(t("clinic.connect.tls" if done.tls else "clinic.connect.no_tls"))
    if not done.clinician:
        lines.append(t("clinic.connect.not_member", role=done.role, group=done.clinician_role))
    return lines


@dataclass(frozen=True, slots=True)
class SyncReport:
    server: str
    sent: int
    sent_changes: int
    sent_deletions: int
    received: int
    received_changes: int
    deleted_here: list[str]  # the names of people deleted elsewhere, removed here with their files
    refused: list[Summary]  # someone else's visits this role may not change: kept here
    conflicts: list[Conflict]  # waiting for a clinician to confirm
    not_confirmed: int = 0  # confirmations the server refused (someone else's visit)
    not_renamed: tuple[str, ...] = ()  # the clinic's names kept: renames this role may not make


class SyncFailed(Exception):
    """The server could not be reached or the connection was lost: nothing lost, try again."""


def sync(store: Store, data: str | Path | None = None, *, full: bool = False) -> SyncReport:
    """Send what changed on this laptop and take in what changed at the clinic (see
    safehome.clinic); forget here, files included, the people deleted anywhere."""
    url = store.sync_value("url")
    if url is None:
        raise UsageError(t("clinic.not_connected"))
    from safehome.sync import server as clinic
    from safehome.sync import transfer

    deleted = _forget_deleted(store, data)  # left by a sync cut short
    try:
        with clinic.connect(url) as conn:
            done, _ = transfer.sync(conn, store, full=full)
    except clinic.ClinicError as exc:
        raise SyncFailed(str(exc)) from None
    deleted += _forget_deleted(store, data)
    store.record_event("synced")
    return SyncReport(
        done.server.where if done.server else clinic.where(url),
        done.sent_assessments,
        done.sent_changes,
        done.sent_deletions,
        done.received_assessments,
        done.received_changes,
        deleted,
        store.by_uuid(done.refused),
        store.conflicts(),
        done.not_confirmed,
        tuple(sorted(done.not_renamed.values())),
    )


def _forget_deleted(store: Store, data: str | Path | None) -> list[str]:
    names = []
    for person_id in store.pending_deletions():
        names.append(store.person(person_id).name)
        delete_person(store, person_id, data)
    store.deletions_applied()
    return names


def discard_unsent(store: Store, assessment_id: int) -> int:
    """Drop this laptop's changes to a visit the clinic refused; take the clinic's back."""
    from safehome.sync import laptop

    return laptop.discard_unsent(store, assessment_id)


def sync_status(store: Store) -> str:
    """The app's status line: when this laptop last synced, and what is waiting to be sent."""
    if store.sync_value("url") is None:
        return ""
    at = store.sync_value("synced_at")
    text = t("sync.status.never") if at is None else t("sync.status.at", when=local_minute(at))
    unsent = store.unsent()
    return text + (" · " + t("sync.status.unsent", count=unsent) if unsent else "")


def local_minute(stamp: str) -> str:
    """A UTC time the store kept, as this machine's local time to the minute."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp[:16]


def conflict_lines(store: Store, conflict: Conflict, checklist: Checklist | None = None) -> list[str]:
    """A conflict in words, the same in the CLI and the app: which visit, then each question
    changed on both laptops with its recent changes (value, note, who, when) and the answer kept."""
    head = t("sync.conflict_line", id=conflict.assessment_id, name=conflict.person, date=conflict.assessed_on)
    if not conflict.items:
        return [head + " " + t("sync.conflict_other_questions")]
    lines = [head]
    me = store.sync_value("role")
    for item_id in conflict.items:
        if item_id == "" or checklist is None or item_id not in checklist.index:
            lines.append("    - " + (t("sync.conflict_details") if item_id == "" else item_id))
            continue
        item = checklist.item(item_id)
        lines.append("    - " + item.prompt)
        for change in store.history(conflict.assessment_id, item_id)[-RECENT_CHANGES:]:
            shown = item.answer.shown(change.new_value) + (f" — {change.new_note}" if change.new_note else "")
            who = (
                t("sync.this_laptop")
                if change.author is None
                else t("sync.you_elsewhere")
                if change.author == me
                else change.author
            )
            lines.append(
                "      " + t("sync.conflict_change", value=shown, who=who, when=local_minute(change.changed_at))
            )
        current = store.load(conflict.assessment_id).assessment.answers.get(item_id)
        value = item.answer.shown(current.value if current else None)
        lines.append("      " + t("sync.conflict_kept", value=value))
    return lines


RECENT_CHANGES = 4


def sync_lines(store: Store, done: SyncReport, *, in_full: bool = True) -> list[str]:
    """What a sync did, in words: the CLI prints them all; the app shows the short form (the
    conflicts themselves are in each visit's review)."""
    lines = [
        t(
            "sync.done",
            server=done.server,
            sent=done.sent,
            changes=done.sent_changes,
            received=done.received,
            received_changes=done.received_changes,
        )
    ]
    if done.sent_deletions:
        lines.append(t("sync.deletions_sent", count=done.sent_deletions))
    if done.deleted_here:
        lines.append(t("sync.deleted_here", names=", ".join(done.deleted_here)))
    if done.refused:
        lines.append(t("sync.refused", count=len(done.refused)))
        lines += [
            t("sync.refused_line", id=r.id, name=r.person, date=r.assessed_on, owner=r.owner or "?")
            for r in done.refused
        ]
    if done.not_confirmed:
        lines.append(t("sync.not_confirmed", count=done.not_confirmed))
    if done.not_renamed:
        lines.append(t("sync.not_renamed", names=", ".join(done.not_renamed)))
    if done.conflicts and not in_full:
        lines.append(t("sync.conflicts_short", count=len(done.conflicts)))
    elif done.conflicts:
        lines.append(t("sync.conflicts"))
        for conflict in done.conflicts:
            try:
                checklist: Checklist | None = open_stored(store, conflict.assessment_id).checklist
            except (InputError, UsageError):
                checklist = None
            lines += conflict_lines(store, conflict, checklist)
    return lines
