"""Opening what is to be scored: an answers file, a FHIR response, a stored visit; each checked
against its checklist, in the language its documents are written in.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from safehome.core.errors import InputError, Issue, UsageError
from safehome.i18n.words import ENGLISH, current_language, t

if TYPE_CHECKING:
    from safehome.core.compare import Comparison
    from safehome.core.models import Assessment, Checklist
    from safehome.storage.store import Store


@dataclass(frozen=True, slots=True)
class Opened:
    """An assessment ready to score: its checklist, and its stored id when it came from the store."""

    checklist: Checklist
    assessment: Assessment
    stored_id: int | None = None
    nameless: bool = False  # a de-identified FHIR copy: never matched to a person by name
    folder: Path | None = None  # an answers file's folder: where the photos it names are found


def open_store(data: str | Path | None = None) -> Store:
    from safehome.storage.store import open_store as _open

    return _open(data)


def checked(assessment: Assessment, source: str, checklist_path: str | Path | None = None) -> Checklist:
    """The assessment's checklist, once its answers are known to fit it (InputError naming ``source``),
    in the language in use when it comes in it."""
    from safehome.core import catalog
    from safehome.core.loader import load_checklist
    from safehome.core.score import answer_problems

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
    return Opened(
        checked(assessment, str(path), checklist_path), assessment, nameless=not named, folder=Path(path).parent
    )


def open_stored(store: Store, assessment_id: int, checklist_path: str | Path | None = None) -> Opened:
    """A stored visit, opened to be shown, scored, written or exported (the audit log has it)."""
    stored = store.load(assessment_id)
    store.record_event("opened", assessment_id=assessment_id)
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


def compare(checklist: Checklist, old: Assessment, new: Assessment) -> Comparison:
    from safehome.core.compare import compare as _compare

    return _compare(checklist, old, new)


def previous_comparison(
    store: Store, stored_id: int, checklist: Checklist, assessment: Assessment
) -> Comparison | None:
    """What changed since the person's previous assessment with the same checklist: with the same
    version, or an earlier one that ships (compared on the questions both ask)."""
    from safehome.core import catalog

    earlier = store.previous(stored_id)
    if earlier is None:
        return None
    old_checklist = None
    if earlier.assessment.checklist_version != checklist.version:
        try:
            old_checklist = catalog.find(checklist.id, earlier.assessment.checklist_version, checklist.language)
        except InputError:  # a version this safehome does not have: nothing to compare with
            return None
    from safehome.core.compare import compare as _compare

    return _compare(checklist, earlier.assessment, assessment, old_checklist)
