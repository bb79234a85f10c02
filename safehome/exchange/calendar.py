"""A reminder as an iCalendar file (RFC 5545): one all-day event on the local date, an alarm the day
before. Written with the ``icalendar`` package; nothing is sent anywhere, the person opens the file."""

from __future__ import annotations

import uuid
from datetime import timedelta

from safehome.core.reminders import Reminder

PRODID = "-//safehome//home safety re-check//EN"
_NAMESPACE = uuid.UUID("0b7c0f3c-5a0e-5c1e-8f3e-4d1a6f5e2b10")


def ics(reminder: Reminder, key: str) -> bytes:
    """The .ics bytes; ``key`` makes its UID the same on every export of the same visit."""
    from icalendar import Alarm, Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"{uuid.uuid5(_NAMESPACE, key)}@safehome.invalid")
    event.add("summary", reminder.title)
    event.add("description", reminder.description)
    event.add("dtstart", reminder.day)  # a date, not a time: the same day in every time zone
    event.add("dtend", reminder.day + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", reminder.title)
    alarm.add("trigger", timedelta(days=-reminder.alarm_days_before))
    event.add_component(alarm)
    calendar.add_component(event)
    return bytes(calendar.to_ical())
