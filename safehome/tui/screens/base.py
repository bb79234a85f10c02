"""What every safehome screen shares: a typed handle on the app."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from ..app import SafehomeApp

ResultType = TypeVar("ResultType")


class AppScreen(Screen[ResultType]):
    @property
    def safehome(self) -> SafehomeApp:
        return cast("SafehomeApp", self.app)


class AppModal(ModalScreen[ResultType]):
    @property
    def safehome(self) -> SafehomeApp:
        return cast("SafehomeApp", self.app)
