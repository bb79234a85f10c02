"""The personalised PDF action plan: a home handout and a clinician summary.

Everything the plan says comes from the domain core (``core.plan.build_plan``); this module
only lays it out. All user text goes through :func:`para_text` before it reaches a
``Paragraph``, so names and notes print exactly as typed and markup in them does nothing.
The same assessment always gives the same bytes (invariant mode, dated by the assessment).
"""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    CondPageBreak,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from safehome.core.compare import Comparison
from safehome.core.models import Assessment, Checklist
from safehome.core.models import URGENCIES
from safehome.core.options import ReportOptions
from safehome.core.plan import Plan
from safehome.core.score import Score
from safehome.core.outputs import outputs, recheck_text
from safehome.i18n.words import t
import safehome.reports.fonts as fonts

NOTE_LIMIT = 400  # characters of a note shown in the handout; the clinician summary shows all
PAPER = {"letter": LETTER, "a4": A4}  # the default is core.terms.DEFAULT_PAPER
TOP_HAZARDS = 4  # hazards named on page 1 of the clinician summary; the appendix has them all
FONT_RUN = '<font name="{}">{}</font>'  # Paragraph markup for a run in another font
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def para_text(text: str | None) -> str:
    """User text made safe for Paragraph markup: escaped, control characters dropped, line
    breaks kept, and each run of another script set in a font that has its glyphs."""
    if not text:
        return ""
    text = _CONTROL.sub("", text)
    out: list[str] = []
    for font, run in fonts.runs(text):
        if font is None:
            out.append(escape(run))
        else:
            shown = fonts.visual(run, font) if font in fonts.RIGHT_TO_LEFT else run
            out.append(FONT_RUN.format(font, escape(shown)))
    return "".join(out).replace("\n", "<br/>")


class CheckBox(Flowable):  # type: ignore[misc]  # ReportLab ships no type hints
    """An empty square to tick by hand."""

    def __init__(self, size: float):
        super().__init__()
        self.size = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        self.canv.setLineWidth(1.5)
        self.canv.rect(0, 0, self.size, self.size, stroke=1, fill=0)


def _numbered_canvas(header: str, footer: str, day: date, base_size: float) -> type[rl_canvas.Canvas]:
    """A canvas class that writes "Page X of Y" (two passes over saved page states)."""
    stamp = f"D:{day:%Y%m%d}000000+00'00'"  # the file is dated by the assessment, not the clock

    class NumberedCanvas(rl_canvas.Canvas):  # type: ignore[misc]  # ReportLab ships no type hints
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.setDateFormatter(lambda *_: stamp)
            self.setViewerPreference("DisplayDocTitle", "true")  # the window shows the title, not a file name
            self._saved: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved)
            for state in self._saved:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            width, height = self._pagesize
            size = max(10, base_size - 2)
            # the header holds the name: a paragraph, so a name in any script gets its own font
            style = ParagraphStyle("header", fontName=fonts.FAMILY + "-Bold", fontSize=size, leading=size * 1.2)
            line = Paragraph(header, style)
            line.wrapOn(self, width - 1.5 * inch, size * 2)
            line.drawOn(self, 0.75 * inch, height - 0.55 * inch - size * 0.25)
            self.setLineWidth(0.8)
            self.line(0.75 * inch, height - 0.62 * inch, width - 0.75 * inch, height - 0.62 * inch)
            self.setFont(fonts.FAMILY, size)
            self.line(0.75 * inch, 0.72 * inch, width - 0.75 * inch, 0.72 * inch)
            self.drawString(0.75 * inch, 0.5 * inch, footer)
            self.drawRightString(width - 0.75 * inch, 0.5 * inch, t("pdf.page", n=self.getPageNumber(), total=total))

    return NumberedCanvas


