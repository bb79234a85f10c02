"""The app as a field tool (pilot tests): edit anything, lose nothing, follow up fast."""

from __future__ import annotations

from datetime import date

from textual import events
from textual.widgets import Input, ListView, OptionList

from safehome.storage.store import Store
from safehome.faces.tui.screens.dialogs import ConfirmScreen, RedFlagScreen
from safehome.faces.tui.screens.profile import ProfileScreen
from safehome.faces.tui.screens.questions import QuestionScreen
from safehome.faces.tui.screens.review import ReviewScreen

from .conftest import NUMBERS, make, typed_answer
from .test_tui import Keys, make_app, start, stored

CHARACTERS = {"space": " ", "tab": "\t", "enter": "\r", "full_stop": ".", "minus": "-", "ctrl+s": None}


async def burst(pilot, app, keys: list[str]) -> None:
    """Send keys the way a paste or a fast typist does: all queued before the app handles one."""
    for key in keys:
        app.post_message(events.Key(key, CHARACTERS.get(key, key)))
    for _ in range(5):
        await pilot.pause()


def typed(text: str) -> list[str]:
    return [{" ": "space", ".": "full_stop", "-": "minus"}.get(ch, ch) for ch in text]


async def answer_visit(keys: Keys, app, *, change: set[str] = frozenset(), keep: bool = False) -> dict[str, object]:
    """Answer every question by keys: numbers and text typed, the safe answer elsewhere; at a
    follow-up (``keep``) the items in ``change`` get the other answer and the rest of each home
    section is kept with K. Returns what was answered (None for kept answers)."""
    given: dict[str, object] = {}
    for _ in range(300):  # never loops for ever if a key is not taken
        if not isinstance(app.screen, QuestionScreen):
            break
        s = app.screen.session
        item = s.current.item
        pending_changes = [
            st.item.id
            for st in s.steps
            if st.section is s.current.section and st.item.id in change and s.value(st.item.id) is None
        ]
        if item.id in change:
            flipped = "n" if item.answer.neutral() == "yes" else "y"
            await keys(flipped)
            given[item.id] = "flipped"
        elif keep and s.value(item.id) is not None:  # equipment still pending, carried: Enter confirms it
            await keys("enter")
            given[item.id] = s.value(item.id)
        elif keep and s.last_visit(item.id) is not None:
            await keys("k" if pending_changes else "K")
            given[item.id] = None
        elif item.id in NUMBERS:
            await keys.type(NUMBERS[item.id])
            await keys("enter")
            given[item.id] = NUMBERS[item.id]
        elif item.answer.kind == "text":
            await keys.type("ok")
            await keys("enter")
            given[item.id] = "ok"
        elif (text := typed_answer(item)) is not None:  # a length or an equipment status: typed, Enter
            await keys.type(text)
            await keys("enter")
            given[item.id] = item.answer.parse(text)
        else:
            await keys("y" if item.answer.neutral() == "yes" else "n")
            given[item.id] = item.answer.neutral()
    return given


