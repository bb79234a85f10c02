"""Measurements of the home in centimetres, and what each one means for this person.

A length is typed in cm, mm or inches and stored in cm (one decimal). Each measurement item
names one rule here; a checklist may not change a threshold, only choose the rule. The
figures carry over from public sources named beside each one (:data:`SOURCES`); the rules
that compare a seat with the person's own lower leg, or a door with their walking aid, are
safehome's own and say so. Part of the domain core: no UI, no clock.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from safehome.i18n.words import number, t

Rule = Literal["lower_leg", "seat", "bed", "tub_wall", "riser", "step", "handrail", "aid_width", "door"]
RULES: tuple[Rule, ...] = ("lower_leg", "seat", "bed", "tub_wall", "riser", "step", "handrail", "aid_width", "door")
# the rules that compare with another measurement, and the rule that one must follow
COMPARED_WITH: dict[str, str] = {"seat": "lower_leg", "bed": "lower_leg", "door": "aid_width"}

CM_PER_INCH = 2.54  # the inch is defined as exactly 25.4 mm

# -- the thresholds (each one's source in SOURCES; the pages were read on 2026-12-07)
SEAT_LOW_CM = 2.5  # safehome rule: 1 inch of measuring slack below the lower leg before a seat is "low"
SEAT_HIGH_CM = (
    7.5  # safehome rule: 2 in (5 cm) above the knee is advised after hip surgery; 1 in more and the feet lose the floor
)
RAISE_STEP_CM = 2.5  # raised seats and raisers are sold by the inch ("four to five inches is generally about right")
RISER_MAX_CM = 20.0  # National Building Code 2015: dwelling stairs, rise at most 200 mm
LEVEL_MAX_CM = 1.3  # ADA 2010 303.4: a change in level over 1/2 in (13 mm) is ramped (wheelchairs; public buildings)
HANDRAIL_LOW_CM = 86.5  # Ontario Building Code 9.8.7.4(2): handrails 865 mm to 1 070 mm high (dwellings)
HANDRAIL_HIGH_CM = 107.0
TUB_WALL_STEP_CM = RISER_MAX_CM  # safehome rule: a tub wall higher than the tallest step a home may have
DOOR_MARGIN_CM = 10.0  # safehome rule: 5 cm each side of the walking aid for the hands
WHEELCHAIR_DOOR_CM = 81.5  # ADA 2010 404.2.3: a clear width of 32 in (815 mm) minimum (public buildings)

SOURCES: dict[str, str] = {
    "lower_leg": "Measured from the floor to the back of the knee, feet flat (Repose, OT measuring guide:"
    " 'from the floor to the Popliteal Fossa'); the reference for the seat and bed rules",
    "seat": "safehome rule, after Snijders, Molenbroek & Plante 2011 ('a toilet at popliteal height' for firm foot"
    " contact), Arthritis Society Canada (seat higher than the backs of the knees) and Nova Scotia Health"
    " (about 2 in above the knee after hip surgery); raise in whole inches (Fernie, Sunnybrook: 4 to 5 in)",
    "bed": "safehome rule, after Nova Scotia Health, Getting In and Out of Bed ('at least knee height or 1-2 in"
    " above your standing knee height') and Snijders et al. 2011 (firm foot contact)",
    "tub_wall": "safehome rule: a tub wall higher than the tallest step the National Building Code allows in a"
    " home (200 mm); Weill Cornell GEM: a transfer bench 'instead of stepping over the tub wall'; CJOT 2023"
    " (doi 10.1177/00084174231186066): stepping over the tub edge is 'especially challenging and hazardous'",
    "riser": "National Building Code of Canada 2015, stairs in dwelling units: 'the maximum rise ... 200 mm'"
    " (as quoted by a Codes Canada survey notice); check a province's code, which may be lower",
    "step": "National Building Code of Canada 2015: rise at most 200 mm in a dwelling; for a wheelchair, ADA 2010"
    " 303.4: a change in level over 1/2 in (13 mm) is ramped (written for public buildings)",
    "handrail": "Ontario Building Code, O. Reg. 332/12, 9.8.7.4(2): 'handrails shall be 865 mm to 1 070 mm high'",
    "aid_width": "Measured at the widest point of the walking aid; the reference for the door rule",
    "door": "safehome rule: the door's clear width against the walking aid's width, 5 cm each side for the hands;"
    " for a wheelchair also ADA 2010 404.2.3, '32 inches (815 mm) minimum' (written for public buildings)",
}

# a length under each rule that is no hazard when the lengths it is compared with are these too (the
# example and the tests' safe answers; not thresholds)
NEUTRAL: dict[str, float] = {
    "lower_leg": 46,
    "aid_width": 55,
    "seat": 47,
    "bed": 48,
    "tub_wall": 15,
    "riser": 18,
    "step": 1,
    "handrail": 90,
    "door": 81.5,
}

_UNITS: dict[str, float] = {  # each unit in cm; English and French words
    "cm": 1.0,
    "mm": 0.1,
    "m": 100.0,
    "in": CM_PER_INCH,
    "inch": CM_PER_INCH,
    "inches": CM_PER_INCH,
    '"': CM_PER_INCH,
    "po": CM_PER_INCH,
    "pouce": CM_PER_INCH,
    "pouces": CM_PER_INCH,
}
_TYPED = re.compile(r"^\s*([0-9]+(?:[.,][0-9]+)?)\s*(cm|mm|m|inches|inch|in|\"|pouces|pouce|po)?\s*$", re.IGNORECASE)


def to_cm(text: str) -> float:
    """A typed length in cm, rounded to a millimetre (ValueError with no message when it is not one)."""
    found = _TYPED.match(text)
    if found is None:
        raise ValueError
    amount = float(found.group(1).replace(",", "."))
    unit = (found.group(2) or "cm").lower()
    return round(amount * _UNITS[unit], 1)


def cm(value: float) -> str:
    """A length as the language in use writes it: "48 cm", "48,5 cm"."""
    return t("length.cm", value=number(round(value, 1)))


@dataclass(frozen=True, slots=True)
class Reading:
    """What one measurement means: hazard True or False, or None when it cannot be judged
    (the length it is compared with was not measured); and the words that say so."""

    hazard: bool | None
    words: str


def _measured(other: Any) -> bool:
    """Whether the length compared with was measured (a number; never True or False)."""
    return isinstance(other, (int, float)) and not isinstance(other, bool)


def _raise_for(shortfall: float) -> float:
    """The raise that brings a seat up to the knee, in the steps raisers are sold in."""
    return math.ceil(shortfall / RAISE_STEP_CM - 1e-9) * RAISE_STEP_CM


def _seat(value: float, knee: Any, what: str) -> Reading:
    if not _measured(knee):
        return Reading(None, t("length.not_compared.lower_leg"))
    gap = round(value - knee, 1)
    if gap <= -SEAT_LOW_CM:
        return Reading(True, t(f"length.{what}.low", below=cm(-gap), knee=cm(knee), rise=cm(_raise_for(-gap))))
    if gap >= SEAT_HIGH_CM:
        return Reading(True, t(f"length.{what}.high", above=cm(gap), knee=cm(knee)))
    return Reading(False, t("length.seat.ok", knee=cm(knee)))


def read(rule: str, value: float, other: Any, walking_aid: str) -> Reading:
    """What ``value`` (cm) means under ``rule``; ``other`` is the measurement it is compared with
    (None when not measured), ``walking_aid`` the person's aid from the profile."""
    if rule in ("lower_leg", "aid_width"):
        return Reading(False, t(f"length.{rule}.reference"))
    if rule in ("seat", "bed"):
        return _seat(value, other, rule)
    if rule == "tub_wall":
        if value > TUB_WALL_STEP_CM:
            return Reading(True, t("length.tub_wall.high", step=cm(TUB_WALL_STEP_CM)))
        return Reading(False, t("length.tub_wall.ok", step=cm(TUB_WALL_STEP_CM)))
    if rule == "step" and walking_aid == "wheelchair" and value > LEVEL_MAX_CM:
        return Reading(True, t("length.step.wheelchair", level=cm(LEVEL_MAX_CM)))
    if rule in ("riser", "step"):
        if value > RISER_MAX_CM:
            return Reading(True, t("length.riser.high", over=cm(value - RISER_MAX_CM), most=cm(RISER_MAX_CM)))
        return Reading(False, t("length.riser.ok", most=cm(RISER_MAX_CM)))
    if rule == "handrail":
        if value < HANDRAIL_LOW_CM:
            return Reading(True, t("length.handrail.low", low=cm(HANDRAIL_LOW_CM), high=cm(HANDRAIL_HIGH_CM)))
        if value > HANDRAIL_HIGH_CM:
            return Reading(True, t("length.handrail.high", low=cm(HANDRAIL_LOW_CM), high=cm(HANDRAIL_HIGH_CM)))
        return Reading(False, t("length.handrail.ok", low=cm(HANDRAIL_LOW_CM), high=cm(HANDRAIL_HIGH_CM)))
    if rule == "door":
        if walking_aid == "none":
            return Reading(False, t("length.door.no_aid"))
        if not _measured(other):
            return Reading(None, t("length.not_compared.aid_width"))
        room = round(value - other, 1)
        if walking_aid == "wheelchair" and value < WHEELCHAIR_DOOR_CM and room >= 0:
            return Reading(True, t("length.door.wheelchair", least=cm(WHEELCHAIR_DOOR_CM)))
        if room < DOOR_MARGIN_CM:
            key = "length.door.too_narrow" if room < 0 else "length.door.tight"
            return Reading(True, t(key, aid=cm(other), room=cm(abs(room)), margin=cm(DOOR_MARGIN_CM)))
        return Reading(False, t("length.door.ok", aid=cm(other), room=cm(room)))
    raise ValueError(rule)  # the models only admit the rules above


Others = Callable[[str], Any]  # another item's stored value, by item id
