"""The questions, section by section, keyboard first; every answer saved as it is given."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Input, Label, ListItem, ListView, ProgressBar, Static
from textual.widgets.input import Selection

from safehome.core.answers import NOT_APPLICABLE, AnswerKind
from safehome.service.session import SaveFailed, Session
from safehome.core.models import URGENCIES
from safehome.i18n.visible import visible
from safehome.i18n.words import t
from safehome.faces.tui.screens.base import AppScreen
from safehome.faces.tui.screens.dialogs import ConfirmScreen, RedFlagScreen

YES_KEY = t("answer.key.yes")  # "o" for oui in French; "y" still works there too
KEYS = {"yes": YES_KEY, "no": "n", NOT_APPLICABLE: "a"}


class MainPane(Vertical, can_focus=True):
    """The question itself; it holds the focus while answering with single keys."""


class SectionList(ListView):
    """The sections: Home and End, and a letter jumps to the next section starting with it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "first", show=False, id="sections.home"),
        Binding("end", "last", show=False, id="sections.end"),
    ]

    titles: list[str] = []  # noqa: RUF012 - set by the screen with the sections, in order

    def action_first(self) -> None:
        self.index = 0

    def action_last(self) -> None:
        self.index = len(self) - 1

    def on_key(self, event: events.Key) -> None:
        letter = (event.character or "").casefold()
        if len(letter) != 1 or not letter.isalpha():
            return
        count = len(self.titles)
        start = self.index or 0
        for offset in range(1, count + 1):
            n = (start + offset) % count
            if self.titles[n].casefold().startswith(letter):
                self.index = n
                event.stop()
                return


