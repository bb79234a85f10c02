"""Small modal screens: the red-flag alert and the help."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Input, Static

from safehome.core.calling import beyond_tier
from safehome.i18n.words import t
from safehome.faces.tui.screens.base import AppModal


class RedFlagScreen(AppModal[None]):
    """Says plainly how fast to act on a warning sign, in the words of its tier."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "close", t("app.key.understood"), id="redflag.ok"),
        Binding("escape", "close", show=False, id="redflag.escape"),
    ]

    def __init__(self, prompt: str, action: str, urgency: str, calls: list[str]) -> None:
        super().__init__()
        self.prompt, self.action_text, self.urgency = prompt, action, urgency
        self.calls = calls  # whom to call, with the numbers the person gave

    def compose(self) -> ComposeResult:
        with Vertical(id="redflag-box"):
            yield Static(t("app.redflag.title", label=t(f"urgency.{self.urgency}")), id="redflag-title")
            yield Static(Text(t(f"urgency.do.{self.urgency}")), id="redflag-do")
            yield Static(Text("\n".join(self.calls)), id="redflag-calls")
            yield Static(Text("\n" + self.prompt), id="redflag-prompt")
            if beyond_tier(self.action_text.strip(), self.urgency):  # the tier's words are said once, not twice
                yield Static(Text("\n" + self.action_text))
            # "before anything else" is true of the urgent tiers; a sign for the next visit is noted, not a stop
            after = "app.redflag.after.later" if self.urgency == "next_visit" else "app.redflag.after"
            yield Static(Text("\n" + t(after)))
            yield Button(t("app.redflag.button"), id="redflag-ok", variant="error")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#redflag-ok", Button))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)


class HelpScreen(AppModal[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", t("app.key.close"), id="help.close"),
        Binding("f1", "close", show=False, id="help.f1"),
        Binding("question_mark", "close", show=False, id="help.q"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):  # scrolls when the terminal is short
            yield Static(t("app.help.title"), classes="heading")
            yield Static(Text(t("app.help.keys")))
            yield Static(t("app.help.close"), classes="muted")

    def action_close(self) -> None:
        self.dismiss(None)


class ConfirmScreen(AppModal[bool]):
    """A yes/no question; Esc is "no"."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(t("answer.key.yes"), "answer(True)", t("app.key.yes"), id="confirm.yes"),
        *([Binding("y", "answer(True)", show=False, id="confirm.yes_y")] if t("answer.key.yes") != "y" else []),
        Binding("n,escape", "answer(False)", t("app.key.no"), id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(Text(self.question), id="confirm-question")
            yield Static(t("app.confirm.keys"), classes="muted")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class ConnectScreen(AppModal[str | None]):
    """The clinic server's address for this laptop (never a password); Esc leaves it as it was."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", t("app.key.cancel"), id="connect.cancel"),
    ]

    def __init__(self, current: str | None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="connect-box"):
            yield Static(t("app.connect.title"), classes="heading")
            yield Static(Text(t("app.connect.explain")))
            yield Input(self.current or "", placeholder=t("app.connect.placeholder"), id="connect-url")
            yield Static("", id="connect-error", classes="error")
            yield Static(t("app.connect.keys"), classes="muted")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#connect-url", Input))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        url = event.value.strip()
        if not url:
            self.query_one("#connect-error", Static).update(t("app.connect.empty"))
            return
        self.dismiss(url)

    def action_cancel(self) -> None:
        self.dismiss(None)
