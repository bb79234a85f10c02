"""The OT field kit's answer kinds (a length measured in the home, a piece of equipment followed
from recommended to installed) and the one union of every kind a checklist item may declare.

Each kind owns what its answers mean, as in :mod:`safehome.core.answers`. Part of the domain
core: no UI, no clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal, Protocol

from pydantic import Field

from safehome.core import lengths
from safehome.core.base import Strict
from safehome.core.conditions import Load, PathProblem
from safehome.core.answers import (
    HAZARD,
    ID_PATTERN,
    OK,
    AnswerKind,
    ChoiceAnswer,
    NumberAnswer,
    Path,
    ScaleAnswer,
    TextAnswer,
    Verdict,
    YesNoAnswer,
    _Numeric,
)
from safehome.core.lengths import Others
from safehome.i18n.words import number, t

if TYPE_CHECKING:
    from safehome.core.profile import Profile

# -- a length


class LengthAnswer(_Numeric):
    """A length in the home or of the person, stored in cm, typed in cm, mm or inches; ``rule``
    says what it means (:mod:`safehome.core.lengths`), ``against`` names the measurement a seat
    or a door is compared with."""

    kind: Literal["length"]
    rule: lengths.Rule
    against: Annotated[str, Field(pattern=ID_PATTERN, max_length=60)] | None = Field(
        None, description="the measurement this one is compared with (the lower leg, the walking aid)"
    )
    not_applicable: bool = Field(False, description="offer 'not applicable' (no tub, no stairs)")

    def _whole(self) -> bool:
        return False

    def _unit(self) -> str:
        return "cm"

    def spec_problems(self) -> list[tuple[Path, str]]:
        problems: list[tuple[Path, str]] = []
        if self.min >= self.max:
            problems.append((("min",), t("check.min_below_max", low=number(self.min), high=number(self.max))))
        if (self.against is None) != (self.rule not in lengths.COMPARED_WITH):
            wanted = lengths.COMPARED_WITH.get(self.rule)
            key = "check.length_against" if wanted else "check.length_no_against"
            problems.append((("against",), t(key, rule=self.rule, other=wanted or "")))
        return problems

    def can_be_hazard(self) -> bool:
        return self.rule not in ("lower_leg", "aid_width")

    def optional_reading(self) -> bool:
        return True

    def _judge(self, value: Any, profile: Profile, day: date, others: Others) -> Verdict:
        other = others(self.against) if self.against else None
        reading = lengths.read(self.rule, float(value), other, profile.walking_aid)
        if reading.hazard is None:
            return Verdict("no_norm", reading=reading.words)
        return Verdict("hazard" if reading.hazard else "ok", reading=reading.words)

    def _parse(self, text: str) -> Any:
        try:
            value = lengths.to_cm(text)
        except ValueError:
            raise ValueError(t("answer.length.typed", text=text.strip(), hint=self.hint())) from None
        return int(value) if value == int(value) else value

    def _shown(self, value: Any) -> str:
        return lengths.cm(value)

    def hint(self) -> str:
        na = t("answer.hint.or_na") if self.not_applicable else ""
        return t("answer.hint.length", low=number(self.min), high=number(self.max), na=na)

    def what(self) -> str:
        na = t("answer.hint.or_na") if self.not_applicable else ""
        return t("answer.what.length", low=number(self.min), high=number(self.max), na=na)

    def neutral(self) -> Any:
        return lengths.NEUTRAL[self.rule]


# -- a piece of equipment

Status = Literal["recommended", "ordered", "delivered", "installed", "declined"]
STATUSES: tuple[Status, ...] = ("recommended", "ordered", "delivered", "installed", "declined")
PENDING: frozenset[str] = frozenset({"recommended", "ordered", "delivered"})  # still to be done
Doer = Literal["person", "family", "installer", "ot", "vendor"]
DOERS: tuple[Doer, ...] = ("person", "family", "installer", "ot", "vendor")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class Progress:
    """A piece of equipment's status, who does the next step (None: as the catalogue says), and by when."""

    status: Status
    who: Doer | None = None
    by: date | None = None

    @property
    def pending(self) -> bool:
        return self.status in PENDING

    def stored(self) -> str:
        """The value kept in the answer history: "ordered;vendor;2026-12-20" (empty parts left out at the end)."""
        parts = [self.status, self.who or "", self.by.isoformat() if self.by else ""]
        return ";".join(parts).rstrip(";")


