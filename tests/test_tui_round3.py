"""The terminal app, round 3 (issue 31): Esc never throws a visit away, a key is a command or text,
keys sent quickly land where they were meant, one answered count everywhere, and the visit an OT
does (the issue's scenario) counted in keys."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from textual.widgets import Input, Select

from safehome.faces.tui.screens.dialogs import RedFlagScreen
from safehome.faces.tui.screens.profile import ProfileScreen
from safehome.faces.tui.screens.questions import QuestionScreen
from safehome.faces.tui.screens.review import ReviewScreen
from safehome.faces.tui.screens.start import StartScreen

from .conftest import NUMBERS, REPO, typed_answer
from .test_tui import Keys, make_app, start, stored


async def test_escape_in_a_note_or_a_typed_answer_leaves_the_field_not_the_visit(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await start(keys, "v", "AB")
        await keys("tab")
        await keys.type("hip sore")
        await keys("escape")
        assert isinstance(app.screen, QuestionScreen) and app.focused is not None and app.focused.id == "main"
        assert app.screen.query_one("#note", Input).value == "hip sore"
        s = app.screen.session
        s.index = next(n for n, st in enumerate(s.steps) if st.item.id == "pn_score")
        app.screen.show_item()
        await pilot.pause()
        await keys("7")
        await keys("escape")  # out of the number field: what was typed stays
        assert isinstance(app.screen, QuestionScreen) and app.screen.query_one("#value", Input).value == "7"
        await keys("r")  # out of the field, a letter is a command again: the review
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.session.value("pn_score") is None  # "7" was typed, never entered
        await keys("b")  # back to the number question, its field ready to type in
        assert app.focused is not None and app.focused.id == "value"
        await keys("escape", "s")  # out of the field, s is the sections list: nothing typed anywhere
        assert app.focused is not None and app.focused.id == "sections"
        assert app.screen.query_one("#note", Input).value == "" and app.screen.query_one("#value", Input).value == "7"
        await keys("escape", "escape")  # the list, then the visit: two keys from any field
        assert isinstance(app.screen, StartScreen)
    assert stored(tmp_path).assessment.answers[s.steps[0].item.id].note == "hip sore"


async def test_a_letter_typed_in_a_field_is_text_and_never_a_command(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await start(keys, "v", "AB")
        s = app.screen.session
        s.index = next(n for n, st in enumerate(s.steps) if st.item.id == "cs_notes")
        app.screen.show_item()
        await pilot.pause()
        await keys.type("rps kb")  # every one a command on the question
        assert isinstance(app.screen, QuestionScreen) and app.screen.query_one("#value", Input).value == "rps kb"
        footer = {key for key, b in app.screen.active_bindings.items() if b.binding.show and b.enabled}
        assert not footer & set("rpskbynae"), footer  # the footer offers no letter that would be typed


async def test_down_past_the_last_visit_on_a_fresh_start_screen_does_not_open_a_new_one(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await start(keys, "v", "AB")
        await keys("escape")
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("down", "down", "down", "enter"):  # 0.15 s apart, while the list loads
            await pilot.press(key)
            await pilot.pause(0.15)
        await pilot.pause(1)
        assert isinstance(app.screen, QuestionScreen) and app.screen.session.id == 1


async def test_two_visits_of_one_day_are_told_apart_on_the_start_screen(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 24)) as pilot:
        keys = Keys(pilot)
        for _ in range(2):
            await start(keys, "v", "AB")
            await keys("escape")
        app.screen.refresh_list()
        menu = app.screen.query_one("#start-list")
        rows = [str(menu.get_option_at_index(n).prompt) for n in range(menu.option_count)]
        resumed = [row for row in rows if row.startswith("Resume")]
        assert len(resumed) == 2 and resumed[0] != resumed[1], resumed


async def test_the_visit_date_is_asked_near_the_top_and_a_visit_names_its_clinician_once(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 40)) as pilot:
        keys = Keys(pilot)
        await keys("v")
        assert isinstance(app.screen, ProfileScreen)
        order = [w.id for w in app.screen.query(Input)]
        assert order.index("f-assessed_on") == 0 and app.focused is not None and app.focused.id == "f-name", order
        assert "f-completed_by" not in order  # the clinician who did the visit is asked once
        await keys.type("AB")
        await keys("tab")
        app.screen.query_one("#f-visit_clinician", Input).value = "J. Roy OT 613-555-0100"
        await keys("ctrl+s")
        assert isinstance(app.screen, QuestionScreen)
    profile = stored(tmp_path).assessment.profile
    assert profile.completed_by == "J. Roy OT 613-555-0100" and profile.completed_role == "clinician"


def test_list_counts_answers_as_the_app_does(tmp_path) -> None:
    """`safehome list` says "N of M answered" for a visit under way, the app's own count."""
    from safehome.core import catalog
    from safehome.core.score import progress
    from safehome.service import Desk

    checklist = catalog.find("bone-metastases-home-visit")
    with Desk(tmp_path / "data") as desk:
        from .conftest import DAY, make

        assessment = make(checklist, {"ws_limb_weakness_new": "no", "hw_rugs": "yes"})
        session = desk.start(checklist, "clinician", assessment.profile, DAY)
        for item_id, answer in assessment.answers.items():
            session.answer(item_id, answer.value)
        done, asked = progress(checklist, session.assessment())
    out = subprocess.run(
        [sys.executable, "-m", "safehome", "--data-dir", str(tmp_path / "data"), "list"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert f"{done} of {asked} answered" in out.stdout, out.stdout


# -- the scenario, counted in keys


async def pick(keys: Keys, app, field: str, *values: str) -> None:
    """Tab to a field and set it by keys: type into a text field, open a menu and move to the
    value, or tick the values in a list (Space on each)."""
    for _ in range(80):
        if app.focused is not None and app.focused.id in (f"f-{field}", field.replace("_", "-")):
            break
        await keys("tab")
    widget = app.focused
    if isinstance(widget, Input):
        await keys.type(values[0])
    elif isinstance(widget, Select):
        options = [value for _, value in widget._options]
        await keys("enter")
        for _ in range(options.index(values[0]) - options.index(widget.value)):
            await keys("down")
        await keys("enter")
    else:  # a tick list
        order = [widget.get_option_at_index(n).value for n in range(widget.option_count)]
        at = widget.highlighted or 0
        for value in values:
            for _ in range(order.index(value) - at):
                await keys("down")
            at = order.index(value)
            await keys("space")


SCENARIO_HAZARDS = {"hw_rugs", "hw_lighting", "ba_grab_bars", "ba_tub_step", "st_rails", "lr_pets"}


async def first_visit(keys: Keys, app) -> None:
    """A 71-year-old with thoracic-spine and left-femur lesions, a rollator, opioids and
    gabapentin, a fall in the spring; rugs, a dim hallway, no grab bars, a tub, stairs with one
    rail, a cat, and new band-like chest pain at night."""
    await keys("v")
    await keys.type("Rene Gagnon")
    await pick(keys, app, "age", "71")
    await pick(keys, app, "bone_sites", "spine", "hip_thigh")
    await pick(keys, app, "left_sites", "hip_thigh")
    await pick(keys, app, "spine_levels", "thoracic")
    await pick(keys, app, "walking_aid", "rollator")
    await pick(keys, app, "medicine_classes", "opioid", "gabapentinoid")
    await pick(keys, app, "falls_last_12_months", "1")
    if app.screen.query("#f-completed_by"):  # the app before round 3 asked who did the visit twice
        await pick(keys, app, "completed_by", "J. Roy OT")
    await pick(keys, app, "cancer_team_phone", "613-555-0142")
    await pick(keys, app, "visit_clinician", "J. Roy OT")
    await keys("ctrl+s")
    await answer_all(keys, app, {"ws_band_pain_new", *SCENARIO_HAZARDS})


async def answer_all(keys: Keys, app, change: set[str], *, keep: bool = False) -> None:
    for _ in range(300):
        if isinstance(app.screen, RedFlagScreen):
            await keys("enter")
            continue
        if not isinstance(app.screen, QuestionScreen):
            return
        s = app.screen.session
        item = s.current.item
        if item.id in change:
            await keys("n" if item.answer.neutral() == "yes" else "y")
        elif keep and s.last_visit(item.id) is not None and s.value(item.id) is None:
            await keys("K")
        elif item.id in NUMBERS:
            await keys.type(NUMBERS[item.id])
            await keys("enter")
        elif item.answer.is_free_text():
            await keys("enter")
        elif (text := typed_answer(item)) is not None and s.value(item.id) is None:  # a length, a status
            await keys.type(text)
            await keys("enter")
        elif s.value(item.id) is not None:
            await keys("enter")  # answered from the profile: go on
        else:
            await keys("y" if item.answer.neutral() == "yes" else "n")


async def back_to_start(keys: Keys, app) -> None:
    while not isinstance(app.screen, StartScreen):
        await keys("escape")


async def follow_up(keys: Keys, app) -> None:
    """From the start screen: down to the person's last visit, u, and the profile kept (Ctrl+S)."""
    menu = app.screen.query_one("#start-list")
    while not (menu.get_option_at_index(menu.highlighted).id or "").startswith("open:"):
        await keys("down")
    await keys("u", "ctrl+s")


async def test_the_scenario_visit_and_its_follow_up_in_keys(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await first_visit(keys, app)
        assert isinstance(app.screen, ReviewScreen)
        visit = keys.count
        await keys("f")  # finished
        await back_to_start(keys, app)
        keys.count = 0
        await follow_up(keys, app)
        await answer_all(keys, app, {"ws_band_pain_new"}, keep=True)
        again = keys.count
    figures = {"first visit": visit, "follow-up": again}
    Path(tmp_path / "keys.json").write_text(json.dumps(figures))
    print(figures)
    # 169 and 68 here on 2026-12-07 (178 and 68 before round 3: "filled in by" was asked twice); 207 and
    # 69 with the field kit (issue 32): ten measurements typed (2 to 5 keys each) and the statuses of the
    # equipment the scenario's hazards recommend, "r" and Enter each; the follow-up keeps the lengths with K
    assert visit <= 207 and again <= 69, figures


async def test_the_review_that_opens_by_itself_scrolls_with_the_keys(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await start(keys, "v", "AB")
        await answer_all(keys, app, {"hw_rugs"})
        assert isinstance(app.screen, ReviewScreen)  # the last answer opened it
        scroll = app.screen.query_one("#review")
        assert scroll.max_scroll_y > 0
        await keys("pagedown")
        await pilot.pause(0.5)  # the scroll is animated
        assert scroll.scroll_y > 0  # at once, without a Tab first


async def test_no_section_name_in_the_sidebar_takes_more_than_two_lines_at_80_columns(tmp_path) -> None:
    from safehome.core import catalog

    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await start(keys, "v", "AB")
        width = app.screen.query_one("#sections").content_region.width - 7  # "  0/15 " before the name
    for language in ("en-CA", "fr-CA"):
        for checklist_id in ("bone-metastases-home-visit", "bone-metastases-self-check"):
            for section in catalog.find(checklist_id, language=language).sections:
                name = section.short
                lines, line = 1, 0
                for word in name.split():
                    if line and line + 1 + len(word) > width:
                        lines, line = lines + 1, len(word)
                    else:
                        line += (1 if line else 0) + len(word)
                assert lines <= 2, (language, name, width)


async def test_the_footer_of_a_follow_up_question_fits_80_columns(tmp_path) -> None:
    """At a follow-up k and K are said beside last visit's answer; the footer shows every key it
    lists whole, to the palette's."""
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await start(keys, "v", "AB")
        await answer_all(keys, app, {"hw_rugs"})
        await keys("f", "y")
        await back_to_start(keys, app)
        await follow_up(keys, app)
        s = app.screen.session
        s.index = next(n for n, st in enumerate(s.steps) if st.item.id == "hw_rugs")
        app.screen.show_item()
        await pilot.pause()
        footer = app.screen.query_one("Footer")
        words = " ".join(str(child.render()) for child in footer.query("FooterKey"))
        assert "Press k to keep it" in str(app.screen.query_one("#last").render())
        used = sum(child.outer_size.width for child in footer.query("FooterKey"))
        assert used <= 80, (used, words)  # the palette key among them


async def test_the_pdf_notice_names_each_file_whole_and_the_review_says_where(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await start(keys, "v", "AB")
        await keys("r", "p")
        await pilot.pause(1)
        notices = [n.message for n in app._notifications]
        wrote = [m for m in notices if m.startswith("Wrote")]
        assert wrote and "/" not in wrote[-1] and "2026-11-27-AB-home-1.pdf" in wrote[-1].splitlines()[0], notices
        assert str(tmp_path / "reports") in str(app.screen.query_one("#review-pdf").render())


async def test_the_reviews_section_names_are_whole_at_80_columns(tmp_path) -> None:
    from textual.widgets import DataTable

    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await start(keys, "v", "AB")
        await keys("r")
        table = app.screen.query_one("#review-sections", DataTable)
        column = next(iter(table.columns.values())).width
        sections = {s.id: s for s in app.screen.session.checklist.sections}
        names = [str(table.get_row_at(n)[0]) for n in range(table.row_count)]
        whole = {s.title for s in sections.values()} | {s.short for s in sections.values()}
        assert all(name in whole and len(name) <= column for name in names), (column, names)
        assert "Bedroom and night path" in names  # its title did not fit


async def test_the_warning_alert_names_the_numbers_the_person_gave(tmp_path) -> None:
    """The same lines as the web page's alert and the handout's box (core.calling)."""
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 30)) as pilot:
        keys = Keys(pilot)
        await keys("v")
        await keys.type("AB")
        app.screen.query_one("#f-cancer_team_phone", Input).value = "613-555-0142"
        await keys("ctrl+s")
        s = app.screen.session
        s.index = next(n for n, st in enumerate(s.steps) if st.item.id == "ws_band_pain_new")  # same day
        app.screen.show_item()
        await pilot.pause()
        await keys("y")
        assert isinstance(app.screen, RedFlagScreen)
        calls = str(app.screen.query_one("#redflag-calls").render())
        assert "613-555-0142" in calls  # the cancer team, as typed
        assert "not written down here" in calls  # the after-hours line was not given: said, not left out
