"""What each web page shows, as plain data from a :class:`~safehome.service.session.Session`.

The templates lay it out; the words come from the catalogue and the checklist, the warnings and
whom to call from the same service calls as the terminal app's alert and the handout's box.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from safehome.core.models import URGENCIES, Item, Section
from safehome.i18n.visible import visible
from safehome.i18n.words import t
from safehome.service.session import Session


def shown_text(value: object) -> str:
    """User text as it is shown on a page: every control character by its code (Jinja escapes it)."""
    return visible("" if value is None else str(value))


def marked(message_id: str, **values: Any) -> Markup:
    """A catalogue sentence that carries its own bold or line breaks (the handout's), with every
    value escaped: the catalogue's markup is ours, the values are the person's."""
    safe = {key: escape(shown_text(value)) if isinstance(value, str) else value for key, value in values.items()}
    return Markup(t(message_id, **safe).replace("<br/>", "<br>"))


@dataclass
class Choice:
    value: str
    label: str
    checked: bool


@dataclass
class Question:
    item: Item
    number: int
    total: int
    prompt: str
    why: str | None
    choices: list[Choice]
    typed: str | None  # the typed answer as it stands (None: answered with a choice)
    hint: str
    note: str
    draft: str | None
    from_profile: bool
    warning: bool
    answered: bool
    error: str | None = None
    value_code: str = ""  # the stored value as the form sends it (the "was" of an answer)
    urgent: str = ""  # for a warning sign answered so: what to do, in the tier's words
    calls: list[str] = field(default_factory=list)  # and whom to call, with the person's numbers


@dataclass
class Sign:
    prompt: str
    action: str


@dataclass
class Tier:
    urgency: str
    label: str
    do: str
    calls: list[str]
    signs: list[Sign] = field(default_factory=list)


def value_code(value: Any) -> str:
    """A stored value as a form field carries it ("" for no answer)."""
    if value is None:
        return ""
    if isinstance(value, float) and value == int(value):
        value = int(value)
    return str(value)


def question(session: Session, n: int, item: Item, error: str | None = None) -> Question:
    value = session.value(item.id)
    kind = item.answer
    choices = [Choice(o.value, o.label, value_code(value) == o.value) for o in kind.options()]
    draft = session.draft_for(item.id)
    warned = session.raises_warning(item)
    return Question(
        item=item,
        number=n,
        total=len(session.steps),
        prompt=item.prompt_for("self"),
        why=item.why,
        choices=choices,
        typed=None if choices else value_code(value),
        hint=kind.what(),
        note=session.note(item.id),
        draft=draft,
        from_profile=session.from_profile(item.id),
        warning=warned,
        answered=value is not None,
        error=error,
        value_code=value_code(value),
        urgent=t(f"urgency.do.{item.urgency or 'same_day'}") if warned else "",
        calls=[shown_text(line) for line in session.calls_for(item.urgency)] if warned else [],
    )


def section_questions(session: Session, section: Section, errors: dict[str, str]) -> list[Question]:
    return [
        question(session, n, step.item, errors.get(step.item.id))
        for n, step in enumerate(session.steps, start=1)
        if step.section is section
    ]


def warnings(session: Session) -> list[Tier]:
    """The warning signs answered so far, by tier, most urgent first: the tier's words, whom to
    call with the person's numbers, each sign and what to do about it."""
    flags = session.red_flags()
    tiers: list[Tier] = []
    for urgency in URGENCIES:
        do = t(f"urgency.do.{urgency}")
        signs = [  # what to do about a sign, unless it is the tier's own words (said once, above it)
            Sign(
                shown_text(item.prompt_for("self")), "" if session.action_for(item) == do else session.action_for(item)
            )
            for item in flags
            if item.urgency == urgency
        ]
        if signs:
            calls = [shown_text(line) for line in session.calls_for(urgency)]
            tiers.append(Tier(urgency, t(f"urgency.{urgency}"), do, calls, signs))
    return tiers


@dataclass
class SectionLink:
    number: int
    title: str
    answered: int
    asked: int


def section_links(session: Session) -> list[SectionLink]:
    return [SectionLink(n, s.title, done, asked) for n, (s, done, asked) in enumerate(session.sections(), start=1)]


@dataclass
class Reviewed:
    item: Item
    page: int
    prompt: str
    answer: str
    answered: bool
    warning: bool
    note: str


def review(session: Session) -> list[tuple[SectionLink, list[Reviewed]]]:
    """Every question asked, by section, with its answer in words ("Not answered yet" when none)."""
    out: list[tuple[SectionLink, list[Reviewed]]] = []
    for link, (section, _, _) in zip(section_links(session), session.sections(), strict=True):
        rows = []
        for step in session.steps:
            if step.section is not section:
                continue
            value = session.value(step.item.id)
            rows.append(
                Reviewed(
                    step.item,
                    link.number,
                    step.item.prompt_for("self"),
                    step.item.answer.shown(value) if value is not None else t("app.q.not_answered_yet"),
                    value is not None,
                    session.raises_warning(step.item),
                    session.note(step.item.id),
                )
            )
        out.append((link, rows))
    return out


def section_of(session: Session, item_id: str) -> int:
    """The page (1-based) of the section holding ``item_id``; 1 when it is not asked now."""
    for n, (section, _, _) in enumerate(session.sections(), start=1):
        if any(s.item.id == item_id for s in session.steps if s.section is section):
            return n
    return 1
