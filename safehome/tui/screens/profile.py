"""About the person: the profile fields, each checked as it is typed."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Select, SelectionList, Static

from ...models import Profile

SEX = [("Not given", "unknown"), ("Female", "female"), ("Male", "male"), ("Other", "other")]
LESION = [("Not known", "unknown"), ("Osteolytic (bone broken down)", "osteolytic"), ("Osteoblastic (bone built up)", "osteoblastic"), ("Mixed", "mixed")]
AID = [("None", "none"), ("Cane", "cane"), ("Walker", "walker"), ("Wheelchair", "wheelchair"), ("Other", "other")]
YES_NO = [("Not known", "unknown"), ("Yes", "yes"), ("No", "no")]
SITES = [
    ("Spine (back or neck)", "spine"),
    ("Ribs", "ribs"),
    ("Pelvis (hip bone)", "pelvis"),
    ("Hip or thigh", "hip_thigh"),
    ("Other leg or arm bones", "other_long_bones"),
    ("Skull", "skull"),
    ("Not sure", "unknown"),
]
FIELDS = ("name", "age", "birth_date", "sex", "primary_cancer", "bone_sites", "lesion_type", "walking_aid",
          "falls_last_12_months", "lives_alone", "caregiver_present", "completed_by", "assessed_on")


def _tri(value: Any) -> bool | None:
    return None if value in ("unknown", Select.NULL, None) else value == "yes"


def _from_tri(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


class ProfileScreen(Screen[tuple[Profile, date] | None]):
    """Returns (profile, assessment date), or None when the user goes back."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Continue", id="profile.save"),
        Binding("escape", "back", "Back", id="profile.back"),
    ]

    def __init__(self, mode: str, today: date, profile: Profile | None = None, assessed_on: date | None = None) -> None:
        super().__init__()
        self.mode, self.today = mode, today
        self.initial = profile
        self.initial_date = assessed_on or today

    def compose(self) -> ComposeResult:
        me = self.mode == "self"
        p = self.initial
        yield Header()
        with VerticalScroll(id="profile-form"):
            yield Static("About you" if me else "About the person", classes="heading")
            yield Static(
                "Only a name or initials is needed. The rest helps fit the questions and the plan. "
                "Tab moves to the next field; Ctrl+S continues.",
                classes="muted",
            )
            yield from self._field("name", "Your name or initials" if me else "Name or initials", Input(compact=True, value=p.name if p else "", id="f-name"))
            yield from self._field("age", "Age in years", Input(compact=True, value=str(p.age) if p and p.age else "", id="f-age", type="integer"))
            yield from self._field("birth_date", "Or date of birth (YYYY-MM-DD)", Input(compact=True, value=p.birth_date.isoformat() if p and p.birth_date else "", id="f-birth_date", placeholder="YYYY-MM-DD"))
            yield from self._field("sex", "Sex (used for the chair-stand norms)", Select(SEX, value=p.sex if p else "unknown", allow_blank=False, compact=True, id="f-sex"))
            yield from self._field("primary_cancer", "Where the cancer started (for example breast, prostate)", Input(compact=True, value=(p.primary_cancer or "") if p else "", id="f-primary_cancer"))
            yield from self._field("bone_sites", "Bones the cancer has spread to (Space to tick)", SelectionList[str](*[(label, value, bool(p and value in p.bone_sites)) for label, value in SITES], id="bone-sites"))
            yield from self._field("lesion_type", "Type of bone damage, if known", Select(LESION, value=p.lesion_type if p else "unknown", allow_blank=False, compact=True, id="f-lesion_type"))
            yield from self._field("walking_aid", "Walking aid in use", Select(AID, value=p.walking_aid if p else "none", allow_blank=False, compact=True, id="f-walking_aid"))
            yield from self._field("falls_last_12_months", "Falls in the last 12 months", Input(compact=True, value="" if not p or p.falls_last_12_months is None else str(p.falls_last_12_months), id="f-falls_last_12_months", type="integer"))
            yield from self._field("lives_alone", "Lives alone" if not me else "I live alone", Select(YES_NO, value=_from_tri(p.lives_alone if p else None), allow_blank=False, compact=True, id="f-lives_alone"))
            yield from self._field("caregiver_present", "A caregiver helps at home" , Select(YES_NO, value=_from_tri(p.caregiver_present if p else None), allow_blank=False, compact=True, id="f-caregiver_present"))
            yield from self._field("completed_by", "Filled in by" + (" (your name, or a helper's)" if me else " (clinician's name)"), Input(compact=True, value=(p.completed_by or "") if p else "", id="f-completed_by"))
            yield from self._field("assessed_on", "Date of this check (YYYY-MM-DD)", Input(compact=True, value=self.initial_date.isoformat(), id="f-assessed_on"))
            with Horizontal(id="profile-actions"):
                yield Button("Continue to the questions (Ctrl+S)", id="profile-continue", variant="primary")
        yield Footer()

    def _field(self, name: str, label: str, widget: Any) -> ComposeResult:
        yield Label(label, classes="field")
        yield widget
        yield Static("", id=f"err-{name}", classes="error -empty")

    def on_mount(self) -> None:
        self.query_one("#f-name", Input).focus()

    # -- validation shown next to each field

    def _values(self) -> tuple[dict[str, Any], dict[str, str]]:
        errors: dict[str, str] = {}
        get = lambda name: self.query_one(f"#f-{name}", Input).value.strip()  # noqa: E731
        pick = lambda name: self.query_one(f"#f-{name}", Select).value  # noqa: E731
        data: dict[str, Any] = {"name": self.query_one("#f-name", Input).value}
        for key in ("age", "falls_last_12_months"):
            text = get(key)
            if text:
                try:
                    data[key] = int(text)
                except ValueError:
                    errors[key] = "type a whole number"
        for key in ("birth_date", "assessed_on"):
            text = get(key)
            if text:
                try:
                    data[key] = date.fromisoformat(text)
                except ValueError:
                    errors[key] = "write the date as YYYY-MM-DD, for example 1956-03-14"
            elif key == "assessed_on":
                errors[key] = "the date of this check is needed"
        for key in ("sex", "lesion_type", "walking_aid"):
            data[key] = pick(key)
        for key in ("lives_alone", "caregiver_present"):
            data[key] = _tri(pick(key))
        data["bone_sites"] = list(self.query_one("#bone-sites", SelectionList).selected)
        data["primary_cancer"] = get("primary_cancer") or None
        data["completed_by"] = get("completed_by") or None
        data["completed_role"] = "clinician" if self.mode == "clinician" else "patient"
        return data, errors

    def check_fields(self, only: set[str] | None = None) -> tuple[Profile, date] | None:
        """Validate; show the messages next to the fields (only those in ``only`` if given)."""
        data, errors = self._values()
        day = data.pop("assessed_on", None)
        if day is not None and day > self.today:
            errors["assessed_on"] = f"this date is in the future (today is {self.today.isoformat()})"
        profile = None
        try:
            profile = Profile.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors():
                key = str(error["loc"][0]) if error["loc"] else "name"
                message = error["msg"].removeprefix("Value error, ")
                if error["type"] == "string_too_short":
                    message = "give a name or initials"
                elif error["type"] in ("greater_than_equal", "less_than_equal"):
                    message = "an age from 18 to 120"
                errors.setdefault(key, message)
        if profile is not None and day is not None and profile.birth_date is not None:
            age = profile.age_on(day)
            if profile.birth_date >= day:
                errors["birth_date"] = "the birth date must be before the date of this check"
            elif age is None or not 18 <= age <= 120:
                errors["birth_date"] = f"this gives an age of {age}; check the year"
        for name in FIELDS if only is None else only:
            try:
                label = self.query_one(f"#err-{name}", Static)
            except Exception:
                continue
            message = errors.get(name, "")
            label.update(message)
            label.set_class(not message, "-empty")
        if errors or profile is None or day is None:
            return None
        return profile, day

    @on(Input.Changed)
    def _live_check(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("f-")
        if name in FIELDS:
            self.check_fields(only={name})

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save()

    def action_save(self) -> None:
        result = self.check_fields()
        if result is None:
            self.notify("Please check the fields marked in red.", severity="error")
            return
        self.dismiss(result)

    def action_back(self) -> None:
        self.dismiss(None)
