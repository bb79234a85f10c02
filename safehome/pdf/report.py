"""The personalised PDF action plan: a home handout and a clinician summary.

Everything the plan says comes from the domain core (``scoring.build_plan``); this module
only lays it out. All user text goes through :func:`para_text` before it reaches a
``Paragraph``, so names and notes print exactly as typed and markup in them does nothing.
The same assessment always gives the same bytes (invariant mode, dated by the assessment).
"""

from __future__ import annotations

import calendar
import io
import re
import time
from datetime import date
from typing import Any, Literal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from ..models import NOT_APPLICABLE, Assessment, Checklist, ChoiceAnswer, NumberAnswer, ScaleAnswer, TextAnswer
from ..compare import Comparison
from ..scoring import BAND_LABELS, Plan, Score
from . import fonts

Audience = Literal["home", "clinician"]

WHO_HOME = {"person": "You", "caregiver": "A caregiver or helper", "team": "Your healthcare team"}
WHO_CLINICIAN = {"person": "Person", "caregiver": "Caregiver", "team": "Healthcare team"}
NOTE_LIMIT = 400  # characters of a note shown in the handout; the clinician summary shows all
SUBJECT = "Falls and mobility safety at home with bone metastases"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def para_text(text: str | None, glyphs: frozenset[int] | None = None) -> str:
    """User text made safe for Paragraph markup: escaped, control characters dropped,
    line breaks kept, and characters the font cannot draw shown as '?'."""
    if not text:
        return ""
    text = _CONTROL.sub("", text)
    if glyphs is not None:
        text = "".join(ch if ord(ch) in glyphs or ch in "\n\t" else "?" for ch in text)
    return escape(text).replace("\n", "<br/>")


class CheckBox(Flowable):
    """An empty square to tick by hand."""

    def __init__(self, size: float):
        super().__init__()
        self.size = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        self.canv.setLineWidth(1.5)
        self.canv.rect(0, 0, self.size, self.size, stroke=1, fill=0)


def _numbered_canvas(header: str, footer: str, day: date, base_size: float):
    """A canvas class that writes "Page X of Y" (two passes over saved page states)."""
    epoch = calendar.timegm(day.timetuple())
    stamp = time.gmtime(epoch)

    class NumberedCanvas(rl_canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any):
            super().__init__(*args, **kwargs)
            ts = self._doc._timeStamp  # date the file by the assessment, not the clock
            ts.t, ts.lt, ts.YMDhms = epoch, stamp, tuple(stamp)[:6]
            ts.dhh = ts.dmm = 0
            ts.tzname = "UTC"
            self._saved: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
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
            self.setFont(fonts.FAMILY + "-Bold", size)
            self.drawString(0.75 * inch, height - 0.55 * inch, header)
            self.setLineWidth(0.8)
            self.line(0.75 * inch, height - 0.62 * inch, width - 0.75 * inch, height - 0.62 * inch)
            self.setFont(fonts.FAMILY, size)
            self.line(0.75 * inch, 0.72 * inch, width - 0.75 * inch, 0.72 * inch)
            self.drawString(0.75 * inch, 0.5 * inch, footer)
            self.drawRightString(width - 0.75 * inch, 0.5 * inch, f"Page {self._pageNumber} of {total}")

    return NumberedCanvas


class _Styles:
    def __init__(self, base: float):
        f = fonts.FAMILY
        lead = base * 1.3
        self.base = base
        self.body = ParagraphStyle("body", fontName=f, fontSize=base, leading=lead, alignment=TA_LEFT, spaceAfter=base * 0.3)
        # Secondary lines of the handout stay at the body size: 12 pt is the floor for reading.
        self.small = ParagraphStyle("small", parent=self.body)
        self.bold = ParagraphStyle("bold", parent=self.body, fontName=f + "-Bold")
        self.title = ParagraphStyle("title", parent=self.body, fontName=f + "-Bold", fontSize=base * 1.8, leading=base * 2.2, spaceAfter=base * 0.4)
        self.h1 = ParagraphStyle("h1", parent=self.body, fontName=f + "-Bold", fontSize=base * 1.35, leading=base * 1.7, spaceBefore=base * 0.9, spaceAfter=base * 0.4)
        self.h2 = ParagraphStyle("h2", parent=self.body, fontName=f + "-Bold", fontSize=base * 1.12, leading=base * 1.45, spaceBefore=base * 0.5, spaceAfter=base * 0.25)
        self.bullet = ParagraphStyle(
            "bullet", parent=self.body, leftIndent=base * 1.2, bulletIndent=base * 0.2, spaceAfter=base * 0.15,
            bulletFontName=f + "-Bold", bulletFontSize=base,
        )
        cell = max(10.5, base - 1.5)  # clinician tables only
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=cell, leading=cell * 1.25, spaceAfter=0)
        self.cell_bold = ParagraphStyle("cellb", parent=self.cell, fontName=f + "-Bold")


