"""The safehome Textual app: a guided home-safety assessment.

The app holds no domain rules: it asks the service (a :class:`safehome.service.desk.Desk` for the
laptop's records, a :class:`safehome.service.session.Session` for the visit under way) and
only shows and collects.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from safehome import service
from safehome.core.errors import UsageError
from safehome.core.records import Summary
from safehome.i18n.words import LANGUAGES, current_language, speaking, t
from safehome.faces.tui.screens.dialogs import HelpScreen
from safehome.faces.tui.screens.start import StartScreen
from safehome.faces.tui.screens.lock import CHECK_SECONDS as LOCK_CHECK_SECONDS
from safehome.faces.tui.screens.lock import IdleClock, LockScreen, lock_minutes
from safehome.faces.tui.themes import THEMES

if TYPE_CHECKING:  # the domain models and the other screens load after the first screen is up
    from safehome.core.compare import Comparison
    from safehome.core.models import Checklist
    from safehome.i18n.words import Language
    from safehome.core.terms import Mode
    from safehome.core.profile import Profile
    from safehome.faces.tui.screens.host import Host
    from safehome.service.session import Session

CHECKPOINT_SECONDS = 30
IN_FLIGHT_LIMIT = 0.5  # seconds
LOAD_AFTER_SECONDS = 0.2  # let the first screen draw before the checklists load


class SafehomeApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "safehome"
    # Key labels come from the catalogue when this module is first imported (after the
    # language is chosen: the app is imported only when it is opened).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", t("app.key.help"), id="app.help"),
        Binding("question_mark", "help", t("app.key.help"), show=False, id="app.help2"),
        Binding("ctrl+t", "cycle_theme", t("app.key.theme"), show=False, id="app.theme"),  # in help and palette
    ]

    def __init__(
        self, *, data_dir: str | Path | None = None, today: date | None = None, reports_dir: Path | None = None
    ) -> None:
        super().__init__()
        self.today = today or date.today()  # the clock is read here, at the edge, once
        self.data_dir = data_dir
        self.desk = service.Desk(data_dir)
        self.reports_dir = reports_dir or service.reports_folder(data_dir)  # the data folder's, never the cwd
        self.session: Session | None = None
        self._checklists: dict[str, Checklist] | None = None
        self._waiting: list[Callable[[], None]] = []  # what a key asked for before the checklists were ready
        self._loading = False
        self._held: list[events.Key] = []  # keys sent while a screen was opening
        self._in_flight = False  # a key handed to a widget and not handled yet
        self.relaunch_in: str | None = None  # the language to open again in, once this run has closed
        self._idle = IdleClock(lock_minutes())

    def on_mount(self) -> None:
        self.sub_title = t("app.subtitle")
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = service.preference(self.data_dir, "theme", {t.name for t in THEMES}) or THEMES[0].name
        self.push_screen(StartScreen())
        # The checklists (YAML + pydantic) load in a worker thread once the start screen is drawn
        # (a key that needs them sooner starts the load at once).
        self.set_timer(LOAD_AFTER_SECONDS, self._start_loading)
        # what was saved goes into the database file itself every half minute, not only into its
        # journal: a journal removed by a cleaner then loses nothing older than that
        self.set_interval(CHECKPOINT_SECONDS, self.desk.checkpoint)
        self.set_interval(LOCK_CHECK_SECONDS, self._lock_if_idle)

    def _lock_if_idle(self) -> None:
        """Idle too long: drop the keys held in memory and cover everything until they are given again."""
        if self._idle.due() and not any(isinstance(s, LockScreen) for s in self.screen_stack):
            service.lock()
            self.push_screen(LockScreen(asks_secret=service.store_uses_passphrase(self.data_dir)))

    def unlocked(self) -> None:
        self._idle.touch()

    def _start_loading(self) -> None:
        if not self._loading:
            self._loading = True
            self.run_worker(self._load_checklists, name="load-checklists", thread=True, exclusive=True)

    def _load_checklists(self) -> dict[str, Checklist]:
        from safehome.core import catalog

        return catalog.current(current_language())  # the questions in the language of the app

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name in ("sync", "connect"):
            self._synced(event)
            return
        if event.worker.name != "load-checklists":
            return
        if event.state == WorkerState.SUCCESS:
            loaded: dict[str, Checklist] = event.worker.result or {}
            self._checklists = loaded
            if isinstance(self.screen, StartScreen):
                self.screen.refresh_list()
            waiting, self._waiting = self._waiting, []
            for action in waiting:
                action()
            if not self._waiting and getattr(self.screen, "ready", True):
                self.call_later(self.release_keys)
        elif event.state == WorkerState.ERROR and event.worker.error is not None:
            self._handle_exception(event.worker.error if isinstance(event.worker.error, Exception) else RuntimeError())

    # -- the clinic server (offered on the start screen, with nothing open: what a sync brings in
    # never changes an assessment under the person answering it)

    @property
    def clinic_connected(self) -> bool:
        return self.desk.clinic_connected

    def sync_status(self) -> str:
        return self.desk.sync_status()

    def action_sync(self) -> None:
        if not self.clinic_connected or self.session is not None:
            return
        if any(w.name == "sync" and not w.is_finished for w in self.workers):
            return
        if isinstance(self.screen, StartScreen):
            self.screen.show_sync_status(t("sync.status.running"))
        # a failed sync is said in a notice and the app carries on (offline is normal in a home)
        # a group of its own: the checklists' loader (exclusive in its group) must never cancel it
        self.run_worker(self._sync_now, name="sync", group="clinic", thread=True, exit_on_error=False)

    def action_purge(self) -> None:
        """Offer to remove the documents written more than a month ago (asks first; names what went)."""
        from datetime import UTC, datetime

        from safehome.faces.tui.screens.dialogs import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                gone = self.desk.purge_files(service.PURGE_DAYS, datetime.now(UTC))
            except service.StoreError as exc:
                self.notify(str(exc), severity="error", timeout=10)
                return
            said = t("cli.purge.done", count=len(gone.removed), days=service.PURGE_DAYS, left=len(gone.left))
            self.notify(said, timeout=10)

        self.push_screen(ConfirmScreen(t("app.purge.confirm", days=service.PURGE_DAYS)), answered)

    def action_connect(self) -> None:
        """Ask for the clinic server's address, check it in a worker, and remember it."""
        from safehome.faces.tui.screens.dialogs import ConnectScreen

        def given(url: str | None) -> None:
            if url:
                self.run_worker(
                    lambda: self._connect_now(url), name="connect", group="clinic", thread=True, exit_on_error=False
                )

        self.push_screen(ConnectScreen(self.desk.clinic_address), given)

    def _connect_now(self, url: str) -> list[str]:
        with service.Desk(self.data_dir) as desk:  # a connection of its own, in this thread
            return service.connected_lines(desk.connect_clinic(url))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "sync":  # offered once this laptop has a clinic server, from the start screen
            return self.clinic_connected and self.session is None
        return True

    def _sync_now(self) -> list[str]:
        with service.Desk(self.data_dir) as desk:  # a connection of its own, in this thread
            return desk.sync_lines(desk.sync(), in_full=False)

    def _synced(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.SUCCESS:
            self.notify("\n".join(event.worker.result or []), timeout=10)
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            if isinstance(error, service.SyncFailed | UsageError | service.StoreError):
                key = "app.sync.failed" if event.worker.name == "sync" else "app.connect.failed"
                self.notify(t(key, reason=error), severity="error", timeout=12)
            elif isinstance(error, Exception):
                self._handle_exception(error)
        else:
            return
        if isinstance(self.screen, StartScreen):
            self.screen.refresh_list()

    async def wait_for_checklists(self) -> None:
        """Load the checklists now if they are not loaded yet, and wait until they are (for tests)."""
        self._start_loading()
        await self.workers.wait_for_complete()

    def when_loaded(self, action: Callable[[], None]) -> None:
        """Run ``action`` now if the checklists are loaded, else as soon as they are."""
        if self._checklists is not None:
            action()
        else:
            self._waiting.append(action)
            self._start_loading()

    @property
    def checklists(self) -> dict[str, Checklist]:
        if self._checklists is None:
            raise RuntimeError("the checklists are not loaded yet; use when_loaded()")
        return self._checklists

    def progress_of(self, summaries: list[Summary]) -> dict[int, tuple[int, int]]:
        """(answered, asked) for each of these assessments, counted as the questions screen counts
        (empty until the checklists load)."""
        if self._checklists is None or not summaries:
            return {}
        return self.desk.progress(summaries)

    def on_unmount(self) -> None:
        self.desk.close()

    # -- flow

    def checklist_for(self, mode: Mode) -> Checklist:
        preferred = {"clinician": "bone-metastases-home-visit", "self": "bone-metastases-self-check"}[mode]
        if preferred in self.checklists:
            return self.checklists[preferred]
        return next(c for c in self.checklists.values() if mode in c.modes)

    def new_assessment(self, mode: Mode) -> None:
        self.when_loaded(lambda: self._new_assessment(mode))

    def _new_assessment(self, mode: Mode) -> None:
        from safehome.faces.tui.screens.profile import ProfileScreen
        from safehome.faces.tui.screens.questions import QuestionScreen

        checklist = self.checklist_for(mode)

        def started(result: tuple[Profile, date, Language] | None) -> None:
            if result is None:
                return
            profile, day, language = result
            self.session = self.desk.start(checklist, mode, profile, day, language=language)
            self.push_screen(QuestionScreen(self.session))

        self.push_screen(ProfileScreen(mode, self.today), started)

    def follow_up(self, stored_id: int) -> None:
        """A new visit for the person of this assessment, starting from their latest one."""
        self.when_loaded(lambda: self._follow_up(stored_id))

    def _follow_up(self, stored_id: int) -> None:
        from safehome.faces.tui.screens.profile import ProfileScreen
        from safehome.faces.tui.screens.questions import QuestionScreen

        person = self.desk.person_for(stored_id)  # one row, not the whole list
        if person is None:
            return
        person_id = person.id
        last = self.desk.latest(person_id).assessment
        mode = last.mode
        checklist = self.checklist_for(mode)

        def started(result: tuple[Profile, date, Language] | None) -> None:
            if result is None:
                return
            profile, day, language = result
            self.session = self.desk.start(checklist, mode, profile, day, person_id=person_id, language=language)
            self.push_screen(QuestionScreen(self.session))

        # the handout stays in the language the family had last time
        self.push_screen(ProfileScreen(mode, self.today, last.profile, self.today, last.language), started)

    def edit_profile(self, session: Session) -> None:
        """Correct the profile of the visit under way; every count and result follows."""
        from safehome.faces.tui.screens.profile import ProfileScreen

        def edited(result: tuple[Profile, date, Language] | None) -> None:
            if result is None:
                return
            try:
                session.update_profile(*result)
            except service.StoreError as exc:
                self.notify(str(exc), severity="error")
                return
            self.notify(t("app.profile.updated"))

        def open_form() -> None:
            self.push_screen(
                ProfileScreen(session.mode, self.today, session.profile, session.day, session.language, editing=True),
                edited,
            )

        self.ask_to_amend(session, open_form)

    def ask_to_amend(self, session: Session, then: Callable[[], None]) -> None:
        """Run ``then`` at once, unless the visit is finished: then ask first whether to amend it."""
        from safehome.faces.tui.screens.dialogs import ConfirmScreen

        if not session.locked:
            then()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                session.amend()
                self.notify(t("app.amending"))
                then()

        self.push_screen(ConfirmScreen(t("app.amend.ask", day=session.day)), answered)

    def offer_to_save_as_new(self, session: Session) -> None:
        """When another program deleted the visit under way: offer to keep the answers as a new one."""
        from safehome.faces.tui.screens.dialogs import ConfirmScreen

        if not session.deleted():
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                session.save_as_new()
            except Exception as exc:
                self.notify(t("app.q.save_failed", reason=exc), severity="error")
                return
            self.notify(t("app.saved_as_new", id=session.id))

        self.push_screen(ConfirmScreen(t("app.deleted_under", count=len(session.answers))), answered)

    def action_quit(self) -> None:  # type: ignore[override]
        """Quit; with answers not saved (the disk refused them), ask first and exit non-zero."""
        from safehome.faces.tui.screens.dialogs import ConfirmScreen

        unsaved = len(self.session.pending) if self.session is not None else 0
        if not unsaved:
            self.exit()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit(return_code=1, message=Text(t("app.quit_unsaved_done", count=unsaved)))

        self.push_screen(ConfirmScreen(t("app.quit_unsaved", count=unsaved)), answered)

    def delete_person(self, stored_id: int) -> None:
        """Delete the person of this assessment and everything about them, after a clear yes."""
        from safehome.faces.tui.screens.dialogs import ConfirmScreen

        person = self.desk.person_for(stored_id)
        if person is None:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                gone = self.desk.delete_person(person.id)
            except service.StoreError as exc:
                self.notify(str(exc), severity="error")
                return
            self.notify(t("app.deleted", count=gone.assessments, files=len(gone.files_removed)))
            if isinstance(self.screen, StartScreen):
                self.screen.refresh_list()

        question = t("app.delete.ask", person=person.name, count=person.assessments)
        if self.clinic_connected:  # said before, not discovered after
            question += t("app.delete.everywhere")
        self.push_screen(ConfirmScreen(question), answered)

    def open_assessment(self, stored_id: int) -> None:
        self.when_loaded(lambda: self._open_assessment(stored_id))

    def _open_assessment(self, stored_id: int) -> None:
        from safehome.faces.tui.screens.questions import QuestionScreen

        from safehome.core import catalog
        from safehome.core.errors import InputError

        stored = self.desk.stored(stored_id)
        try:  # an assessment opens with the version of the checklist it was made with
            checklist = catalog.find(
                stored.assessment.checklist_id, stored.assessment.checklist_version, current_language()
            )
        except InputError:
            self.notify(t("app.checklist_missing", id=stored.assessment.checklist_id), severity="error")
            return
        self.session = self.desk.resume(stored_id, checklist, stored)
        self.push_screen(QuestionScreen(self.session))
        if stored.status == "finished":
            self.show_review(self.session)

    def show_review(self, session: Session) -> None:
        from safehome.faces.tui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen(session, self.reports_dir))

    def pop_to_start(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.session = None

    def comparison_for(self, session: Session) -> Comparison | None:
        return self.desk.previous_comparison(session.id, session.checklist, session.assessment())

    # -- keys: each one handled completely, in order, before the next is read

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown | events.Paste):
            self._idle.touch()
        if isinstance(event, events.Key) and not event.is_forwarded and await self._key_now(event):
            return
        await super().on_event(event)

    async def _key_now(self, event: events.Key) -> bool:
        """Handle a key at once where Textual would hand it on to be handled later.

        Textual forwards a key to the focused widget's queue and moves on; keys sent in a burst
        (a paste into the terminal, a fast typist, a key held down) then reach a field after the
        focus has already moved, or a question after the answer moved on. Here a character typed
        into a field goes in at once, and the focused widget's own keys and its screen's run at
        once, so each key lands where the focus was when it was sent.
        """
        if self.screen.maximized is not None:
            return False
        if self._waiting or self._in_flight or not getattr(self.screen, "ready", True):
            self._held.append(event)  # a screen is on its way, or an earlier key is still being handled
            return True
        if await self._check_bindings(event.key, priority=True):
            return True
        focused = self.focused
        if isinstance(focused, Input) and event.is_printable and event.character:
            if focused.selection.is_empty:
                focused.insert_text_at_cursor(event.character)
            else:
                focused.replace(event.character, *focused.selection)
            return True
        if await self._check_bindings(event.key):
            return True
        # Left to the widget's own key handler (Space in a tick list, a letter in the section
        # list): it runs later, in the widget's queue, so the keys after it wait until it has.
        target = self.focused or self.screen
        self._in_flight = True
        target._forward_event(event)
        target.call_later(self._landed)
        self.set_timer(IN_FLIGHT_LIMIT, self._landed)  # never hold keys for ever (a widget removed meanwhile)
        return True

    async def _landed(self) -> None:
        if self._in_flight:
            self._in_flight = False
            await self.release_keys()

    async def release_keys(self) -> None:
        """Handle, in order, the keys held while a screen was opening."""
        held, self._held = self._held, []
        for n, event in enumerate(held):
            await self.on_event(event)
            if self._held:  # another screen is opening: the rest wait for it, still in order
                self._held.extend(held[n + 1 :])
                return

    # -- faults: the details go to a log file, never a traceback on screen

    def _handle_exception(self, error: Exception) -> None:
        # Textual has no public hook for an unhandled exception; this one override replaces
        # its traceback on screen with one sentence, and the details go to the log.
        where = service.log_fault(error, self.data_dir)
        self.bell()
        message = t("app.crashed") + (t("app.crashed.where", path=where) if where else "")
        self.exit(return_code=1, message=Text(message))

    # -- actions everywhere

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_cycle_theme(self) -> None:
        names = [theme.name for theme in THEMES]
        current = names.index(self.theme) if self.theme in names else -1
        self.theme = names[(current + 1) % len(names)]
        service.set_preference(self.data_dir, "theme", self.theme)  # the next start opens in it
        self.notify(t("app.theme", theme=t(f"app.theme.{self.theme}")))

    def action_command_palette(self) -> None:
        """Textual's palette, with its search line in the language in use."""
        from textual.command import CommandPalette

        if self.use_command_palette and not any(
            isinstance(screen, CommandPalette | LockScreen) for screen in self.screen_stack
        ):
            self.push_screen(CommandPalette(placeholder=t("app.palette.search"), id="--command-palette"))

    def other_language(self) -> str:
        """The language the app offers to switch to (the next one safehome speaks)."""
        return LANGUAGES[(LANGUAGES.index(current_language()) + 1) % len(LANGUAGES)]

    def other_language_offer(self) -> str:
        """The offer to switch, worded in the language offered."""
        other = self.other_language()
        with speaking(other):
            return t("app.start.language", language=t(f"language.{other}"))

    @property
    def can_switch_language(self) -> bool:
        """In a terminal the app opens again in the other language; in a browser (safehome serve)
        the language is the server's (``--lang``), and a tab cannot start itself again."""
        return not self.is_web

    def action_other_language(self) -> None:
        """Open again in the other language (the key labels are made when the app starts); the
        choice is remembered. Every answer is saved as it is given, so nothing is lost."""
        if not self.can_switch_language:
            self.notify(t("app.web.language"), timeout=8)
            return
        self.relaunch_in = self.other_language()
        service.set_preference(self.data_dir, "language", self.relaunch_in)
        self.action_quit()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """safehome's own commands only: Textual's extras (keys panel, maximize, screenshot, its
        theme list) do not belong in a clinical tool or do not work here."""
        if self.session is not None:
            session = self.session
            yield SystemCommand(t("app.cmd.review"), t("app.cmd.review.help"), lambda: self.show_review(session))
            yield SystemCommand(t("app.cmd.profile"), t("app.cmd.profile.help"), lambda: self.edit_profile(session))
        yield SystemCommand(t("app.cmd.visit"), t("app.cmd.visit.help"), lambda: self.new_assessment("clinician"))
        yield SystemCommand(t("app.cmd.self"), t("app.cmd.self.help"), lambda: self.new_assessment("self"))
        yield SystemCommand(t("app.cmd.help"), t("app.cmd.help.help"), self.action_help)
        yield SystemCommand(t("app.cmd.theme"), t("app.cmd.theme.help"), self.action_cycle_theme)
        if self.can_switch_language:
            yield SystemCommand(self.other_language_offer(), t("app.cmd.language.help"), self.action_other_language)
        if self.clinic_connected and self.session is None:
            yield SystemCommand(t("app.cmd.sync"), t("app.cmd.sync.help"), self.action_sync)
        if self.session is None and not self.is_web:  # the browser face is for patients and families
            yield SystemCommand(t("app.cmd.connect"), t("app.cmd.connect.help"), self.action_connect)
            yield SystemCommand(t("app.cmd.purge", days=service.PURGE_DAYS), t("app.cmd.purge.help"), self.action_purge)
        yield SystemCommand(t("app.cmd.start"), t("app.cmd.start.help"), self.pop_to_start)
        yield SystemCommand(t("app.cmd.quit"), t("app.cmd.quit.help"), self.exit)


def run(*, data_dir: str | Path | None = None) -> int:
    """Open the app; 2 with one sentence when the store cannot be used."""
    import sys

    try:
        app = SafehomeApp(data_dir=data_dir)
    except service.StoreError as exc:
        print(t("cli.error", message=exc), file=sys.stderr)
        return 2
    app.run()
    if app.relaunch_in is not None and not app.return_code:
        os.execv(sys.executable, relaunch_argv(sys.executable, sys.argv[1:], app.relaunch_in))
    return app.return_code or 0


def relaunch_argv(python: str, argv: list[str], language: str) -> list[str]:
    """The command that opens the app again as it was opened, in ``language``."""
    kept: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--lang":
            skip = True
        elif not arg.startswith("--lang="):
            kept.append(arg)
    return [python, "-m", "safehome", *kept, "--lang", language]


if TYPE_CHECKING:

    def _the_app_is_what_its_screens_expect(app: SafehomeApp) -> Host:
        return app  # mypy checks SafehomeApp against the screens' Host protocol
