"""The lock: after some minutes without a key, a screen of its own covers everything (no name, no
answer shows through), the keys held in memory are dropped, and the passphrase is asked again. When
the store's key lives in the keyring, unlocking asks the keyring again (the computer's own lock
stands in front of it)."""

from __future__ import annotations

import os
import time
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from safehome import service
from safehome.i18n.words import t
from safehome.faces.tui.screens.base import AppScreen

ENV_LOCK_MINUTES = "SAFEHOME_LOCK_MINUTES"
LOCK_MINUTES = 10.0  # a visit's pauses are shorter; a laptop left on a kitchen table is locked soon after
CHECK_SECONDS = 5.0


def lock_minutes() -> float:
    """Minutes without a key before the app locks ($SAFEHOME_LOCK_MINUTES; 0 never)."""
    try:
        minutes = float(os.environ.get(ENV_LOCK_MINUTES, LOCK_MINUTES))
    except ValueError:
        return LOCK_MINUTES
    return minutes if minutes >= 0 else LOCK_MINUTES


class IdleClock:
    """When the last key or click came; whether the app has been idle long enough to lock."""

    def __init__(self, minutes: float) -> None:
        self.seconds = minutes * 60
        self.last = time.monotonic()

    def touch(self) -> None:
        self.last = time.monotonic()

    def due(self) -> bool:
        return self.seconds > 0 and time.monotonic() - self.last >= self.seconds


class LockScreen(AppScreen[None]):
    """Covers the app until the passphrase (or the recovery key; or the keyring) opens the store again."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "unlock", t("app.lock.key"), id="lock.unlock", show=True),
    ]

    def __init__(self, *, asks_secret: bool) -> None:
        super().__init__()
        self.asks_secret = asks_secret

    def compose(self) -> ComposeResult:
        with Vertical(id="lock-box"):
            yield Static(t("app.lock.title"), id="lock-title")
            yield Static(t("app.lock.ask" if self.asks_secret else "app.lock.ask_keyring"), id="lock-ask")
            if self.asks_secret:
                yield Input(password=True, id="lock-secret")
            yield Static("", id="lock-said", classes="error")

    def on_mount(self) -> None:
        if self.asks_secret:
            self.set_focus(self.query_one("#lock-secret", Input))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_unlock()

    def action_unlock(self) -> None:
        if any(w.name == "unlock" and not w.is_finished for w in self.workers):
            return
        secret = self.query_one("#lock-secret", Input).value if self.asks_secret else None
        if self.asks_secret and not secret:
            return
        self.query_one("#lock-said", Static).update(t("app.lock.checking"))
        data = self.safehome.data_dir
        self.run_worker(lambda: service.unlock(data, secret), name="unlock", thread=True, exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "unlock" or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        if event.state == WorkerState.SUCCESS and event.worker.result:
            self.safehome.unlocked()
            self.dismiss(None)
            return
        said = t("keys.wrong_passphrase") if self.asks_secret else t("app.lock.keyring_refused")
        self.query_one("#lock-said", Static).update(said)
        if self.asks_secret:
            self.query_one("#lock-secret", Input).value = ""