def _box(flowables: list[Any], width: float, border: float, styles: _Styles, shade: bool = False) -> Table:
    table = Table([[flowables]], colWidths=[width])
    commands = [
        ("BOX", (0, 0), (-1, -1), border, colors.black),
        ("FONTNAME", (0, 0), (-1, -1), fonts.FAMILY),
        ("LEFTPADDING", (0, 0), (-1, -1), styles.base * 0.8),
        ("RIGHTPADDING", (0, 0), (-1, -1), styles.base * 0.8),
        ("TOPPADDING", (0, 0), (-1, -1), styles.base * 0.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), styles.base * 0.6),
    ]
    if shade:
        commands.append(("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#EDEDED")))
    table.setStyle(TableStyle(commands))
    return table


def _answer_text(checklist: Checklist, item_id: str, value: Any) -> str:
    if value is None:
        return "not answered"
    if value == NOT_APPLICABLE:
        return "not applicable"
    spec = checklist.item(item_id).answer
    if isinstance(spec, ChoiceAnswer):
        return spec.label(value)
    if isinstance(spec, NumberAnswer):
        return f"{value:g} {spec.unit}"
    if isinstance(spec, ScaleAnswer):
        return f"{value:g} of 10"
    if value in ("yes", "no"):
        return value.capitalize()
    return str(value)


# --------------------------------------------------------------------------- the home handout


