"""The first screen: start a new assessment, resume one, or open a finished one."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from safehome.i18n.visible import visible
from safehome.i18n.words import t
from safehome.faces.tui.screens.base import AppScreen

if TYPE_CHECKING:  # the models (pydantic) load after the first screen is up
    from safehome.core.terms import Mode
    from safehome.core.records import Summary

MODE_WORDS = {"clinician": "app.start.mode.clinician", "self": "app.start.mode.self"}


class StartList(OptionList):
    """The start list, whose highlight stops at either end: a Down too many on the last visit
    must not wrap to "new visit" (keys sent quickly opened a new visit instead of Resume)."""

    def _step(self, direction: Literal[-1, 1]) -> None:
        from textual._widget_navigation import find_next_enabled_no_wrap

        found = find_next_enabled_no_wrap(self.options, anchor=self.highlighted, direction=direction)
        if found is not None:
            self.highlighted = found

    def action_cursor_down(self) -> None:
        self._step(1)

    def action_cursor_up(self) -> None:
        self._step(-1)


class StartScreen(AppScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        # v and c are named in the list's own rows ("key v"), so the footer keeps its room for the rest
        Binding("v", "new('clinician')", t("app.key.new_visit"), show=False, id="start.visit"),
        Binding("c", "new('self')", t("app.key.new_self"), show=False, id="start.self"),
        Binding("u", "follow_up", t("app.key.follow_up"), id="start.follow_up"),
        Binding("d", "delete", t("app.key.delete"), id="start.delete"),
        Binding("s", "app.sync", t("app.key.sync"), id="start.sync"),  # offered once a clinic server is set
        Binding("q", "app.quit", t("app.key.quit"), id="start.quit"),
        Binding("l", "app.other_language", show=False, id="start.language"),  # shown in the list, in both words
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("app.start.intro"), id="intro")
        yield Static("", id="sync-status", classes="muted")
        yield StartList(id="start-list")
        yield Footer(compact=True)  # single spaces: every key fits at 80 columns

    def on_mount(self) -> None:
        self.refresh_list()

    def on_screen_resume(self) -> None:
        self.refresh_list()

    def refresh_list(self) -> None:
        self.show_sync_status()
        options: list[Option | None] = [
            Option(Text(t("app.start.new_visit")), id="new:clinician"),
            Option(Text(t("app.start.new_self")), id="new:self"),
        ]
        if self.safehome.can_switch_language:
            # named in the other language's own words, so that someone who cannot read this one finds it
            options.append(Option(Text(self.safehome.other_language_offer()), id="language"))
        first_resume = len(options)  # separators are not options: the first visit to resume comes next
        desk = self.safehome.desk
        rows = desk.assessments(limit=200)
        unfinished = [r for r in rows if r.status == "in-progress"]
        finished = [r for r in rows if r.status == "finished"]
        counts = self.safehome.progress_of(unfinished)
        doubled = {c.assessment_id for c in desk.conflicts()}
        me = desk.clinic_role
        if unfinished:
            options.append(None)
            for r in unfinished:
                count = counts.get(r.id)
                done = (
                    t("app.start.progress", done=count[0], total=count[1])
                    if count
                    else t("app.start.answered", done=r.answered)
                )
                mode = t(MODE_WORDS[r.mode])
                day = self._day(r, rows)
                label = Text(t("app.start.resume", person=visible(r.person), day=day, mode=mode, done=done))
                self._mark(label, r, doubled, me)
                options.append(Option(label, id=f"open:{r.id}"))
        if finished:
            options.append(None)
            for r in finished[:50]:
                mode = t(MODE_WORDS[r.mode])
                day = self._day(r, rows)
                label = Text(t("app.start.open", person=visible(r.person), day=day, mode=mode))
                self._mark(label, r, doubled, me)
                options.append(Option(label, id=f"open:{r.id}"))

        menu = self.query_one("#start-list", OptionList)
        keep = menu.highlighted if menu.option_count else None
        menu.clear_options()
        menu.add_options(options)
        menu.highlighted = (
            keep if keep is not None and keep < menu.option_count else (first_resume if unfinished else 0)
        )
        self.set_focus(menu)

    @staticmethod
    def _day(row: Summary, rows: list[Summary]) -> str:
        """The day of a visit, with its number when the same person has another visit that day (two
        rows that would read the same are told apart; `safehome show ID` takes the same number)."""
        same = sum(1 for r in rows if r.person_id == row.person_id and r.assessed_on == row.assessed_on)
        return f"{row.assessed_on} #{row.id}" if same > 1 else row.assessed_on

    @staticmethod
    def _mark(label: Text, row: Summary, doubled: set[int], me: str | None) -> None:
        """Another clinician's visit says whose it is; a visit changed on two laptops says so, until
        a clinician confirms it."""
        if row.owner is not None and row.owner != me:
            label.append(t("app.start.by", owner=row.owner))
        if row.id in doubled:
            label.append(t("app.start.conflict"), style="bold")

    def show_sync_status(self, text: str | None = None) -> None:
        status = self.query_one("#sync-status", Static)
        text = self.safehome.sync_status() if text is None else text
        status.update(Text(text))
        status.display = bool(text)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        kind, _, value = (event.option.id or "").partition(":")
        if kind == "new":
            self.action_new("clinician" if value == "clinician" else "self")
        elif kind == "open":
            self.safehome.open_assessment(int(value))
        elif kind == "language":
            self.safehome.action_other_language()

    def action_new(self, mode: Mode) -> None:
        self.safehome.new_assessment(mode)

    def _highlighted_id(self) -> int | None:
        try:
            menu = self.query_one("#start-list", OptionList)
        except NoMatches:  # asked before the screen is composed
            return None
        if menu.highlighted is None:
            return None
        kind, _, value = (menu.get_option_at_index(menu.highlighted).id or "").partition(":")
        return int(value) if kind == "open" else None

    def action_follow_up(self) -> None:
        stored_id = self._highlighted_id()
        if stored_id is not None:
            self.safehome.follow_up(stored_id)

    def action_delete(self) -> None:
        stored_id = self._highlighted_id()
        if stored_id is not None:
            self.safehome.delete_person(stored_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("follow_up", "delete"):  # offered on a person's row only
            return self._highlighted_id() is not None
        return True

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.refresh_bindings()
