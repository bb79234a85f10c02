"""The questions, section by section, keyboard first; every answer saved as it is given."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Input, Label, ListItem, ListView, ProgressBar, Static

from ...answers import NOT_APPLICABLE, AnswerKind
from ...session import SaveFailed, Session
from ...models import URGENCIES
from ...words import t
from .base import AppScreen
from .dialogs import RedFlagScreen

KEYS = {"yes": "y", "no": "n", NOT_APPLICABLE: "a"}


class MainPane(Vertical, can_focus=True):
    """The question itself; it holds the focus while answering with single keys."""


class QuestionScreen(AppScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer('yes')", t("app.key.yes"), id="q.yes"),
        Binding("n", "answer('no')", t("app.key.no"), id="q.no"),
        Binding("a", "answer('na')", t("app.key.na"), id="q.na"),
        *[Binding(str(d), f"pick({d})", show=False, id=f"q.pick{d}") for d in range(1, 10)],
        Binding("enter,down,right", "move(1)", t("app.key.next"), id="q.next"),
        Binding("up,left", "move(-1)", t("app.key.back"), id="q.prev"),
        Binding("pagedown", "section(1)", t("app.key.next_section"), show=False, id="q.nextsec"),
        Binding("pageup", "section(-1)", t("app.key.previous_section"), show=False, id="q.prevsec"),
        Binding("tab", "toggle_note", t("app.key.note"), priority=True, id="q.note"),
        Binding("s", "sections", t("app.key.sections"), id="q.sections"),
        Binding("r", "review", t("app.key.review"), id="q.review"),
        Binding("escape", "leave", t("app.key.start"), id="q.leave"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="flagbar")
        with Horizontal(id="body"):
            yield ListView(id="sections")
            with MainPane(id="main"):
                yield Static("", id="section-title")
                yield Static("", id="counter", classes="muted")
                yield Static("", id="prompt")
                yield Static("", id="choices")
                yield Input(id="value", classes="-hidden", compact=True)
                yield Static("", id="why")
                yield Label(t("app.q.note_label"), classes="muted")
                # select_on_focus off: coming back to a note adds to it; the next key must not replace it
                yield Input(id="note", placeholder=t("app.q.note_placeholder"), compact=True, select_on_focus=False)
                yield Static("", id="status")
        yield ProgressBar(id="progress", show_eta=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{self.session.profile.name} · {self.session.checklist.title}"
        self.build_sidebar()
        self.show_item()

    def on_screen_resume(self) -> None:
        self.build_sidebar()
        self.show_item()

    # -- drawing

    def build_sidebar(self) -> None:
        sidebar = self.query_one("#sections", ListView)
        sidebar.clear()
        self._labels: list[Label] = []
        for section, done, total in self.session.sections():
            label = Label(self._section_text(section.title, done, total))
            self._labels.append(label)
            sidebar.append(ListItem(label, name=section.id))

    @staticmethod
    def _section_text(title: str, done: int, total: int) -> Text:
        mark = t("app.q.section_done") if done == total else f"{done}/{total}"
        return Text.assemble((f"{mark:>6} ", "bold" if done == total else ""), title)

    def update_sidebar(self) -> None:
        sidebar = self.query_one("#sections", ListView)
        current = self.session.current.section.id
        for n, (label, (section, done, total)) in enumerate(zip(self._labels, self.session.sections(), strict=False)):
            label.update(self._section_text(section.title, done, total))
            if section.id == current and sidebar.index != n:
                sidebar.index = n

    def show_item(self) -> None:
        s = self.session
        step = s.current
        item, spec = step.item, step.item.answer
        value = s.value(item.id)
        total = len(s.steps)
        self.query_one("#section-title", Static).update(Text(step.section.title))
        self.query_one("#counter", Static).update(t("app.q.counter", n=s.index + 1, total=total))
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
        if typed:
            with field.prevent(Input.Changed):
                field.value = "" if value is None or value == NOT_APPLICABLE else self._typed_text(value)
            field.placeholder = spec.hint()
            field.focus()
        elif self.focused is not note:
            self.query_one("#main").focus()
        if s.from_profile(item.id):
            self.set_status(t("app.q.from_profile"))
        done, total = s.progress()
        self.query_one("#progress", ProgressBar).update(total=total, progress=done)
        self.update_flagbar()
        self.update_sidebar()
        self.refresh_bindings()

    @staticmethod
    def _typed_text(value: Any) -> str:
        """A saved typed answer as it goes back into the field (numbers without a trailing .0)."""
        return f"{value:g}" if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)

    def _choices_text(self, spec: AnswerKind, value: Any) -> Text:
        text = Text()
        options = spec.options()
        if not options:
            if value is None:
                return Text(t("app.q.not_answered_yet"), style="italic")
            return Text.assemble(t("app.q.saved_answer"), (spec.shown(value), "bold"))
        for option in options:
            chosen = value == option.value
            text.append(f" {'●' if chosen else '○'} [{option.key}] ", style="bold" if chosen else "")
            text.append(option.label + "   ", style="bold reverse" if chosen else "")
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
        status = self.query_one("#status", Static)
        status.update(Text(message))
        status.set_class(error, "-error")

    # -- answering

    def _record(self, value: Any) -> None:
        s = self.session
        item = s.current.item
        try:
            flagged = s.answer(item.id, value)
        except ValueError as exc:
            self.set_status(str(exc), error=True)
            return
        except SaveFailed as exc:
            self.set_status(t("app.q.save_failed", reason=exc), error=True)
            flagged = s.raises_warning(item)
        else:
            self.set_status(t("app.q.saved"))
        if flagged:
            self.app.push_screen(
                RedFlagScreen(item.prompt_for(s.mode), item.action or "", item.urgency or "same_day"),
                lambda _: self._advance(),
            )
        else:
            self._advance()

    def _advance(self) -> None:
        if not self.session.move(1):
            self.show_item()
            self.action_review()
            return
        self.show_item()

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

    @on(Input.Submitted, "#value")
    def _typed(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self._advance()
            return
        parsed = self._parsed(event.value)
        if parsed is not None:
            self._record(parsed[0])

    def _parsed(self, text: str) -> tuple[Any] | None:
        """The typed text as this question's answer, or None with the reason shown."""
        try:
            return (self.session.current.item.answer.parse(text),)
        except ValueError as exc:
            self.set_status(str(exc), error=True)
            return None

    @on(Input.Changed, "#note")
    def _note_typed(self, event: Input.Changed) -> None:
        try:
            self.session.set_note(self.session.current.item.id, event.value)
        except SaveFailed as exc:
            self.set_status(t("app.q.note_save_failed", reason=exc), error=True)

    @on(Input.Submitted, "#note")
    def _note_done(self, event: Input.Submitted) -> None:
        self.action_toggle_note()

    def action_toggle_note(self) -> None:
        note = self.query_one("#note", Input)
        if self.focused is note:
            field = self.query_one("#value", Input)
            (field if not field.has_class("-hidden") else self.query_one("#main")).focus()
        else:
            note.focus()

    def action_sections(self) -> None:
        self.query_one("#sections", ListView).focus()

    @on(ListView.Selected, "#sections")
    def _jump(self, event: ListView.Selected) -> None:
        if event.item.name:
            self.session.section_start(event.item.name)
            self.show_item()
            if self.query_one("#value", Input).has_class("-hidden"):
                self.query_one("#main").focus()

    def action_review(self) -> None:
        self.safehome.show_review(self.session)

    def action_leave(self) -> None:
        if isinstance(self.focused, Input) and self.focused.id == "value":
            self.query_one("#main").focus()  # Esc in a field leaves the field, not the visit
            return
        if self._keep_typed():
            self.safehome.pop_to_start()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer":  # the footer offers only the keys this question takes
            options = {o.value for o in self.session.current.item.answer.options()}
            if parameters and parameters[0] not in options:
                return False
        # single-key answers only make sense while the question (not a text field) has the focus
        if action in ("answer", "pick", "move", "sections", "review", "leave", "section") and isinstance(
            self.focused, (Input, ListView)
        ):
            typing_a_value = isinstance(self.focused, Input) and self.focused.id == "value"
            return action == "leave" or (action in ("move", "section") and typing_a_value)
        return True
