"""The one safety stop before the physical tests, held by the score, the app, every import and
every face: which answers stop the Timed Up and Go, the chair stand and the balance test today,
and the team's clearance that lifts a score's stop (never a warning sign's).

The cut-offs are published ones (``core/measures.py``: Mirels 8 or more, SINS 7 or more); which
warning signs stop the tests, and what a clearance must hold, are safehome's own rules.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from safehome.core.models import Checklist, Item
from safehome.core.profile import Profile
from safehome.i18n.words import t

STOPPING_TIERS = ("emergency", "same_day")  # safehome rule, from NICE NG234: these signs stop the physical tests


def clearance(checklist: Checklist, day: date, value_of: Callable[[Item], Any]) -> tuple[str, date] | None:
    """The team's clearance for the physical tests despite a score: (who, on what date), when both are
    recorded and the date is a real one, not after the visit. A rule of safehome's."""
    ids = checklist.clearance_items
    if len(ids) != 2:
        return None
    by, on = value_of(checklist.item(ids["who"])), value_of(checklist.item(ids["date"]))
    if not isinstance(by, str) or not by.strip() or not isinstance(on, str):
        return None
    try:
        cleared_on = date.fromisoformat(on.strip())
    except ValueError:
        return None
    return (by.strip(), cleared_on) if cleared_on <= day else None


def stop_reasons(
    checklist: Checklist, mode: str, profile: Profile, day: date, value_of: Callable[[Item], Any]
) -> tuple[list[str], list[str]]:
    """Why the physical tests are unsafe today: (warning signs, scores). A same-day or emergency
    sign, Mirels 8 or more, SINS 7 or more. The one safety-stop rule: the score, the app, every
    import and every face ask it."""
    signs: list[str] = []
    scores: list[str] = []
    for item in checklist.gating_items:
        if not checklist.asks(item, mode, profile, value_of):
            continue
        value = value_of(item)
        if item.red_flag:
            if item.urgency in STOPPING_TIERS and item.answer.verdict(value, profile, day).hazard:
                signs.append(t("safety.red_flag", prompt=item.statement or item.prompt_for(mode)))  # the sign
        elif item.answer.stops_physical_tests(value):
            measure = getattr(item.answer, "measure", None)  # a short name: the prompt is a whole question
            scores.append(t(f"safety.score.{measure}", value=value))
    return signs, scores


def safety_stops(
    checklist: Checklist, mode: str, profile: Profile, day: date, value_of: Callable[[Item], Any]
) -> list[str]:
    """Why the physical tests are unsafe today (empty when they may be done): every positive
    same-day or emergency sign, and the scores, unless the team cleared the tests (a clearance
    never lifts a warning sign)."""
    signs, scores = stop_reasons(checklist, mode, profile, day, value_of)
    if scores and clearance(checklist, day, value_of) is not None:
        scores = []
    return signs + scores
