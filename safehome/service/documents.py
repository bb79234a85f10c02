"""The documents: a PDF plan named, checked and written (one or every stored one), and FHIR JSON."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from safehome.core.errors import InputError, UsageError
from safehome.storage.errors import StoreError
from safehome.core.options import ReportOptions
from safehome.i18n.words import ENGLISH, LANGUAGES, current_language, set_language, speaking, t
from safehome.storage.files import OutputExists, write_atomic
from safehome.service.opening import checked, document_language, in_language

if TYPE_CHECKING:
    from safehome.core.compare import Comparison
    from safehome.core.models import Assessment, Checklist
    from safehome.core.plan import Plan
    from safehome.core.records import Photo
    from safehome.core.score import Score
    from safehome.storage.store import Store


DEFAULTS = ReportOptions()


def reports_folder(data: str | Path | None = None) -> Path:
    """The folder of a data folder where safehome puts the files it names itself (``reports/``
    inside it, 0700): never the folder a command or ``serve`` happened to start in."""
    from safehome.storage.paths import reports_dir

    return reports_dir(data)


def private_folder(folder: Path) -> Path:
    """``folder``, made when missing with every folder it needs on the way, each 0700 (``mkdir -p``
    gives the ones on the way the umask's 0755)."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for part in reversed(missing):
        part.mkdir(mode=0o700, exist_ok=True)
    return folder


def check_output(path: Path) -> None:
    """A clear UsageError when ``path`` cannot be a file we write."""
    if path.is_dir():
        raise UsageError(t("service.output_is_folder", path=path))
    if path.is_symlink() or (path.exists() and not path.is_file()):  # a device, a pipe, a link: never replaced
        raise UsageError(t("service.output_not_regular", path=path))
    if str(path.parent) not in ("", ".") and not path.parent.is_dir():
        if path.parent.exists():  # a file where the folder should be: say that, not "no such folder"
            raise UsageError(t("cli.report.out_dir_is_file", path=path.parent))
        raise UsageError(t("service.no_folder", path=path.parent))


def write_output(
    path: Path,
    data: bytes,
    *,
    force: bool,
    record: tuple[Store, int, str] | None = None,
    event: str | None = "wrote",
) -> Path:
    """Write a file atomically, 0600, never over an existing one without ``force``.

    With ``record`` (store, assessment id, the digest it was made from) the file appears and is
    recorded in one transaction under the store's write lock, so that a deletion of the person
    racing it either removes it too or finds the assessment gone first, and nothing is written;
    the audit log has ``event`` in the same transaction."""
    check_output(path)
    try:
        if record is None:
            return write_atomic(path, data, force=force)
        store, stored_id, source = record
        written: Path | None = None
        try:
            with store.publishing(stored_id, path, data, source, event):
                written = write_atomic(path, data, force=force)
        except BaseException:
            if written is not None:  # it appeared, but its record did not commit: it goes too
                with contextlib.suppress(OSError):
                    written.unlink()
            raise
        return written
    except OutputExists:
        raise UsageError(t("service.exists", path=path)) from None
    except PermissionError:
        raise UsageError(t("service.permission", path=path)) from None
    except OSError as exc:  # full, read-only, a name too long, a folder gone: one sentence, exit 2
        raise UsageError(t("service.write_failed", path=path, reason=exc.strerror or type(exc).__name__)) from None


def default_report_path(
    assessment: Assessment, audience: str, large_print: bool, folder: Path, language: str = ENGLISH
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


def numbered(path: Path, assessment_id: int) -> Path:
    """A stored visit's file name: the default name with the visit's number (``...-home-12.pdf``)."""
    return path.with_name(f"{path.stem}-{assessment_id}{path.suffix}")


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
    options: ReportOptions = DEFAULTS,
    comparison: Comparison | None = None,
    amended_on: str | None = None,
    photos: tuple[Photo, ...] = (),
) -> bytes:
    from safehome.reports import render_plan

    result, plan = _scored(checklist, assessment)
    return render_plan(checklist, assessment, result, plan, options, comparison, amended_on, photos)


def _scored(checklist: Checklist, assessment: Assessment) -> tuple[Score, Plan]:
    from safehome.core.plan import build_plan
    from safehome.core.score import score

    result = score(checklist, assessment)
    return result, build_plan(checklist, assessment, result)


def write_report(
    checklist: Checklist,
    assessment: Assessment,
    options: ReportOptions = DEFAULTS,
    *,
    output: Path | None = None,
    folder: Path | None = None,
    fresh_name: bool = False,
    comparison: Comparison | None = None,
    record: tuple[Store, int] | None = None,
    photos: tuple[Photo, ...] = (),
) -> Path:
    """The one way a PDF plan is named, checked and written.

    With ``record`` (store, assessment id) the store keeps the file's path and hash, so the app
    can show it out of date and deleting the person removes it.

    ``output`` names the file; otherwise it goes to ``folder`` under its default name
    (with ``fresh_name``, ``-2``, ``-3``... rather than refusing a name that is taken).

    The document is in :func:`document_language` (``options.language`` is what the user asked
    for), made from the checklist's translation into it; wholly in English when it has none.
    """
    checklist = in_language(checklist, document_language(assessment, options.language))
    speaks = checklist.language if checklist.language in LANGUAGES else ENGLISH
    if output is None:
        folder = reports_folder() if folder is None else folder  # the data folder's own
        path = default_report_path(assessment, options.audience, options.large_print, folder, speaks)
        if record is not None:  # a stored visit: its number tells two visits of one day apart
            path = numbered(path, record[1])
        if fresh_name:
            path = free_path(path)
        private_folder(path.parent)
    else:
        path = output
    check_output(path)
    if path.suffix.lower() != ".pdf":
        raise UsageError(t("service.not_pdf", path=path))
    calendar = path.with_suffix(".ics") if options.audience == "home" else None  # the re-check, beside the handout
    for target in (path, calendar):
        if target is not None and target.exists() and not options.force:  # both checked before either is written
            raise UsageError(t("service.exists", path=target))
    amended_on = None
    if record is not None and options.audience == "clinician":  # the last amendment of a finished visit
        store, stored_id = record
        amended_on = max((c.changed_at[:10] for c in store.history(stored_id) if c.amendment), default=None)
    from safehome.reports import render_plan

    with speaking(speaks):
        result, plan = _scored(checklist, assessment)  # once, for the PDF and the reminder beside it
        data = render_plan(
            checklist,
            assessment,
            result,
            plan,
            options,
            comparison if options.audience == "clinician" else None,
            amended_on,
            photos,
        )
        reminder = None
        if calendar is not None:  # the same event on every export of a stored visit (its UUID)
            key = record[0].uuid_of(record[1]) if record is not None else calendar.stem
            reminder = _reminder_bytes(assessment, result, plan, key)
    written = write_output(path, data, force=options.force, record=recorded_with(record, assessment))
    if calendar is not None:
        write_reminder(assessment, calendar, reminder, record)
    return written


def write_reminder(assessment: Assessment, path: Path, data: bytes | None, record: tuple[Store, int] | None) -> None:
    """The routine re-check as ``path`` (.ics), or no file when there must be no reminder (an
    incomplete check, an urgent sign: the handout says to call now); one of ours from before goes."""
    if data is None:
        path.unlink(missing_ok=True)  # reached only when writing over the handout was asked for
        return
    write_output(path, data, force=True, record=recorded_with(record, assessment), event=None)


def reminder_ics(checklist: Checklist, assessment: Assessment, key: str) -> bytes | None:
    """The routine re-check as an .ics file's bytes (None when there must be no reminder), in the
    language in use; ``key`` keeps its event the same on every export of one visit."""
    result, plan = _scored(checklist, assessment)
    return _reminder_bytes(assessment, result, plan, key)


def _reminder_bytes(assessment: Assessment, result: Score, plan: Plan, key: str) -> bytes | None:
    from safehome.core.reminders import reminder_for
    from safehome.exchange.calendar import ics

    reminder = reminder_for(assessment, result, plan)
    return None if reminder is None else ics(reminder, key)


def recorded_with(record: tuple[Store, int] | None, assessment: Assessment) -> tuple[Store, int, str] | None:
    """How a file written for a stored visit is recorded: with the digest of its answers and photos
    (:func:`~safehome.service.photos.source_digest`), so a later change shows it out of date."""
    if record is None:
        return None
    from safehome.service.photos import source_digest

    return record[0], record[1], source_digest(record[0], record[1], assessment)


# --------------------------------------------------------------------------- every stored assessment

_WORKER: dict[str, Any] = {}


def _worker_init(db_path: str, out_dir: str, options: ReportOptions, language: str = ENGLISH) -> None:
    from safehome.core import catalog
    from safehome.storage.store import Store

    set_language(language)  # a worker process speaks the language of the command that started it
    _WORKER.update(store=Store(Path(db_path)), find=catalog.find, out=Path(out_dir), options=options)


BatchOutcome = Literal["written", "exists", "skipped"]


def _worker_one(assessment_id: int) -> tuple[int, BatchOutcome, str]:
    """(id, outcome, path or reason) for one stored assessment."""
    w = _WORKER
    options: ReportOptions = w["options"]
    try:
        stored = w["store"].load(assessment_id)
    except StoreError as exc:  # deleted meanwhile, or a damaged row: named, and the rest go on
        return assessment_id, "skipped", str(exc)
    try:
        checklist = w["find"](stored.assessment.checklist_id, stored.assessment.checklist_version)
    except InputError:
        reason = t(
            "service.batch_not_installed",
            id=stored.assessment.checklist_id,
            version=stored.assessment.checklist_version,
        )
        return assessment_id, "skipped", reason
    speaks = in_language(checklist, document_language(stored.assessment, options.language)).language
    path = default_report_path(stored.assessment, options.audience, options.large_print, w["out"], speaks)
    path = numbered(path, assessment_id)  # one name per id: workers never collide
    if path.exists() and not options.force:
        return assessment_id, "exists", str(path)
    try:
        photos = tuple(w["store"].photos(assessment_id))
        write_report(
            checklist, stored.assessment, options, output=path, record=(w["store"], assessment_id), photos=photos
        )
    except (UsageError, StoreError) as exc:  # taken a moment ago, not writable, or the person deleted meanwhile
        return assessment_id, "skipped", str(exc)
    return assessment_id, "written", str(path)


def write_all_reports(
    db_path: Path, ids: list[int], out_dir: Path, options: ReportOptions = DEFAULTS, *, jobs: int
) -> list[tuple[int, BatchOutcome, str]]:
    """A plan for every id, on ``jobs`` processes; files are named ...-ID.pdf.

    Each in its assessment's document language, or in ``options.language`` when the user asked for one.
    """
    private_folder(out_dir)
    args = (str(db_path), str(out_dir), options, current_language())
    if jobs <= 1:
        _worker_init(*args)
        return [_worker_one(i) for i in ids]
    import multiprocessing

    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    with context.Pool(jobs, initializer=_worker_init, initargs=args) as pool:
        return pool.map(_worker_one, ids, chunksize=max(1, len(ids) // (jobs * 8)))


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
    from safehome.core.plan import build_plan
    from safehome.core.score import score

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
            photos=store.photos(assessment_id) if named else (),
        )
    return _json_bytes(data)


def _json_bytes(data: object) -> bytes:
    """Indented UTF-8 JSON, written by pydantic's compiled serializer (the json module's indented
    path is pure Python and took three quarters of the time of a Bundle)."""
    from pydantic_core import to_json

    return to_json(data, indent=2) + b"\n"
