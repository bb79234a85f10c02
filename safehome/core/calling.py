"""Whom to call about a warning sign, with the numbers the person gave: one rule for every face.

The app's alert, the web page's alert and the handout's warning box all say a sign's tier in the
tier's words (``urgency.do.<tier>``) and then these lines: 911 for an emergency; the cancer team
and the after-hours line for a sign to act on the same day; the next appointment for one to tell
the team about. A number the person did not give is said to be missing, never left out, so a blank
is seen and filled in. Part of the domain core: no UI.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from safehome.i18n.words import t

if TYPE_CHECKING:  # the app's alert imports this module: no pydantic for the first screen
    from safehome.core.models import Checklist
    from safehome.core.profile import Profile

# the numbers each tier calls for, in the order to try them (a rule of ours, from the CCS page:
# emergencies go to 911; other new or worse symptoms to the cancer team without delay)
WHO_BY_TIER: dict[str, tuple[str, ...]] = {
    "emergency": ("emergency",),
    "same_day": ("cancer_team", "after_hours"),
    "next_visit": ("next_appointment",),
}


@dataclass(frozen=True, slots=True)
class Call:
    """One line of whom to call: who (in the language in use) and the number or time, or None
    when the person has not given it."""

    who: str
    number: str | None

    def line(self) -> str:
        if self.number is None:
            return t("call.line.missing", who=self.who)
        return t("call.line", who=self.who, number=self.number)


def whom_to_call(urgency: str | None, profile: Profile) -> list[Call]:
    """The numbers to call for a warning sign of this tier, with the person's own where given."""
    given = {
        "emergency": t("pdf.home.call.911"),
        "cancer_team": profile.cancer_team_phone,
        "after_hours": profile.after_hours_phone,
        "next_appointment": profile.next_appointment,
    }
    return [Call(t(f"pdf.home.call.{who}"), given[who]) for who in WHO_BY_TIER.get(urgency or "same_day", ())]


def beyond_tier(action: str, urgency: str | None) -> str:
    """What to do about one warning sign, unless it is the tier's own words, said once above the
    signs of that tier (the warning box of every face, and the handout's): "" then."""
    return "" if urgency is not None and action == t(f"urgency.do.{urgency}") else action


@dataclass(frozen=True, slots=True)
class SignTier:
    """One tier of a checklist's warning signs as a handout lists them: the first group's title,
    its urgency, and every sign of every group of that urgency."""

    title: str
    urgency: str | None
    signs: list[str]


def warning_ladder(checklist: Checklist) -> list[SignTier]:
    """The checklist's warning signs, one heading per tier (groups of one urgency merged, in order),
    for the PDF handout's box and the handout page alike."""
    tiers: list[SignTier] = []
    for group in checklist.warning_signs:
        same = next((tier for tier in tiers if group.urgency is not None and tier.urgency == group.urgency), None)
        if same is None:
            tiers.append(SignTier(group.title, group.urgency, list(group.signs)))
        else:
            same.signs.extend(group.signs)
    return tiers


def contacts(profile: Profile, mode: str) -> list[tuple[str, str | None]]:
    """Page 1's "who to call": (who, number or None when not given), 911 first; the clinician of a
    visit is the one named for it, else the one who filled it in."""
    clinician = profile.clinician
    return [
        (t("pdf.home.call.emergency"), t("pdf.home.call.911")),
        (t("pdf.home.call.cancer_team"), profile.cancer_team_phone),
        (t("pdf.home.call.after_hours"), profile.after_hours_phone),
        (t("pdf.home.call.clinician" if mode == "clinician" else "pdf.home.call.clinician.self"), clinician),
        (t("pdf.home.call.next_appointment"), profile.next_appointment),
    ]
