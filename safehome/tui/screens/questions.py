"""The questions, section by section, keyboard first; every answer saved as it is given."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, ListItem, ListView, ProgressBar, Static

from ...models import NOT_APPLICABLE, ChoiceAnswer, NumberAnswer, ScaleAnswer, TextAnswer, YesNoAnswer
from ...session import SaveFailed, Session
from .dialogs import RedFlagScreen

WORDS = {"yes": "Yes", "no": "No", NOT_APPLICABLE: "Not applicable"}
KEYS = {"yes": "y", "no": "n", NOT_APPLICABLE: "a"}


class MainPane(Vertical, can_focus=True):
    """The question itself; it holds the focus while answering with single keys."""


class QuestionScreen(Screen[None]):
    BINDINGS = [
        Binding("y", "answer('yes')", "Yes", id="q.yes"),
        Binding("n", "answer('no')", "No", id="q.no"),
        Binding("a", "answer('na')", "N/A", id="q.na"),
        *[Binding(str(d), f"pick({d})", show=False, id=f"q.pick{d}") for d in range(1, 10)],
        Binding("enter,down,right", "move(1)", "Next", id="q.next"),
        Binding("up,left", "move(-1)", "Back", id="q.prev"),
        Binding("pagedown", "section(1)", "Next section", show=False, id="q.nextsec"),
        Binding("pageup", "section(-1)", "Previous section", show=False, id="q.prevsec"),
        Binding("tab", "toggle_note", "Note", priority=True, id="q.note"),
        Binding("s", "sections", "Sections", id="q.sections"),
        Binding("r", "review", "Review", id="q.review"),
        Binding("escape", "leave", "Start", id="q.leave"),
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
                yield Label("Note (Tab):", classes="muted")
                yield Input(id="note", placeholder="Press Tab to type a note; Enter to go back", compact=True)
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
        mark = "✓ done" if done == total else f"{done}/{total}"
        return Text.assemble((f"{mark:>6} ", "bold" if done == total else ""), title)

    def update_sidebar(self) -> None:
        sidebar = self.query_one("#sections", ListView)
        current = self.session.current.section.id
        for n, (label, (section, done, total)) in enumerate(zip(self._labels, self.session.sections())):
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
        self.query_one("#counter", Static).update(f"Question {s.index + 1} of {total}")
        self.query_one("#prompt", Static).update(Text(item.prompt_for(s.mode)))
        self.query_one("#choices", Static).update(self._choices_text(spec, value))
        why = item.why or ""
        self.query_one("#why", Static).update(Text(f"Why this matters: {why}" if why else ""))
        note = self.query_one("#note", Input)
        with note.prevent(Input.Changed):
            note.value = s.note(item.id)
        field = self.query_one("#value", Input)
        typed = isinstance(spec, (NumberAnswer, ScaleAnswer, TextAnswer))
        field.set_class(not typed, "-hidden")
        if typed:
            with field.prevent(Input.Changed):
                field.value = "" if value is None else (f"{value:g}" if isinstance(value, (int, float)) else str(value))
            field.placeholder = self._placeholder(spec)
            field.focus()
        elif self.focused is not note:
            self.query_one("#main").focus()
        done, total = s.progress()
        self.query_one("#progress", ProgressBar).update(total=total, progress=done)
        self.update_flagbar()
        self.update_sidebar()

    def _placeholder(self, spec: Any) -> str:
        na = " (or 'a' for not applicable)" if NOT_APPLICABLE in spec.values() else ""
        if isinstance(spec, NumberAnswer):
            return f"Type a number from {spec.min:g} to {spec.max:g} {spec.unit}{na}, then Enter"
        if isinstance(spec, ScaleAnswer):
            return f"Type 0 ({spec.min_label}) to 10 ({spec.max_label}){na}, then Enter"
        return "Type here, then Enter (Enter on an empty line skips)"

    def _choices_text(self, spec: Any, value: Any) -> Text:
        text = Text()
        if isinstance(spec, YesNoAnswer):
            options = [(KEYS[v], WORDS[v], v) for v in spec.values()]
        elif isinstance(spec, ChoiceAnswer):
            options = [(str(n), c.label, c.value) for n, c in enumerate(spec.choices, 1)]
            if spec.not_applicable:
                options.append(("a", WORDS[NOT_APPLICABLE], NOT_APPLICABLE))
        else:
            if value is None:
                return Text("Not answered yet.", style="italic")
            shown = WORDS.get(value, f"{value:g}" if isinstance(value, (int, float)) else str(value))
            return Text.assemble("Saved answer: ", (shown, "bold"))
        for key, label, option in options:
            chosen = value == option
            text.append(f" {'●' if chosen else '○'} [{key}] ", style="bold" if chosen else "")
            text.append(label + "   ", style="bold reverse" if chosen else "")
        if value is None:
            text.append("\n(not answered yet)", style="italic")
        return text

    def update_flagbar(self) -> None:
        flags = self.session.red_flags()
        bar = self.query_one("#flagbar", Static)
        bar.set_class(bool(flags), "-shown")
        if flags:
            who = "the healthcare team" if self.session.mode == "clinician" else "your healthcare team"
            bar.update(Text(f"⚠ {len(flags)} warning sign(s) reported: contact {who} today. Press r to review."))

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
            self.set_status(f"Could not save to disk ({exc}). Your answer is kept here and will be saved as soon as possible.", error=True)
            flagged = item.red_flag and item in s.red_flags()
        else:
            self.set_status("Saved.")
        if flagged:
            self.app.push_screen(RedFlagScreen(item.prompt_for(s.mode), item.action or "", s.mode), lambda _: self._advance())
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
        if value in spec.values():
            self._record(value)
        else:
            self.set_status(f"'{KEYS.get(value, value)}' is not an answer to this question.", error=True)

    def action_pick(self, number: int) -> None:
        spec = self.session.current.item.answer
        if isinstance(spec, ChoiceAnswer) and 1 <= number <= len(spec.choices):
            self._record(spec.choices[number - 1].value)

    def action_move(self, delta: int) -> None:
        self.session.move(delta)
        self.set_status("")
        self.show_item()

    def action_section(self, delta: int) -> None:
        sections = [section.id for section, _, _ in self.session.sections()]
        here = sections.index(self.session.current.section.id)
        target = max(0, min(len(sections) - 1, here + delta))
        self.session.section_start(sections[target])
        self.show_item()

    @on(Input.Submitted, "#value")
    def _typed(self, event: Input.Submitted) -> None:
        spec = self.session.current.item.answer
        text = event.value.strip()
        if not text:
            self._advance()
            return
        if text.lower() in ("a", "na", "n/a") and NOT_APPLICABLE in spec.values():
            self._record(NOT_APPLICABLE)
            return
        if isinstance(spec, TextAnswer):
            self._record(event.value)
            return
        try:
            number: float | int = float(text.replace(",", "."))
        except ValueError:
            self.set_status(f"'{text}' is not a number. {self._placeholder(spec)}.", error=True)
            return
        if number == int(number):
            number = int(number)
        self._record(number)

    @on(Input.Changed, "#note")
    def _note_typed(self, event: Input.Changed) -> None:
        try:
            self.session.set_note(self.session.current.item.id, event.value)
        except SaveFailed as exc:
            self.set_status(f"Could not save the note to disk ({exc}); it is kept here.", error=True)

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
        self.app.show_review(self.session)  # type: ignore[attr-defined]

    def action_leave(self) -> None:
        self.app.pop_to_start()  # type: ignore[attr-defined]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # single-key answers only make sense while the question (not a text field) has the focus
        if action in ("answer", "pick", "move", "sections", "review", "leave", "section") and isinstance(self.focused, (Input, ListView)):
            if action == "leave" or (action == "move" and isinstance(self.focused, Input) and self.focused.id == "value"):
                return True
            return False
        return True
