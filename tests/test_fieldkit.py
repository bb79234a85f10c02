"""The OT field kit, part 1 (issue 32): lengths judged for this person at every threshold's edge,
typed in cm, mm or inches; equipment followed from recommended to installed, across a follow-up;
the example visit carrying ten measurements and its equipment into both documents."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from .conftest import DAY, make
from safehome import service
from safehome.core import lengths
from safehome.core.example import example_assessment
from safehome.core.kinds import EquipmentAnswer, LengthAnswer, progress_of
from safehome.core.loader import InputError, load_checklist_text
from safehome.core.plan import build_plan
from safehome.core.profile import Profile
from safehome.core.score import score
from safehome.i18n.words import LANGUAGES, speaking


def plain(text: str | None) -> str:
    """The words with their no-break spaces (between a number and its unit) as plain spaces."""
    return (text or "").replace("\u00a0", " ")


# --------------------------------------------------------------------------- every threshold at its edge


@pytest.mark.parametrize(
    ("rule", "value", "other", "aid", "hazard"),
    [
        # a seat against the lower leg (46 cm): 2.5 cm below is low, 7.5 cm above is high (safehome rules)
        ("seat", 43.5, 46, "none", True),
        ("seat", 43.6, 46, "none", False),
        ("seat", 53.4, 46, "none", False),
        ("seat", 53.5, 46, "none", True),
        ("bed", 43.5, 46, "none", True),
        ("bed", 53.5, 46, "none", True),
        ("bed", 48, 46, "none", False),
        # stairs and the entrance step: 200 mm at most (NBC 2015)
        ("riser", 20.0, None, "none", False),
        ("riser", 20.1, None, "none", True),
        ("step", 20.0, None, "cane", False),
        ("step", 20.1, None, "cane", True),
        # a wheelchair: any change in level over 13 mm is ramped (ADA 2010 303.4)
        ("step", 1.3, None, "wheelchair", False),
        ("step", 1.4, None, "wheelchair", True),
        # a stair rail in a home: 865 mm to 1 070 mm (Ontario Building Code 9.8.7.4)
        ("handrail", 86.4, None, "none", True),
        ("handrail", 86.5, None, "none", False),
        ("handrail", 107.0, None, "none", False),
        ("handrail", 107.1, None, "none", True),
        # a tub wall higher than the tallest step a home may have
        ("tub_wall", 20.0, None, "none", False),
        ("tub_wall", 20.1, None, "none", True),
        # a door: 10 cm more than the walking aid (safehome rule); 815 mm for a wheelchair (ADA 404.2.3)
        ("door", 70.0, 60, "walker", False),
        ("door", 69.9, 60, "walker", True),
        ("door", 59.0, 60, "walker", True),
        ("door", 81.5, 66, "wheelchair", False),
        ("door", 81.4, 66, "wheelchair", True),
        # the references are never hazards
        ("lower_leg", 30, None, "none", False),
        ("aid_width", 100, None, "walker", False),
    ],
)
def test_each_threshold_at_its_edge(rule: str, value: float, other: float | None, aid: str, hazard: bool) -> None:
    assert lengths.read(rule, value, other, aid).hazard is hazard


def test_a_comparison_with_nothing_measured_is_never_ok() -> None:
    assert lengths.read("seat", 40, None, "none").hazard is None
    assert "not measured" in lengths.read("seat", 40, None, "none").words
    assert lengths.read("door", 60, None, "walker").hazard is None
    assert lengths.read("door", 60, None, "none").hazard is False  # no walking aid: nothing to compare


def test_the_raise_is_said_in_the_steps_raisers_come_in() -> None:
    words = plain(lengths.read("seat", 38, 48, "none").words)
    assert "10 cm below the knee (48 cm)" in words and "about 10 cm higher" in words
    assert "about 5 cm" in plain(lengths.read("seat", 43, 46.5, "none").words)  # 3.5 cm short: two 2.5 cm steps


# --------------------------------------------------------------------------- typed in cm, mm or inches


@pytest.mark.parametrize(
    ("typed", "cm"),
    [
        ("48", 48),
        ("48 cm", 48),
        ("48,5", 48.5),
        ("480 mm", 48),
        ("19 in", 48.3),
        ('19"', 48.3),
        ("19 inches", 48.3),
        ("0.5 m", 50),
        ("19 po", 48.3),
    ],
)
def test_a_length_is_typed_in_any_unit_and_stored_in_cm(typed: str, cm: float) -> None:
    spec = LengthAnswer(kind="length", rule="riser", min=1, max=80)
    assert spec.parse(typed) == cm


def test_a_length_out_of_range_or_not_a_length_gets_one_sentence(home) -> None:
    spec = home.item("ba_toilet_cm").answer
    with pytest.raises(ValueError, match="is not a length"):
        spec.parse("tall")
    assert "out of range" in (spec.problem(spec.parse("200 in")) or "")
    assert spec.problem(True) is not None and spec.problem("38") is not None


def test_a_length_is_shown_the_languages_way() -> None:
    spec = LengthAnswer(kind="length", rule="riser", min=1, max=80)
    assert spec.shown(48.5) == "48.5\u00a0cm"  # never a line break between a number and its unit
    with speaking(LANGUAGES[1]):
        assert spec.shown(48.5) == "48,5\u00a0cm"
        assert spec.parse("48,5") == 48.5


# --------------------------------------------------------------------------- not measured is "not checked"


def test_a_measurement_not_taken_is_not_checked_and_never_ok(home) -> None:
    assessment = make(home, {"ba_toilet_cm": None, "mv_lower_leg_cm": None})
    result = score(home, assessment)
    assert result.status_of("ba_toilet_cm").status == "unanswered"
    assert "ba_toilet_cm" in {u.item_id for u in build_plan(home, assessment, result).unanswered}
    # the room's own questions decide the hazard level: an unmeasured toilet does not hold it open
    assert result.hazard_level == "low"


def test_a_seat_with_no_lower_leg_to_compare_is_not_judged(home) -> None:
    result = score(home, make(home, {"ba_toilet_cm": 30, "mv_lower_leg_cm": None}))
    toilet = result.status_of("ba_toilet_cm")
    assert toilet.status == "no_norm" and "not compared" in (toilet.reading or "")


def test_a_low_toilet_measured_puts_its_number_on_the_plan(home) -> None:
    assessment = make(home, {"ba_toilet_cm": 38, "mv_lower_leg_cm": 48})
    plan = build_plan(home, assessment)
    action = next(a for a in plan.actions if "ba_toilet_cm" in a.item_ids)
    assert "Toilet seat height: 38 cm, 10 cm below the knee (48 cm)" in plain(action.measured)
    assert {line.id for line in plan.equipment} == {"raised_toilet_seat", "toilet_safety_frame"}


# --------------------------------------------------------------------------- equipment


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("r", "recommended"),
        ("o vendor 2026-12-20", "ordered;vendor;2026-12-20"),
        ("delivered family", "delivered;family"),
        ("i", "installed"),
        ("x", "declined"),
    ],
)
def test_an_equipment_status_is_typed_in_words_or_keys(typed: str, stored: str) -> None:
    spec = EquipmentAnswer(kind="equipment", type="grab_bar")
    assert spec.parse(typed) == stored
    assert spec.problem(stored) is None


def test_an_equipment_status_in_french_and_bad_ones() -> None:
    spec = EquipmentAnswer(kind="equipment", type="grab_bar")
    with speaking(LANGUAGES[1]):
        assert spec.parse("c fournisseur 2026-12-20") == "ordered;vendor;2026-12-20"
        assert spec.shown("ordered;vendor;2026-12-20") == "Commandé · le fournisseur · d'ici le 20 décembre 2026"
    for bad in ("bought", "o plumber", "o 2026-13-40"):
        with pytest.raises(ValueError):
            spec.parse(bad)
    for bad_value in ("ordered;plumber", "installed;ot;yesterday", "gone", 3, "a;b;c;d"):
        assert spec.problem(bad_value) is not None
    assert progress_of("ordered;installer;2026-12-21").by == date(2026, 12, 21)


def test_equipment_is_asked_only_once_something_recommends_it(home) -> None:
    safe = make(home)
    assert not build_plan(home, safe).equipment
    assert score(home, safe).status_of("eq_grab_bar").status == "skipped"
    grab = make(home, {"ba_grab_bars": "yes"})
    assert score(home, grab).status_of("eq_grab_bar").status == "unanswered"  # asked now, no status yet
    [line] = [x for x in build_plan(home, grab).equipment if x.id == "grab_bar"]
    assert line.status == "recommended" and line.who == "installer"


def test_equipment_the_limits_forbid_is_never_recommended(home) -> None:
    ribs = make(home, {"mv_bed_transfer": "yes"}, profile={"bone_sites": ["ribs"]})
    assert "bed_rail" not in {x.id for x in build_plan(home, ribs).equipment}
    legs = make(home, {"mv_bed_transfer": "yes"}, profile={"bone_sites": ["pelvis"]})
    assert "bed_rail" in {x.id for x in build_plan(home, legs).equipment}


def test_pending_equipment_is_carried_into_a_follow_up_and_asked_first(home, tmp_path) -> None:
    with service.Desk(tmp_path) as desk:
        first = desk.start(home, "clinician", Profile(name="Ann Lee"), DAY)
        first.answer("ba_grab_bars", "yes")
        first.answer("ba_tub_step", "yes")
        first.answer("eq_grab_bar", "ordered;installer;2026-12-21")
        first.answer("eq_tub_transfer_bench", "installed")
        first.answer("eq_bath_board", "declined")
        first.finish()
        person = desk.person_for(first.id)
        later = desk.start(home, "clinician", Profile(name="Ann Lee"), DAY + timedelta(days=30), person_id=person.id)
        # only what is still to do comes across, as this visit's answer until it is changed
        assert later.value("eq_grab_bar") == "ordered;installer;2026-12-21"
        assert later.value("eq_tub_transfer_bench") is None and later.value("eq_bath_board") is None
        ids = [step.item.id for step in later.steps]
        signs = [n for n, step in enumerate(later.steps) if step.section.kind == "warning_signs"]
        assert ids.index("eq_grab_bar") == max(signs) + 1  # right after the warning signs
        later.answer("eq_grab_bar", "installed")
        plan = build_plan(home, later.assessment())
        assert [(x.id, x.status) for x in plan.equipment] == [("grab_bar", "installed")]
        history = desk.changes(later.id)
        assert history >= 2  # carried, then installed: both in the answer history


# --------------------------------------------------------------------------- the checklist's own checks


def _home_text() -> str:
    from safehome.core.catalog import checklist_dir

    return (checklist_dir() / "bone-metastases-home-visit.en.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (("against: mv_lower_leg_cm, min: 20, max: 80", "against: wa_aid_width_cm, min: 20, max: 80"), "against"),
        (("recommends: [grab_bar]", "recommends: [grab_rail]"), "grab_rail"),
        (("sized_by: [st_rail_cm]", "sized_by: [st_rails]"), "st_rails"),
        (("{kind: equipment, type: ramp}", "{kind: equipment, type: ramps}"), "ramps"),
        (("rule: lower_leg, min: 30", "rule: lower_leg, against: ba_toilet_cm, min: 30"), "compares with nothing"),
    ],
)
def test_a_broken_field_kit_is_reported_with_its_line(change: tuple[str, str], said: str) -> None:
    text = _home_text()
    assert change[0] in text
    with pytest.raises(InputError) as caught:
        load_checklist_text(text.replace(change[0], change[1], 1), "home.yaml")
    issue = caught.value.issues[0]
    assert said in issue.message and issue.line > 1


# --------------------------------------------------------------------------- the example and the documents


def test_the_example_visit_carries_ten_measurements_and_its_equipment(home) -> None:
    from safehome.reports.fieldkit import measurement_rows

    assessment = example_assessment(home, DAY)
    result = score(home, assessment)
    rows = measurement_rows(home, result, assessment.mode)
    assert len(rows) == 10 and all(row[1] != "Not measured" for row in rows)
    plan = build_plan(home, assessment, result)
    statuses = {x.id: x.status for x in plan.equipment}
    assert statuses["grab_bar"] == "ordered" and statuses["hip_kit"] == "installed"
    assert sum(1 for x in plan.equipment if x.pending) == 7 and len(plan.equipment) == 10


def test_the_cli_lists_the_equipment(home, tmp_path, capsys) -> None:
    from safehome.faces.cli import main

    answers = tmp_path / "visit.json"
    answers.write_text(example_assessment(home, DAY).model_dump_json(), encoding="utf-8")
    data = ["--data-dir", str(tmp_path / "d")]
    assert main([*data, "import", str(answers)]) == 0
    capsys.readouterr()
    assert main([*data, "equipment", "1", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    grab = next(x for x in listed if x["id"] == "grab_bar")
    assert grab["status"] == "ordered" and grab["who"] == "installer" and grab["by"] == "2026-12-11"
    assert main([*data, "equipment", "1"]) == 0
    out = capsys.readouterr().out
    assert "Grab bar" in out and "Ordered · next step: a qualified installer, by December 11, 2026" in out
    assert main([*data, "equipment", "99"]) == 2


def test_a_length_is_said_with_what_it_means_as_it_is_recorded(home, tmp_path) -> None:
    with service.Desk(tmp_path) as desk:
        session = desk.start(home, "clinician", Profile(name="Ann Lee"), DAY)
        session.answer("ba_toilet_cm", 38)
        said = session.recorded_meaning(home.item("ba_toilet_cm"))
        assert plain(said) == "Saved. Toilet seat height: 38 cm, not compared: the lower-leg height was not measured"
        session.answer("mv_lower_leg_cm", 48)
        said = session.recorded_meaning(home.item("ba_toilet_cm"))
        assert plain(said) == (
            "Saved. Toilet seat height: 38 cm, 10 cm below the knee (48 cm). Raise it to at least knee height:"
            " about 10 cm higher"
        )
        session.answer("ba_grab_bars", "yes")
        assert session.recorded_meaning(home.item("ba_grab_bars")) is None  # a "yes" speaks for itself


async def test_a_stray_key_never_turns_a_saved_status_into_another_one(tmp_path, home) -> None:
    """'r' is the review's key and the 'recommended' key: over a saved 'ordered' it goes on after the
    text (no longer a status: the app says so and keeps 'ordered'), never replaces it."""
    from safehome.faces.tui.screens.questions import QuestionScreen

    from .test_tui import Keys, make_app, stored

    with service.Desk(tmp_path / "data") as desk:
        session = desk.start(home, "clinician", Profile(name="Ann Lee"), DAY)
        session.answer("ba_grab_bars", "yes")
        session.answer("eq_grab_bar", "ordered;installer;2026-12-20")
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await app.wait_for_checklists()
        screen = app.screen
        screen.query_one("#start-list").highlighted = 4  # the visit under way
        await keys("enter")
        assert isinstance(app.screen, QuestionScreen)
        app.screen.session.go_to("eq_grab_bar")
        app.screen.show_item()
        await keys("r", "down")
        assert "not an equipment status" in str(app.screen.query_one("#status").render())
    assert stored(tmp_path).assessment.answers["eq_grab_bar"].value == "ordered;installer;2026-12-20"