class _Styles:
    def __init__(self, base: float):
        f = fonts.FAMILY
        lead = base * 1.3
        self.base = base
        self.body = ParagraphStyle(
            "body", fontName=f, fontSize=base, leading=lead, alignment=TA_LEFT, spaceAfter=base * 0.3
        )
        # Secondary lines of the handout stay at the body size: 12 pt is the floor for reading.
        self.small = ParagraphStyle("small", parent=self.body)
        self.bold = ParagraphStyle("bold", parent=self.body, fontName=f + "-Bold")
        self.title = ParagraphStyle(
            "title",
            parent=self.body,
            fontName=f + "-Bold",
            fontSize=base * 1.8,
            leading=base * 2.2,
            spaceAfter=base * 0.4,
        )
        self.h1 = ParagraphStyle(
            "h1",
            parent=self.body,
            fontName=f + "-Bold",
            fontSize=base * 1.35,
            leading=base * 1.7,
            spaceBefore=base * 0.9,
            spaceAfter=base * 0.4,
            keepWithNext=1,  # a heading never ends a page
        )
        self.h2 = ParagraphStyle(
            "h2",
            parent=self.body,
            fontName=f + "-Bold",
            fontSize=base * 1.12,
            leading=base * 1.45,
            spaceBefore=base * 0.5,
            spaceAfter=base * 0.25,
            keepWithNext=1,
        )
        self.bullet = ParagraphStyle(
            "bullet",
            parent=self.body,
            leftIndent=base * 1.2,
            bulletIndent=base * 0.2,
            spaceAfter=base * 0.15,
            bulletFontName=f + "-Bold",
            bulletFontSize=base,
        )
        cell = max(11, base - 1)  # the clinician summary only
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=cell, leading=cell * 1.25, spaceAfter=cell * 0.2)
        self.cell_bold = ParagraphStyle("cellb", parent=self.cell, fontName=f + "-Bold")
        self.ch1 = ParagraphStyle(  # the clinician summary's headings: page 1 holds the whole story
            "ch1",
            parent=self.cell,
            fontName=f + "-Bold",
            fontSize=cell * 1.2,
            leading=cell * 1.45,
            spaceBefore=cell * 0.6,
            spaceAfter=cell * 0.2,
            keepWithNext=1,
        )
        self.cell_bullet = ParagraphStyle(
            "cellbullet", parent=self.cell, leftIndent=cell * 1.1, bulletIndent=cell * 0.2, spaceAfter=cell * 0.1
        )


def _box(
    flowables: list[Any], width: float, border: float, styles: _Styles, shade: bool = False, parts: int = 1
) -> Table:
    """A framed box. ``parts`` > 1 keeps each group of flowables together: the box may break
    between groups (framed on both pages), never inside one (so a heading never ends a page)."""
    if parts > 1:
        rows = [[group] for group in flowables]
        table = Table(rows, colWidths=[width])
    else:
        table = Table([[flowables]], colWidths=[width], splitInRow=1)  # a long box flows on to the next page
    commands = [
        ("BOX", (0, 0), (-1, -1), border, colors.black),
        ("FONTNAME", (0, 0), (-1, -1), fonts.FAMILY),
        ("LEFTPADDING", (0, 0), (-1, -1), styles.base * 0.8),
        ("RIGHTPADDING", (0, 0), (-1, -1), styles.base * 0.8),
        ("TOPPADDING", (0, 0), (-1, -1), styles.base * (0.6 if parts == 1 else 0.15)),
        ("BOTTOMPADDING", (0, 0), (-1, -1), styles.base * (0.6 if parts == 1 else 0.15)),
    ]
    if parts > 1:
        commands += [
            ("TOPPADDING", (0, 0), (-1, 0), styles.base * 0.5),
            ("BOTTOMPADDING", (0, -1), (-1, -1), styles.base * 0.6),
        ]
    if shade:
        commands.append(("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#EDEDED")))
    table.setStyle(TableStyle(commands))
    return table


# --------------------------------------------------------------------------- the home handout


