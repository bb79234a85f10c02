"""About the person: the profile fields, each checked as it is typed."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, cast, get_args

from rich.segment import Segment
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.css.query import NoMatches
from textual.strip import Strip
from textual.widgets import Button, Footer, Header, Input, Label, OptionList, Select, SelectionList, Static

from safehome.core.profile import (
    LEGACY_SITES,
    BoneSite,
    LesionType,
    MedicineClass,
    Profile,
    Sex,
    SidedSite,
    SpineLevel,
    WalkingAid,
)
from safehome.core.profile_form import MEDICINE_SEPARATOR, TRI_FIELDS, check_profile, read_form, tri_pick
from safehome.i18n.words import Language
from safehome.i18n.words import current_language, t
from safehome.faces.tui.screens.base import AppScreen
from safehome.faces.tui.screens.dialogs import ConfirmScreen


def _choices(kind: str, values: tuple[str, ...]) -> list[tuple[str, str]]:
    """(label, value) for every value the model allows, in the model's order, labelled from the catalogue."""
    return [(t(f"profile.value.{kind}.{value}"), value) for value in values]


def _select_menu_words() -> None:
    """The footer key of Textual's drop-down menus ("esc Dismiss menu") in the language in use."""
    from textual.widgets._select import SelectOverlay

    SelectOverlay.BINDINGS = [Binding("escape", "dismiss", t("app.key.close_menu"))]
    SelectOverlay._merged_bindings = SelectOverlay._merge_bindings()


_select_menu_words()  # this screen is the one with drop-down menus; it is imported when first opened

# The lists of values come from the model's own types: one list, one place.
SEX = _choices("sex", get_args(Sex))
LESION = _choices("lesion_type", get_args(LesionType))
AID = _choices("walking_aid", get_args(WalkingAid))
SITES = _choices("bone_sites", tuple(s for s in get_args(BoneSite) if s not in LEGACY_SITES))
SIDED = _choices("bone_sites", get_args(SidedSite))  # a side is given for the paired bones only
LEVELS = _choices("spine_levels", get_args(SpineLevel))
MEDICINES = _choices("medicine_classes", get_args(MedicineClass))
TICKED = {  # the tick lists: field -> (widget id, choices)
    "bone_sites": ("bone-sites", SITES),
    "left_sites": ("left-sites", SIDED),
    "right_sites": ("right-sites", SIDED),
    "spine_levels": ("spine-levels", LEVELS),
    "medicine_classes": ("medicine-classes", MEDICINES),
}
YES_NO = _choices("tri", ("unknown", "yes", "no"))
# each language named in its own words, so a family can find theirs whatever the app speaks
LANGUAGE_CHOICES = [(t(f"language.{tag}"), tag) for tag in get_args(Language)]
FIELDS = (
    "name",
    "age",
    "birth_date",
    "sex",
    "primary_cancer",
    "bone_sites",
    "left_sites",
    "right_sites",
    "spine_levels",
    "lesion_type",
    "walking_aid",
    "medicine_classes",
    "medicines",
    "falls_last_12_months",
    "lives_alone",
    "caregiver_present",
    "completed_by",
    "cancer_team_phone",
    "after_hours_phone",
    "visit_clinician",
    "next_appointment",
    "assessed_on",
)
CONTACTS = ("cancer_team_phone", "after_hours_phone", "visit_clinician", "next_appointment")


class TickList(SelectionList[str]):
    """A list of tick boxes whose ticked and unticked boxes differ in shape (✓ or empty), not only in colour."""

    def action_select(self) -> None:
        """Tick or untick the highlighted row now. Textual does it later, from a message, by when
        a burst of keys (Down Down Space Down) has moved the highlight on: the wrong bone."""
        if self.highlighted is not None:
            self.toggle(self.get_option_at_index(self.highlighted))

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # ticked already, in action_select

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        segments = list(line)
        index = self.scroll_offset.y + y
        if len(segments) < 3 or index >= self.option_count:
            return line
        ticked = self.get_option_at_index(index).value in self.selected
        segments[1] = Segment("✓" if ticked else " ", segments[1].style)
        return Strip(segments, line.cell_length)