def _home_story(checklist: Checklist, assessment: Assessment, result: Score, plan: Plan, s: _Styles, width: float, glyphs: frozenset[int]) -> list[Any]:
    name = para_text(assessment.profile.name, glyphs)
    story: list[Any] = [
        Paragraph("Your home safety action plan", s.title),
        Paragraph(f"For <b>{name}</b>, made on {assessment.assessed_on:%B %-d, %Y}.", s.body),
    ]
    if plan.red_flags:
        inner: list[Any] = [
            Paragraph("You told us about warning signs. Call your healthcare team today.", s.h1),
            Paragraph("Do this before anything else on this plan. If the signs are severe or getting worse fast, call 911.", s.bold),
        ]
        for action in plan.red_flags:
            inner.append(Paragraph(f"<b>{para_text(action.prompt, glyphs)}</b><br/>{para_text(action.action, glyphs)}", s.bullet, bulletText="!"))
        story += [Spacer(1, s.base * 0.5), _box(inner, width, 4, s, shade=True)]
    signs: list[Any] = [Paragraph("Call your healthcare team now if you have any of these", s.h1)]
    for group in checklist.warning_signs:
        signs.append(Paragraph(para_text(group.title, glyphs), s.h2))
        signs += [Paragraph(para_text(sign, glyphs), s.bullet, bulletText="\u2022") for sign in group.signs]
    signs.append(Paragraph("If the signs are severe or come on fast, call 911 or go to the nearest emergency department.", s.bold))
    story += [Spacer(1, s.base * 0.5), _box(signs, width, 2, s)]

    pending: list[Any] = [Paragraph("What to do, most important first", s.h1)]  # kept with the first action
    if not plan.actions:
        story += pending + [Paragraph("No hazards were found. Keep doing what you are doing, and check again on the date below.", s.body)]
    box = s.base * 1.3
    who = WHO_HOME
    for title, actions in plan.by_section:
        heading = Paragraph(para_text(title, glyphs), s.h2)
        for n, action in enumerate(actions):
            priority = {"high": "Most important", "medium": "Important", "low": "Good to do"}[action.severity]
            text = [
                Paragraph(f"<b>{para_text(action.action, glyphs)}</b>", s.body),
                Paragraph(f"Why: {para_text(action.why, glyphs)}", s.small),
                Paragraph(f"Priority: {priority}. Who: {who[action.who]}.", s.small),
                Paragraph("Done on: ________________", s.small),
            ]
            if action.note:
                note = action.note if len(action.note) <= NOTE_LIMIT else action.note[:NOTE_LIMIT].rstrip() + "…"
                text.insert(2, Paragraph(f"Note: {para_text(note, glyphs)}", s.small))
                if len(action.note) > NOTE_LIMIT:
                    text.insert(3, Paragraph("(The note is shortened here; the clinician summary has all of it.)", s.small))
            row = Table([[CheckBox(box), text]], colWidths=[box + s.base, width - box - s.base])
            row.setStyle(TableStyle([
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), fonts.FAMILY),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), s.base * 0.35),
                ("BOTTOMPADDING", (0, 0), (-1, -1), s.base * 0.35),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.black),
            ]))
            story.append(KeepTogether(pending + [heading, row]) if n == 0 else KeepTogether([row]))
            pending = []

    if plan.advice:
        story.append(CondPageBreak(s.base * 8))
        story.append(Paragraph("Moving safely with your bones", s.h1))
        story += [Paragraph(para_text(text, glyphs), s.bullet, bulletText="\u2022") for text in plan.advice]
    if plan.referrals:
        story.append(CondPageBreak(s.base * 6))
        story.append(Paragraph("Ask your healthcare team about", s.h1))
        story += [Paragraph(f"<b>{r.name}</b>", s.bullet, bulletText="\u2022") for r in plan.referrals]
    story.append(CondPageBreak(s.base * 6))
    story.append(Paragraph("Check again", s.h1))
    story.append(Paragraph(f"Go through this check again by <b>{plan.recheck_on:%B %-d, %Y}</b>, or sooner if anything changes: a fall, new pain, new treatment, or a move to a new home.", s.body))
    if plan.unanswered:
        story.append(Paragraph(f"{len(plan.unanswered)} question(s) were not answered. Answer them next time, so the plan can cover them.", s.body))
    about = [
        Paragraph("What this plan is and is not", s.h2),
        Paragraph(
            "This plan lists ways to make falls less likely at home, based on your answers. It is not medical advice "
            "and does not replace your healthcare team. Talk to them before you change how you move, exercise or take "
            "your medicines. " + para_text(plan.disclaimer, glyphs),
            s.small,
        ),
    ]
    story += [Spacer(1, s.base * 0.6), KeepTogether(_box(about, width, 1, s))]
    return story


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


