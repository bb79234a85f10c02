"""The safehome Textual app: a guided home-safety assessment.

The app holds no domain rules: it asks the core (scoring, compare) and the store, through
:class:`safehome.session.Session`, and only shows and collects.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Iterable

import threading
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme

from ..store import Store, open_store
from .screens.dialogs import HelpScreen
from .screens.start import StartScreen

if TYPE_CHECKING:  # the domain models and the other screens load after the first screen is up
    from ..compare import Comparison
    from ..models import Checklist, Profile
    from ..session import Session

HIGH_CONTRAST = Theme(
    name="safehome-high-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    warning="#FFFF00",
    error="#FF6060",
    success="#00FF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    dark=True,
)
THEMES = ("textual-dark", "textual-light", HIGH_CONTRAST.name)


class SafehomeApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "safehome"
    SUB_TITLE = "home safety with bone metastases"
    BINDINGS = [
        Binding("f1", "help", "Help", id="app.help"),
        Binding("question_mark", "help", "Help", show=False, id="app.help2"),
        Binding("ctrl+t", "cycle_theme", "Theme", id="app.theme"),
    ]

    def __init__(self, *, data_dir: str | Path | None = None, today: date | None = None, reports_dir: Path | None = None) -> None:
        super().__init__()
        self.today = today or date.today()  # the clock is read here, at the edge, once
        self.store: Store = open_store(data_dir)
        self.reports_dir = reports_dir or Path("reports")
        self.session: Session | None = None
        self.totals: dict[str, int] = {}
        self._checklists: dict[str, Checklist] | None = None
        self._loaded = threading.Event()
        self._load_started = False
        self._load_lock = threading.Lock()
        self._load_error: BaseException | None = None

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        self.push_screen(StartScreen())
        # The checklists (YAML + pydantic) load in the background once the start screen is up.
        self.set_timer(0.2, self._begin_loading)

    def _begin_loading(self) -> None:
        with self._load_lock:
            if self._load_started:
                return
            self._load_started = True
        threading.Thread(target=self._load_checklists, name="load-checklists", daemon=True).start()

    def _load_checklists(self) -> None:
        try:
            from .. import catalog

            loaded = {c.id: c for _, c in catalog.bundled()}
            self.totals = {cid: sum(len(s.items) for s in c.sections) for cid, c in loaded.items()}
            self._checklists = loaded
        except BaseException as exc:  # reported when the checklists are first needed
            self._load_error = exc
        finally:
            self._loaded.set()
        if self._load_error is None and self.is_running:
            try:
                self.call_from_thread(self._checklists_ready)
            except RuntimeError:
                pass  # the app closed while the checklists were loading

    def _checklists_ready(self) -> None:
        if isinstance(self.screen, StartScreen):
            self.screen.refresh_list()

    @property
    def checklists(self) -> dict[str, Checklist]:
        self._begin_loading()  # a quick key press may come before the timer
        self._loaded.wait()
        if self._load_error is not None:
            raise self._load_error
        assert self._checklists is not None
        return self._checklists

    def on_unmount(self) -> None:
        self.store.close()

    # -- flow

    def checklist_for(self, mode: str) -> Checklist:
        preferred = {"clinician": "bone-metastases-home-visit", "self": "bone-metastases-self-check"}[mode]
        if preferred in self.checklists:
            return self.checklists[preferred]
        return next(c for c in self.checklists.values() if mode in c.modes)

    def new_assessment(self, mode: str) -> None:
        from ..session import Session
        from .screens.profile import ProfileScreen
        from .screens.questions import QuestionScreen

        checklist = self.checklist_for(mode)

        def started(result: tuple[Profile, date] | None) -> None:
            if result is None:
                return
            profile, day = result
            self.session = Session.start(self.store, checklist, mode, profile, day)
            self.push_screen(QuestionScreen(self.session))

        self.push_screen(ProfileScreen(mode, self.today), started)

    def open_assessment(self, stored_id: int) -> None:
        from ..session import Session
        from .screens.questions import QuestionScreen

        stored = self.store.load(stored_id)
        checklist = self.checklists.get(stored.assessment.checklist_id)
        if checklist is None:
            self.notify(f"The checklist '{stored.assessment.checklist_id}' is not installed.", severity="error")
            return
        self.session = Session.resume(self.store, stored_id, checklist)
        if stored.status == "finished":
            self.push_screen(QuestionScreen(self.session))
            self.show_review(self.session)
        else:
            self.push_screen(QuestionScreen(self.session))

    def show_review(self, session: Session) -> None:
        from .screens.review import ReviewScreen

        self.push_screen(ReviewScreen(session, self.reports_dir))

    def pop_to_start(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.session = None

    def comparison_for(self, session: Session) -> Comparison | None:
        from ..compare import compare

        earlier = self.store.previous(session.id)
        if earlier is None or earlier.assessment.checklist_version != session.checklist.version:
            return None
        return compare(session.checklist, earlier.assessment, session.assessment())

    # -- faults: the details go to a log file, never a traceback on screen

    def _fatal_error(self) -> None:  # Textual's hook for an unhandled exception
        from rich.text import Text

        from ..cli import log_fault

        where = log_fault(self._exception) if self._exception is not None else None
        self.bell()
        self._exit_renderables.append(
            Text(
                "safehome hit an unexpected problem and closed. Every answer given so far was saved; "
                "start safehome again to resume." + (f" Details were written to {where}." if where else "")
            )
        )
        self._close_messages_no_wait()

    # -- actions everywhere

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_cycle_theme(self) -> None:
        current = THEMES.index(self.theme) if self.theme in THEMES else -1
        self.theme = THEMES[(current + 1) % len(THEMES)]
        self.notify(f"Theme: {self.theme}")

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("New home visit", "Start a home visit assessment (clinician)", lambda: self.new_assessment("clinician"))
        yield SystemCommand("New self-check", "Check your own home, in plain words", lambda: self.new_assessment("self"))
        yield SystemCommand("Help: keys", "Every key the app knows", self.action_help)
        yield SystemCommand("Switch theme", "Dark, light or high contrast", self.action_cycle_theme)
        if self.session is not None:
            session = self.session
            yield SystemCommand("Review", "Unanswered questions, results and PDFs", lambda: self.show_review(session))
        yield SystemCommand("Back to the start screen", "Every answer is already saved", self.pop_to_start)


def run(args: argparse.Namespace) -> int:
    from ..store import StoreError

    try:
        app = SafehomeApp(data_dir=getattr(args, "data_dir", None))
    except StoreError as exc:
        import sys

        print(f"error: {exc}", file=sys.stderr)
        return 2
    app.run()
    return 0
