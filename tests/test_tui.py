"""Pilot tests: the app driven by keys alone, checked against what the store saved."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import Input, OptionList

from safehome.storage.store import Store
from safehome.faces.tui.app import SafehomeApp
from safehome.faces.tui.screens.dialogs import HelpScreen, RedFlagScreen
from safehome.faces.tui.screens.profile import ProfileScreen
from safehome.faces.tui.screens.questions import QuestionScreen
from safehome.faces.tui.screens.review import ReviewScreen

from .conftest import NUMBERS

DAY = date(2026, 11, 27)


def make_app(tmp_path: Path) -> SafehomeApp:
    return SafehomeApp(data_dir=tmp_path / "data", today=DAY, reports_dir=tmp_path / "reports")


class Keys:
    """Presses keys and counts them, as a user would type them."""

    def __init__(self, pilot) -> None:
        self.pilot, self.count = pilot, 0

    async def __call__(self, *keys: str) -> None:
        self.count += len(keys)
        await self.pilot.press(*keys)
        await self.pilot.pause()

    async def type(self, text: str) -> None:
        await self(*[{" ": "space", "&": "ampersand", ".": "full_stop"}.get(ch, ch) for ch in text])


def stored(tmp_path: Path, aid: int = 1):
    with Store(tmp_path / "data" / "safehome.sqlite3") as s:
        return s.load(aid)


async def start(keys: Keys, mode_key: str, name: str, extra: list[str] | None = None) -> None:
    await keys(mode_key)
    await keys.type(name)
    for key in extra or []:
        await keys(key)
    await keys("ctrl+s")


async def test_full_self_check_by_keys(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await start(keys, "c", "ZT")
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        session = screen.session
        expected: dict[str, object] = {}
        for n, step in enumerate(list(session.steps)):
            item = step.item
            assert app.screen.session.current.item.id == item.id
            if item.answer.kind == "text":
                await keys.type("all good")
                await keys("enter")
                expected[item.id] = "all good"
            else:  # no warning sign (its safe answer); every seventh other question "yes"
                value = item.answer.neutral() if item.red_flag else ("yes" if n % 7 == 3 else "no")
                await keys(value[0])
                expected[item.id] = value
        assert isinstance(app.screen, ReviewScreen)  # the last answer opens the review
    saved = stored(tmp_path).assessment.answers
    assert {k: v.value for k, v in saved.items()} == expected
    # 3.0: 63 questions, less the four follow-ups (asked after a "yes"), "helpers pull on your arms"
    # (no caregiver) and the key lockbox (not alone)
    assert len(expected) == 57
    # name (2) + c + ctrl+s + 56 single keys + "all good" (8) + enter
    assert keys.count == 2 + 2 + 56 + 8 + 1


async def test_full_home_visit_by_keys_with_numbers_and_notes(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        keys = Keys(pilot)
        # name, then Tab to age and type it, Tab to birth date, Tab to sex and pick Female
        await start(keys, "v", "AB", ["tab", "7", "0", "tab", "tab", "enter", "down", "enter"])
        session = app.screen.session
        numbers = NUMBERS
        expected: dict[str, object] = {}
        while isinstance(app.screen, QuestionScreen):
            item = session.current.item
            if item.id in numbers:
                await keys.type(numbers[item.id])
                await keys("enter")
                text = numbers[item.id]
                expected[item.id] = "na" if text == "a" else (float(text) if "." in text else int(text))
            elif item.answer.kind == "length":  # typed like a number: a safe length, then Enter
                length = item.answer.neutral()
                await keys.type(str(length))
                await keys("enter")
                expected[item.id] = length
            elif item.answer.kind == "text":
                await keys.type("Spouse & son at home.")
                await keys("enter")
                expected[item.id] = "Spouse & son at home."
            elif item.id == "hw_rugs":
                await keys("tab")
                await keys.type("two rugs")
                await keys("enter", "y")
                expected[item.id] = "yes"
            else:
                answer = "y" if item.answer.neutral() == "yes" else "n"
                await keys(answer)
                expected[item.id] = item.answer.neutral()
        assert isinstance(app.screen, ReviewScreen)
        review_text = str(app.screen.query_one("#band").render())
        assert "13.5 s: at risk" in review_text
        assert "9 stands: below average for women aged 70 (under 10)" in review_text
    saved = stored(tmp_path).assessment
    assert {k: v.value for k, v in saved.answers.items()} == expected
    assert saved.answers["hw_rugs"].note == "two rugs"
    assert saved.profile.age == 70 and saved.profile.sex == "female"
    # 3.1: 132 items, less the 7 that need a walking aid, a caregiver or living alone, the two follow-ups
    # whose falls question was answered no here, the two clearance questions (no stopping score) and the
    # 21 equipment statuses (nothing here recommends any equipment)
    assert len(expected) == 98
    print(f"home visit keystrokes: {keys.count}")


async def test_red_flag_alert_then_carry_on(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await start(keys, "c", "ZT")
        await keys("y")  # new or worsening weakness: an emergency sign
        assert isinstance(app.screen, RedFlagScreen)
        assert "EMERGENCY: call 911 now" in str(app.screen.query_one("#redflag-title").render())
        assert "Do not walk or drive yourself" in str(app.screen.query_one("#redflag-do").render())
        await keys("enter")
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        assert screen.session.current.item.id == "ws_saddle_bladder"  # on to the next question
        bar = screen.query_one("#flagbar")
        assert bar.has_class("-shown") and "EMERGENCY: call 911 now: 1 warning sign(s)" in str(bar.render())
        await keys("n", "n")
        assert bar.has_class("-shown")  # stays for the rest of the visit


async def test_resume_where_the_person_stopped(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await start(keys, "c", "ZT")
        await keys(*["n"] * 16)  # 14 warning signs (3.0: every one safe with "no"), 2 falls questions
        await keys("tab")  # a note on the 8th question, not answered yet
        await keys.type("since March")
        await keys("enter")
        await keys("ctrl+q")
    again = make_app(tmp_path)
    async with again.run_test(size=(80, 24)) as pilot:
        await again.wait_for_checklists()  # the background load, then the list refreshes
        await pilot.pause()
        menu = again.screen.query_one("#start-list", OptionList)
        assert "Resume  ZT" in str(menu.get_option_at_index(menu.highlighted).prompt)
        assert "16 of 57 answered" in str(menu.get_option_at_index(menu.highlighted).prompt)
        await pilot.press("enter")
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, QuestionScreen)
        assert screen.session.current.item.id == "steadi_unsteady"
        assert screen.query_one("#note", Input).value == "since March"
        assert screen.session.note("steadi_unsteady") == "since March"
        assert screen.session.value("steadi_unsteady") is None
        assert screen.session.value("steadi_aid_advised") == "no"
        assert screen.session.progress() == (16, 57)


async def test_review_jumps_back_to_an_unanswered_item(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await start(keys, "c", "ZT")
        await keys("n", "n", "n")
        await keys("r")
        assert isinstance(app.screen, ReviewScreen)
        unanswered = app.screen.query_one("#review-unanswered", OptionList)
        assert unanswered.option_count == 54
        await keys("down", "enter")  # the second unanswered question
        assert isinstance(app.screen, QuestionScreen)
        assert app.screen.session.current.item.id == "ws_cannot_bear_weight"


async def test_profile_validation_shown_next_to_fields(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("v")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProfileScreen)
        screen.query_one("#f-age", Input).value = "250"
        screen.query_one("#f-assessed_on", Input).value = "2026-12-01"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ProfileScreen)
        errors = {w.id: str(w.render()) for w in screen.query(".error") if not w.has_class("-empty")}
        assert "give a name" in errors["err-name"]
        assert "18 to 120" in errors["err-age"]
        assert "in the future (today is 2026-11-27)" in errors["err-assessed_on"]


async def test_an_age_typed_with_a_decimal_is_refused_not_changed(tmp_path) -> None:
    """A filter on the field would keep the digits of "72,5" and save an age of 725 (or 72.5 as
    725): the text is kept as typed and refused in one sentence."""
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("v", "Z", "T", "tab", "7", "2", ",", "5", "tab", "ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProfileScreen)
        assert screen.query_one("#f-age", Input).value == "72,5"
        errors = {w.id: str(w.render()) for w in screen.query(".error") if not w.has_class("-empty")}
        assert "whole number" in errors["err-age"]


async def test_save_failure_keeps_the_answer_and_saves_it_later(tmp_path, monkeypatch) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await start(keys, "c", "ZT")
        store = app.session.store
        real = store.save_answer

        def full(*args, **kwargs):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(store, "save_answer", full)
        await keys("n")
        screen = app.screen
        assert "Could not save to disk" in str(screen.query_one("#status").render())
        assert screen.session.value("ws_limb_weakness_new") == "no"
        assert "ws_limb_weakness_new" in screen.session.pending
        assert screen.session.current.item.id == "ws_limb_weakness_new"  # stays: the message must be seen
        monkeypatch.setattr(store, "save_answer", real)
        await keys("n")
        assert not screen.session.pending
        await keys("n")
    answers = stored(tmp_path).assessment.answers
    assert answers["ws_limb_weakness_new"].value == "no" and answers["ws_saddle_bladder"].value == "no"
    assert Store(tmp_path / "data" / "safehome.sqlite3").integrity() == "ok"


async def test_help_theme_and_pdf_from_review(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        keys = Keys(pilot)
        await keys("f1")
        assert isinstance(app.screen, HelpScreen)
        await keys("escape")
        themes = []
        for _ in range(3):
            await keys("ctrl+t")
            themes.append(app.theme)
        assert themes == ["safehome-light", "safehome-high-contrast", "safehome-dark"]
        await start(keys, "v", "AB")
        await keys("r", "p")
        written = sorted(p.name for p in (tmp_path / "reports").iterdir())
        assert written == ["2026-11-27-AB-clinician-1.pdf", "2026-11-27-AB-home-1.pdf"]  # the visit's number
        await keys("p")  # the same answers again: asks before making copies
        assert app.screen.__class__.__name__ == "ConfirmScreen"
        await keys("n")
        assert len(list((tmp_path / "reports").iterdir())) == 2
        await keys("p", "y")  # yes: new names, nothing overwritten
        assert len(list((tmp_path / "reports").iterdir())) == 4
        await keys("f")  # not finished: safehome asks first
        assert app.screen.__class__.__name__ == "ConfirmScreen"
        await keys("y")
        assert app.screen.__class__.__name__ == "StartScreen"
    assert stored(tmp_path).status == "finished"


async def test_review_shows_what_changed_since_the_last_visit(tmp_path, home) -> None:
    from .conftest import make

    with Store(tmp_path / "data" / "safehome.sqlite3") as s:
        from datetime import date as _date

        s.create(
            make(home, {"hw_rugs": "yes", "st_rails": "yes"}, day=_date(2026, 8, 1), profile={"name": "AB"}),
            status="finished",
        )
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        keys = Keys(pilot)
        await start(keys, "v", "AB")
        for _ in range(27):  # 15 warning signs (3.0) and 12 STEADI questions, each with its safe answer
            item = app.screen.session.current.item
            await keys("y" if item.answer.neutral() == "yes" else "n")
        await keys("n", "n", "n", "n", "n")  # moving safely
        await keys("r")
        text = str(app.screen.query_one("#review-compare").render())
        assert "Since the last check (2026-08-01)" in text
        assert "Hazards resolved: 0" in text and "Not checked again: 2" in text  # rugs and rails not answered yet
        await keys("b")
        app.screen.session.go_to("hw_rugs")
        app.screen.show_item()
        await keys("n")
        app.screen.session.go_to("st_rails")
        app.screen.show_item()
        await keys("y", "escape", "r")  # 3.1: the rail's height comes next, typed: Esc leaves its field
        text = str(app.screen.query_one("#review-compare").render())
        assert "Hazards resolved: 1" in text and "Loose rugs or mats that could slip or curl" in text
        assert "Hazards still there: 1" in text


async def test_coming_back_to_a_note_adds_to_it(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await start(keys, "c", "ZT")
        await keys("tab")
        await keys.type("first")
        await keys("enter")  # back to the question
        await keys("tab")  # into the note again: the text must not be selected
        await keys.type(" more")
        await keys("enter")
        item = app.screen.session.current.item.id
        assert app.screen.session.note(item) == "first more"
    assert stored(tmp_path).assessment.answers[item].note == "first more"


async def test_escape_on_the_profile_asks_before_throwing_typing_away(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await keys("v")
        await keys.type("Mrs Q")
        await keys("escape")
        assert app.screen.__class__.__name__ == "ConfirmScreen"
        await keys("n")  # no: back to the form, the name still there
        assert isinstance(app.screen, ProfileScreen)
        assert app.screen.query_one("#f-name", Input).value == "Mrs Q"
        await keys("escape", "y")
        assert app.screen.__class__.__name__ == "StartScreen"


async def test_a_typed_number_is_kept_when_the_question_is_left_by_any_key(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await start(keys, "v", "AB")
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        screen.session.section_start("pain")
        screen.show_item()
        await pilot.pause()
        assert screen.session.current.item.id == "pn_score"
        await keys("7", "down")  # typed, never entered: Down keeps it
        assert screen.session.value("pn_score") == 7
        assert screen.session.current.item.id != "pn_score"
        await keys("up")
        assert screen.session.current.item.id == "pn_score"
        await keys("backspace", "9", "r")  # a shortcut letter while typing goes into the field...
        assert screen.query_one("#value", Input).value == "9r"
        await keys("pagedown")  # ...and a value that is not a number keeps the user on the question
        assert screen.session.current.item.id == "pn_score" and screen.session.value("pn_score") == 7
        await keys("backspace", "escape")  # Esc leaves the field, not the visit
        assert isinstance(app.screen, QuestionScreen)
        await keys("pagedown")
        assert screen.session.value("pn_score") == 9
        assert screen.session.current.section.id != "pain"
    assert stored(tmp_path).assessment.answers["pn_score"].value == 9


async def test_the_footer_offers_not_applicable_only_where_it_is_taken(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await start(keys, "v", "AB")
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        assert screen.session.current.item.red_flag  # a warning sign never takes "not applicable"
        shown = {b.binding.key for b in screen.active_bindings.values() if b.enabled}
        assert "y" in shown and "n" in shown and "a" not in shown
        screen.session.section_start("entrance")
        screen.show_item()
        await pilot.pause()
        assert screen.session.current.item.id == "en_steps_rail"  # no steps at the entrance: "not applicable"
        shown = {b.binding.key for b in screen.active_bindings.values() if b.enabled}
        assert "a" in shown