def _home_story(
    checklist: Checklist,
    assessment: Assessment,
    result: Score,
    plan: Plan,
    s: _Styles,
    width: float,
) -> list[Any]:
    def esc(text: str | None) -> str:
        return para_text(text)

    name = esc(assessment.profile.name)
    story: list[Any] = [
        Paragraph(t("pdf.home.title"), s.title),
        Paragraph(t("pdf.home.for", name=name, day=_day(assessment.assessed_on)), s.body),
        _who_to_call(assessment, s, width),
    ]
    if plan.red_flags:  # what the person told us comes first, in their words, each with what to do
        inner: list[Any] = [Paragraph(t("pdf.home.flags.title"), s.h1)]
        for tier in URGENCIES:
            tiered = [a for a in plan.red_flags if a.urgency == tier]
            if not tiered:
                continue
            inner.append(Paragraph(t(f"urgency.do.{tier}"), s.bold))
            for action in tiered:
                sign = f"<b>{esc(action.prompt)}</b><br/>{esc(action.action)}"
                inner.append(Paragraph(sign, s.bullet, bulletText="!"))
        story += [Spacer(1, s.base * 0.5), _box(inner, width, 4, s, shade=True)]
    if plan.unchecked_signs:  # never silent: a sign not asked is named on page 1
        unchecked: list[Any] = [Paragraph(t("pdf.unchecked.title"), s.h1), Paragraph(t("pdf.unchecked.what"), s.bold)]
        unchecked += [Paragraph(esc(u.prompt), s.bullet, bulletText="?") for u in plan.unchecked_signs]
        story += [Spacer(1, s.base * 0.5), _box(unchecked, width, 3, s)]
    # the rows the box may break between: a tier's heading and what to do stay with its first two
    # signs (a heading never ends a page), then one sign a row, so the box starts on page 1 even
    # when the first tier is long (large print, French)
    ladder: list[Any] = []
    for n, group in enumerate(checklist.warning_signs):
        part: list[Any] = []
        if n == 0:
            part += [Paragraph(t("pdf.home.signs.title"), s.h1), Paragraph(t("pdf.home.signs.911"), s.body)]
        part.append(Paragraph(esc(group.title), s.h2))
        if group.urgency is not None:
            part.append(Paragraph(t(f"urgency.do.{group.urgency}"), s.bold))
        signs = [Paragraph(esc(sign), s.bullet, bulletText="\u2022") for sign in group.signs]
        ladder.append(part + signs[:2])
        ladder += [[sign] for sign in signs[2:]]
    story += [Spacer(1, s.base * 0.5), _box(ladder, width, 2, s, parts=len(ladder))]

    story += _action_log(plan, s, width)

    if plan.advice:
        advice = [Paragraph(t("pdf.home.advice"), s.h1)]
        if plan.personal:
            advice.append(Paragraph(esc(plan.personal), s.body))
        story.append(KeepTogether([*advice, Paragraph(esc(plan.advice[0]), s.bullet, bulletText="\u2022")]))
        story += [Paragraph(esc(text), s.bullet, bulletText="\u2022") for text in plan.advice[1:]]
    helpers = [r for r in plan.referrals if r.to != "treating_team" and not _seen_today(r.to, assessment)]
    if helpers:
        first = Paragraph(t("pdf.home.referrals"), s.h1)
        lines = [Paragraph(t(f"pdf.home.referral.{r.to}"), s.bullet, bulletText="\u2022") for r in helpers]
        story.append(KeepTogether([first, *lines]))
    recheck = [Paragraph(t("pdf.home.recheck.title"), s.h1)]
    if plan.recheck_on is None:
        recheck.append(Paragraph(t("pdf.home.recheck_finish"), s.body))
    else:
        recheck.append(Paragraph(t("pdf.home.recheck", day=_day(plan.recheck_on)), s.body))
    if plan.unanswered:
        recheck.append(Paragraph(t("pdf.home.unanswered", count=len(plan.unanswered)), s.body))
    about = [Paragraph(t("pdf.home.about.title"), s.h2), Paragraph(t("pdf.home.about"), s.body)]
    story += [KeepTogether(recheck), Spacer(1, s.base * 0.6), KeepTogether(_box(about, width, 1, s))]
    story += [PageBreak(), Paragraph(t("pdf.home.notes.title"), s.h1)]
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


def _seen_today(referral: str, assessment: Assessment) -> bool:
    """An occupational therapist did this visit: the handout does not send the person to one."""
    return referral == "occupational_therapy" and assessment.mode == "clinician"


def _who_to_call(assessment: Assessment, s: _Styles, width: float) -> Table:
    """Page 1: the numbers to call, filled in when known, with a line to write on when not."""
    p = assessment.profile
    clinician = p.visit_clinician or (p.completed_by if p.completed_role == "clinician" else None)
    blank = t("pdf.home.call.blank")
    rows: list[list[Any]] = [[Paragraph(t("pdf.home.call.title"), s.h2), ""]]
    rows.append([Paragraph(t("pdf.home.call.emergency"), s.bold), Paragraph(t("pdf.home.call.911"), s.bold)])
    for key, value in (
        ("cancer_team", p.cancer_team_phone),
        ("after_hours", p.after_hours_phone),
        ("clinician" if assessment.mode == "clinician" else "clinician.self", clinician),
        ("next_appointment", p.next_appointment),
    ):
        shown = para_text(value) if value else blank
        rows.append([Paragraph(t(f"pdf.home.call.{key}"), s.body), Paragraph(shown, s.body)])
    table = Table(rows, colWidths=[width * 0.42, width * 0.58])
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


