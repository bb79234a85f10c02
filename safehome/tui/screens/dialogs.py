"""Small modal screens: the red-flag alert and the help."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static
from rich.text import Text

KEYS_HELP = """\
Answering
  y / n          yes / no (then on to the next question)
  a              not applicable
  1 to 9         pick a numbered answer
  number, Enter  for questions that take a number or text
  Enter, Down    next question        Up   previous question
  PgDn / PgUp    next / previous section
  Tab            type a note for this question (Enter or Tab to go back)
  s              go to the list of sections (Enter to jump there)
  r              review: unanswered questions, results, PDFs

Everywhere
  F1 or ?        this help          Ctrl+P  command palette
  Ctrl+T         switch theme (dark, light, high contrast)
  Escape         back                Ctrl+Q  quit (every answer is already saved)
"""


class RedFlagScreen(ModalScreen[None]):
    """Says plainly that a warning sign needs the healthcare team now."""

    BINDINGS = [
        Binding("enter", "close", "I understand", id="redflag.ok"),
        Binding("escape", "close", show=False, id="redflag.escape"),
    ]

    def __init__(self, prompt: str, action: str, mode: str) -> None:
        super().__init__()
        self.prompt, self.action_text, self.mode = prompt, action, mode

    def compose(self) -> ComposeResult:
        you = "the person's" if self.mode == "clinician" else "your"
        with Vertical(id="redflag-box"):
            yield Static(f"WARNING SIGN: contact {you} healthcare team now", id="redflag-title")
            yield Static(Text(self.prompt), id="redflag-prompt")
            yield Static(Text("\n" + self.action_text))
            yield Static(
                Text(
                    "\nThis comes before anything else on the checklist. If the symptoms are severe "
                    "or getting worse fast, call 911. You can carry on with the questions afterwards."
                )
            )
            yield Button("I understand (Enter)", id="redflag-ok", variant="error")

    def on_mount(self) -> None:
        self.query_one("#redflag-ok", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "Close", id="help.close"),
        Binding("f1", "close", show=False, id="help.f1"),
        Binding("question_mark", "close", show=False, id="help.q"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static("Keys", classes="heading")
            yield Static(Text(KEYS_HELP))
            yield Static("Escape to close.", classes="muted")

    def action_close(self) -> None:
        self.dismiss(None)
