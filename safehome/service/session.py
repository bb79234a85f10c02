"""One assessment being filled in: the glue between the store, the core and an interface.

No textual here: the app drives a Session, and so can a test or another front end. Every
answer and note goes to the store the moment it is given; if the store cannot take it (disk
full, folder read-only) the answer stays in memory, is reported, and is written with the
next save that works.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from datetime import date
from typing import TYPE_CHECKING, Any

from safehome.core.compare import carried_answers
from safehome.core.kinds import progress_of
from safehome.core.models import Answer, Assessment, Checklist, Item, Section
from safehome.i18n.words import Language
from safehome.core.profile import Profile
from safehome.core.plan import Plan, action_words, build_plan, measured_words
from safehome.core.score import Score, answer_of, asked_items, score
from safehome.core.safety import safety_stops
from safehome.storage.store import Store
from safehome.storage.errors import StoreError
from safehome.core.records import Stored
from safehome.i18n.words import t

if TYPE_CHECKING:
    from safehome.core.compare import Comparison
    from safehome.core.options import ReportOptions
    from safehome.core.records import Conflict, Written


class SaveFailed(Exception):
    """The answer is kept in memory but could not be written yet."""


@dataclass
class Step:
    section: Section
    item: Item


class Session:
    def __init__(
        self,
        store: Store,
        stored_id: int,
        checklist: Checklist,
        assessment: Assessment,
        position: str | None = None,
        *,
        finished: bool = False,
        draft: tuple[str, str] | None = None,
    ):
        self.store = store
        self.id = stored_id
        self.checklist = checklist
        self.mode = assessment.mode
        self.profile = assessment.profile
        self.day = assessment.assessed_on
        self.language = assessment.language  # of its handout and summary; None: the language in use
        self.answers: dict[str, Answer] = dict(assessment.answers)
        self.pending: dict[str, Answer] = {}
        self.finished = finished  # a finished visit is changed only as an amendment
        self.amending = False
        self.audited_change = False  # the audit log has "changed" (or "amended") once for this sitting
        self._photos: dict[str, int] | None = None  # photos kept on each question, read when first shown
        self.draft = draft  # (item id, text) typed before the app closed, not yet entered
        previous = store.previous(stored_id)
        # last visit's home answers, offered to keep with one key (never warning signs or tests)
        self.carried: dict[str, Answer] = (
            carried_answers(checklist, previous.assessment)
            if previous is not None and previous.assessment.checklist_id == checklist.id
            else {}
        )
        self.previous_date = previous.assessment.assessed_on if previous is not None else None
        # equipment still pending at the last visit (recommended, ordered, delivered): asked first
        self.pending_equipment: tuple[str, ...] = tuple(
            item_id
            for item_id, answer in self.carried.items()
            if checklist.item(item_id).answer.kept_once_given()
            and (progress := progress_of(answer.value)) is not None
            and progress.pending
        )
        self.steps: list[Step] = []
        self.refresh_steps()
        self.index = 0
        if position:
            self.go_to(position)

    # -- creating and resuming

    @classmethod
    def start(
        cls,
        store: Store,
        checklist: Checklist,
        mode: str,
        profile: Profile,
        day: date,
        *,
        person_id: int | None = None,
        language: Language | None = None,
    ) -> Session:
        """A new assessment; with ``person_id`` a follow-up of that person (whatever the name typed).

        ``language`` is the language of its documents (the app asks it with the profile)."""
        assessment = Assessment(
            checklist_id=checklist.id,
            checklist_version=checklist.version,
            mode=mode,
            assessed_on=day,
            profile=profile,
            language=language,
        )
        session = cls(store, store.create(assessment, person_id=person_id), checklist, assessment)
        # a follow-up starts from where the equipment was left: each pending status is this visit's
        # answer until it is changed (so the history, the documents and the clinic server have it)
        for item_id in session.pending_equipment:
            session.answer(item_id, session.carried[item_id].value)
        if session.pending_equipment:
            session.refresh_steps()
        return session

    @classmethod
    def resume(cls, store: Store, stored_id: int, checklist: Checklist, stored: Stored | None = None) -> Session:
        stored = stored or store.load(stored_id)
        store.record_event("opened", assessment_id=stored_id)
        return cls(
            store,
            stored_id,
            checklist,
            stored.assessment,
            stored.position,
            finished=stored.status == "finished",
            draft=stored.draft,
        )

    # -- navigation

    def refresh_steps(self) -> None:
        """The questions to ask: those that apply, less physical tests that are unsafe today
        (the same rule as the score: they show there as "not done: unsafe today")."""
        current = self.current.item.id if self.steps else None
        asked = asked_items(self.checklist, self.mode, self.profile, self.day, lambda item: self.value(item.id))
        self.steps = [Step(s, i) for s, i in asked]
        if self.pending_equipment:  # asked first, right after the warning signs (they always come first)
            first = [x for x in self.steps if x.section.kind == "equipment"]
            rest = [x for x in self.steps if x.section.kind != "equipment"]
            at = sum(1 for x in rest if x.section.kind == "warning_signs")
            self.steps = rest[:at] + first + rest[at:]
        if current and not self.go_to(current):
            self.index = min(self.index, len(self.steps) - 1)

    def safety_stops(self) -> list[str]:
        """Why the physical tests are unsafe today (empty when they may be done)."""
        return safety_stops(self.checklist, self.mode, self.profile, self.day, lambda item: self.value(item.id))

    @property
    def current(self) -> Step:
        return self.steps[self.index]

    def go_to(self, item_id: str) -> bool:
        for n, step in enumerate(self.steps):
            if step.item.id == item_id:
                self.index = n
                return True
        return False

    def move(self, delta: int) -> bool:
        target = max(0, min(len(self.steps) - 1, self.index + delta))
        moved = target != self.index
        section = self.current.section.id if self.steps else None
        self.index = target
        if moved:
            self._remember_position()
            if self.current.section.id != section:  # a section done: copy the WAL into the main file
                self.store.checkpoint()
        return moved

    def next_unanswered(self, *, wrap: bool = True) -> bool:
        """Go to the first unanswered question after this one (then, with ``wrap``, from the
        top); False when there is none."""
        count = len(self.steps)
        ahead = range(self.index + 1, count)
        for n in [*ahead, *range(self.index)] if wrap else ahead:
            if self.value(self.steps[n].item.id) is None:
                section = self.current.section.id
                self.index = n
                self._remember_position()
                if self.current.section.id != section:
                    self.store.checkpoint()
                return True
        return False

    def advance(self) -> bool:
        """After an answer: the next question, or when that one opens a section already complete,
        the next unanswered question after it. False at the end: time for the review."""
        if self.index + 1 >= len(self.steps):
            return False
        following = self.steps[self.index + 1].section
        if following is not self.current.section and all(
            self.value(s.item.id) is not None for s in self.steps if s.section is following
        ):
            return self.next_unanswered(wrap=False)
        return self.move(1)

    def section_start(self, section_id: str) -> None:
        for n, step in enumerate(self.steps):
            if step.section.id == section_id:
                self.index = n
                self._remember_position()
                return

    def sections(self) -> list[tuple[Section, int, int]]:
        """(section, answered, applicable) for each section that has questions for this person."""
        out: list[tuple[Section, int, int]] = []
        for section in self.checklist.sections:
            ids = [s.item.id for s in self.steps if s.section is section]
            if ids:
                out.append((section, sum(1 for i in ids if self.value(i) is not None), len(ids)))
        return out

    def progress(self) -> tuple[int, int]:
        """(answered, asked): the same count as :func:`safehome.core.score.progress`."""
        return sum(1 for s in self.steps if self.value(s.item.id) is not None), len(self.steps)

    # -- answers

    def value(self, item_id: str) -> Any:
        """The answer given here, else what the profile already says (falls, walking aid)."""
        return answer_of(self.checklist.item(item_id), self.answers, self.profile)[0]

    def from_profile(self, item_id: str) -> bool:
        return answer_of(self.checklist.item(item_id), self.answers, self.profile)[2]

    def note(self, item_id: str) -> str:
        answer = self.answers.get(item_id)
        return (answer.note or "") if answer else ""

    def answer(self, item_id: str, value: Any) -> bool:
        """Record an answer. Returns True when it raises a warning sign (a red flag)."""
        item = self.checklist.item(item_id)
        if self.locked:
            raise ValueError(t("session.locked"))
        message = item.answer.problem(value)
        if message:
            raise ValueError(message)
        self.answers[item_id] = Answer(value=value, note=self.answers.get(item_id, Answer()).note)
        self._save(item_id)
        if self.draft is not None and self.draft[0] == item_id:  # entered: the draft has done its work
            with contextlib.suppress(SaveFailed):
                self.set_draft(item_id, None)
        if (
            item.red_flag
            or item.answer.is_measure()
            or item.id in self.checklist.followed
            or item.clearance is not None
        ):  # a sign or a score may stop the tests; an answer may open a follow-up question
            self.refresh_steps()
        return self.raises_warning(item)

    def recorded_meaning(self, item: Item) -> str | None:
        """What the answer just recorded means, said as it is recorded: a "no" that is the hazard, or a
        measurement with what the number means for this person (None: it speaks for itself)."""
        value = self.value(item.id)
        said = item.answer.recorded_meaning(value)
        if said is None and item.answer.optional_reading() and value is not None:
            reading = item.answer.verdict(value, self.profile, self.day, self.value).reading
            finding = measured_words(item, value, reading, self.mode)
            said = t("answer.recorded.measured", finding=finding) if finding else None
        return said

    def raises_warning(self, item: Item) -> bool:
        """Whether the item's current answer is a warning sign (the same rule as the score)."""
        return item.red_flag and item.answer.verdict(self.value(item.id), self.profile, self.day).hazard

    def clear(self, item_id: str) -> None:
        """Take an answer back: the question is "not answered" again (its note is kept)."""
        if self.locked:
            raise ValueError(t("session.locked"))
        self.answers[item_id] = Answer(value=None, note=self.answers.get(item_id, Answer()).note)
        self._save(item_id)
        self.refresh_steps()

    def set_draft(self, item_id: str, text: str | None) -> None:
        """Keep what is typed for a question before it is entered, so a crash cannot lose it."""
        self.draft = (item_id, text) if text else None
        try:
            self.store.set_draft(self.id, item_id, text)
        except (OSError, StoreError) as exc:
            raise SaveFailed(str(exc)) from exc

    def draft_for(self, item_id: str) -> str | None:
        return self.draft[1] if self.draft is not None and self.draft[0] == item_id else None

    def last_visit(self, item_id: str) -> Any:
        """Last visit's answer to this question when a follow-up may keep it, else None."""
        answer = self.carried.get(item_id)
        return None if answer is None else answer.value

    def keep(self, item_id: str) -> None:
        """Answer this question as it was answered at the last visit."""
        value = self.last_visit(item_id)
        if value is None:
            raise ValueError(t("session.nothing_to_keep"))
        self.answer(item_id, value)

    def keep_section(self) -> int:
        """Keep last visit's answer for every unanswered question of this section; how many."""
        section = self.current.section
        kept = 0
        for step in [s for s in self.steps if s.section is section]:
            if self.value(step.item.id) is None and self.last_visit(step.item.id) is not None:
                self.answer(step.item.id, self.last_visit(step.item.id))
                kept += 1
        return kept

    def update_profile(self, profile: Profile, day: date, language: Language | None = None) -> None:
        """Correct the profile (and the date, and the documents' language); the questions asked and
        every result follow."""
        self.store.update_profile(self.id, profile, day)
        if language is not None and language != self.language:
            self.store.set_language(self.id, language)
            self.language = language
        self.profile, self.day = profile, day
        self.refresh_steps()

    def action_for(self, item: Item) -> str:
        """What to do about an item's answer, in the words for whoever is at the keyboard (the
        clinician's own at a visit), fitted to the person (never an aid they do not have)."""
        return action_words(self.checklist, item, self.profile, clinician=self.mode == "clinician")

    def calls_for(self, urgency: str | None) -> list[str]:
        """Whom to call for a warning sign of this tier, with the numbers this person gave (the
        same lines in the app's alert, the web page's and the handout's warning box)."""
        from safehome.core.calling import whom_to_call

        return [call.line() for call in whom_to_call(urgency, self.profile)]

    def amend(self) -> None:
        """Allow changes to a finished visit; each is recorded in its history as an amendment."""
        self.amending = True

    @property
    def locked(self) -> bool:
        """A finished visit not opened for amendment: it may be read, not changed."""
        return self.finished and not self.amending

    def set_note(self, item_id: str, text: str) -> None:
        old = self.answers.get(item_id, Answer())
        if (old.note or "") == text:
            return
        self.answers[item_id] = Answer(value=old.value, note=text or None)
        self._save(item_id)

    def _save(self, item_id: str) -> None:
        self.pending[item_id] = self.answers[item_id]
        self.flush()

    def flush(self) -> None:
        """Write every answer not yet saved; SaveFailed (answers kept) if the store refuses."""
        position = self.current.item.id if self.steps else None
        for item_id, answer in list(self.pending.items()):
            try:
                self.store.save_answer(
                    self.id, item_id, answer.value, answer.note, position=position, amendment=self.finished
                )
            except (OSError, StoreError) as exc:
                raise SaveFailed(str(exc)) from exc
            self.pending.pop(item_id, None)
            if not self.audited_change:  # once a sitting: the answer history has every change itself
                with contextlib.suppress(OSError, StoreError):  # never in the way of an answer saved
                    action = "amended" if self.finished else "changed"
                    self.store.record_event(action, assessment_id=self.id)
                self.audited_change = True

    def _remember_position(self) -> None:
        with contextlib.suppress(OSError, StoreError):  # the position is a convenience; answers must not be lost
            self.store.set_position(self.id, self.current.item.id)

    def deleted(self) -> bool:
        """Whether this assessment was deleted from the store under us (by another program)."""
        try:
            return not self.store.exists(self.id)
        except StoreError:
            return False

    def save_as_new(self) -> None:
        """Store everything given here as a new assessment (its own was deleted under us)."""
        try:
            self.id = self.store.create(self.assessment())
        except (OSError, StoreError) as exc:
            raise SaveFailed(str(exc)) from exc
        self.pending.clear()
        self.finished = self.amending = False

    def finish(self) -> None:
        self.flush()
        self.store.set_status(self.id, "finished")
        self.store.checkpoint()
        self.finished, self.amending = True, False

    # -- results

    def assessment(self) -> Assessment:
        return Assessment(
            checklist_id=self.checklist.id,
            checklist_version=self.checklist.version,
            mode=self.mode,
            assessed_on=self.day,
            profile=self.profile,
            answers={k: v for k, v in self.answers.items() if v.value is not None or v.note},
            language=self.language,
        )

    def result(self) -> tuple[Score, Plan]:
        assessment = self.assessment()
        result = score(self.checklist, assessment)
        return result, build_plan(self.checklist, assessment, result)

    # -- what the review shows and writes

    def conflicts(self) -> list[Conflict]:
        """Changes made to this visit on two laptops, waiting for a clinician to confirm them."""
        return self.store.conflicts(self.id)

    def conflict_lines(self, conflict: Conflict) -> list[str]:
        from safehome.service.clinic import conflict_lines

        return conflict_lines(self.store, conflict, self.checklist)

    def confirm_conflicts(self) -> int:
        return self.store.confirm_conflicts(self.id)

    def files(self) -> list[Written]:
        """The files written for this visit, oldest first."""
        return self.store.files(self.id)

    def write_report(self, options: ReportOptions, folder: Path, comparison: Comparison | None = None) -> Path:
        """This visit's PDF under a name of its own in ``folder``, recorded with the visit."""
        from safehome.service.documents import write_report

        return write_report(
            self.checklist,
            self.assessment(),
            options,
            folder=folder,
            fresh_name=True,
            comparison=comparison,
            record=(self.store, self.id),
        )

    def write_pack(self, folder: Path, comparison: Comparison | None = None) -> list[Path]:
        """This visit's whole report in ``folder``: the summary with its photos, the handout, the letters."""
        from safehome.core.options import ReportOptions
        from safehome.service.pack import write_pack

        photos = tuple(self.store.photos(self.id))
        return write_pack(
            self.checklist,
            self.assessment(),
            ReportOptions(),
            folder=folder,
            record=(self.store, self.id),
            comparison=comparison,
            photos=photos,
            fresh_name=True,
        )

    def add_photo(self, item_id: str, path: Path, caption: str | None = None) -> int:
        """Keep a photo on an item of this visit (cleaned of every camera detail); its id."""
        from safehome.service.photos import add_photo

        kept = add_photo(self.store, self.id, self.checklist, item_id, path, caption)
        self._photos = None  # counted again when next shown
        return kept

    def photo_count(self, item_id: str) -> int:
        """The photos kept on a question (read once a sitting, not at every key)."""
        if self._photos is None:
            self._photos = self.store.photo_counts(self.id)
        return self._photos.get(item_id, 0)

    def digest(self) -> str:
        """What this visit's documents are made from (its answers and its photos): a file written
        from another digest is out of date."""
        from safehome.service.photos import source_digest

        return source_digest(self.store, self.id, self.assessment())

    def red_flags(self) -> list[Item]:
        return [s.item for s in self.steps if self.raises_warning(s.item)]
