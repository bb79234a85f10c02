"""The five answer kinds, each owning what its answers mean. One rule, one place.

Every kind answers, in one place:

- :meth:`~AnswerKind.problem`: is this value a valid answer (and if not, the plain message);
- :meth:`~AnswerKind.verdict`: what a valid answer means for this person on this day:
  unanswered, not applicable, ok, a hazard, or a measure judged against its cut-off;
- :meth:`~AnswerKind.can_be_hazard`: whether any answer can ever be a hazard;
- :meth:`~AnswerKind.shown`, :meth:`~AnswerKind.options`, :meth:`~AnswerKind.parse` and
  :meth:`~AnswerKind.hint`: how an answer is shown and typed, for every face;
- :meth:`~AnswerKind.neutral`: an answer that is not a hazard (for the example).

Scoring, the session's warning-sign check, the checklist validators, the PDF, the app,
the example and the CLI all call these. Nothing outside this module switches on the kind.
Part of the domain core: no UI, no clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field

from safehome.core import measures
from safehome.core.base import Strict
from safehome.core.lengths import Others
from safehome.core.measures import Measure, MeasureResult
from safehome.i18n.words import number, t

if TYPE_CHECKING:
    from safehome.core.profile import Profile

NOT_APPLICABLE = "na"


def _nothing(item_id: str) -> Any:
    return None


ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"

# unsafe: a physical test not done because it is unsafe today; no_norm: measured, but no
# published norm fits this person (never "ok")
Status = Literal["hazard", "ok", "na", "unanswered", "skipped", "unsafe", "no_norm"]
Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Verdict:
    """What one answer means: its status, the measure's judgement when it is one, and for a
    measurement of the home the words that say what the number means for this person."""

    status: Status
    measure: MeasureResult | None = None
    reading: str | None = None

    @property
    def hazard(self) -> bool:
        return self.status == "hazard"


UNANSWERED = Verdict("unanswered")
NOT_APPLICABLE_VERDICT = Verdict("na")
OK = Verdict("ok")
HAZARD = Verdict("hazard")


@dataclass(frozen=True, slots=True)
class Option:
    """A single-key answer: the key to press, the words shown, the value stored."""

    key: str
    label: str
    value: str


def _number(value: float) -> str:
    return number(value)  # 12,5 in French


class AnswerKind(Strict):
    """What every answer kind offers. Each subclass is one ``kind`` in the checklist YAML."""

    not_applicable: bool = False

    # -- what the checklist writer declared

    def values(self) -> list[str]:
        """The coded answers (and ``na`` when offered)."""
        return [NOT_APPLICABLE] if self.not_applicable else []

    def can_be_hazard(self) -> bool:
        return False

    def yes_is_the_hazard(self) -> bool:
        """True for a yes/no item whose only hazard answer is "yes" (what STEADI needs)."""
        return False

    def is_referral_score(self) -> bool:
        """Mirels or SINS: a positive one means "refer before mobility training"."""
        return False

    def is_free_text(self) -> bool:
        """Free text: shown as a remark, never judged."""
        return False

    def is_measure(self) -> bool:
        """A clinician-entered measure judged by its published cut-off (fall risk, not a home hazard)."""
        return False

    def is_physical_test(self) -> bool:
        """Timed Up and Go, chair stand, balance: not done when safety says no."""
        return False

    def stops_physical_tests(self, value: Any) -> bool:
        return False

    def spec_problems(self) -> list[tuple[Path, str]]:
        """Mistakes in the declaration itself, each with its path under ``answer``."""
        return []

    # -- one answer

    def problem(self, value: Any) -> str | None:
        """Why ``value`` is not a valid answer, or None when it is (None itself is "not answered")."""
        if isinstance(value, str) and value == NOT_APPLICABLE:
            return None if self.not_applicable else t("answer.na_not_offered")
        return self._problem(value)

    def _problem(self, value: Any) -> str | None:
        raise NotImplementedError

    def verdict(self, value: Any, profile: Profile, day: date, others: Others | None = None) -> Verdict:
        """What a valid answer means for this person on this day (``others``: another item's stored
        value by id, for a measurement compared with another one)."""
        if value is None:
            return UNANSWERED
        if value == NOT_APPLICABLE:
            return NOT_APPLICABLE_VERDICT
        return self._judge(value, profile, day, others or _nothing)

    def _judge(self, value: Any, profile: Profile, day: date, others: Others) -> Verdict:
        return OK

    def kept_once_given(self) -> bool:
        """An answer followed until it is closed (equipment): once given, the item stays asked."""
        return False

    def optional_reading(self) -> bool:
        """A measurement a visit may leave unmeasured: "not measured" is shown where it would be,
        and the hazard level is decided by the room's questions."""
        return False

    def shown(self, value: Any) -> str:
        """The answer in words, for a person to read."""
        if value is None:
            return t("answer.shown.unanswered")
        if value == NOT_APPLICABLE:
            return t("answer.shown.na")
        return self._shown(value)

    def _shown(self, value: Any) -> str:
        return str(value)

    def recorded_meaning(self, value: Any) -> str | None:
        """What a just-recorded answer means, said as it is recorded where it could be misread
        (None: the answer speaks for itself)."""
        return None

    def finding(self, statement: str, value: Any) -> str:
        """A hazard reported as a finding: the statement with the value given ("Worst bone pain: 8");
        a yes/no answer is already said by its statement."""
        return t("answer.finding", statement=statement, value=self.shown(value))

    def options(self) -> list[Option]:
        """Single-key answers; empty when the answer is typed."""
        return []

    def typed(self) -> bool:
        return not self.options()

    def hint(self) -> str:
        """What to type, for a typed answer."""
        return ""

    def what(self) -> str:
        """What a typed answer may be, said without any key to press (a web page's field)."""
        return ""

    def retyping_replaces(self) -> bool:
        """Whether typing over a saved typed answer replaces it (a number: a test timed again); free
        text and an equipment status are never replaced by a stray key: typing goes on after them."""
        return not self.is_free_text()

    def typed_back(self, value: Any) -> str:
        """A saved typed answer as it goes back into the field to be changed (12.5 as the language
        writes it, never 12.50 or 13.0)."""
        return number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)

    def parse(self, text: str) -> Any:
        """A typed answer as a value (ValueError with the plain message if it cannot be one)."""
        stripped = text.strip()
        if stripped.lower() in ("a", "na", "n/a") and self.not_applicable:
            return NOT_APPLICABLE
        return self._parse(text)

    def _parse(self, text: str) -> Any:
        return text

    def neutral(self) -> Any:
        """An answer that is not a hazard."""
        raise NotImplementedError

    def hazard_answer(self) -> Any:
        """A coded answer that is a hazard (None when the kind has none to offer)."""
        return None

    def _na_options(self) -> list[Option]:
        return [Option("a", t("answer.shown.na"), NOT_APPLICABLE)] if self.not_applicable else []