class ValueField(Input):
    """The field a number, a length or an equipment status is typed in. While it is empty, k and K
    reach the screen (keep last visit's answer, or the section's): no such answer starts with them."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        if not self.value and character in ("k", "K") and self.screen.check_action(KEEPS[character], ()):
            return False
        return super().check_consume_key(key, character)


KEEPS = {"k": "keep", "K": "keep_section"}


class QuestionScreen(AppScreen[None]):
    # Letters, digits and Enter are priority keys: each runs before the next key is read, so a
    # burst of keys answers the questions in order (check_action passes them on to a focused field).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(YES_KEY, "answer('yes')", t("app.key.yes"), priority=True, id="q.yes"),
        *([Binding("y", "answer('yes')", show=False, priority=True, id="q.yes_y")] if YES_KEY != "y" else []),
        Binding("n", "answer('no')", t("app.key.no"), priority=True, id="q.no"),
        Binding("a", "answer('na')", t("app.key.na"), priority=True, id="q.na"),
        *[Binding(str(d), f"pick({d})", show=False, priority=True, id=f"q.pick{d}") for d in range(1, 10)],
        Binding("enter", "enter", t("app.key.next"), show=False, priority=True, id="q.enter"),
        Binding("down,right", "move(1)", t("app.key.next"), show=False, id="q.next"),
        Binding("up,left", "move(-1)", t("app.key.back"), show=False, id="q.prev"),
        Binding("pagedown", "section(1)", t("app.key.next_section"), show=False, priority=True, id="q.nextsec"),
        Binding("pageup", "section(-1)", t("app.key.previous_section"), show=False, priority=True, id="q.prevsec"),
        Binding("tab", "toggle_note", t("app.key.note"), priority=True, id="q.note"),
        # k and K are said beside last visit's answer ("Press k to keep it, or K ..."), where they
        # matter: in the footer too they pushed the last keys off an 80-column screen
        Binding("k", "keep", t("app.key.keep"), show=False, priority=True, id="q.keep"),
        Binding("K", "keep_section", t("app.key.keep_section"), show=False, priority=True, id="q.keep_section"),
        Binding("s", "sections", t("app.key.sections"), priority=True, id="q.sections"),
        Binding("r", "review", t("app.key.review"), priority=True, id="q.review"),
        Binding("e", "edit_profile", t("app.key.edit_profile"), priority=True, id="q.edit"),
        Binding("p", "photo", t("app.key.photo"), show=False, priority=True, id="q.photo"),
        Binding("escape", "leave", t("app.key.start"), id="q.leave"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.back_to_review = False  # the question was opened from the review: go back there after it
        self._shown: dict[int, tuple[int, int]] = {}  # the sidebar counts on screen
        self._offered: tuple[object, ...] | None = None  # the keys the footer offers
        self._field_item: str | None = None  # the question the number or text field is showing
        self._status_text = ""
        self._meaning: str | None = None  # what the answer just recorded means, when it could be misread

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="flagbar")
        with Horizontal(id="body"):
            yield SectionList(id="sections")
            with MainPane(id="main"):
                yield Static("", id="section-title")
                yield Static("", id="counter", classes="muted")
                yield Static("", id="prompt")
                yield Static("", id="choices")
                yield Static("", id="last")
                yield Static("", id="hint", classes="muted")  # what to type, wrapped: never cut at 80 columns
                yield ValueField(id="value", classes="-hidden", select_on_focus=False)
                yield Static("", id="status")  # just below the answer: seen at 80x24, not under the note
                yield Static("", id="why")
                yield Label(t("app.q.note_label"), classes="muted")
                # select_on_focus off: coming back to a note adds to it; the next key must not replace it
                yield Input(id="note", placeholder=t("app.q.note_placeholder"), select_on_focus=False)
        yield ProgressBar(id="progress", show_eta=False)
        yield Footer(compact=True)  # single spaces: every key fits at 80 columns

    def on_mount(self) -> None:
        self.on_screen_resume()

    def on_screen_resume(self) -> None:
        mode = t("app.start.mode.clinician" if self.session.mode == "clinician" else "app.start.mode.self")
        self.sub_title = t("app.q.subtitle", name=visible(self.session.profile.name), mode=mode)
        self.build_sidebar()
        self.show_item()

    # -- drawing

    def build_sidebar(self) -> None:
        sidebar = self.query_one("#sections", SectionList)
        sidebar.clear()
        sidebar.titles = [section.short for section, _, _ in self.session.sections()]
        self._labels: list[Label] = []
        self._shown = {}
        for section, done, total in self.session.sections():
            label = self._section_label(section.short, done, total)
            self._labels.append(label)
            sidebar.append(ListItem(label, name=section.id))

    @staticmethod
    def _section_text(title: str, done: int, total: int) -> Text:
        mark = t("app.q.section_done") if done == total else f"{done}/{total}"
        return Text.assemble((f"{mark:>6} ", "bold" if done == total else ""), title)

    def _section_label(self, title: str, done: int, total: int) -> Label:
        return Label(self._section_text(title, done, total), classes="section-label")

    def update_sidebar(self) -> None:
        sidebar = self.query_one("#sections", ListView)
        current = self.session.current.section.id
        shown = self._shown
        for n, (label, (section, done, total)) in enumerate(zip(self._labels, self.session.sections(), strict=False)):
            if shown.get(n) != (done, total):  # only a label that changed: each update costs a layout
                label.update(self._section_text(section.short, done, total))
                shown[n] = (done, total)
            if section.id == current and sidebar.index != n:
                sidebar.index = n

    def show_item(self) -> None:
        s = self.session
        step = s.current
        item, spec = step.item, step.item.answer
        value = s.value(item.id)
        total = len(s.steps)
        self.query_one("#section-title", Static).update(Text(step.section.title))
        counter = t("app.q.counter", n=s.index + 1, total=total)
        photos = s.photo_count(item.id)
        if photos:  # the photos kept on this question, said beside where it is
            counter += " \u00b7 " + t("app.q.photos", count=photos)
        self.query_one("#counter", Static).update(counter)
        self.query_one("#prompt", Static).update(Text(item.prompt_for(s.mode)))
        self.query_one("#choices", Static).update(self._choices_text(spec, value))
        why = item.why or ""
        self.query_one("#why", Static).update(Text(t("app.q.why", why=why) if why else ""))
        note = self.query_one("#note", Input)
        with note.prevent(Input.Changed):
            note.value = s.note(item.id)
        field = self.query_one("#value", Input)
        typed = spec.typed()
        field.set_class(not typed, "-hidden")
        draft = s.draft_for(item.id)
        self.set_status("")  # a message belongs to the question it was given on
        self._field_item = item.id if typed else None
        if typed:
            with field.prevent(Input.Changed):
                if draft is not None:  # typed before the app closed, not yet entered: put back as it was
                    field.value = draft
                    field.selection = Selection.cursor(len(draft))  # typing goes on after it
                else:
                    field.value = "" if value is None or value == NOT_APPLICABLE else spec.typed_back(value)
                    if spec.retyping_replaces():  # a number: typing replaces it (a test timed again)
                        field.selection = Selection(0, len(field.value))
                    else:  # a saved text or status is never replaced by a stray key: typing goes on after it
                        field.selection = Selection.cursor(len(field.value))
            field.placeholder = t("app.q.type_here")
            self.set_focus(field)  # now, not later: the next key of a burst must find it focused
        elif self.focused is not note:
            self.set_focus(self.query_one("#main"))
        self.query_one("#hint", Static).update(Text(spec.hint() if typed else ""))
        last = s.last_visit(item.id) if value is None else None
        last_line = t("app.q.last_visit", day=s.previous_date, answer=spec.shown(last)) if last is not None else ""
        self.query_one("#last", Static).update(Text(last_line))
        if draft is not None and typed:
            self.set_status(t("app.q.draft_back"))
        elif s.from_profile(item.id):
            self.set_status(t("app.q.from_profile"))
        elif s.locked:
            self.set_status(t("app.q.locked"))
        done, total = s.progress()
        self.query_one("#progress", ProgressBar).update(total=total, progress=done)
        self.update_flagbar()
        self.update_sidebar()
        # the footer is rebuilt only when the keys it offers change (a rebuild costs a full layout)
        checks = (("answer", ("yes",)), ("answer", ("no",)), ("answer", ("na",)), ("keep", ()), ("keep_section", ()))
        offered = (type(self.focused).__name__, *(self.check_action(action, params) for action, params in checks))
        if offered != self._offered:
            self._offered = offered
            self.refresh_bindings()

    def _choices_text(self, spec: AnswerKind, value: Any) -> Text:
        text = Text()
        options = spec.options()
        if not options:
            if value is None:
                return Text(t("app.q.not_answered_yet"), style="italic")
            return Text.assemble(t("app.q.saved_answer"), (spec.shown(value), "bold"))
        for option in options:
            chosen = value == option.value
            click = Style(meta={"@click": f"screen.answer({option.value!r})"})  # a click answers, as its key does
            text.append(f" {'●' if chosen else '○'} [{option.key}] ", style=Style(bold=chosen) + click)
            text.append(option.label, style=Style(bold=chosen, reverse=chosen) + click)
            text.append("   ")
        if value is None:
            text.append("\n" + t("app.q.not_answered_paren"), style="italic")
        return text

    def update_flagbar(self) -> None:
        flags = self.session.red_flags()
        bar = self.query_one("#flagbar", Static)
        bar.set_class(bool(flags), "-shown")
        if flags:
            tier = min(URGENCIES.index(item.urgency or "next_visit") for item in flags)
            bar.update(Text(t("app.flagbar", label=t(f"urgency.{URGENCIES[tier]}"), count=len(flags))))

    def set_status(self, message: str, error: bool = False) -> None:
        self._status_text = message
        status = self.query_one("#status", Static)
        status.update(Text(message))
        status.set_class(error, "-error")

    # -- answering

    def _record(self, value: Any) -> None:
        s = self.session
        item = s.current.item
        if s.locked:
            self.safehome.ask_to_amend(s, lambda: self._record(value))
            return
        try:
            flagged = s.answer(item.id, value)
        except ValueError as exc:
            self.set_status(str(exc), error=True)
            return
        except SaveFailed as exc:
            self.set_status(t("app.q.save_failed", reason=exc), error=True)
            self.safehome.offer_to_save_as_new(s)
            return  # stay on the question: the message must be seen (the answer is kept in memory)
        self._meaning = s.recorded_meaning(item)
        if flagged:
            self.app.push_screen(
                RedFlagScreen(
                    item.prompt_for(s.mode), s.action_for(item), item.urgency or "same_day", s.calls_for(item.urgency)
                ),
                lambda _: self._advance(),
            )
        else:
            self._advance()

    def _advance(self) -> None:
        if self.back_to_review:  # opened from the review's list: go back to it
            self.back_to_review = False
            self.show_item()
            self.action_review()
            return
        if not self.session.advance():
            self.show_item()
            self.action_review()
            return
        self.show_item()
        meaning, self._meaning = self._meaning, None
        if meaning:  # a "no" that is the hazard is said as it is recorded
            self.set_status(meaning)
        elif not self._status_text:
            self.set_status(t("app.q.saved"))  # said on the next question: the last answer is on disk

    def _clear(self, item_id: str, yes: bool | None) -> None:
        if not yes:
            return
        try:
            self.session.clear(item_id)
        except (ValueError, SaveFailed) as exc:
            self.set_status(str(exc), error=True)
            return
        self.show_item()
        self.set_status(t("app.q.cleared"))

    def action_keep(self) -> None:
        s = self.session
        item = s.current.item
        last = s.last_visit(item.id)
        if last is None or s.value(item.id) is not None:
            self.set_status(t("app.q.nothing_to_keep"), error=True)
            return
        self._record(last)

    def action_keep_section(self) -> None:
        s = self.session
        if s.locked:
            self.safehome.ask_to_amend(s, self.action_keep_section)
            return
        try:
            kept = s.keep_section()
        except SaveFailed as exc:
            self.set_status(t("app.q.save_failed", reason=exc), error=True)
            return
        if not kept:
            self.set_status(t("app.q.nothing_to_keep"), error=True)
            return
        if s.value(s.current.item.id) is None:  # this question had no answer last time: ask it
            self.show_item()
        elif self.back_to_review or not s.next_unanswered(wrap=False):
            self.back_to_review = False
            self.show_item()
            self.action_review()
            return
        else:
            self.show_item()
        self.set_status(t("app.q.kept", count=kept))

    def action_edit_profile(self) -> None:
        if not self._keep_typed():
            return
        self.safehome.edit_profile(self.session)

    def action_answer(self, value: str) -> None:
        spec = self.session.current.item.answer
        if any(option.value == value for option in spec.options()):
            self._record(value)
        else:
            self.set_status(t("app.q.not_an_answer", key=KEYS.get(value, value)), error=True)

    def action_pick(self, number: int) -> None:
        chosen = [o for o in self.session.current.item.answer.options() if o.key == str(number)]
        if chosen:
            self._record(chosen[0].value)

    def action_move(self, delta: int) -> None:
        if not self._keep_typed():
            return
        self.session.move(delta)
        self.set_status("")
        self.show_item()

    def _keep_typed(self) -> bool:
        """A number or text typed but not entered is saved when the question is left by any key
        (never dropped); one that cannot be an answer keeps the user here with the reason."""
        field = self.query_one("#value", Input)
        if field.has_class("-hidden") or not field.value.strip():
            return True
        parsed = self._parsed(field.value)
        if parsed is None:
            return False
        value = parsed[0]
        if value != self.session.value(self.session.current.item.id):
            try:
                self.session.answer(self.session.current.item.id, value)
            except (ValueError, SaveFailed) as exc:
                self.set_status(str(exc), error=True)
                return False
        return True

    def action_section(self, delta: int) -> None:
        if not self._keep_typed():
            return
        sections = [section.id for section, _, _ in self.session.sections()]
        here = sections.index(self.session.current.section.id)
        target = max(0, min(len(sections) - 1, here + delta))
        self.session.section_start(sections[target])
        self.show_item()

    def action_enter(self) -> None:
        """Enter: in the number or text field, save what is typed; in the note, back to the
        question; on the question, the next one."""
        focused = self.focused
        if isinstance(focused, Input) and focused.id == "value":
            self._typed(focused.value)
        elif isinstance(focused, Input) and focused.id == "note":
            self.action_toggle_note()
        else:
            self.action_move(1)

    def _typed(self, text: str) -> None:
        if not text.strip():
            item_id = self.session.current.item.id
            if self.session.value(item_id) is not None and not self.session.from_profile(item_id):
                # an emptied field on a saved answer: take the answer back, on a clear yes only
                self.app.push_screen(ConfirmScreen(t("app.q.clear_ask")), lambda yes: self._clear(item_id, yes))
                return
            self._advance()
            return
        parsed = self._parsed(text)
        if parsed is not None:
            self._record(parsed[0])

    def _parsed(self, text: str) -> tuple[Any] | None:
        """The typed text as this question's answer, or None with the reason shown."""
        try:
            return (self.session.current.item.answer.parse(text),)
        except ValueError as exc:
            self.set_status(str(exc), error=True)
            return None

    @on(Input.Changed, "#value")
    def _value_typed(self, event: Input.Changed) -> None:
        """Every key typed in the field is kept as a draft, like a note (a crash loses nothing).

        The change is handled after the key: by then the question may have moved on (Enter in a
        burst), so the draft is the field's text now, for the question the field shows now."""
        field = self.query_one("#value", Input)
        if self.session.locked or self._field_item is None or event.value != field.value:
            return  # a change from before the field was set for another question: not this one's
        try:
            self.session.set_draft(self._field_item, field.value)
        except SaveFailed as exc:
            self.set_status(t("app.q.note_save_failed", reason=exc), error=True)

    @on(Input.Changed, "#note")
    def _note_typed(self, event: Input.Changed) -> None:
        try:
            self.session.set_note(self.session.current.item.id, event.value)
        except SaveFailed as exc:
            self.set_status(t("app.q.note_save_failed", reason=exc), error=True)
        except ValueError as exc:  # a finished visit not opened for amendment
            self.set_status(str(exc), error=True)

    def action_toggle_note(self) -> None:
        note = self.query_one("#note", Input)
        if self.session.locked and self.focused is not note:
            self.safehome.ask_to_amend(self.session, self.action_toggle_note)
            return
        if self.focused is note:
            field = self.query_one("#value", Input)
            self.set_focus(field if not field.has_class("-hidden") else self.query_one("#main"))
        else:
            self.set_focus(note)

    def action_sections(self) -> None:
        self.set_focus(self.query_one("#sections", ListView))

    @on(ListView.Selected, "#sections")
    def _jump(self, event: ListView.Selected) -> None:
        if event.item.name:
            self.session.section_start(event.item.name)
            self.show_item()
            if self.query_one("#value", Input).has_class("-hidden"):
                self.set_focus(self.query_one("#main"))

    def action_photo(self) -> None:
        """Add a photo to this question (a file, or one picked from a folder), with a caption."""
        from safehome.faces.tui.screens.photo import PhotoScreen

        if not self._keep_typed():
            return
        item = self.session.current.item

        def kept(said: str | None) -> None:
            if said:
                self.notify(said, timeout=6)
                self.show_item()

        self.app.push_screen(PhotoScreen(self.session, item.id, item.prompt_for(self.session.mode)), kept)

    def action_review(self) -> None:
        self.safehome.show_review(self.session)

    def action_leave(self) -> None:
        if isinstance(self.focused, (Input, ListView)):
            # Esc in a field (an answer typed, a note) or the section list leaves it for the
            # question, keeping what was typed; a second Esc leaves the visit
            self.set_focus(self.query_one("#main"))
            return
        if self._keep_typed():
            self.safehome.pop_to_start()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer":  # the footer offers only the keys this question takes
            options = {o.value for o in self.session.current.item.answer.options()}
            if parameters and parameters[0] not in options:
                return False
        if action == "keep" and (
            self.session.last_visit(self.session.current.item.id) is None
            or self.session.value(self.session.current.item.id) is not None
        ):
            return False
        if action == "keep_section" and not any(
            self.session.last_visit(step.item.id) is not None and self.session.value(step.item.id) is None
            for step in self.session.steps
            if step.section is self.session.current.section
        ):
            return False
        if action == "enter" and isinstance(self.focused, ListView):
            return False  # Enter in the section list opens the section
        # single-key answers only make sense while the question (not a text field) has the focus
        if action in (
            "answer",
            "pick",
            "move",
            "sections",
            "review",
            "leave",
            "section",
            "keep",
            "keep_section",
            "edit_profile",
            "photo",
        ) and isinstance(self.focused, (Input, ListView)):
            typing_a_value = isinstance(self.focused, Input) and self.focused.id == "value"
            if action in ("keep", "keep_section") and isinstance(self.focused, Input) and typing_a_value:
                return not self.focused.value  # an empty field: k keeps last visit's (a number never has a k)
            return action == "leave" or (action in ("move", "section") and typing_a_value)
        return True
