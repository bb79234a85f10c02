"""What a form renderer can work out for itself, as SDC FHIRPath expressions on the Questionnaire:
the Stay Independent total (``calculatedExpression``), and the rules plain ``enableWhen`` cannot
say (``enableWhenExpression``): the safety stop that hides the physical tests, and a follow-up a
score opens. Each is written from the same rule the score uses (core.safety, core.measures,
Checklist.asks), so a renderer shows what safehome would; the tests evaluate every expression with
a FHIRPath engine over generated answers and compare it with safehome's own result.

Answers are read from ``%resource`` (the QuestionnaireResponse being filled in); an answer's value
is ``answer.value`` (a Coding's ``code``, a number). ``today()`` stands for the visit's day: a
renderer evaluates while the visit is going on.
"""

from __future__ import annotations

from safehome.core.measures import PHYSICAL_TESTS, STOPS_AT
from safehome.core.models import Checklist, Item
from safehome.core.safety import STOPPING_TIERS
from safehome.exchange.fhir.common import YES_NO

CALCULATED = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
ENABLE_WHEN_EXPRESSION = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"
STEADI_TOTAL = "steadi_total"  # the calculated item's linkId (never an item of a checklist)
CALCULATED_LINKS = frozenset({STEADI_TOTAL})


def extension(url: str, expression: str) -> dict[str, object]:
    return {"url": url, "valueExpression": {"language": "text/fhirpath", "expression": expression}}


def _value(link_id: str) -> str:
    return f"%resource.repeat(item).where(linkId='{link_id}').answer.value"


def _is_hazard(item: Item) -> str:
    """The item's answer is one of its hazard answers (a yes/no's LOINC code)."""
    codes = [YES_NO.get(str(v), str(v)) for v in item.answer.model_dump().get("hazard", [])]
    return "(" + " or ".join(f"({_value(item.id)}.code contains '{code}')" for code in codes) + ")"


def _at_least(link_id: str, limit: float) -> str:
    return f"{_value(link_id)}.where($this >= {limit:g}).exists()"


def steadi_total(checklist: Checklist) -> str | None:
    """The Stay Independent total: each item's points when its answer is the one that scores."""
    parts = [
        f"iif({_is_hazard(item)}, {item.steadi_points}, 0)"
        for _, item in checklist.items()
        if item.steadi_points is not None
    ]
    return " + ".join(parts) if parts else None


def _scores_stop(checklist: Checklist) -> str | None:
    """A recorded score at or above its stop (Mirels 8 or more, SINS 7 or more)."""
    parts = []
    for item in checklist.gating_items:
        measure = getattr(item.answer, "measure", None)
        if not item.red_flag and measure in STOPS_AT:
            parts.append(_at_least(item.id, STOPS_AT[measure]))
    return " or ".join(parts) if parts else None


def _cleared(checklist: Checklist) -> str:
    """The team's clearance: who (some text) and when (a date, not after today), as core.safety has it."""
    ids = checklist.clearance_items
    if len(ids) != 2:
        return "false"
    who = f"{_value(ids['who'])}.where($this.matches('\\\\S')).exists()"
    day = "$this.matches('^\\\\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\\\\s*$') and $this.trim().toDate() <= today()"
    return f"({who} and {_value(ids['date'])}.where({day}).exists())"


def tests_allowed(checklist: Checklist) -> str | None:
    """The physical tests may be done today: no same-day or emergency warning sign, and no score that
    stops them unless the team cleared them (a clearance never lifts a warning sign)."""
    signs = [_is_hazard(i) for i in checklist.gating_items if i.red_flag and i.urgency in STOPPING_TIERS]
    scores = _scores_stop(checklist)
    parts = []
    if signs:
        parts.append("(" + " or ".join(signs) + ").not()")
    if scores:
        parts.append(f"(({scores}).not() or {_cleared(checklist)})")
    return " and ".join(parts) if parts else None


def follow_up(checklist: Checklist, item: Item) -> str | None:
    """When a follow-up a score opens is asked (Checklist.follow_up_holds), for those plain
    enableWhen cannot say; None for one it can."""
    if not item.follows or not any(f.stops_tests for f in item.follows):
        return None
    parts = []
    for follow in item.follows:
        parent = checklist.item(follow.item)
        measure = getattr(parent.answer, "measure", None)
        if follow.stops_tests and measure in STOPS_AT:
            parts.append(_at_least(parent.id, STOPS_AT[measure]))
        for value in follow.answer or ():
            parts.append(f"({_value(parent.id)}.code contains '{YES_NO.get(str(value), str(value))}')")
    return " or ".join(parts) if parts else None


def is_physical_test(item: Item) -> bool:
    return getattr(item.answer, "measure", None) in PHYSICAL_TESTS