class _Coded(AnswerKind):
    """Shared by the kinds whose answers are a fixed list of codes (yes/no, choice)."""

    hazard: list[str] = Field(default_factory=list)

    def can_be_hazard(self) -> bool:
        return bool(self.hazard)

    def spec_problems(self) -> list[tuple[Path, str]]:
        allowed = [v for v in self.values() if v != NOT_APPLICABLE]
        return [
            (("hazard",), t("check.hazard_not_an_answer", value=value, allowed=", ".join(allowed)))
            for value in self.hazard
            if value not in allowed
        ]

    def _judge(self, value: Any, profile: Profile, day: date, others: Others) -> Verdict:
        return HAZARD if value in self.hazard else OK

    def neutral(self) -> Any:
        return next(v for v in self.values() if v not in self.hazard)

    def hazard_answer(self) -> Any:
        return self.hazard[0] if self.hazard else None


class YesNoAnswer(_Coded):
    """Yes or no, with "not applicable" offered unless ``not_applicable: false``."""

    kind: Literal["yes_no"]
    not_applicable: bool = Field(
        False, description="offer 'not applicable' (only where the item says when: no stairs, no tub)"
    )
    hazard: list[str] = Field(default_factory=list, description="answers that count as a hazard: yes, no")

    def values(self) -> list[str]:
        return ["yes", "no", *super().values()]

    def yes_is_the_hazard(self) -> bool:
        return self.hazard == ["yes"]

    def _problem(self, value: Any) -> str | None:
        if value in ("yes", "no"):
            return None
        key = "answer.yes_no.bad_na" if self.not_applicable else "answer.yes_no.bad"
        return t(key, value=repr(value))

    def _shown(self, value: Any) -> str:
        return t("answer.shown.yes") if value == "yes" else t("answer.shown.no")

    def options(self) -> list[Option]:
        return [
            Option(t("answer.key.yes"), t("answer.shown.yes"), "yes"),
            Option("n", t("answer.shown.no"), "no"),
            *self._na_options(),
        ]

    def finding(self, statement: str, value: Any) -> str:
        return statement

    def recorded_meaning(self, value: Any) -> str | None:
        """A "no" that is the hazard (no lamp by the bed, no phone within reach) is easy to give by
        mistake: it is said to be something to fix as it is recorded."""
        if value == "no" and "no" in self.hazard:
            return t("answer.recorded.no_is_hazard")
        return None


