"""The laptop's records as the faces see them: the one handle a face holds.

The CLI, the app and the web face hold a :class:`Desk`, never the store: every verb they need
is a method here, answered from the store and the other service verbs. The store, its engine
and its errors stay below (a :class:`~safehome.storage.store.StoreError` reaches a face as what
it is: a sentence to show).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from safehome.core.errors import UsageError
from safehome.core.photos import MAX_PER_VISIT
from safehome.core.options import ReportOptions
from safehome.i18n.words import t
from safehome.service import clinic, documents, opening, pack
from safehome.service.people import Deleted, Purged, delete_person, find_people, purge_files
from safehome.service import photos
from safehome.service.photos import file_photos

if TYPE_CHECKING:
    from safehome.core.compare import Comparison
    from safehome.core.models import Assessment, Checklist
    from safehome.core.profile import Profile
    from safehome.core.records import AuditEvent, Conflict, Person, Photo, Stored, Summary, Written
    from safehome.core.terms import Mode, Status
    from safehome.i18n.words import Language
    from safehome.service.session import Session
    from safehome.storage.photos import NewPhoto
    from safehome.storage.store import Store


class Desk:
    """Open with ``Desk(data_dir)`` (or ``with Desk(...) as desk``); close when done."""

    def __init__(self, data: str | Path | None = None) -> None:
        self.data = data
        self._store: Store = opening.open_store(data)

    @property
    def reports(self) -> Path:
        """Where this data folder's PDFs and exports go unless a path is given (0700, made on first use)."""
        return documents.reports_folder(self.data)

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def checkpoint(self) -> None:
        """What was saved goes into the database file itself, not only into its journal."""
        self._store.checkpoint()

    # -- reading

    def assessments(
        self, *, person_id: int | None = None, status: Status | None = None, limit: int | None = None
    ) -> list[Summary]:
        return self._store.assessments(person_id=person_id, status=status, limit=limit)

    def people(self, name: str | None = None) -> list[Person]:
        return self._store.people(name=name)

    def find_people(self, ref: str) -> list[Person]:
        return find_people(self._store, ref)

    def person(self, person_id: int) -> Person:
        return self._store.person(person_id)

    def person_for(self, assessment_id: int) -> Person | None:
        """The person an assessment belongs to (None when there is no such assessment)."""
        person_id = self._store.person_of(assessment_id)
        return None if person_id is None else self._store.person(person_id)

    def stored(self, assessment_id: int) -> Stored:
        return self._store.load(assessment_id)

    def latest(self, person_id: int) -> Stored:
        """The person's most recently changed assessment (a follow-up starts from it)."""
        return self._store.load(self._store.assessments(person_id=person_id, limit=1)[0].id)

    def changes(self, assessment_id: int) -> int:
        """How many answer changes the assessment's history holds."""
        return len(self._store.history(assessment_id))

    def progress(self, summaries: list[Summary]) -> dict[int, tuple[int, int]]:
        """(answered, asked) for each of these assessments whose checklist is installed, counted as
        the questions screen counts them."""
        from safehome.core import catalog
        from safehome.core.errors import InputError
        from safehome.core.score import progress

        counts: dict[int, tuple[int, int]] = {}
        for s in summaries:
            try:
                checklist = catalog.find(s.checklist_id, s.checklist_version)
            except InputError:
                continue
            counts[s.id] = progress(checklist, self._store.load(s.id).assessment)
        return counts

    def open(self, assessment_id: int, checklist_path: str | Path | None = None) -> opening.Opened:
        return opening.open_stored(self._store, assessment_id, checklist_path)

    def previous_comparison(self, stored_id: int, checklist: Checklist, assessment: Assessment) -> Comparison | None:
        return opening.previous_comparison(self._store, stored_id, checklist, assessment)

    # -- one assessment being filled in

    def start(
        self,
        checklist: Checklist,
        mode: Mode,
        profile: Profile,
        day: date,
        *,
        person_id: int | None = None,
        language: Language | None = None,
    ) -> Session:
        from safehome.service.session import Session

        return Session.start(self._store, checklist, mode, profile, day, person_id=person_id, language=language)

    def resume(self, stored_id: int, checklist: Checklist, stored: Stored | None = None) -> Session:
        from safehome.service.session import Session

        return Session.resume(self._store, stored_id, checklist, stored)

    # -- files

    def write_report(
        self, opened: opening.Opened, options: ReportOptions, *, output: Path | None = None, compare: bool = True
    ) -> Path:
        """A PDF of an opened assessment; a stored one is compared with the person's previous one
        (clinician summary) and its file recorded, so deleting the person removes it."""
        if opened.stored_id is None:
            return documents.write_report(
                opened.checklist,
                opened.assessment,
                options,
                output=output,
                folder=self.reports,
                photos=file_photos(opened),
            )
        comparison = (
            self.previous_comparison(opened.stored_id, opened.checklist, opened.assessment)
            if compare and options.audience == "clinician"
            else None
        )
        return documents.write_report(
            opened.checklist,
            opened.assessment,
            options,
            output=output,
            folder=self.reports,
            comparison=comparison,
            record=(self._store, opened.stored_id),
            photos=tuple(self._store.photos(opened.stored_id)),
        )

    def write_letter(
        self,
        opened: opening.Opened,
        kind: str,
        options: ReportOptions,
        *,
        text: bool = False,
        output: Path | None = None,
    ) -> Path:
        """A referral letter from an opened visit (recorded with a stored one)."""
        record = None if opened.stored_id is None else (self._store, opened.stored_id)
        return pack.write_letter(
            opened.checklist,
            opened.assessment,
            kind,
            options,
            text=text,
            output=output,
            folder=self.reports,
            record=record,
        )

    def letter(self, opened: opening.Opened, kind: str, options: ReportOptions) -> str:
        """A referral letter as plain text (nothing written)."""
        return pack.letter_bytes(opened.checklist, opened.assessment, kind, options, text=True).decode("utf-8")

    def write_pack(self, opened: opening.Opened, options: ReportOptions, *, folder: Path | None = None) -> list[Path]:
        """The whole report of an opened visit: summary, handout and the letters its referrals call for."""
        if opened.stored_id is None:
            return pack.write_file_pack(opened, options, folder or self.reports)
        return pack.write_pack(
            opened.checklist,
            opened.assessment,
            options,
            folder=folder or self.reports,
            record=(self._store, opened.stored_id),
            comparison=self.previous_comparison(opened.stored_id, opened.checklist, opened.assessment),
            photos=tuple(self._store.photos(opened.stored_id)),
        )

    def write_all_reports(
        self, ids: list[int], out_dir: Path, options: ReportOptions, *, jobs: int
    ) -> list[tuple[int, documents.BatchOutcome, str]]:
        return documents.write_all_reports(self._store.path, ids, out_dir, options, jobs=jobs)

    def exported(self, assessment_id: int, *, fhir: bool, named: bool = True, language: str | None = None) -> bytes:
        """One stored assessment as safehome's JSON, or as a FHIR Bundle (the audit log has it: a
        record leaving the store, to a file or to the screen)."""
        self._store.record_event("exported", assessment_id=assessment_id)
        if fhir:
            return documents.bundle_json(self._store, assessment_id, named=named, language=language)
        assessment = self._store.load(assessment_id).assessment
        return (assessment.model_dump_json(indent=2, exclude_none=True) + "\n").encode("utf-8")

    def write_export(self, assessment_id: int, path: Path, data: bytes, *, force: bool) -> Path:
        """Write an export and remember it, so deleting the person removes it."""
        digest = self._store.load(assessment_id).assessment.digest()
        # the export itself is in the audit log already (exported)
        return documents.write_output(path, data, force=force, record=(self._store, assessment_id, digest), event=None)

    def add(
        self,
        assessment: Assessment,
        *,
        status: Status,
        person_id: int | None = None,
        new_person: bool = False,
        photos: tuple[NewPhoto, ...] = (),
    ) -> int:
        """Store an assessment read from a file (``safehome import``); its id.

        Filed by name only when nothing says it is someone else: a person of the same name whose
        stored birth date differs is another person, and the file is refused (one sentence naming
        them; ``--person ID`` or ``--new-person`` says which), never merged by a guess."""
        if person_id is None and not new_person:
            person_id = self._same_person(assessment)
        kept = (photos, MAX_PER_VISIT) if photos else None  # stored with the visit, in its transaction
        made = self._store.create(assessment, status=status, person_id=person_id, new_person=new_person, photos=kept)
        self._store.record_event("imported", assessment_id=made)
        return made

    def _same_person(self, assessment: Assessment) -> int | None:
        """The stored person this assessment is, by name and birth date (None: a new person). A birth
        date that differs is another person; several people it could be is a question, never a guess."""
        born = assessment.profile.birth_date
        same = self._store.people(name=assessment.profile.name)
        if not same:
            return None
        known: dict[int, set[date]] = {}
        for p in same:  # the birth dates each of them was given, read in one query a person
            profiles = self._store.profiles([a.id for a in self._store.assessments(person_id=p.id)])
            known[p.id] = {q.birth_date for q in profiles.values() if q.birth_date is not None}
        exact = [p for p in same if born is not None and born in known[p.id]]
        fits = exact or [p for p in same if born is None or not known[p.id]]
        if len(fits) == 1:
            return fits[0].id
        if not fits:
            other = same[0]
            dates = ", ".join(sorted(str(d) for d in known[other.id]))
            raise UsageError(t("service.import.other_person", name=other.name, id=other.id, born=dates))
        ids = ", ".join(str(p.id) for p in fits)
        raise UsageError(t("service.import.which_person", name=same[0].name, ids=ids))

    # -- the audit log

    def events(self, person_id: int | None = None) -> list[AuditEvent]:
        """The laptop's audit log, oldest first; one person's with ``person_id`` (deleted ones too)."""
        return self._store.events(person_id=person_id)

    # -- photos (kept on this laptop only)

    def add_photo(self, assessment_id: int, item_id: str, path: Path, caption: str | None = None) -> int:
        """Keep a photo on an item of a stored visit (cleaned of every camera detail); its id. A photo
        refused leaves not a byte changed; one kept is a change in the audit log."""
        stored = self._store.load(assessment_id)
        checklist = opening.checked(stored.assessment, t("service.stored_source", id=assessment_id))
        return photos.add_photo(self._store, assessment_id, checklist, item_id, path, caption)

    def photos(self, assessment_id: int, *, with_data: bool = False) -> list[Photo]:
        self._store.require(assessment_id)
        return self._store.photos(assessment_id, with_data=with_data)

    def remove_photo(self, assessment_id: int, photo_id: int) -> None:
        self._store.require(assessment_id)
        if not self._store.remove_photo(assessment_id, photo_id):
            raise UsageError(t("photo.no_photo", id=photo_id, visit=assessment_id))

    # -- people

    def delete_person(self, person_id: int) -> Deleted:
        return delete_person(self._store, person_id, self.data)

    def purge_files(self, older_than_days: int, now: datetime) -> Purged:
        """Remove the documents written more than ``older_than_days`` days ago (the visits stay)."""
        if not 0 <= older_than_days <= 36_500:
            raise UsageError(t("purge.days", value=older_than_days))
        return purge_files(self._store, older_than_days, now)

    # -- the clinic server

    @property
    def clinic_connected(self) -> bool:
        return self._store.sync_value("url") is not None

    @property
    def clinic_address(self) -> str | None:
        return self._store.sync_value("url")

    @property
    def clinic_role(self) -> str | None:
        """The clinic role this laptop syncs as (others' visits are marked with theirs)."""
        return self._store.sync_value("role")

    def connect_clinic(self, url: str) -> clinic.Connected:
        return clinic.connect_clinic(self._store, url)

    def sync(self, *, full: bool = False) -> clinic.SyncReport:
        return clinic.sync(self._store, self.data, full=full)

    def sync_lines(self, done: clinic.SyncReport, *, in_full: bool = True) -> list[str]:
        return clinic.sync_lines(self._store, done, in_full=in_full)

    def sync_status(self) -> str:
        return clinic.sync_status(self._store)

    def conflicts(self, assessment_id: int | None = None) -> list[Conflict]:
        return self._store.conflicts(assessment_id)

    def conflict_lines(self, conflict: Conflict, checklist: Checklist | None = None) -> list[str]:
        return clinic.conflict_lines(self._store, conflict, checklist)

    def confirm_conflicts(self, assessment_id: int) -> int:
        return self._store.confirm_conflicts(assessment_id)

    def discard_unsent(self, assessment_id: int) -> int:
        return clinic.discard_unsent(self._store, assessment_id)

    def files(self, assessment_id: int) -> list[Written]:
        return self._store.files(assessment_id)

    # -- the web face

    def session(self, assessment_id: int, language: str | None = None) -> Session:
        """A stored assessment to go on with, its questions in its own language (else ``language``,
        else the language in use); InputError when its checklist is not installed."""
        from safehome.core import catalog
        from safehome.i18n.words import current_language

        stored = self._store.load(assessment_id)
        shipped = catalog.find(stored.assessment.checklist_id, stored.assessment.checklist_version)
        checklist = opening.in_language(shipped, stored.assessment.language or language or current_language())
        return self.resume(assessment_id, checklist, stored)

    def link_token(self, person_id: int) -> str:
        """The key of a person's own web link: the same every time the server starts, opening that
        person's self-checks only (an HMAC of their lasting id with this data folder's secret)."""
        import base64
        import hashlib
        import hmac

        from safehome.storage.paths import link_key

        person = self._store.person(person_id)
        digest = hmac.new(link_key(self.data), person.uuid.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:24]).decode()

    def __repr__(self) -> str:
        return f"Desk({self.data!r})"