def _clinician_story(checklist: Checklist, assessment: Assessment, result: Score, plan: Plan, s: _Styles, width: float, glyphs: frozenset[int], comparison: Comparison | None) -> list[Any]:
    p = assessment.profile
    P = lambda text, style=s.cell: Paragraph(text, style)  # noqa: E731
    t = lambda text: para_text(text, glyphs)  # noqa: E731
    age = p.age_on(assessment.assessed_on)
    profile_rows = [
        ["Name", t(p.name)],
        ["Age, sex", f"{age if age is not None else 'unknown'}, {p.sex}"],
        ["Primary cancer", t(p.primary_cancer) or "unknown"],
        ["Bone sites", ", ".join(x.replace("_", " ") for x in p.bone_sites) or "unknown"],
        ["Lesion type", p.lesion_type],
        ["Walking aid", p.walking_aid],
        ["Falls, last 12 months", "unknown" if p.falls_last_12_months is None else str(p.falls_last_12_months)],
        ["Lives alone / caregiver present", f"{_yn(p.lives_alone)} / {_yn(p.caregiver_present)}"],
        ["Completed by", (t(p.completed_by) or "not recorded") + (f" ({p.completed_role})" if p.completed_role else "")],
        ["Assessed on", f"{assessment.assessed_on.isoformat()}, {checklist.label}, {assessment.mode} mode"],
    ]
    story: list[Any] = [
        Paragraph("Home safety assessment: clinician summary", s.title),
        _table([[P(a, s.cell_bold), P(b)] for a, b in profile_rows], [width * 0.32, width * 0.68], s, header=False),
        Paragraph("Result", s.h1),
    ]
    score_rows = [[P("Measure", s.cell_bold), P("Result", s.cell_bold)]]
    score_rows.append([P("Overall band"), P(f"<b>{BAND_LABELS[result.band]}</b>; " + "; ".join(t(r) for r in result.band_reasons))])
    score_rows.append([P("Hazards"), P(f"{result.hazards} hazards, {result.points} points; {result.answered} of {result.applicable} answered, {result.unanswered} unanswered")])
    if result.steadi:
        st = result.steadi
        score_rows.append([P("CDC STEADI Stay Independent"), P(f"{st.score} of 14: {st.band} (cut-off 4)" + ("" if st.complete else f"; only {st.answered} of {st.questions} answered"))])
    for m in result.measures:
        score_rows.append([P(t(checklist.item(m.item_id).prompt)), P(t(m.judgement))])
    story.append(_table(score_rows, [width * 0.38, width * 0.62], s))
    story.append(Paragraph(t(result.disclaimer), s.small))

    if plan.red_flags:
        inner = [Paragraph("Warning signs reported: contact the treating team today", s.h2)]
        inner += [Paragraph(t(a.prompt), s.bullet, bulletText="!") for a in plan.red_flags]
        story += [Spacer(1, 6), _box(inner, width, 3, s, shade=True)]

    if comparison is not None:
        story.append(Paragraph(f"Since the last assessment ({comparison.previous_date.isoformat()})", s.h1))
        rows = [[P("Change", s.cell_bold), P("Items", s.cell_bold)]]
        rows.append([P("Band"), P(f"{BAND_LABELS[comparison.previous_band]} to {BAND_LABELS[comparison.current_band]} ({comparison.band_change}); points {comparison.points_before} to {comparison.points_after}")])
        if comparison.steadi_before is not None and comparison.steadi_after is not None:
            rows.append([P("STEADI"), P(f"{comparison.steadi_before} to {comparison.steadi_after} of 14")])
        for label, ids in (("New warning signs", comparison.new_red_flags), ("Hazards resolved", comparison.resolved), ("New hazards", comparison.new), ("Unchanged hazards", comparison.unchanged), ("Not rechecked", comparison.not_rechecked)):
            names = "<br/>".join(t(checklist.item(i).prompt_for(assessment.mode)) for i in ids)
            rows.append([P(f"{label} ({len(ids)})"), P(names or "none")])
        story.append(_table(rows, [width * 0.3, width * 0.7], s))

    story.append(Paragraph("Hazards by section", s.h1))
    rows = [[P(h, s.cell_bold) for h in ("Section", "Hazards", "Points", "Answered", "N/A", "Unanswered")]]
    for sec in result.sections:
        if sec.applicable:
            rows.append([P(t(sec.title)), P(str(sec.hazards)), P(str(sec.points)), P(str(sec.answered)), P(str(sec.not_applicable)), P(str(sec.unanswered))])
    story.append(_table(rows, [width * 0.30] + [width * 0.14] * 5, s))

    story.append(Paragraph("Actions by priority", s.h1))
    rows = [[P(h, s.cell_bold) for h in ("#", "Action", "Who", "Source")]]
    for n, a in enumerate(list(plan.red_flags) + list(plan.actions), 1):
        flag = "WARNING SIGN. " if a.red_flag else ""
        rows.append([P(str(n)), P(f"<b>{flag}{t(a.action)}</b><br/>{t(a.section_title)}; {a.severity}, {a.points} pt"), P(WHO_CLINICIAN[a.who]), P(t(a.source))])
    if len(rows) > 1:
        story.append(_table(rows, [width * 0.06, width * 0.56, width * 0.14, width * 0.24], s))
    else:
        story.append(Paragraph("No hazards found.", s.body))

    if plan.referrals:
        story.append(Paragraph("Referrals", s.h1))
        rows = [[P("To", s.cell_bold), P("Reason", s.cell_bold)]]
        for r in plan.referrals:
            rows.append([P(r.name), P("<br/>".join(t(x) for x in r.reasons))])
        story.append(_table(rows, [width * 0.3, width * 0.7], s))

    story.append(Paragraph("Every item", s.h1))
    statuses = {r.item_id: r for r in result.items}
    rows = [[P(h, s.cell_bold) for h in ("Item", "Answer", "Result", "Note")]]
    section_rows: list[int] = []
    for section in checklist.sections:
        shown = [item for item in section.items if statuses[item.id].status != "skipped"]
        if not shown:
            continue
        section_rows.append(len(rows))
        rows.append([P(f"<b>{t(section.title)}</b>"), "", "", ""])
        for item in shown:
            r = statuses[item.id]
            mark = {"hazard": "<b>HAZARD</b>", "ok": "ok", "na": "n/a", "unanswered": "<b>NOT ANSWERED</b>"}[r.status]
            answer, note = _answer_text(checklist, item.id, r.value), r.note
            if isinstance(item.answer, TextAnswer) and r.value is not None:
                answer, mark, note = "see note", "", "\n".join(x for x in (r.value, r.note) if x)
            rows.append([P(t(item.prompt_for(assessment.mode))), P(t(answer)), P(mark), P(t(note))])
    table = _table(rows, [width * 0.42, width * 0.16, width * 0.14, width * 0.28], s)
    table.setStyle(TableStyle(
        [("SPAN", (0, n), (-1, n)) for n in section_rows]
        + [("BACKGROUND", (0, n), (-1, n), colors.HexColor("#EDEDED")) for n in section_rows]
    ))
    story.append(table)

    if plan.unanswered:
        story.append(Paragraph("Unanswered items", s.h1))
        story += [Paragraph(f"{t(u.section_title)}: {t(u.prompt)}", s.bullet, bulletText="\u2022") for u in plan.unanswered]

    story.append(Spacer(1, 8))
    story.append(Paragraph(f"Check again by {plan.recheck_on.isoformat()} ({plan.recheck_days} days).", s.body))
    sign = [
        Paragraph("Reviewed by", s.h2),
        Paragraph("Name: ____________________________________   Role: ______________________", s.body),
        Spacer(1, s.base),
        Paragraph("Signature: _______________________________   Date: ______________________", s.body),
    ]
    story += [Spacer(1, 8), KeepTogether(_box(sign, width, 1, s))]
    return story