def progress_of(value: Any) -> Progress | None:
    """A stored equipment answer read back (None when it is not one)."""
    if not isinstance(value, str):
        return None
    parts = value.split(";")
    if len(parts) > 3 or parts[0] not in STATUSES:
        return None
    who = parts[1] if len(parts) > 1 and parts[1] else None
    if who is not None and who not in DOERS:
        return None
    by = None
    if len(parts) == 3:
        if not _DAY.match(parts[2]):
            return None
        try:
            by = date.fromisoformat(parts[2])
        except ValueError:
            return None
    return Progress(parts[0], who, by)


def _words(kind: str, code: str) -> set[str]:
    """What may be typed for a status or a doer: its key, its word in the language in use, its code."""
    if kind == "status":
        return {code, t(f"equipment.status.{code}").casefold(), t(f"equipment.key.{code}")}
    return {code, t(f"equipment.typed.{code}").casefold()}


class EquipmentAnswer(AnswerKind):
    """Where a piece of equipment is up to: recommended, ordered, delivered, installed or declined,
    who does the next step and by when. Stored as an answer, so the history, the amendment trail
    and the clinic sync carry it; once given, it is asked at every visit until closed."""

    kind: Literal["equipment"]
    type: Annotated[str, Field(pattern=ID_PATTERN, max_length=60, description="an id of the checklist's equipment")]

    def _problem(self, value: Any) -> str | None:
        return None if progress_of(value) is not None else t("answer.equipment.bad", value=repr(value))

    def kept_once_given(self) -> bool:
        return True

    def _judge(self, value: Any, profile: Profile, day: date, others: Others) -> Verdict:
        return OK

    def _shown(self, value: Any) -> str:
        progress = progress_of(value)
        if progress is None:
            return str(value)
        parts = [t(f"equipment.status.{progress.status}").capitalize()]
        if progress.who:  # the answer is read by the clinician: "the person", "the supplier"
            parts.append(t(f"equipment.who_clinician.{progress.who}"))
        if progress.by:
            parts.append(t("equipment.by", day=progress.by))
        return " · ".join(parts)

    def _parse(self, text: str) -> Any:
        words = text.replace(";", " ").split()
        if not words:
            raise ValueError(self.hint())
        status = next((s for s in STATUSES if words[0].casefold() in _words("status", s)), None)
        if status is None:
            raise ValueError(t("answer.equipment.typed", text=text.strip(), hint=self.hint()))
        who: Doer | None = None
        by: date | None = None
        for word in words[1:]:
            doer = next((d for d in DOERS if word.casefold() in _words("who", d)), None)
            if doer is not None and who is None:
                who = doer
                continue
            try:
                by = date.fromisoformat(word) if _DAY.match(word) else None
            except ValueError:
                by = None
            if by is None:
                raise ValueError(t("answer.equipment.typed", text=text.strip(), hint=self.hint()))
        return Progress(status, who, by).stored()

    def hint(self) -> str:
        return t("answer.hint.equipment")

    def retyping_replaces(self) -> bool:
        return False  # "r" for the review must never turn "ordered" into "recommended"

    def typed_back(self, value: Any) -> str:
        """As it would be typed in the language in use: "o vendor 2026-12-20", "c fournisseur 2026-12-20"."""
        progress = progress_of(value)
        if progress is None:
            return str(value)
        parts = [t(f"equipment.key.{progress.status}")]
        if progress.who:
            parts.append(t(f"equipment.typed.{progress.who}"))
        if progress.by:
            parts.append(progress.by.isoformat())
        return " ".join(parts)

    def what(self) -> str:
        return t("answer.hint.equipment")

    def neutral(self) -> Any:
        return "recommended"