async def test_a_profile_and_answers_sent_in_a_burst_land_where_the_focus_was(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.wait_for_checklists()
        # a pasted profile: name, Tab, age, Tab, birth date (all queued before the first is handled)
        await burst(pilot, app, ["v", *typed("Zoë Tremblay"), "tab", "7", "0", "tab", *typed("1956-03-14")])
        screen = app.screen
        assert isinstance(screen, ProfileScreen)
        assert screen.query_one("#f-name", Input).value == "Zoë Tremblay"
        assert screen.query_one("#f-age", Input).value == "70"
        assert screen.query_one("#f-birth_date", Input).value == "1956-03-14"
        await burst(pilot, app, ["ctrl+s"])
        assert isinstance(app.screen, QuestionScreen)
        session = app.screen.session
        # 40 keys at once: the 14 warning signs and 12 falls questions answered safely in order,
        # then the first questions of "Moving safely"
        answers = []
        single = [st for st in session.steps[:40]]
        single = single[: next((n for n, st in enumerate(single) if st.item.answer.typed()), len(single))]
        for step in single:  # up to the first typed answer (3.1: the lower leg, measured)
            answers.append("y" if step.item.answer.neutral() == "yes" else "n")
        await burst(pilot, app, answers)
        assert not isinstance(app.screen, RedFlagScreen)
        assert len(single) >= 30
        for step in single:
            assert session.value(step.item.id) == step.item.answer.neutral(), step.item.id
        assert "not an answer" not in str(app.screen.query_one("#status").render())
    assert stored(tmp_path).assessment.profile.name == "Zoë Tremblay"


async def test_a_number_typed_but_not_entered_survives_a_crash(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await start(keys, "v", "AB")
        screen = app.screen
        screen.session.go_to("ft_tug")
        screen.show_item()
        await keys("1", "3")
        # a crash now (nothing else happens): the draft is already in the store
        with Store(tmp_path / "data" / "safehome.sqlite3") as other:
            assert other.load(1).draft == ("ft_tug", "13")
            assert "ft_tug" not in other.load(1).assessment.answers
        screen.session.store.set_position(1, "ft_tug")
    again = make_app(tmp_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await again.wait_for_checklists()
        await pilot.pause()
        await pilot.press("enter")  # resume
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, QuestionScreen) and screen.session.current.item.id == "ft_tug"
        assert screen.query_one("#value", Input).value == "13"
        assert "not saved as the answer yet" in str(screen.query_one("#status").render())
        await pilot.press("enter")
        await pilot.pause()
        assert screen.session.value("ft_tug") == 13
    assert stored(tmp_path).draft is None


async def test_edit_the_profile_from_the_review_and_everything_follows(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        keys = Keys(pilot)
        await start(keys, "v", "Zoe Trembaly")
        session = app.screen.session
        asked_before = len(session.steps)
        await keys("r", "e")
        form = app.screen
        assert isinstance(form, ProfileScreen) and form.editing
        assert form.query_one("#f-name", Input).value == "Zoe Trembaly"
        form.query_one("#f-name", Input).value = "Zoe Tremblay"
        form.query_one("#f-walking_aid").value = "walker"  # the walking-aid questions now apply
        await keys("ctrl+s")
        assert isinstance(app.screen, ReviewScreen)
        assert session.profile.name == "Zoe Tremblay" and session.profile.walking_aid == "walker"
        assert len(session.steps) > asked_before
        assert "Zoe Tremblay" in app.screen.sub_title
    saved = stored(tmp_path)
    assert saved.assessment.profile.name == "Zoe Tremblay"
    with Store(tmp_path / "data" / "safehome.sqlite3") as s:
        assert [p.name for p in s.people()] == ["Zoe Tremblay"]  # the mistyped name is gone everywhere


async def test_escape_on_an_unchanged_form_leaves_and_on_a_changed_one_asks(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await start(keys, "v", "AB")
        await keys("e")
        await keys("escape")  # nothing changed: straight back
        assert isinstance(app.screen, QuestionScreen)
        await keys("e")
        await keys.type("C")
        await keys("escape")
        assert isinstance(app.screen, ConfirmScreen)
        await keys("n")
        assert app.screen.query_one("#f-name", Input).value == "ABC"


async def test_every_profile_error_at_once_and_cross_checks_confirmed(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("v")
        screen = app.screen
        screen.query_one("#f-name", Input).value = "AB"
        screen.query_one("#f-age", Input).value = "250"
        screen.query_one("#f-birth_date", Input).value = "2027-01-01"
        await keys("ctrl+s")
        errors = {w.id: str(w.render()) for w in screen.query(".error") if not w.has_class("-empty")}
        assert "18 to 120" in errors["err-age"] and "err-birth_date" in errors  # both shown, not one
        assert all(text.startswith("✗") for text in errors.values())  # marked by a sign, not only by colour
        screen.query_one("#f-age", Input).value = "70"
        screen.query_one("#f-birth_date", Input).value = "1990-01-01"
        await keys("ctrl+s")  # allowed, but the age and the birth date disagree: shown, not passed silently
        assert isinstance(app.screen, ProfileScreen)
        assert "does not match the date of birth" in str(screen.query_one("#err-age").render())
        await keys("ctrl+s")  # confirmed
        assert isinstance(app.screen, QuestionScreen)


async def test_a_follow_up_starts_from_the_last_visit_in_half_the_keys(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        keys = Keys(pilot)
        # the whole profile typed by keys, as an OT does it on a first visit
        await keys("v", *typed("Zoe Tremblay"), "tab", "7", "0", "tab", "tab", "tab", *typed("breast"), "tab")
        # past the sides and levels of the sites to the lesion type and the aid, past the medicines to the falls
        await keys("space", "tab", "tab", "tab", "tab", "tab", "enter", "down", "enter", "tab", "tab", "tab", "2")
        await keys("tab", "tab", "tab")
        # (round 3: no "filled in by" at a visit: the clinician who did it is asked once, below)
        await keys(*typed("514-555-0100"), "tab", *typed("514-555-0199"), "tab")
        await keys(*typed("J Smith 514-555-0142"), "tab", *typed("Dec 4 10am"), "ctrl+s")
        assert isinstance(app.screen, QuestionScreen)
        profile = app.screen.session.profile
        assert (profile.walking_aid, profile.falls_last_12_months, profile.bone_sites) == ("cane", 2, ["spine"])
        first = await answer_visit(keys, app)
        await keys("f")
        first_keys = keys.count
        first_visit = app.screen.__class__.__name__
        assert first_visit == "StartScreen"
        # the follow-up: highlight the visit, u, the profile is filled in; Ctrl+S
        keys.count = 0
        menu = app.screen.query_one("#start-list", OptionList)
        menu.highlighted = menu.option_count - 1  # the visit just finished
        await keys("u")
        form = app.screen
        assert isinstance(form, ProfileScreen)
        assert form.query_one("#f-name", Input).value == "Zoe Tremblay"
        assert form.query_one("#f-after_hours_phone", Input).value == "514-555-0199"
        await keys("ctrl+s")
        session = app.screen.session
        # warning signs, the falls screen and the tests are asked afresh: nothing offered to keep
        for step in session.steps:
            if step.item.red_flag or step.item.steadi_points is not None or step.item.answer.is_physical_test():
                assert session.last_visit(step.item.id) is None, step.item.id
        carried = [s.item.id for s in session.steps if session.last_visit(s.item.id) is not None]
        assert len(carried) >= 30
        change = {i for i in carried if session.checklist.item(i).answer.kind == "yes_no"}
        change = set(sorted(change, key=carried.index)[::3][:10])
        assert len(change) == 10
        await answer_visit(keys, app, change=change, keep=True)
        follow_keys = keys.count
        assert isinstance(app.screen, ReviewScreen)
        answers = stored(tmp_path, 2).assessment.answers
        for item_id in carried:
            assert answers[item_id].value is not None
        for item_id in change:
            assert answers[item_id].value != stored(tmp_path, 1).assessment.answers[item_id].value
        print(f"keystrokes: first visit {first_keys}, follow-up with 10 changes {follow_keys}")
        assert follow_keys * 2 <= first_keys
        # the review lists every change, with no silent cut
        text = str(app.screen.query_one("#review-compare").render())
        assert "Since the last check" in text
    assert len(first) >= 87


async def test_a_finished_visit_is_amended_only_on_a_yes(tmp_path, home) -> None:
    with Store(tmp_path / "data" / "safehome.sqlite3") as s:
        s.create(make(home, {"hw_rugs": "yes"}, day=date(2026, 11, 20), profile={"name": "AB"}), status="finished")
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        keys = Keys(pilot)
        await app.wait_for_checklists()
        await pilot.pause()
        menu = app.screen.query_one("#start-list", OptionList)
        menu.highlighted = menu.option_count - 1  # the finished visit
        await keys("enter")
        assert isinstance(app.screen, ReviewScreen)
        await keys("b")
        session = app.screen.session
        session.go_to("hw_rugs")
        app.screen.show_item()
        await keys("n")  # a change: asks first
        assert isinstance(app.screen, ConfirmScreen)
        await keys("n")
        assert session.value("hw_rugs") == "yes"
        await keys("n", "y")  # this time yes: amended
        assert session.value("hw_rugs") == "no"
    history = Store(tmp_path / "data" / "safehome.sqlite3").history(1, "hw_rugs")
    assert history[-1].amendment and history[-1].new_value == "no" and not history[0].amendment


async def test_finishing_with_questions_unanswered_asks(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await start(keys, "c", "ZT")
        await keys("r", "f")
        assert isinstance(app.screen, ConfirmScreen)
        await keys("n")
        assert isinstance(app.screen, ReviewScreen)
    assert stored(tmp_path).status == "in-progress"


async def test_section_list_home_end_and_type_ahead(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        keys = Keys(pilot)
        await start(keys, "v", "AB")
        await keys("s")
        sidebar = app.screen.query_one("#sections", ListView)
        await keys("end")
        assert sidebar.index == len(sidebar) - 1
        await keys("home")
        assert sidebar.index == 0
        await keys("b")  # "Bedroom..." then "Bathroom"
        titles = sidebar.titles
        assert titles[sidebar.index].startswith("Bedroom")
        await keys("b")
        assert titles[sidebar.index].startswith("Bathroom")
        await keys("enter")
        assert app.screen.session.current.section.id == "bathroom"


async def test_after_a_jump_from_the_review_the_answer_returns_there(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await start(keys, "c", "ZT")
        await keys("r", "down", "enter")
        assert isinstance(app.screen, QuestionScreen)
        await keys("n")
        assert isinstance(app.screen, ReviewScreen)


async def test_one_count_of_answered_questions_everywhere(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        keys = Keys(pilot)
        await start(keys, "v", "AB")
        await keys("n", "n", "n", "n", "n")
        session = app.screen.session
        done, total = session.progress()
        counter = str(app.screen.query_one("#counter").render())
        assert f"of {total}" in counter
        await keys("r")
        assert f"Answered {done} of {total} questions" in str(app.screen.query_one("#band").render())
        await keys("b", "escape")
        await app.wait_for_checklists()
        await pilot.pause()
        menu = app.screen.query_one("#start-list", OptionList)
        prompts = [str(menu.get_option_at_index(n).prompt) for n in range(menu.option_count)]
        assert any(f"{done} of {total} answered" in p for p in prompts), prompts


async def test_delete_a_person_from_the_app_after_a_clear_yes(tmp_path, home) -> None:
    with Store(tmp_path / "data" / "safehome.sqlite3") as s:
        s.create(make(home, day=date(2026, 11, 20), profile={"name": "Mistyped Nmae"}), status="finished")
        s.create(make(home, day=date(2026, 11, 21), profile={"name": "Keep Me"}), status="finished")
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        keys = Keys(pilot)
        await app.wait_for_checklists()
        await pilot.pause()
        menu = app.screen.query_one("#start-list", OptionList)
        row = next(n for n in range(menu.option_count) if "Mistyped" in str(menu.get_option_at_index(n).prompt))
        menu.highlighted = row
        await keys("d")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Mistyped Nmae" in str(app.screen.query_one("#confirm-question").render())
        await keys("y")
        prompts = [str(menu.get_option_at_index(n).prompt) for n in range(menu.option_count)]
        assert not any("Mistyped" in p for p in prompts) and any("Keep Me" in p for p in prompts)
    with Store(tmp_path / "data" / "safehome.sqlite3") as s:
        assert [p.name for p in s.people()] == ["Keep Me"]


async def test_the_palette_lists_safehome_commands_only(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles[0] == "New home visit"
        assert not {"Keys", "Maximize", "Screenshot", "Theme"} & set(titles)
        app.action_cycle_theme()
        assert app.theme == "safehome-light"


async def test_a_visit_deleted_under_the_app_is_saved_as_new_on_a_yes(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await start(keys, "c", "ZT")
        await keys("n", "n")
        with Store(tmp_path / "data" / "safehome.sqlite3") as other:  # another window deletes the person
            other.delete_person(other.people()[0].id)
        await keys("n")
        assert isinstance(app.screen, ConfirmScreen)
        assert "deleted from the store by another program" in str(app.screen.query_one("#confirm-question").render())
        await keys("y")
        session = app.screen.session
        assert not session.pending
    saved = stored(tmp_path, session.id).assessment.answers
    assert len([a for a in saved.values() if a.value is not None]) == 3  # every answer given, none lost


async def test_quitting_with_answers_the_disk_refused_asks_and_exits_non_zero(tmp_path, monkeypatch) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await start(keys, "c", "ZT")

        def full(*args, **kwargs):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(app.session.store, "save_answer", full)
        await keys("n")
        assert app.session is not None and app.session.pending
        await keys("ctrl+q")
        assert isinstance(app.screen, ConfirmScreen)
        assert "could not be saved to disk" in str(app.screen.query_one("#confirm-question").render())
        app.screen.action_answer(True)  # "y": the app exits at once (no key round trip to wait for)
    assert app.return_code == 1


async def test_numbers_sent_in_a_burst_each_go_to_their_own_question(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await start(keys, "v", "AB")
        session = app.screen.session
        session.go_to("ft_tug")
        app.screen.show_item()
        following = session.steps[session.index + 1].item.id
        await burst(pilot, app, ["1", "2", "enter", "9", "enter"])
        assert session.value("ft_tug") == 12
        assert session.value(following) == 9
        assert session.draft is None  # nothing left over to land on a later question
    with Store(tmp_path / "data" / "safehome.sqlite3") as s:
        assert s.load(1).draft is None


async def test_bone_sites_ticked_in_a_burst_are_the_ones_highlighted(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.wait_for_checklists()
        await Keys(pilot)("v")
        ticks = app.screen.query_one("#bone-sites")
        app.screen.set_focus(ticks)
        await pilot.pause()
        await burst(pilot, app, ["down", "down", "space", "down", "space", "up", "up", "up", "space"])
        assert sorted(ticks.selected) == ["hip_thigh", "pelvis", "spine"]
        line = "".join(segment.text for segment in ticks.render_line(0))
        assert "✓" in line  # ticked by shape, not only by colour


async def test_a_saved_answer_can_be_taken_back_on_a_yes(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await start(keys, "v", "AB")
        session = app.screen.session
        session.go_to("ft_tug")
        app.screen.show_item()
        await keys("1", "3", "enter")
        assert session.value("ft_tug") == 13
        session.go_to("ft_tug")
        app.screen.show_item()
        await keys("backspace", "backspace", "enter")  # emptied: asks before taking it back
        assert isinstance(app.screen, ConfirmScreen)
        await keys("y")
        assert session.value("ft_tug") is None
    assert "ft_tug" not in {k for k, a in stored(tmp_path).assessment.answers.items() if a.value is not None}


async def test_the_theme_chosen_is_the_theme_next_time(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.theme == "safehome-light"
    again = make_app(tmp_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "safehome-light"


async def test_an_answer_can_be_clicked(tmp_path) -> None:
    """A mouse or a touchpad (the browser face) answers as the key does: a click on "No", then on "Yes"."""
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c", "Z", "T", "ctrl+s")
        await pilot.pause()
        screen = app.screen
        first = screen.session.current.item.id
        line = screen.query_one("#choices").render().plain.splitlines()[0]
        await pilot.click("#choices", offset=(line.index("No"), 0))
        await pilot.pause()
        assert screen.session.value(first) == "no"
        second = screen.session.current.item.id
        assert second != first  # on to the next question, as after the key
        line = screen.query_one("#choices").render().plain.splitlines()[0]
        await pilot.click("#choices", offset=(line.index("Yes"), 0))
        await pilot.pause()
        assert screen.session.value(second) == "yes"