class ProfileScreen(AppScreen[tuple[Profile, date, Language] | None]):
    """Returns (profile, assessment date), or None when the user goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", t("app.key.continue"), id="profile.save"),
        Binding("escape", "back", t("app.key.back"), id="profile.back"),
        # priority: the focus moves before the next key is read (a pasted or fast-typed profile)
        Binding("tab", "next_field(1)", show=False, priority=True, id="profile.tab"),
        Binding("shift+tab", "next_field(-1)", show=False, priority=True, id="profile.backtab"),
        Binding("enter", "field_done", show=False, priority=True, id="profile.enter"),
    ]

    def __init__(
        self,
        mode: str,
        today: date,
        profile: Profile | None = None,
        assessed_on: date | None = None,
        language: Language | None = None,
        *,
        editing: bool = False,
    ) -> None:
        super().__init__()
        self.mode, self.today = mode, today
        self.language: Language = language or cast(Language, current_language())
        self.initial = profile
        self.initial_date = assessed_on or today
        self.editing = editing  # correcting the profile of a visit under way
        self._as_opened: dict[str, Any] = {}
        self._confirmed: list[tuple[str, str]] = []  # warnings the user chose to keep

    def compose(self) -> ComposeResult:
        me = self.mode == "self"
        p = self.initial
        yield Header()
        with VerticalScroll(id="profile-form"):
            title = (
                "app.profile.title.edit"
                if self.editing
                else ("app.profile.title.self" if me else "app.profile.title.clinician")
            )
            yield Static(t(title), classes="heading")
            yield Static(t("app.profile.intro"), classes="muted")

            def label(name: str) -> str:  # the wording for the person themselves, or for a clinician
                return t(f"app.profile.{name}" + (".self" if me else ".clinician"))

            def shown(name: str) -> str:  # a profile value as the text field shows it ("" when not given)
                value = getattr(p, name, None) if p else None
                return "" if value is None else value.isoformat() if isinstance(value, date) else str(value)

            def kept(name: str) -> Any:  # the profile's value, else the model's own default
                return getattr(p, name) if p else Profile.model_fields[name].get_default(call_default_factory=True)

            # the day of the visit first, where it is seen (today unless changed; never later); the
            # cursor starts on the name below it, so a first visit types the name at once
            yield from self._text("assessed_on", t("app.profile.assessed_on"), self.initial_date.isoformat())
            yield from self._text("name", label("name"), shown("name"))
            # plain text fields, checked as typed: a filter would turn "72,5" into 725 without a word
            yield from self._text("age", t("app.profile.age"), shown("age"))
            yield from self._text(
                "birth_date",
                t("app.profile.birth_date"),
                shown("birth_date"),
                placeholder=t("app.profile.date_placeholder"),
            )
            yield from self._choice("sex", t("app.profile.sex"), SEX, kept("sex"))
            yield from self._text("primary_cancer", t("app.profile.primary_cancer"), shown("primary_cancer"))
            for name in ("bone_sites", "left_sites", "right_sites", "spine_levels"):
                yield from self._ticks(name, t(f"app.profile.{name}"), kept(name))
            yield from self._choice("lesion_type", t("app.profile.lesion_type"), LESION, kept("lesion_type"))
            yield from self._choice("walking_aid", t("app.profile.walking_aid"), AID, kept("walking_aid"))
            yield from self._ticks("medicine_classes", label("medicine_classes"), kept("medicine_classes"))
            names = f"{MEDICINE_SEPARATOR} ".join(kept("medicines") or [])
            yield from self._text("medicines", t("app.profile.medicines"), names)
            yield from self._text("falls_last_12_months", t("app.profile.falls"), shown("falls_last_12_months"))
            yield from self._choice("lives_alone", label("lives_alone"), YES_NO, tri_pick(kept("lives_alone")))
            yield from self._choice(
                "caregiver_present", t("app.profile.caregiver_present"), YES_NO, tri_pick(kept("caregiver_present"))
            )
            if me:  # at a visit, the clinician who did it is asked once, with the contacts below
                yield from self._text("completed_by", label("completed_by"), shown("completed_by"))
            yield Static(t("app.profile.contacts"), classes="heading")
            for name in CONTACTS:  # who to call, printed on page 1 of the handout
                yield from self._text(name, t(f"app.profile.{name}"), shown(name))
            # an OT may visit a family that reads another language: the handout is in theirs
            yield from self._choice("language", t("app.profile.language"), LANGUAGE_CHOICES, self.language)
            with Horizontal(id="profile-actions"):
                yield Button(t("app.profile.continue"), id="profile-continue", variant="primary")
        yield Footer(compact=True)  # single spaces: every key fits at 80 columns

    def _text(self, name: str, label: str, value: str, **options: Any) -> ComposeResult:
        yield from self._field(name, label, Input(value=value, id=f"f-{name}", select_on_focus=False, **options))

    def _ticks(self, name: str, label: str, ticked: list[str]) -> ComposeResult:
        widget_id, choices = TICKED[name]
        boxes = [(text, value, value in ticked) for text, value in choices]
        yield from self._field(name, label, TickList(*boxes, id=widget_id))

    def _choice(self, name: str, label: str, choices: list[tuple[str, str]], value: str) -> ComposeResult:
        yield from self._field(name, label, Select(choices, value=value, allow_blank=False, id=f"f-{name}"))

    def _field(self, name: str, label: str, widget: Any) -> ComposeResult:
        yield Label(label, classes="field")
        yield widget
        yield Static("", id=f"err-{name}", classes="error -empty")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#f-name", Input))
        self._as_opened = self._values()[0]

    # -- validation shown next to each field

    def _values(self) -> tuple[dict[str, Any], dict[str, str]]:
        """What the fields hold, read by the one rule every face uses (see core.profile_form)."""

        def pick(name: str) -> Any:
            return self.query_one(f"#f-{name}", Select).value

        typed = ("name", "age", "falls_last_12_months", "birth_date", "assessed_on", "primary_cancer", "medicines")
        shown_texts = (*typed, *(("completed_by",) if self.mode == "self" else ()), *CONTACTS)
        texts = {key: self.query_one(f"#f-{key}", Input).value for key in shown_texts}
        picks = {key: pick(key) for key in ("sex", "lesion_type", "walking_aid", *TRI_FIELDS)}
        ticks = {
            key: list(self.query_one(f"#{widget_id}", SelectionList).selected) for key, (widget_id, _) in TICKED.items()
        }
        data, errors = read_form(texts, picks, ticks, self.mode, self.initial, FIELDS)
        data["language"] = pick("language")
        return data, errors

    def check_fields(self, only: set[str] | None = None) -> tuple[Profile, date, Language] | None:
        """Validate; show every message next to its field at once (only those in ``only`` if given)."""
        result, errors, _ = self._checked(only)
        return None if errors else result

    def _checked(
        self, only: set[str] | None = None
    ) -> tuple[tuple[Profile, date, Language] | None, dict[str, str], list[tuple[str, str]]]:
        """(profile, date and documents' language if valid, errors by field, warnings), each shown beside its field."""
        data, typed_errors = self._values()
        language: Language = data.pop("language")
        checked = check_profile(data, typed_errors, self.today)
        errors, warnings = checked.errors, checked.warnings
        warned = dict(warnings)
        for name in FIELDS if only is None else only:
            try:
                label = self.query_one(f"#err-{name}", Static)
            except NoMatches:
                continue
            if name in errors:
                message = t("app.profile.error_mark", message=errors[name])
            elif name in warned:
                message = t("app.profile.warning_mark", message=warned[name])
            else:
                message = ""
            label.update(Text(message))
            label.set_class(not message, "-empty")
            label.set_class(name in warned and name not in errors, "-warning")
        if not checked.ok or checked.profile is None or checked.day is None:
            return None, errors or {"name": ""}, warnings
        return (checked.profile, checked.day, language), {}, warnings

    @on(Input.Changed)
    def _live_check(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("f-")
        if name in FIELDS:
            self.check_fields(only={name})

    def action_next_field(self, step: int) -> None:
        if step > 0:
            self.focus_next()
        else:
            self.focus_previous()

    def action_field_done(self) -> None:
        self.focus_next()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "field_done":
            return isinstance(self.focused, Input)  # Enter elsewhere opens a menu or presses the button
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save()

    def action_save(self) -> None:
        result, errors, warnings = self._checked()
        if errors or result is None:
            self.notify(t("app.profile.err.fields"), severity="error")
            return
        if warnings and warnings != self._confirmed:  # shown once; a second Ctrl+S keeps the values
            self._confirmed = warnings
            self.notify(t("app.profile.warned"), severity="warning", timeout=10)
            return
        self.dismiss(result)

    def action_back(self) -> None:
        if self._values()[0] == self._as_opened:  # nothing changed here: nothing to lose
            self.dismiss(None)
            return
        # never throw typed answers away on one key: ask first
        self.app.push_screen(ConfirmScreen(t("app.profile.leave")), self._leave)

    def _leave(self, confirmed: bool | None) -> None:
        if confirmed:
            self.dismiss(None)
