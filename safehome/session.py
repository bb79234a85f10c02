"""One assessment being filled in: the glue between the store, the core and an interface.

No textual here: the app drives a Session, and so can a test or another front end. Every
answer and note goes to the store the moment it is given; if the store cannot take it (disk
full, folder read-only) the answer stays in memory, is reported, and is written with the
next save that works.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Any

from .models import Answer, Assessment, Checklist, Item, Profile, Section
from .scoring import Plan, Score, answer_of, build_plan, safety_stops, score
from .store import Store, StoreError


class SaveFailed(Exception):
    """The answer is kept in memory but could not be written yet."""


@dataclass
class Step:
    section: Section
    item: Item


class Session:
    def __init__(
        self, store: Store, stored_id: int, checklist: Checklist, assessment: Assessment, position: str | None = None
    ):
        self.store = store
        self.id = stored_id
        self.checklist = checklist
        self.mode = assessment.mode
        self.profile = assessment.profile
        self.day = assessment.assessed_on
        self.answers: dict[str, Answer] = dict(assessment.answers)
        self.pending: dict[str, Answer] = {}
        self.steps: list[Step] = []
        self.refresh_steps()
        self.index = 0
        if position:
            self.go_to(position)

    # -- creating and resuming

    @classmethod
    def start(cls, store: Store, checklist: Checklist, mode: str, profile: Profile, day: date) -> Session:
        assessment = Assessment(
            checklist_id=checklist.id, checklist_version=checklist.version, mode=mode, assessed_on=day, profile=profile
        )
        return cls(store, store.create(assessment), checklist, assessment)

    @classmethod
    def resume(cls, store: Store, stored_id: int, checklist: Checklist) -> Session:
        stored = store.load(stored_id)
        return cls(store, stored_id, checklist, stored.assessment, stored.position)

    # -- navigation

    def refresh_steps(self) -> None:
        """The questions to ask: those that apply, less physical tests that are unsafe today
        (the same rule as the score: they show there as "not done: unsafe today")."""
        current = self.current.item.id if self.steps else None
        stops = self.safety_stops()
        self.steps = [
            Step(s, i)
            for s, i in self.checklist.items()
            if i.applies(self.mode, self.profile)
            and not (stops and i.answer.is_physical_test() and self.value(i.id) is None)
        ]
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
        message = item.answer.problem(value)
        if message:
            raise ValueError(message)
        self.answers[item_id] = Answer(value=value, note=self.answers.get(item_id, Answer()).note)
        self._save(item_id)
        if item.red_flag or item.answer.stops_physical_tests(value) or item.answer.is_measure():
            self.refresh_steps()  # a warning sign or a score may make the physical tests unsafe today
        return self.raises_warning(item)

    def raises_warning(self, item: Item) -> bool:
        """Whether the item's current answer is a warning sign (the same rule as the score)."""
        return item.red_flag and item.answer.verdict(self.value(item.id), self.profile, self.day).hazard

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
                self.store.save_answer(self.id, item_id, answer.value, answer.note, position=position)
            except (OSError, sqlite3.Error, StoreError) as exc:
                raise SaveFailed(str(exc)) from exc
            self.pending.pop(item_id, None)

    def _remember_position(self) -> None:
        with contextlib.suppress(OSError, sqlite3.Error):  # the position is a convenience; answers must not be lost
            self.store.set_position(self.id, self.current.item.id)

    def finish(self) -> None:
        self.flush()
        self.store.set_status(self.id, "finished")
        self.store.checkpoint()

    # -- results

    def assessment(self) -> Assessment:
        return Assessment(
            checklist_id=self.checklist.id,
            checklist_version=self.checklist.version,
            mode=self.mode,
            assessed_on=self.day,
            profile=self.profile,
            answers={k: v for k, v in self.answers.items() if v.value is not None or v.note},
        )

    def result(self) -> tuple[Score, Plan]:
        assessment = self.assessment()
        result = score(self.checklist, assessment)
        return result, build_plan(self.checklist, assessment, result)

    def red_flags(self) -> list[Item]:
        return [s.item for s in self.steps if self.raises_warning(s.item)]
