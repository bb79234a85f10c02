"""The verbs both faces use: open, check, compare, report, export, forget, log a fault.

The CLI and the app parse input and show output; everything they *do* is here, once.
Layers (checked by import-linter): the core (models, answers, scoring, ...) below the
store and the PDF, this module above them, the CLI and the app on top. Heavy libraries
are imported inside the verb that needs them, never at start-up.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import traceback
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from safehome.core.errors import InputError, Issue, UsageError
from safehome.storage.files import OutputExists, write_atomic
from safehome.storage.paths import data_dir
from safehome.i18n.words import ENGLISH, LANGUAGES, choose_language, current_language, set_language, speaking, t

if TYPE_CHECKING:
    from safehome.core.compare import Comparison
    from safehome.core.models import Assessment, Checklist
    from safehome.core.terms import Audience, Paper
    from safehome.core.records import Conflict, Person, Summary
    from safehome.storage.store import Store

AUDIENCES: tuple[Audience, ...] = ("home", "clinician")  # the order PDFs are written in
PAPERS: tuple[Paper, ...] = ("letter", "a4")
REPORTS_DIR = Path("reports")
ERROR_LOG = "safehome-errors.log"
LOG_SEPARATOR = "\n----\n"  # ends every entry of the error log


@dataclass(frozen=True, slots=True)
class Opened:
    """An assessment ready to score: its checklist, and its stored id when it came from the store."""

    checklist: Checklist
    assessment: Assessment
    stored_id: int | None = None
    nameless: bool = False  # a de-identified FHIR copy: never matched to a person by name


# --------------------------------------------------------------------------- opening


def open_store(data: str | Path | None = None) -> Store:
    from safehome.storage.store import open_store as _open

    return _open(data)


def checked(assessment: Assessment, source: str, checklist_path: str | Path | None = None) -> Checklist:
    """The assessment's checklist, once its answers are known to fit it (InputError naming ``source``),
    in the language in use when it comes in it."""
    from safehome.core import catalog
    from safehome.core.loader import load_checklist
    from safehome.core.scoring import answer_problems

    if checklist_path:
        checklist = load_checklist(checklist_path)
    else:
        try:
            checklist = catalog.find(assessment.checklist_id, assessment.checklist_version)
        except InputError as exc:
            raise InputError([Issue(source, None, i.where or "checklist_id", i.message) for i in exc.issues]) from None
    problems = answer_problems(checklist, assessment)
    if problems:
        top_level = ("checklist_id", "checklist_version", "mode")
        raise InputError(
            [Issue(source, None, key if key in top_level else f"answers/{key}", msg) for key, msg in problems]
        )
    return checklist if checklist_path else in_language(checklist, current_language())  # its words in the run's


def validate_checklist(path: Path) -> Checklist:
    """A checklist file checked as ``checklist validate`` does; a translation also against its
    English twin (beside it, else the bundled one): any difference but the words is an issue."""
    from safehome.core import catalog, twins
    from safehome.core.loader import load_checklist

    checklist = load_checklist(path)
    if checklist.language == ENGLISH:
        return checklist
    english: Checklist | None = None
    beside = twins.twin_path(path)
    if beside != path and beside.is_file():
        english = load_checklist(beside)
    else:
        with contextlib.suppress(InputError):
            english = catalog.find(checklist.id, checklist.version)
    if english is None and not beside.is_file():  # a checklist of the user's own, in its own language
        return checklist
    if english is None or english.language != ENGLISH or english.id != checklist.id:
        raise InputError([Issue(str(path), None, "", t("twin.no_english", path=beside))])
    issues = twins.drift(english, checklist, path.read_text(encoding="utf-8-sig"), str(path))
    if issues:
        raise InputError(issues)
    return checklist


def open_file(path: str | Path, today: date, checklist_path: str | Path | None = None) -> Opened:
    """Read an answers file, or a FHIR QuestionnaireResponse of one of our checklists (alone or in a
    Bundle), and check it against its checklist."""
    from safehome.core import catalog
    from safehome.exchange import fhir
    from safehome.core.loader import load_assessment_data, read_json

    data = read_json(path)
    named = True
    if fhir.is_fhir(data):
        data, named = fhir.assessment_data(data, str(path), catalog.find)
    assessment = load_assessment_data(data, str(path), today)
    return Opened(checked(assessment, str(path), checklist_path), assessment, nameless=not named)


def open_stored(store: Store, assessment_id: int, checklist_path: str | Path | None = None) -> Opened:
    stored = store.load(assessment_id)
    where = t("service.stored_source", id=assessment_id)
    return Opened(checked(stored.assessment, where, checklist_path), stored.assessment, assessment_id)


def open_assessment(
    ref: str,
    *,
    data: str | Path | None,
    today: date,
    checklist_path: str | Path | None = None,
) -> Opened:
    """An answers file, or the id of a stored assessment (digits that are not a file's name)."""
    if ref.isascii() and ref.isdigit() and not Path(ref).exists():
        if len(ref) > 18:
            raise UsageError(t("cli.bad_id", value=ref[:40]))
        with open_store(data) as store:
            return open_stored(store, int(ref), checklist_path)
    return open_file(ref, today, checklist_path)


def version_note(checklist: Checklist) -> str | None:
    """When an assessment was made with an earlier version: what the current one would add."""
    from safehome.core import catalog

    try:
        current = catalog.find(checklist.id)
    except InputError:  # a checklist of the user's own, not one that ships
        return None
    if current.version == checklist.version:
        return None
    new = [i for _, i in current.items() if i.id not in checklist.index]
    signs = sum(1 for i in new if i.red_flag)
    return t("service.older_version", version=checklist.version, current=current.version, count=len(new), signs=signs)


# --------------------------------------------------------------------------- FHIR


def questionnaire_json(checklist_id: str) -> bytes:
    """A bundled checklist as an R4 SDC Questionnaire (``checklist export-fhir``)."""
    from safehome.core import catalog
    from safehome.exchange import fhir

    checklist = in_language(catalog.find(checklist_id), current_language())
    return _json_bytes(fhir.questionnaire(checklist))


def bundle_json(store: Store, assessment_id: int, *, named: bool = True, language: str | None = None) -> bytes:
    """A stored assessment as a FHIR results Bundle, in its documents' language; the same
    resource ids every time (made from the assessment's own UUID)."""
    from safehome.exchange import fhir
    from safehome.core.scoring import build_plan, score

    stored = store.load(assessment_id)
    checklist = checked(stored.assessment, t("service.stored_source", id=assessment_id))
    checklist = in_language(checklist, document_language(stored.assessment, language))
    with speaking(checklist.language if checklist.language in LANGUAGES else ENGLISH):
        result = score(checklist, stored.assessment)
        plan = build_plan(checklist, stored.assessment, result)
        data = fhir.bundle(
            checklist,
            stored.assessment,
            result,
            plan,
            key=store.uuid_of(assessment_id),
            named=named,
            finished=stored.status == "finished",
        )
    return _json_bytes(data)


def _json_bytes(data: object) -> bytes:
    """Indented UTF-8 JSON, written by pydantic's compiled serializer (the json module's indented
    path is pure Python and took three quarters of the time of a Bundle)."""
    from pydantic_core import to_json

    return to_json(data, indent=2) + b"\n"


# --------------------------------------------------------------------------- comparing


def compare(checklist: Checklist, old: Assessment, new: Assessment) -> Comparison:
    from safehome.core.compare import compare as _compare

    return _compare(checklist, old, new)


def previous_comparison(
    store: Store, stored_id: int, checklist: Checklist, assessment: Assessment
) -> Comparison | None:
    """What changed since the person's previous assessment with the same checklist and version."""
    earlier = store.previous(stored_id)
    if earlier is None or earlier.assessment.checklist_version != checklist.version:
        return None
    return compare(checklist, earlier.assessment, assessment)


# --------------------------------------------------------------------------- writing files


def check_output(path: Path) -> None:
    """A clear UsageError when ``path`` cannot be a file we write."""
    if path.is_dir():
        raise UsageError(t("service.output_is_folder", path=path))
    if path.is_symlink() or (path.exists() and not path.is_file()):  # a device, a pipe, a link: never replaced
        raise UsageError(t("service.output_not_regular", path=path))
    if str(path.parent) not in ("", ".") and not path.parent.is_dir():
        raise UsageError(t("service.no_folder", path=path.parent))


def write_output(path: Path, data: bytes, *, force: bool) -> Path:
    """Write a file atomically, 0600, never over an existing one without ``force``."""
    check_output(path)
    try:
        return write_atomic(path, data, force=force)
    except OutputExists:
        raise UsageError(t("service.exists", path=path)) from None
    except PermissionError:
        raise UsageError(t("service.permission", path=path)) from None
    except OSError as exc:  # full, read-only, a name too long, a folder gone: one sentence, exit 2
        raise UsageError(t("service.write_failed", path=path, reason=exc.strerror or type(exc).__name__)) from None


def default_report_path(
    assessment: Assessment, audience: str, large_print: bool, folder: Path = REPORTS_DIR, language: str = ENGLISH
) -> Path:
    """``<folder>/<date>-<initials>-<audience>[-large][-fr].pdf`` (a document in French says so).

    Initials are ASCII letters only, so no name can steer the path.
    """
    name = f"{assessment.assessed_on.isoformat()}-{assessment.profile.initials()}-{audience}"
    if large_print:
        name += "-large"
    if language != ENGLISH:
        name += "-" + language.split("-")[0]
    return folder / f"{name}.pdf"


def document_language(assessment: Assessment, asked: str | None = None) -> str:
    """The language of an assessment's documents: the one asked for (``--lang``), else the one
    chosen for the assessment, else the language in use."""
    return asked or assessment.language or current_language()


def in_language(checklist: Checklist, language: str) -> Checklist:
    """The checklist a document in ``language`` is made from: its translation when one ships
    (same ids and scoring), else the checklist itself, so that a document is in one language."""
    from safehome.core import catalog

    if language == checklist.language:
        return checklist
    try:
        shipped = catalog.find(checklist.id, checklist.version, checklist.language)
        twin = catalog.find(checklist.id, checklist.version, language)
    except InputError:  # a checklist of the user's own
        return checklist
    if shipped is not checklist:  # the user's own file (--checklist), even with a shipped id: never swapped
        return checklist
    return twin if twin.language == language else checklist


def free_path(path: Path) -> Path:
    """``path``, or ``name-2.pdf``, ``name-3.pdf``... the first that does not exist yet."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def render_report(
    checklist: Checklist,
    assessment: Assessment,
    *,
    audience: Audience,
    large_print: bool,
    comparison: Comparison | None = None,
    all_items: bool = False,
    paper: Paper = "letter",
) -> bytes:
    from safehome.reports import render_plan
    from safehome.core.scoring import build_plan, score

    result = score(checklist, assessment)
    plan = build_plan(checklist, assessment, result)
    return render_plan(
        checklist,
        assessment,
        result,
        plan,
        audience=audience,
        large_print=large_print,
        comparison=comparison,
        all_items=all_items,
        paper=paper,
    )


def write_report(
    checklist: Checklist,
    assessment: Assessment,
    *,
    audience: Audience,
    large_print: bool = False,
    output: Path | None = None,
    folder: Path = REPORTS_DIR,
    force: bool = False,
    fresh_name: bool = False,
    comparison: Comparison | None = None,
    all_items: bool = False,
    paper: Paper = "letter",
    record: tuple[Store, int] | None = None,
    language: str | None = None,
) -> Path:
    """The one way a PDF plan is named, checked and written.

    With ``record`` (store, assessment id) the store keeps the file's path and hash, so the app
    can show it out of date and deleting the person removes it.

    ``output`` names the file; otherwise it goes to ``folder`` under its default name
    (with ``fresh_name``, ``-2``, ``-3``... rather than refusing a name that is taken).

    The document is in :func:`document_language` (``language`` is what the user asked for), made
    from the checklist's translation into it; wholly in English when the checklist has none.
    """
    checklist = in_language(checklist, document_language(assessment, language))
    speaks = checklist.language if checklist.language in LANGUAGES else ENGLISH
    if output is None:
        path = default_report_path(assessment, audience, large_print, folder, speaks)
        if fresh_name:
            path = free_path(path)
        if not path.parent.exists():
            path.parent.mkdir(mode=0o700, parents=True)
    else:
        path = output
    check_output(path)
    if path.suffix.lower() != ".pdf":
        raise UsageError(t("service.not_pdf", path=path))
    if path.exists() and not force:
        raise UsageError(t("service.exists", path=path))
    with speaking(speaks):
        data = render_report(
            checklist,
            assessment,
            audience=audience,
            large_print=large_print,
            comparison=comparison if audience == "clinician" else None,
            all_items=all_items,
            paper=paper,
        )
    written = write_output(path, data, force=force)
    if record is not None:
        store, stored_id = record
        store.record_file(stored_id, written, data, assessment.digest())
    return written


# --------------------------------------------------------------------------- every stored assessment

_WORKER: dict[str, Any] = {}


def _worker_init(
    db_path: str,
    out_dir: str,
    audience: Audience,
    large_print: bool,
    force: bool,
    paper: Paper = "letter",
    language: str = ENGLISH,
    asked: str | None = None,
) -> None:
    from safehome.core import catalog
    from safehome.storage.store import Store

    set_language(language)  # a worker process speaks the language of the command that started it
    _WORKER.update(
        store=Store(Path(db_path)),
        find=catalog.find,
        out=Path(out_dir),
        audience=audience,
        large_print=large_print,
        force=force,
        paper=paper,
        asked=asked,
    )


BatchOutcome = Literal["written", "exists", "skipped"]


def _worker_one(assessment_id: int) -> tuple[int, BatchOutcome, str]:
    """(id, outcome, path or reason) for one stored assessment."""
    w = _WORKER
    stored = w["store"].load(assessment_id)
    try:
        checklist = w["find"](stored.assessment.checklist_id, stored.assessment.checklist_version)
    except InputError:
        reason = t(
            "service.batch_not_installed",
            id=stored.assessment.checklist_id,
            version=stored.assessment.checklist_version,
        )
        return assessment_id, "skipped", reason
    speaks = in_language(checklist, document_language(stored.assessment, w["asked"])).language
    path = default_report_path(stored.assessment, w["audience"], w["large_print"], w["out"], speaks)
    path = path.with_name(f"{path.stem}-{assessment_id}{path.suffix}")  # one name per id: workers never collide
    if path.exists() and not w["force"]:
        return assessment_id, "exists", str(path)
    try:
        write_report(
            checklist,
            stored.assessment,
            audience=w["audience"],
            large_print=w["large_print"],
            output=path,
            force=w["force"],
            paper=w["paper"],
            record=(w["store"], assessment_id),
            language=w["asked"],
        )
    except UsageError as exc:  # taken by another process a moment ago, or not writable
        return assessment_id, "skipped", str(exc)
    return assessment_id, "written", str(path)


def write_all_reports(
    db_path: Path,
    ids: list[int],
    out_dir: Path,
    *,
    audience: Audience,
    large_print: bool,
    force: bool,
    jobs: int,
    paper: Paper = "letter",
    language: str | None = None,
) -> list[tuple[int, BatchOutcome, str]]:
    """A plan for every id, on ``jobs`` processes; files are named ...-ID.pdf.

    Each in its assessment's document language, or in ``language`` when the user asked for one.
    """
    out_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    args = (str(db_path), str(out_dir), audience, large_print, force, paper, current_language(), language)
    if jobs <= 1:
        _worker_init(*args)
        return [_worker_one(i) for i in ids]
    import multiprocessing

    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    with context.Pool(jobs, initializer=_worker_init, initargs=args) as pool:
        return pool.map(_worker_one, ids, chunksize=max(1, len(ids) // (jobs * 8)))


# --------------------------------------------------------------------------- people


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
    for written in store.person_files(person_id):
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
    count = store.delete_person(person_id)
    return Deleted(count, tuple(dict.fromkeys(removed)), tuple(dict.fromkeys(left)), scrubbed)


def find_people(store: Store, ref: str) -> list[Person]:
    """The people a reference means: a person id (digits), else everyone whose name matches."""
    if ref.strip().isascii() and ref.strip().isdigit():
        if len(ref.strip()) > 18:
            raise UsageError(t("cli.bad_id", value=ref[:40]))
        return [store.person(int(ref))]
    return store.people(name=ref)


# --------------------------------------------------------------------------- the clinic server
# (psycopg is imported by safehome.clinic, and safehome.clinic only here, inside these verbs)


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
    text = t("sync.status.never") if at is None else t("sync.status.at", when=_local_minute(at))
    unsent = store.unsent()
    return text + (" · " + t("sync.status.unsent", count=unsent) if unsent else "")


def _local_minute(stamp: str) -> str:
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
                "      " + t("sync.conflict_change", value=shown, who=who, when=_local_minute(change.changed_at))
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


# --------------------------------------------------------------------------- faults


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


def scrub_log(names: set[str], data: str | Path | None = None) -> int:
    """Remove every error-log entry that holds one of these names; how many went."""
    log = data_dir(data) / ERROR_LOG
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 0
    entries = text.split(LOG_SEPARATOR)
    keys = {n.casefold() for n in names if n.strip()}
    kept = [e for e in entries if not any(k in e.casefold() for k in keys)]
    if len(kept) == len(entries):
        return 0
    write_atomic(log, LOG_SEPARATOR.join(kept).encode("utf-8"), force=True)
    return len(entries) - len(kept)


def fault_text(exc: BaseException) -> str:
    """Where a fault happened (every frame, every chained exception's type) without any message:
    messages can hold what a user typed (a name in pydantic's input_value), and the log must not."""
    lines: list[str] = []
    current: BaseException | None = exc
    seen: set[int] = set()
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        lines.append(f"{type(current).__module__}.{type(current).__qualname__}")
        for frame in traceback.extract_tb(current.__traceback__):
            lines.append(f"  {frame.filename}:{frame.lineno} in {frame.name}")
        current = current.__cause__ or current.__context__
    return "\n".join(lines)


def log_fault(exc: BaseException, data: str | Path | None = None) -> str | None:
    """Write the details of an unexpected fault to the data folder's log (0600); return its path."""
    try:
        log = data_dir(data) / ERROR_LOG
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as handle:
            handle.write(fault_text(exc) + LOG_SEPARATOR)
        return str(log)
    except Exception:  # logging must never raise over the fault it reports
        return None