def _yn(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


# --------------------------------------------------------------------------- entry point


def render_plan(
    checklist: Checklist,
    assessment: Assessment,
    result: Score,
    plan: Plan,
    *,
    audience: Audience = "home",
    large_print: bool = False,
    comparison: Comparison | None = None,
) -> bytes:
    """Build the PDF and return its bytes (the caller writes them, atomically)."""
    glyphs = fonts.register()
    base = 16.0 if large_print else 12.0
    styles = _Styles(base)
    buffer = io.BytesIO()
    margin = 0.75 * inch
    title = "Home safety action plan" if audience == "home" else "Home safety assessment: clinician summary"
    doc = BaseDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=0.9 * inch,
        bottomMargin=0.95 * inch,
        title=title,
        author="safehome",
        subject=SUBJECT,
        creator="safehome",
        producer="safehome",
        keywords="",
        lang=checklist.language,
        invariant=1,
        initialFontName=fonts.FAMILY,  # no stray Helvetica in the file
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    header_name = _CONTROL.sub("", assessment.profile.name)
    header_name = "".join(ch if ord(ch) in glyphs else "?" for ch in header_name)
    if len(header_name) > 40:
        header_name = header_name[:39] + "\u2026"
    header = f"{title}: {header_name}"
    footer = f"Assessed {assessment.assessed_on.isoformat()} \u00b7 {checklist.id} v{checklist.version}"
    if audience == "home":
        story = _home_story(checklist, assessment, result, plan, styles, doc.width, glyphs)
    else:
        story = _clinician_story(checklist, assessment, result, plan, styles, doc.width, glyphs, comparison)
    doc.build(story, canvasmaker=_numbered_canvas(header, footer, assessment.assessed_on, base))
    return buffer.getvalue()