def _action_log(plan: Plan, s: _Styles, width: float) -> list[Any]:
    """The action log: one flat list, most important first; tick it and write the day it was done."""
    title = Paragraph(t("pdf.home.actions.title"), s.h1)
    if not plan.actions:
        return [KeepTogether([title, Paragraph(t("pdf.home.no_hazards"), s.body)])]
    box = s.base * 1.2
    rows: list[list[Any]] = [["", Paragraph(t("pdf.home.col.what"), s.bold), Paragraph(t("pdf.home.col.done"), s.bold)]]
    for action in plan.actions:
        where = " / ".join(para_text(room) for room in action.rooms)
        detail = t("pdf.home.action.detail", when=action.by_when, who=t(f"pdf.who.home.{action.who}"), where=where)
        what = [Paragraph(f"<b>{para_text(action.action)}</b>", s.body), Paragraph(detail, s.body)]
        if action.note:
            short = action.note if len(action.note) <= NOTE_LIMIT else action.note[:NOTE_LIMIT].rstrip() + "\u2026"
            what.append(Paragraph(t("pdf.home.note", note=para_text(short)), s.body))
            if len(action.note) > NOTE_LIMIT:
                what.append(Paragraph(t("pdf.home.note_shortened"), s.body))
        rows.append([CheckBox(box), what, ""])
    done = s.base * 4.6
    table = Table(
        rows,
        colWidths=[box + s.base * 0.6, width - box - s.base * 0.6 - done, done],
        repeatRows=1,  # a row is never split: a note in the handout is cut to NOTE_LIMIT, so each row fits a page
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), fonts.FAMILY),
                ("LEFTPADDING", (0, 0), (-1, -1), s.base * 0.25),
                ("RIGHTPADDING", (0, 0), (-1, -1), s.base * 0.35),
                ("TOPPADDING", (0, 0), (-1, -1), s.base * 0.35),
                ("BOTTOMPADDING", (0, 0), (-1, -1), s.base * 0.15),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.black),
                ("LINEBELOW", (0, 0), (-1, 0), 1.5, colors.black),
                ("LINEBEFORE", (-1, 0), (-1, -1), 0.5, colors.black),
            ]
        )
    )
    # the log starts on a new page unless a good part of one is left: a page holding one row is no help
    return [CondPageBreak(s.base * 16), title, Paragraph(t("pdf.home.actions.what"), s.body), table]


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


# --------------------------------------------------------------------------- the clinician summary


