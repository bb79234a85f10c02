"""Adding a photo to the question on screen: a file's path, or a folder the phone's pictures were
copied to (then pick one from the list), and a caption. The photo is cleaned and kept by the
service; a file that is not a photo is said in one sentence and nothing is kept."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from safehome import service
from safehome.core.errors import UsageError
from safehome.i18n.visible import visible
from safehome.i18n.words import t
from safehome.faces.tui.screens.base import AppModal
from safehome.service.session import Session


def _described(path: Path) -> Text:
    """A photo in the folder's list: its name, when it was taken (copied) and its size, to tell
    the ones of this visit apart."""
    try:
        info = path.stat()
    except OSError:
        return Text(visible(path.name))
    when = datetime.fromtimestamp(info.st_mtime).strftime("%Y-%m-%d %H:%M")
    size = f"{info.st_size / 1_048_576:.1f} MB" if info.st_size >= 1_048_576 else f"{max(1, info.st_size // 1024)} KB"
    return Text(f"{visible(path.name)}  {when}  {size}")


class PhotoScreen(AppModal[str | None]):
    """Dismissed with what was kept ("Photo 3 kept ...") or None when nothing was."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", t("app.key.cancel"), id="photo.cancel"),
    ]
    last_folder: ClassVar[str] = ""  # the folder used last, offered again on the next photo

    def __init__(self, session: Session, item_id: str, prompt: str) -> None:
        super().__init__()
        self.session, self.item_id, self.prompt = session, item_id, prompt
        self.chosen: Path | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="photo-box"):  # scrolls on a short terminal, the list and caption included
            yield Static(t("app.photo.title"), classes="heading")
            yield Static(Text(visible(self.prompt), style="bold"), id="photo-item")
            yield Static(Text(t("app.photo.explain")))
            yield Input(PhotoScreen.last_folder, placeholder=t("app.photo.placeholder"), id="photo-path")
            yield OptionList(id="photo-list", classes="-hidden")
            yield Input(placeholder=t("app.photo.caption"), id="photo-caption", classes="-hidden", max_length=200)
            yield Static("", id="photo-error", classes="error")
            yield Static(t("app.photo.keys"), classes="muted")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#photo-path", Input))

    def _error(self, text: str) -> None:
        self.query_one("#photo-error", Static).update(Text(text))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "photo-path":
            self._path_given(event.value.strip())
        else:
            self._keep(event.value)

    def _path_given(self, typed: str) -> None:
        if not typed:
            self._error(t("app.photo.empty"))
            return
        path = Path(typed).expanduser()
        if path.is_dir():
            try:
                found = service.folder_photos(path)
            except UsageError as exc:
                self._error(str(exc))
                return
            if not found:
                self._error(t("app.photo.folder_empty", path=visible(str(path))))
                return
            PhotoScreen.last_folder = str(path)
            listed = self.query_one("#photo-list", OptionList)
            listed.clear_options()
            listed.add_options([Option(_described(p), id=str(n)) for n, p in enumerate(found)])
            self._found = found
            listed.remove_class("-hidden")
            listed.highlighted = 0
            self._error("")
            self.set_focus(listed)
            return
        self._chose(path)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._chose(self._found[event.option_index])

    def _chose(self, path: Path) -> None:
        self.chosen = path
        self._error("")
        if path.parent != Path(".") and path.parent.is_dir():
            PhotoScreen.last_folder = str(path.parent)
        caption = self.query_one("#photo-caption", Input)
        caption.remove_class("-hidden")
        caption.border_title = visible(path.name)
        self.set_focus(caption)

    def _keep(self, caption: str) -> None:
        if self.chosen is None:
            return
        try:
            photo_id = self.session.add_photo(self.item_id, self.chosen, caption or None)
        except (UsageError, service.StoreError) as exc:
            self._error(str(exc))
            return
        self.dismiss(t("app.photo.kept", id=photo_id, name=visible(self.chosen.name)))

    def action_cancel(self) -> None:
        self.dismiss(None)
