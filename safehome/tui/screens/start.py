"""The first screen: start a new assessment, resume one, or open a finished one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

MODE_WORDS = {"clinician": "home visit", "self": "self-check"}


class StartScreen(Screen[None]):
    BINDINGS = [
        Binding("v", "new('clinician')", "New home visit", id="start.visit"),
        Binding("c", "new('self')", "New self-check", id="start.self"),
        Binding("q", "app.quit", "Quit", id="start.quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Home fall and mobility safety for people living with bone metastases.\n"
            "Choose with the arrow keys and Enter. Every answer is saved as you go.",
            id="intro",
        )
        yield OptionList(id="start-list")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_list()

    def on_screen_resume(self) -> None:
        self.refresh_list()

    def refresh_list(self) -> None:
        options: list[Option | None] = [
            Option(Text("New home visit (occupational therapist)        key v"), id="new:clinician"),
            Option(Text("New self-check (check my own home)             key c"), id="new:self"),
        ]
        rows = self.app.store.list(limit=200)  # type: ignore[attr-defined]
        unfinished = [r for r in rows if r.status == "in-progress"]
        finished = [r for r in rows if r.status == "finished"]
        totals = self.app.totals  # type: ignore[attr-defined]
        if unfinished:
            options.append(None)
            for r in unfinished:
                total = totals.get(r.checklist_id)
                done = f"{r.answered} of {total} answered" if total else f"{r.answered} answered"
                label = Text(f"Resume  {r.person}  ·  {r.assessed_on}  ·  {MODE_WORDS.get(r.mode, r.mode)}  ·  {done}")
                options.append(Option(label, id=f"open:{r.id}"))
        if finished:
            options.append(None)
            for r in finished[:50]:
                label = Text(f"Open    {r.person}  ·  {r.assessed_on}  ·  {MODE_WORDS.get(r.mode, r.mode)}  ·  finished")
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
            self.action_new(value)
        elif kind == "open":
            self.app.open_assessment(int(value))  # type: ignore[attr-defined]

    def action_new(self, mode: str) -> None:
        self.app.new_assessment(mode)  # type: ignore[attr-defined]