def _table(rows: list[list[Any]], widths: list[float], s: _Styles, header: bool = True) -> Table:
    # splitInRow lets a row taller than a page (a very long note) flow on to the next page
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, splitInRow=1)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("FONTNAME", (0, 0), (-1, -1), fonts.FAMILY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDDDDD")))
    table.setStyle(TableStyle(commands))
    return table


def _clinician_story(
    checklist: Checklist,
    assessment: Assessment,
    result: Score,
    plan: Plan,
    s: _Styles,
    width: float,
    comparison: Comparison | None,
    all_items: bool,
) -> list[Any]:
    """Page 1 is the whole story: signs, outputs, top hazards, referrals, changes. Then an
    appendix of hazards and notes (every item with ``all_items``)."""
    p = assessment.profile
    mode = t(f"mode.{assessment.mode}")

    def P(text: str, style: ParagraphStyle = s.cell) -> Paragraph:  # a short name for a table cell
        return Paragraph(text, style)

    def esc(text: str | None) -> str:
        return para_text(text)

    def heads(*keys: str) -> list[Paragraph]:
        return [P(t(f"pdf.col.{k}"), s.cell_bold) for k in keys]

    unknown = t("pdf.unknown")
    age = p.age_on(assessment.assessed_on)
    sites = ", ".join(t(f"profile.value.bone_sites.{x}") for x in p.bone_sites) or unknown
    completed = (esc(p.completed_by) or t("pdf.not_recorded")) + (
        f" ({t(f'profile.value.role.{p.completed_role}')})" if p.completed_role else ""
    )
    facts = [
        (t("pdf.profile.name"), esc(p.name)),
        (t("pdf.profile.age_sex"), f"{age if age is not None else unknown}, {t(f'profile.value.sex.{p.sex}')}"),
        (t("pdf.profile.primary_cancer"), esc(p.primary_cancer) or unknown),
        (t("pdf.profile.bone_sites"), sites),
        (t("pdf.profile.lesion_type"), t(f"profile.value.lesion_type.{p.lesion_type}")),
        (t("pdf.profile.walking_aid"), t(f"profile.value.walking_aid.{p.walking_aid}")),
        (t("pdf.profile.falls"), unknown if p.falls_last_12_months is None else str(p.falls_last_12_months)),
        (t("pdf.profile.home"), f"{_yn(p.lives_alone)} / {_yn(p.caregiver_present)}"),
        (t("pdf.profile.completed_by"), completed),
        (
            t("pdf.profile.assessed_on"),
            t(
                "pdf.profile.assessed_on_value",
                day=assessment.assessed_on,
                label=checklist.label,
                mode=mode,
            ),
        ),
    ]
    about = " \u00b7 ".join(t("pdf.profile.fact", label=label, value=value) for label, value in facts)
    title = ParagraphStyle("ctitle", parent=s.ch1, fontSize=s.ch1.fontSize * 1.3, leading=s.ch1.leading * 1.3)
    story: list[Any] = [Paragraph(t("pdf.clinician.title"), title), Paragraph(about, s.cell)]

    # warning signs first (the urgency row): how many were asked, each reported one with its tier, or which were not
    skipped = {r.item_id for r in result.items if r.status == "skipped"}
    total = sum(1 for _, item in checklist.items() if item.red_flag and item.id not in skipped)
    asked = total - len(plan.unchecked_signs)
    signs = [t("pdf.clinician.signs_count", reported=len(plan.red_flags), asked=asked, total=total)]
    signs += [
        t("pdf.clinician.sign_line", tier=t(f"urgency.short.{f.urgency}"), sign=esc(f.prompt)) for f in plan.red_flags
    ]
    signs += [t("pdf.clinician.sign_unchecked", sign=esc(u.prompt)) for u in plan.unchecked_signs]

    story.append(Spacer(1, s.base * 0.4))
    score_rows = [heads("measure", "result")]
    for output in outputs(checklist, result, mode):
        cell = [f"<b>{esc(output.label)}</b>", t("pdf.clinician.because", reason=esc(output.because))]
        details = signs if output.key == "urgency" else [esc(d) for d in output.details]
        score_rows.append([P(esc(output.title)), P("<br/>".join(cell + details))])
    story.append(_table(score_rows, [s.base * 7.5, width - s.base * 7.5], s))  # "Completeness" whole at 16 pt

    if plan.actions:
        top = plan.actions[:TOP_HAZARDS]
        story.append(Paragraph(t("pdf.clinician.top", shown=len(top), total=len(plan.actions)), s.ch1))
        for a in top:
            where = " / ".join(esc(room) for room in a.rooms)
            text = t("pdf.clinician.top_line", where=where, action=esc(a.action), severity=t(f"severity.{a.severity}"))
            story.append(Paragraph(text, s.cell_bullet, bulletText="\u2022"))
    if plan.referrals:
        story.append(Paragraph(t("pdf.clinician.referrals"), s.ch1))
        for r in plan.referrals:
            text = t("pdf.clinician.referral_line", name=esc(r.name), reasons="; ".join(esc(x) for x in r.reasons))
            story.append(Paragraph(text, s.cell_bullet, bulletText="\u2022"))

    if comparison is not None:
        story.append(Paragraph(t("pdf.clinician.since", day=comparison.previous_date), s.ch1))
        story += [Paragraph(esc(line), s.cell_bullet, bulletText="\u2022") for line in comparison.summary_lines()]
        for label, ids in comparison.groups():
            if not ids:
                continue
            named = []
            for i in ids:
                prompt = esc(checklist.item(i).reported_as(mode))
                change = comparison.value_change(i)
                if change:
                    prompt = t("pdf.clinician.change", item=prompt, before=esc(change[0]), after=esc(change[1]))
                named.append(prompt)
            line = f"<b>{esc(label)} ({len(ids)})</b>: " + "; ".join(named)
            story.append(Paragraph(line, s.cell_bullet, bulletText="\u2022"))

    story.append(Paragraph(esc(recheck_text(plan)), s.cell))
    story.append(Paragraph(esc(result.disclaimer), s.cell))

    # the appendix: hazards and notes (every item on request)
    statuses = {r.item_id: r for r in result.items}
    # keepWithNext would carry the whole table to the next page: keep the heading with its first rows only
    story.append(CondPageBreak(s.base * 8))
    appendix = ParagraphStyle("appendix", parent=s.ch1, keepWithNext=0)
    story.append(Paragraph(t("pdf.clinician.every_item" if all_items else "pdf.clinician.appendix"), appendix))
    rows = [heads("item", "answer")]
    section_rows: list[int] = []
    note_rows: list[int] = []
    for section in checklist.sections:
        shown = []
        for item in section.items:
            status = statuses[item.id]
            if status.status == "skipped":
                continue
            written = status.note or (item.answer.is_free_text() and status.value)
            if all_items or status.status in ("hazard", "unsafe", "unanswered") or written:
                shown.append(item)
        if not shown:
            continue
        section_rows.append(len(rows))
        rows.append([P(f"<b>{esc(section.title)}</b>"), ""])
        for item in shown:
            status = statuses[item.id]
            mark = t(f"pdf.status.{status.status}")
            answer, note = item.answer.shown(status.value), status.note
            if item.answer.is_free_text() and status.value is not None:
                answer, mark, note = t("pdf.see_note"), "", "\n".join(x for x in (status.value, status.note) if x)
            shown_answer = t("pdf.clinician.answer", answer=esc(answer), mark=mark) if mark else esc(answer)
            rows.append([P(esc(item.prompt_for(mode))), P(shown_answer)])
            if note:  # a note runs across the full width under its item
                note_rows.append(len(rows))
                rows.append([P(t("pdf.clinician.note", note=esc(note))), ""])
    if len(rows) > 1:
        table = _table(rows, [width * 0.7, width * 0.3], s)
        table.setStyle(
            TableStyle(
                [("SPAN", (0, n), (-1, n)) for n in section_rows + note_rows]
                + [("NOSPLIT", (0, n), (-1, n + 1)) for n in section_rows]  # a section row never ends a page
                + [("BACKGROUND", (0, n), (-1, n), colors.HexColor("#EDEDED")) for n in section_rows]
            )
        )
        story.append(table)
    else:
        story.append(Paragraph(t("pdf.clinician.appendix_none"), s.cell))

    sign = [
        Paragraph(t("pdf.clinician.reviewed_by"), s.h2),
        Paragraph(t("pdf.clinician.sign_name"), s.body),
        Spacer(1, s.base),
        Paragraph(t("pdf.clinician.sign"), s.body),
    ]
    story += [Spacer(1, 8), KeepTogether(_box(sign, width, 1, s))]
    return story


def _yn(value: bool | None) -> str:
    return t("pdf.unknown") if value is None else t("pdf.yes" if value else "pdf.no")


def _day(day: date) -> str:
    return t("pdf.date", day=day)


# --------------------------------------------------------------------------- entry point


def render_plan(
    checklist: Checklist,
    assessment: Assessment,
    result: Score,
    plan: Plan,
    options: ReportOptions = ReportOptions(),  # noqa: B008  # frozen: one shared default is safe
    comparison: Comparison | None = None,
) -> bytes:
    """Build the PDF and return its bytes (the caller writes them, atomically)."""
    fonts.register()
    audience, large_print, all_items = options.audience, options.large_print, options.all_items
    base = 16.0 if large_print else 12.0
    styles = _Styles(base)
    buffer = io.BytesIO()
    margin = 0.75 * inch
    title = t("pdf.meta.title.home" if audience == "home" else "pdf.clinician.title")
    doc = BaseDocTemplate(
        buffer,
        pagesize=PAPER[options.paper],
        leftMargin=margin,
        rightMargin=margin,
        topMargin=0.9 * inch,
        bottomMargin=0.95 * inch,
        title=title,
        author="safehome",
        subject=t("pdf.meta.subject"),
        creator="safehome",
        producer="safehome",
        keywords="",
        lang=checklist.language,
        invariant=1,
        initialFontName=fonts.FAMILY,  # no stray Helvetica in the file
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    header_name = _CONTROL.sub("", assessment.profile.name)
    if len(header_name) > 40:
        header_name = header_name[:39] + "\u2026"
    header = t("pdf.header", title=escape(title), name=para_text(header_name))
    if audience == "home":  # plain words: no checklist ids or versions in the handout
        footer = t("pdf.footer.home", day=_day(assessment.assessed_on))
    else:
        footer = t("pdf.footer", day=assessment.assessed_on, label=checklist.label)
    if audience == "home":
        story = _home_story(checklist, assessment, result, plan, styles, doc.width)
    else:
        story = _clinician_story(checklist, assessment, result, plan, styles, doc.width, comparison, all_items)
    doc.build(story, canvasmaker=_numbered_canvas(header, footer, assessment.assessed_on, base))
    return buffer.getvalue()
