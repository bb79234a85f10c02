"""Follow-through, part 2: beside every handout PDF, the routine re-check as a calendar file, read
back here with the icalendar package; none when the check is incomplete or a sign is urgent."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from icalendar import Calendar

from safehome.core.example import example_assessment
from safehome.core.plan import build_plan
from safehome.core.score import score
from safehome.faces.cli import main
from safehome.storage.store import Store

from .conftest import DAY, make


def _event(path: Path):
    calendar = Calendar.from_ical(path.read_bytes())
    (event,) = calendar.walk("VEVENT")
    return event


def test_the_handout_has_its_re_check_beside_it_on_the_local_date_with_an_alarm_the_day_before(
    home, tmp_path, capsys
) -> None:
    example = example_assessment(home, DAY)
    assessment = example.model_copy(
        update={"profile": example.profile.model_copy(update={"cancer_team_phone": "613-555-0142"})}
    )
    plan = build_plan(home, assessment, score(home, assessment))
    with Store(tmp_path / "data" / "safehome.sqlite3") as store:
        aid = store.create(assessment, status="finished")
    out = tmp_path / "out"
    out.mkdir()
    assert main(["--data-dir", str(tmp_path / "data"), "report", str(aid), "-o", str(out / "plan.pdf")]) == 0
    (ics,) = out.glob("*.ics")
    assert ics.with_suffix(".pdf").exists() and oct(ics.stat().st_mode & 0o777) == "0o600"
    event = _event(ics)
    assert event.decoded("dtstart") == plan.recheck_on  # a date: the same day wherever it is opened
    assert str(event["summary"]) == "Home safety check again"  # no diagnosis in a calendar others may see
    assert "613-555-0142" in str(event["description"])
    (alarm,) = event.walk("VALARM")
    assert alarm.decoded("trigger") == timedelta(days=-1)
    assert main(["--data-dir", str(tmp_path / "data"), "report", str(aid), "-o", str(out / "again.pdf")]) == 0
    assert str(_event(out / "again.ics")["uid"]) == str(event["uid"])  # the same event, not a second one
    capsys.readouterr()
    assert main(["--data-dir", str(tmp_path / "data"), "delete", "--person", "1", "--yes"]) == 0
    assert not list(out.glob("*.ics"))  # a deleted person's reminder goes with the rest


def test_no_reminder_when_a_sign_is_urgent_the_check_incomplete_or_the_pdf_is_the_clinicians(home, tmp_path) -> None:
    urgent = make(home, {"ws_back_pain": "yes"})
    incomplete = make(home, {"ws_back_pain": None})
    routine = make(home)
    for name, assessment in (("urgent", urgent), ("incomplete", incomplete), ("routine", routine)):
        path = tmp_path / name / "answers.json"
        path.parent.mkdir()
        path.write_text(assessment.model_dump_json())
        assert main(["report", str(path), "-o", str(path.with_suffix(".pdf"))]) == 0
        assert path.with_suffix(".ics").exists() == (name == "routine"), name
    clinician = tmp_path / "routine" / "summary.pdf"
    assert (
        main(["report", str(tmp_path / "routine" / "answers.json"), "--audience", "clinician", "-o", str(clinician)])
        == 0
    )
    assert not clinician.with_suffix(".ics").exists()


def test_the_web_face_offers_the_same_calendar_file_and_none_for_an_urgent_check(home, selfcheck) -> None:
    from safehome import service

    routine = make(selfcheck)
    data = service.reminder_ics(selfcheck, routine, "web-check-7")
    assert data is not None and data == service.reminder_ics(selfcheck, routine, "web-check-7")
    event = Calendar.from_ical(data).walk("VEVENT")[0]
    plan = build_plan(selfcheck, routine, score(selfcheck, routine))
    assert event.decoded("dtstart") == plan.recheck_on
    assert service.reminder_ics(selfcheck, make(selfcheck, {"ws_back_pain": "yes"}), "web-check-7") is None
