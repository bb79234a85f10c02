"""The routine re-check as a reminder the person keeps (a calendar file beside the handout): when
there is one, and what it says. A rule of safehome's, after NCOA's Falls Free CheckUp (a reminder to
screen again) and the re-check the score sets: a reminder only for a routine re-check, never when
the check is incomplete (nothing to be sure of yet) or a warning sign is urgent (then the handout
says to call now, not to wait for a date)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from safehome.core.models import Assessment
from safehome.core.plan import Plan
from safehome.core.score import Score
from safehome.i18n.words import t

ALARM_DAYS_BEFORE = 1
URGENT = ("emergency", "same_day")


@dataclass(frozen=True, slots=True)
class Reminder:
    day: date  # the local date of the re-check (an all-day event: no time zone can move it)
    title: str  # plain words, no diagnosis: a calendar is seen by others
    what: str
    call: str  # whom to call, with the number the person gave
    alarm_days_before: int = ALARM_DAYS_BEFORE

    @property
    def description(self) -> str:
        return f"{self.what} {self.call}"


def reminder_for(assessment: Assessment, result: Score, plan: Plan) -> Reminder | None:
    """The re-check reminder, or None when there must be none (incomplete, urgent, no date)."""
    if result.urgency in URGENT or result.urgency == "not_checked" or plan.unanswered or plan.recheck_on is None:
        return None
    phone = assessment.profile.cancer_team_phone
    call = t("reminder.call", phone=phone) if phone else t("reminder.call_team")
    return Reminder(plan.recheck_on, t("reminder.title"), t("reminder.what"), call)