class EquipmentType(Strict):
    """One kind of equipment in the checklist's catalogue: what it solves, the measurements that
    size it, and who usually does the next step."""

    id: Annotated[str, Field(pattern=ID_PATTERN, max_length=60)]
    name: Annotated[str, Field(min_length=3, max_length=120)]
    solves: Annotated[str, Field(min_length=3, max_length=300, description="what it solves, in plain words")]
    sized_by: list[Annotated[str, Field(pattern=ID_PATTERN, max_length=60)]] = Field(
        default_factory=list, description="the measurements (length items) that size it"
    )
    sizing: Annotated[str, Field(min_length=3, max_length=300)] | None = Field(
        None, description="how those measurements size it"
    )
    who: Doer = Field(description="who usually does the next step: person, family, installer, ot or vendor")
    asks: list[Load] = Field(
        default_factory=list,
        description="what using it asks of the body: never recommended to whom the limits forbid it",
    )
    source: Annotated[str, Field(min_length=3, max_length=200)]


class _Catalogued(Protocol):
    """What the field kit's checks read of a checklist (typed here: the checklist model imports this module)."""

    @property
    def equipment(self) -> list[EquipmentType]: ...

    @property
    def sections(self) -> Any: ...


def field_kit_problems(checklist: _Catalogued, seen: dict[str, tuple[int, int]]) -> list[PathProblem]:
    """Measurements compared with one measured before them by the right rule; equipment named by
    an action or a status item is in the catalogue, with one status item each; a catalogue entry
    is sized by measurements."""
    problems: list[PathProblem] = []
    types = {e.id for e in checklist.equipment}
    with_status: dict[str, str] = {}
    for n, entry in enumerate(checklist.equipment):
        for m, item_id in enumerate(entry.sized_by):
            at = seen.get(item_id)
            if at is None or checklist.sections[at[0]].items[at[1]].answer.kind != "length":
                problems.append((("equipment", n, "sized_by", m), t("check.sized_by", id=item_id)))
    for item_id, (s_index, i_index) in seen.items():
        item = checklist.sections[s_index].items[i_index]
        where: tuple[str | int, ...] = ("sections", s_index, "items", i_index)
        for m, wanted in enumerate(item.recommends):
            if wanted not in types:
                problems.append(((*where, "recommends", m), t("check.no_such_equipment", id=wanted)))
        spec = item.answer
        if spec.kind == "equipment":
            kind = getattr(spec, "type", "")
            if kind not in types:
                problems.append(((*where, "answer", "type"), t("check.no_such_equipment", id=kind)))
            elif kind in with_status:
                problems.append(((*where, "answer", "type"), t("check.equipment_twice", id=kind)))
            with_status.setdefault(kind, item_id)
        against = getattr(spec, "against", None)
        if spec.kind == "length" and against:
            other = seen.get(against)
            wanted_rule = lengths.COMPARED_WITH.get(getattr(spec, "rule", ""))
            if (
                other is None
                or other >= (s_index, i_index)
                or getattr(checklist.sections[other[0]].items[other[1]].answer, "rule", None) != wanted_rule
            ):
                problems.append(((*where, "answer", "against"), t("check.against", id=against, rule=wanted_rule)))
    return problems


AnswerSpec = Annotated[
    YesNoAnswer | ChoiceAnswer | NumberAnswer | ScaleAnswer | TextAnswer | LengthAnswer | EquipmentAnswer,
    Field(discriminator="kind"),
]

__all__ = ["HAZARD", "AnswerSpec", "EquipmentAnswer", "EquipmentType", "LengthAnswer", "Progress", "progress_of"]
