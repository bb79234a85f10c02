"""The person's handout: warning signs first, what to do and who does it, whom to call, the action log."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    CondPageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from safehome.core.calling import beyond_tier, contacts, warning_ladder, whom_to_call
from safehome.core.models import Assessment, Checklist
from safehome.core.models import URGENCIES
from safehome.core.plan import Plan, no_actions_words, seen_at_visit
from safehome.core.reminders import reminder_for
from safehome.core.score import Score
from safehome.i18n.words import t
import safehome.reports.fonts as fonts
from safehome.reports.fieldkit import handout_list
from safehome.reports.styles import CheckBox, NOTE_LIMIT, Styles, opening, box, day_text, para_text


def home_story(
    checklist: Checklist,
    assessment: Assessment,
    result: Score,
    plan: Plan,
    s: Styles,
    width: float,
    pictures: list[Any] | None = None,
) -> list[Any]:
    def esc(text: str | None) -> str:
        return para_text(text)

    name = esc(assessment.profile.name)
    story: list[Any] = [
        Paragraph(t("pdf.home.title"), s.title),
        Paragraph(t("pdf.home.for", name=name, day=day_text(assessment.assessed_on)), s.body),
        who_to_call(assessment, s, width),
    ]
    if plan.red_flags:  # what the person told us comes first, in their words, each with what to do
        inner: list[Any] = [Paragraph(t("pdf.home.flags.title"), s.h1)]
        for tier in URGENCIES:
            tiered = [a for a in plan.red_flags if a.urgency == tier]
            if not tiered:
                continue
            inner.append(Paragraph(t(f"urgency.do.{tier}"), s.bold))
            # whom to call, with the numbers given: the same lines as the app's and the web page's alert
            inner += [Paragraph(esc(call.line()), s.body) for call in whom_to_call(tier, assessment.profile)]
            for action in tiered:
                what = beyond_tier(action.action, tier)  # the tier's own words are said once, above
                sign = f"<b>{esc(action.prompt)}</b>" + (f"<br/>{esc(what)}" if what else "")
                inner.append(Paragraph(sign, s.bullet, bulletText="!"))
        story += [Spacer(1, s.base * 0.5), box(inner, width, 4, s, shade=True)]
    if result.own_words:  # what the person wrote goes to their team: no rule reads it for them
        words = [Paragraph(t("pdf.home.own_words.title"), s.h2), Paragraph(t("pdf.home.own_words"), s.body)]
        for _, noted in result.own_words:  # the first line of each, so the box says which notes it means
            excerpt, long_line, _ = opening(noted)
            shown = excerpt + "\u2026" if long_line else excerpt
            words.append(Paragraph(esc(shown), s.bullet, bulletText="\u201c"))
        story += [Spacer(1, s.base * 0.5), box(words, width, 2, s)]
    if plan.unchecked_signs:  # never silent: a sign not asked is named on page 1
        unchecked: list[Any] = [Paragraph(t("pdf.unchecked.title"), s.h1), Paragraph(t("pdf.unchecked.what"), s.bold)]
        unchecked += [Paragraph(esc(u.prompt), s.bullet, bulletText="?") for u in plan.unchecked_signs]
        story += [Spacer(1, s.base * 0.5), box(unchecked, width, 3, s)]
    # one heading per tier (the first group's title), what to do said once, then every sign of
    # that tier; the box may break between rows: a heading stays with its first two signs (a
    # heading never ends a page), then one sign a row, so the box starts on page 1 even when the
    # first tier is long (large print, French)
    ladder: list[Any] = []
    for n, rung in enumerate(warning_ladder(checklist)):
        heading, urgency, group_signs = rung.title, rung.urgency, rung.signs
        part: list[Any] = [Paragraph(t("pdf.home.signs.title"), s.h1)] if n == 0 else []
        part.append(Paragraph(esc(heading), s.h2))
        if urgency is not None:
            part.append(Paragraph(t(f"urgency.do.{urgency}"), s.bold))
        signs = [Paragraph(esc(sign), s.bullet, bulletText="\u2022") for sign in group_signs]
        ladder.append(part + signs[:2])
        ladder += [[sign] for sign in signs[2:]]
    story += [Spacer(1, s.base * 0.5), box(ladder, width, 2, s, parts=len(ladder))]
    for_person = [
        (checklist.item(r.item_id), str(r.value))
        for r in result.items
        if r.value and checklist.item(r.item_id).for_person and isinstance(r.value, str) and r.value.strip()
    ]
    if for_person:  # what the clinician wrote to the person, as written
        written: list[Any] = [Paragraph(t("pdf.home.for_person.title"), s.h2)]
        written += [Paragraph(esc(text), s.body) for _, text in for_person]
        story += [Spacer(1, s.base * 0.5), KeepTogether(box(written, width, 1, s))]

    story += action_log(plan, s, width, notes=assessment.mode == "self")
    story += handout_list(plan, s, width)
    story += pictures or []  # the visit's photos, when asked for: beside the actions, before the notes page

    if plan.advice:
        advice = [Paragraph(t("pdf.home.advice"), s.h1)]
        if plan.personal:
            advice.append(Paragraph(esc(plan.personal), s.body))
        story.append(KeepTogether([*advice, Paragraph(esc(plan.advice[0]), s.bullet, bulletText="\u2022")]))
        story += [Paragraph(esc(text), s.bullet, bulletText="\u2022") for text in plan.advice[1:]]
    helpers = [r for r in plan.referrals if r.to != "treating_team" and not seen_at_visit(r.to, assessment.mode)]
    if helpers:
        first = Paragraph(t("pdf.home.referrals"), s.h1)
        lines = [Paragraph(t(f"pdf.home.referral.{r.to}"), s.bullet, bulletText="\u2022") for r in helpers]
        story.append(KeepTogether([first, *lines]))
    recheck: list[Any] = [Paragraph(t("pdf.home.recheck.title"), s.h1)]
    card = next_check_card(assessment, result, plan, s, width)
    if card:  # the date, when to come sooner and whom to call, framed to be cut out
        recheck += card
    elif plan.recheck_on is None:
        recheck.append(Paragraph(t("pdf.home.recheck_finish"), s.body))
    else:
        recheck.append(Paragraph(t("pdf.home.recheck", day=day_text(plan.recheck_on)), s.body))
    if plan.unanswered:
        recheck.append(Paragraph(t("pdf.home.unanswered", count=len(plan.unanswered)), s.body))
    about = [Paragraph(t("pdf.home.about.title"), s.h2), Paragraph(t("pdf.home.about"), s.body)]
    story += [KeepTogether(recheck), Spacer(1, s.base * 0.6), KeepTogether(box(about, width, 1, s))]
    # the notes and questions follow on the same page when a few lines are left (a page of its own made
    # every handout a page longer)
    story += [CondPageBreak(s.base * 9), Paragraph(t("pdf.home.notes.title"), s.h1)]
    # in a self-check, what the person wrote for their team is printed here, in their words
    written = [
        (checklist.item(r.item_id), str(r.value))
        for r in result.items
        if assessment.mode == "self" and checklist.item(r.item_id).answer.is_free_text() and r.value
    ]
    for item, text in written:
        short = text if len(text) <= NOTE_LIMIT else text[:NOTE_LIMIT].rstrip() + "\u2026"
        story.append(Paragraph(t("pdf.home.notes.yours", prompt=esc(item.prompt_for("self")), text=esc(short)), s.body))
    story += [Paragraph(t("pdf.home.notes.what"), s.body), WritingLines(width, s.base * 2.2)]
    return story


def next_check_card(assessment: Assessment, result: Score, plan: Plan, s: Styles, width: float) -> list[Any]:
    """The tear-off card at the end: the next check's date and whom to call, to keep by the phone or
    on the fridge (the same reminder as the calendar file; none when the check is incomplete or a
    sign is urgent: then page 1 says to call now)."""
    reminder = reminder_for(assessment, result, plan)
    if reminder is None:
        return []
    card = [
        Paragraph(t("pdf.home.card.title") + " " + t("pdf.home.card.cut"), s.bold),
        Paragraph(t("pdf.home.recheck", day=day_text(reminder.day)), s.body),
        Paragraph(para_text(reminder.call), s.body),  # the number as the person gave it
    ]
    return [box(card, width, 2, s)]


def who_to_call(assessment: Assessment, s: Styles, width: float) -> Table:
    """Page 1: the numbers to call, filled in when known, with a line to write on when not."""
    blank = t("pdf.home.call.blank")
    (emergency, number), *others = contacts(assessment.profile, assessment.mode)
    rows: list[list[Any]] = [[Paragraph(t("pdf.home.call.title"), s.h2), ""]]
    rows.append([Paragraph(emergency, s.bold), Paragraph(number or "", s.bold)])
    for who, value in others:
        shown = para_text(value) if value else blank
        rows.append([Paragraph(who, s.body), Paragraph(shown, s.body)])
    table = Table(rows, colWidths=[width * 0.5, width * 0.5])
    table.setStyle(
        TableStyle(
            [
                ("SPAN", (0, 0), (-1, 0)),
                ("FONTNAME", (0, 0), (-1, -1), fonts.FAMILY),
                ("BOX", (0, 0), (-1, -1), 2, colors.black),
                ("LINEBELOW", (0, 1), (-1, -2), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), s.base * 0.6),
                ("TOPPADDING", (0, 0), (-1, -1), s.base * 0.25),
                ("BOTTOMPADDING", (0, 0), (-1, -1), s.base * 0.1),
            ]
        )
    )
    return table


def action_log(plan: Plan, s: Styles, width: float, *, notes: bool) -> list[Any]:
    """The action log: one flat list, most important first; tick it and write the day it was done.
    With ``notes`` (a self-check: the person's own) each action shows the note written there; a
    visit's notes are the clinician's and stay in the clinician summary."""
    # a heading's keepWithNext would carry the whole table to the next page: the CondPageBreak below
    # keeps the heading with its first rows instead
    title = Paragraph(t("pdf.home.actions.title"), ParagraphStyle("log", parent=s.h1, keepWithNext=0))
    if not plan.actions:
        return [KeepTogether([title, Paragraph(no_actions_words(plan), s.body)])]
    box = s.base * 1.2
    rows: list[list[Any]] = [["", Paragraph(t("pdf.home.col.what"), s.bold), Paragraph(t("pdf.home.col.done"), s.bold)]]
    for action in plan.actions:
        where = " / ".join(para_text(room) for room in action.rooms)
        detail = t("pdf.home.action.detail", when=action.by_when, who=t(f"pdf.who.home.{action.who}"), where=where)
        what = [Paragraph(f"<b>{para_text(action.action)}</b>", s.body), Paragraph(detail, s.body)]
        for measured in action.measured.splitlines():  # the number the person can give a supplier
            what.append(Paragraph(t("pdf.home.measured", measured=para_text(measured)), s.body))
        if notes and action.note:
            short = action.note if len(action.note) <= NOTE_LIMIT else action.note[:NOTE_LIMIT].rstrip() + "\u2026"
            what.append(Paragraph(t("pdf.home.note", note=para_text(short)), s.body))
            if len(action.note) > NOTE_LIMIT:
                what.append(Paragraph(t("pdf.home.note_shortened"), s.body))
        rows.append([CheckBox(box), what, ""])
    done = s.base * 4.6  # room to write a day ("12 déc.") by hand
    widths = [box + s.base * 0.6, width - box - s.base * 0.6 - done, done]
    style = TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 0), (-1, -1), fonts.FAMILY),
            ("LEFTPADDING", (0, 0), (-1, -1), s.base * 0.25),
            ("RIGHTPADDING", (0, 0), (-1, -1), s.base * 0.35),
            ("TOPPADDING", (0, 0), (-1, -1), s.base * 0.25),
            ("BOTTOMPADDING", (0, 0), (-1, -1), s.base * 0.15),
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.black),
            ("LINEBELOW", (0, 0), (-1, 0), 1.5, colors.black),
            ("LINEBEFORE", (-1, 0), (-1, -1), 0.5, colors.black),
        ]
    )
    # a row is never split: a note in the handout is cut to NOTE_LIMIT, so each row fits a page
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(style)
    # the heading stays with the header and the first row: the log starts on a new page unless they
    # fit (measured, not guessed: a heading never ends a page, and no page is left half empty)
    intro = Paragraph(t("pdf.home.actions.what"), s.body)
    first = Table(rows[:2], colWidths=widths)
    first.setStyle(style)
    needed = sum(f.wrap(width, s.base * 100)[1] for f in (title, intro, first)) + s.base * 1.5
    return [CondPageBreak(needed), title, intro, table]


class WritingLines(Flowable):  # type: ignore[misc]  # ReportLab ships no type hints
    """Ruled lines to write on, filling what is left of the page."""

    def __init__(self, width: float, gap: float):
        super().__init__()
        self.width, self.gap, self.count = width, gap, 1

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.count = max(1, int(available_height // self.gap) - 1)
        return self.width, self.count * self.gap

    def draw(self) -> None:
        self.canv.setLineWidth(0.6)
        for n in range(self.count):
            y = n * self.gap
            self.canv.line(0, y, self.width, y)
