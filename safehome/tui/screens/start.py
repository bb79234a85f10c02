"""The first screen: start a new assessment, resume one, or open a finished one."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from ...words import t
from .base import AppScreen

if TYPE_CHECKING:  # the models (pydantic) load after the first screen is up
    from ...models import Mode

MODE_WORDS = {"clinician": "app.start.mode.clinician", "self": "app.start.mode.self"}


class StartScreen(AppScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("v", "new('clinician')", t("app.key.new_visit"), id="start.visit"),
        Binding("c", "new('self')", t("app.key.new_self"), id="start.self"),
        Binding("q", "app.quit", t("app.key.quit"), id="start.quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("app.start.intro"), id="intro")
        yield OptionList(id="start-list")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_list()

    def on_screen_resume(self) -> None:
        self.refresh_list()

    def refresh_list(self) -> None:
        options: list[Option | None] = [
            Option(Text(t("app.start.new_visit")), id="new:clinician"),
            Option(Text(t("app.start.new_self")), id="new:self"),
        ]
        rows = self.safehome.store.assessments(limit=200)
        unfinished = [r for r in rows if r.status == "in-progress"]
        finished = [r for r in rows if r.status == "finished"]
        totals = self.safehome.questions_asked(unfinished)
        if unfinished:
            options.append(None)
            for r in unfinished:
                total = totals.get(r.id)
                done = (
                    t("app.start.progress", done=r.answered, total=total)
                    if total
                    else t("app.start.answered", done=r.answered)
                )
                mode = t(MODE_WORDS[r.mode])
                label = Text(t("app.start.resume", person=r.person, day=r.assessed_on, mode=mode, done=done))
                options.append(Option(label, id=f"open:{r.id}"))
        if finished:
            options.append(None)
            for r in finished[:50]:
                mode = t(MODE_WORDS[r.mode])
                label = Text(t("app.start.open", person=r.person, day=r.assessed_on, mode=mode))
                options.append(Option(label, id=f"open:{r.id}"))
        menu = self.query_one("#start-list", OptionList)
        keep = menu.highlighted if menu.option_count else None
        menu.clear_options()
        menu.add_options(options)
        menu.highlighted = keep if keep is not None and keep < menu.option_count else (2 if unfinished else 0)
        menu.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        kind, _, value = (event.option.id or "").partition(":")
        if kind == "new":
            self.action_new("clinician" if value == "clinician" else "self")
        elif kind == "open":
            self.safehome.open_assessment(int(value))

    def action_new(self, mode: Mode) -> None:
        self.safehome.new_assessment(mode)