class Choice(Strict):
    value: Annotated[str, Field(pattern=ID_PATTERN, max_length=60)]
    label: Annotated[str, Field(min_length=1, max_length=200)]


class ChoiceAnswer(_Coded):
    """One answer out of a list."""

    kind: Literal["choice"]
    choices: Annotated[list[Choice], Field(min_length=2, max_length=12)]
    hazard: list[str] = Field(default_factory=list, description="choice values that count as a hazard")

    def values(self) -> list[str]:
        return [c.value for c in self.choices] + super().values()

    def _problem(self, value: Any) -> str | None:
        if isinstance(value, str) and value in self.values():
            return None
        return t("answer.choice.bad", value=repr(value), allowed=", ".join(self.values()))

    def _shown(self, value: Any) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        return str(value)

    def options(self) -> list[Option]:
        return [Option(str(n), c.label, c.value) for n, c in enumerate(self.choices, 1)] + self._na_options()


Finite = Annotated[float, Field(allow_inf_nan=False)]  # a NaN threshold would never flag a hazard


class _Numeric(AnswerKind):
    """Shared by the kinds whose answer is a number in a range."""

    min: Finite
    max: Finite

    def _whole(self) -> bool:
        return True

    def _unit(self) -> str:
        return ""

    def _problem(self, value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return t("answer.number.not_a_number", value=repr(value))
        if math.isnan(value) or not self.min <= value <= self.max:
            unit = f" {self._unit()}" if self._unit() else ""
            return t(
                "answer.number.out_of_range",
                value=_number(value),
                low=_number(self.min),
                high=_number(self.max),
                unit=unit,
            )
        if self._whole() and value != int(value):
            return t("answer.number.not_whole", value=_number(value))
        return None

    def _parse(self, text: str) -> Any:
        try:
            number: float = float(text.strip().replace(",", "."))
        except ValueError:
            raise ValueError(t("answer.number.typed_not_a_number", text=text.strip(), hint=self.hint())) from None
        if math.isfinite(number) and number == int(number):
            return int(number)
        return number


class NumberAnswer(_Numeric):
    """A number with a unit, within a range.

    Either it is one of the published ``measure`` tests (judged by the published rule), or
    it may say which values are a hazard with ``hazard_below`` / ``hazard_at_or_above``.
    """

    kind: Literal["number"]
    unit: Annotated[str, Field(min_length=1, max_length=40)]
    integer: bool = False
    measure: Measure | None = None
    not_applicable: bool = False
    hazard_below: Finite | None = None
    hazard_at_or_above: Finite | None = None

    def _whole(self) -> bool:
        return self.integer

    def _unit(self) -> str:
        return self.unit

    def can_be_hazard(self) -> bool:
        return self.measure is not None or self.hazard_below is not None or self.hazard_at_or_above is not None

    def spec_problems(self) -> list[tuple[Path, str]]:
        problems: list[tuple[Path, str]] = []
        if self.min >= self.max:
            problems.append((("min",), t("check.min_below_max", low=_number(self.min), high=_number(self.max))))
        if self.measure:
            if self.hazard_below is not None or self.hazard_at_or_above is not None:
                problems.append((("measure",), t("check.measure_threshold", measure=self.measure)))
            low, high = measures.MEASURE_RANGES[self.measure]
            if self.min < low or self.max > high:
                problems.append(
                    (("measure",), t("check.measure_range", measure=self.measure, low=_number(low), high=_number(high)))
                )
        return problems

    def _judge(self, value: Any, profile: Profile, day: date, others: Others) -> Verdict:
        if self.measure is not None:
            result = measures.judge(self.measure, float(value), self.unit, profile, day)
            status: Status = "no_norm" if result.at_risk is None else "hazard" if result.at_risk else "ok"
            return Verdict(status, result)
        below = self.hazard_below is not None and value < self.hazard_below
        above = self.hazard_at_or_above is not None and value >= self.hazard_at_or_above
        return HAZARD if below or above else OK

    def _shown(self, value: Any) -> str:
        if self.measure == "balance_stage":  # a stage is named before its number: "stage 3", never "3 stage"
            return t("answer.shown.stage", value=_number(value), unit=self.unit)
        return t("answer.shown.number", value=_number(value), unit=self.unit)

    def hint(self) -> str:
        na = t("answer.hint.or_na") if self.not_applicable else ""
        return t("answer.hint.number", low=_number(self.min), high=_number(self.max), unit=self.unit, na=na)

    def what(self) -> str:
        na = t("answer.hint.or_na") if self.not_applicable else ""
        return t("answer.what.number", low=_number(self.min), high=_number(self.max), unit=self.unit, na=na)

    def is_referral_score(self) -> bool:
        """Mirels or SINS: a positive one means "refer before mobility training"."""
        return self.measure in measures.REFERRAL_SCORES

    def is_measure(self) -> bool:
        return self.measure is not None

    def is_physical_test(self) -> bool:
        return self.measure in measures.PHYSICAL_TESTS

    def stops_physical_tests(self, value: Any) -> bool:
        """Whether this recorded score makes the physical tests unsafe today (Mirels 8+, SINS 7+)."""
        return self.measure is not None and measures.stops_physical_tests(self.measure, value)

    def neutral(self) -> Any:
        return 4 if self.measure == "mirels" else self.min  # Mirels runs from 4: its lowest score


class ScaleAnswer(_Numeric):
    """A whole number on a 0 to 10 scale (for example, pain)."""

    kind: Literal["scale"]
    min_label: str = "0"
    max_label: str = "10"
    hazard_at_or_above: Annotated[int, Field(ge=0, le=10)] | None = None
    not_applicable: bool = False
    min: int = 0
    max: int = 10

    def can_be_hazard(self) -> bool:
        return self.hazard_at_or_above is not None

    def _judge(self, value: Any, profile: Profile, day: date, others: Others) -> Verdict:
        return HAZARD if self.hazard_at_or_above is not None and value >= self.hazard_at_or_above else OK

    def _shown(self, value: Any) -> str:
        return t("answer.shown.scale", value=_number(value), high=self.max)

    def hint(self) -> str:
        na = t("answer.hint.or_na") if self.not_applicable else ""
        return t(
            "answer.hint.scale", low=self.min, high=self.max, low_label=self.min_label, high_label=self.max_label, na=na
        )

    def what(self) -> str:
        na = t("answer.hint.or_na") if self.not_applicable else ""
        return t(
            "answer.what.scale", low=self.min, high=self.max, low_label=self.min_label, high_label=self.max_label, na=na
        )

    def neutral(self) -> Any:
        return self.min


class TextAnswer(AnswerKind):
    """Free text, never a hazard on its own."""

    kind: Literal["text"]
    max_length: Annotated[int, Field(ge=1, le=10_000)] = 2000

    def _problem(self, value: Any) -> str | None:
        if not isinstance(value, str):
            return t("answer.text.not_text", value=repr(value))
        if len(value) > self.max_length:
            return t("answer.text.too_long", length=len(value), limit=self.max_length)
        return None

    def parse(self, text: str) -> Any:
        return text  # free text is kept exactly as typed: "a" is a word here, not "not applicable"

    def hint(self) -> str:
        return t("answer.hint.text")

    def neutral(self) -> Any:
        return ""

    def is_free_text(self) -> bool:
        return True
