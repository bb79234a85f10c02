"""What every safehome screen shares: a typed handle on the app (as a :class:`Host`)."""

from __future__ import annotations

from typing import TypeVar, cast

from textual import events, on
from textual.screen import ModalScreen, Screen

from safehome.faces.tui.screens.host import Host


ResultType = TypeVar("ResultType")


class AppScreen(Screen[ResultType]):
    ready = False  # mounted, its focus set: keys that came sooner were held for it

    @property
    def safehome(self) -> Host:
        return cast(Host, self.app)

    @on(events.Mount)
    async def _release_held_keys(self) -> None:  # after the subclass's own on_mount (Textual walks the MRO)
        self.ready = True
        await self.safehome.release_keys()


class AppModal(ModalScreen[ResultType]):
    ready = False

    @property
    def safehome(self) -> Host:
        return cast(Host, self.app)

    @on(events.Mount)
    async def _release_held_keys(self) -> None:
        self.ready = True
        await self.safehome.release_keys()
