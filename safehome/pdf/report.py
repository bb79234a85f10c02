"""The personalised PDF action plan: a home handout and a clinician summary.

Everything the plan says comes from the domain core (``scoring.build_plan``); this module
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

from ..compare import Comparison
from ..models import Assessment, Audience, Checklist
from ..models import URGENCIES
from ..scoring import Plan, Score, outputs, recheck_text
from ..words import t
from . import fonts

NOTE_LIMIT = 400  # characters of a note shown in the handout; the clinician summary shows all
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
            self.setFont(fonts.FAMILY + "-Bold", size)
            self.drawString(0.75 * inch, height - 0.55 * inch, header)
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
        )
        self.h2 = ParagraphStyle(
            "h2",
            parent=self.body,
            fontName=f + "-Bold",
            fontSize=base * 1.12,
            leading=base * 1.45,
            spaceBefore=base * 0.5,
            spaceAfter=base * 0.25,
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
        cell = max(10.5, base - 1.5)  # clinician tables only
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=cell, leading=cell * 1.25, spaceAfter=0)
        self.cell_bold = ParagraphStyle("cellb", parent=self.cell, fontName=f + "-Bold")


def _box(flowables: list[Any], width: float, border: float, styles: _Styles, shade: bool = False) -> Table:
    table = Table([[flowables]], colWidths=[width], splitInRow=1)  # a long box flows on to the next page
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


# --------------------------------------------------------------------------- the home handout


def _home_story(
    checklist: Checklist,
    assessment: Assessment,
    result: Score,
    plan: Plan,
    s: _Styles,
    width: float,
    glyphs: frozenset[int],
) -> list[Any]:
    name = para_text(assessment.profile.name, glyphs)
    story: list[Any] = [
        Paragraph(t("pdf.home.title"), s.title),
        Paragraph(t("pdf.home.for", name=name, day=_day(assessment.assessed_on)), s.body),
    ]
    if plan.red_flags:
        inner: list[Any] = [Paragraph(t("pdf.home.flags.title"), s.h1)]
        for tier in URGENCIES:
            tiered = [a for a in plan.red_flags if a.urgency == tier]
            if not tiered:
                continue
            inner.append(Paragraph(t(f"urgency.do.{tier}"), s.bold))
            for action in tiered:
                sign = f"<b>{para_text(action.prompt, glyphs)}</b><br/>{para_text(action.action, glyphs)}"
                inner.append(Paragraph(sign, s.bullet, bulletText="!"))
        story += [Spacer(1, s.base * 0.5), _box(inner, width, 4, s, shade=True)]
    if plan.unchecked_signs:  # never silent: a sign not asked is named on page 1
        unchecked: list[Any] = [Paragraph(t("pdf.unchecked.title"), s.h1), Paragraph(t("pdf.unchecked.what"), s.bold)]
        unchecked += [Paragraph(para_text(u.prompt, glyphs), s.bullet, bulletText="?") for u in plan.unchecked_signs]
        story += [Spacer(1, s.base * 0.5), _box(unchecked, width, 3, s)]
    signs: list[Any] = [Paragraph(t("pdf.home.signs.title"), s.h1)]
    for group in checklist.warning_signs:
        signs.append(Paragraph(para_text(group.title, glyphs), s.h2))
        if group.urgency is not None:
            signs.append(Paragraph(t(f"urgency.do.{group.urgency}"), s.bold))
        signs += [Paragraph(para_text(sign, glyphs), s.bullet, bulletText="\u2022") for sign in group.signs]
    signs.append(Paragraph(t("pdf.home.signs.911"), s.bold))
    story += [Spacer(1, s.base * 0.5), _box(signs, width, 2, s)]

    pending: list[Any] = [Paragraph(t("pdf.home.actions.title"), s.h1)]  # kept with the first action
    if not plan.actions:
        story += [*pending, Paragraph(t("pdf.home.no_hazards"), s.body)]
    box = s.base * 1.3
    for title, actions in plan.by_section:
        heading = Paragraph(para_text(title, glyphs), s.h2)
        for n, action in enumerate(actions):
            priority = t(f"plan.priority.{action.severity}")
            text = [
                Paragraph(f"<b>{para_text(action.action, glyphs)}</b>", s.body),
                Paragraph(t("pdf.home.why", why=para_text(action.why, glyphs)), s.small),
                Paragraph(t("pdf.home.priority", priority=priority, who=t(f"pdf.who.home.{action.who}")), s.small),
                Paragraph(t("pdf.home.done_on"), s.small),
            ]
            if action.note:
                note = action.note if len(action.note) <= NOTE_LIMIT else action.note[:NOTE_LIMIT].rstrip() + "…"
                text.insert(2, Paragraph(t("pdf.home.note", note=para_text(note, glyphs)), s.small))
                if len(action.note) > NOTE_LIMIT:
                    text.insert(3, Paragraph(t("pdf.home.note_shortened"), s.small))
            row = Table([[CheckBox(box), text]], colWidths=[box + s.base, width - box - s.base])
            row.setStyle(
                TableStyle(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("FONTNAME", (0, 0), (-1, -1), fonts.FAMILY),
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("TOPPADDING", (0, 0), (-1, -1), s.base * 0.35),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), s.base * 0.35),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.black),
                    ]
                )
            )
            story.append(KeepTogether([*pending, heading, row]) if n == 0 else KeepTogether([row]))
            pending = []

    if plan.advice:
        story.append(CondPageBreak(s.base * 8))
        story.append(Paragraph(t("pdf.home.advice"), s.h1))
        story += [Paragraph(para_text(text, glyphs), s.bullet, bulletText="\u2022") for text in plan.advice]
    if plan.referrals:
        story.append(CondPageBreak(s.base * 6))
        story.append(Paragraph(t("pdf.home.referrals"), s.h1))
        story += [Paragraph(f"<b>{r.name}</b>", s.bullet, bulletText="\u2022") for r in plan.referrals]
    story.append(CondPageBreak(s.base * 6))
    story.append(Paragraph(t("pdf.home.recheck.title"), s.h1))
    if plan.recheck_on is None:
        story.append(Paragraph(t("pdf.home.recheck_finish"), s.body))
    else:
        story.append(Paragraph(t("pdf.home.recheck", day=_day(plan.recheck_on)), s.body))
    if plan.unanswered:
        story.append(Paragraph(t("pdf.home.unanswered", count=len(plan.unanswered)), s.body))
    about = [
        Paragraph(t("pdf.home.about.title"), s.h2),
        Paragraph(t("pdf.home.about") + " " + para_text(plan.disclaimer, glyphs), s.small),
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


def _clinician_story(
    checklist: Checklist,
    assessment: Assessment,
    result: Score,
    plan: Plan,
    s: _Styles,
    width: float,
    glyphs: frozenset[int],
    comparison: Comparison | None,
) -> list[Any]:
    p = assessment.profile

    def P(text: str, style: ParagraphStyle = s.cell) -> Paragraph:  # a short name for a table cell
        return Paragraph(text, style)

    def esc(text: str | None) -> str:
        return para_text(text, glyphs)

    def heads(*keys: str) -> list[Paragraph]:
        return [P(t(f"pdf.col.{k}"), s.cell_bold) for k in keys]

    unknown = t("pdf.unknown")
    age = p.age_on(assessment.assessed_on)
    sites = ", ".join(t(f"profile.value.bone_sites.{x}") for x in p.bone_sites) or unknown
    completed = (esc(p.completed_by) or t("pdf.not_recorded")) + (f" ({p.completed_role})" if p.completed_role else "")
    profile_rows = [
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
                day=assessment.assessed_on.isoformat(),
                label=checklist.label,
                mode=assessment.mode,
            ),
        ),
    ]
    story: list[Any] = [
        Paragraph(t("pdf.clinician.title"), s.title),
        _table([[P(a, s.cell_bold), P(b)] for a, b in profile_rows], [width * 0.32, width * 0.68], s, header=False),
        Paragraph(t("pdf.clinician.result"), s.h1),
    ]
    score_rows = [heads("measure", "result")]
    for output in outputs(checklist, result, assessment.mode):
        label = f"<b>{esc(output.label)}</b>"
        lines = [label, t("pdf.clinician.because", reason=esc(output.because)), *(esc(d) for d in output.details)]
        score_rows.append([P(esc(output.title)), P("<br/>".join(lines))])
    story.append(_table(score_rows, [width * 0.38, width * 0.62], s))
    story.append(Paragraph(esc(result.disclaimer), s.small))

    if comparison is not None:
        story.append(Paragraph(t("pdf.clinician.since", day=comparison.previous_date.isoformat()), s.h1))
        rows = [heads("change", "items")]
        rows += [
            [P(t("pdf.clinician.output_change")), P("<br/>".join(esc(line) for line in comparison.summary_lines()))]
        ]
        for label, ids in comparison.groups():
            names = "<br/>".join(esc(checklist.item(i).prompt_for(assessment.mode)) for i in ids)
            rows.append([P(t("pdf.clinician.group", label=esc(label), count=len(ids))), P(names or t("pdf.none"))])
        story.append(_table(rows, [width * 0.3, width * 0.7], s))

    story.append(Paragraph(t("pdf.clinician.by_section"), s.h1))
    rows = [heads("section", "hazards", "points", "answered", "na", "unanswered")]
    for sec in result.sections:
        if sec.applicable:
            rows.append(
                [
                    P(esc(sec.title)),
                    P(str(sec.hazards)),
                    P(str(sec.points)),
                    P(str(sec.answered)),
                    P(str(sec.not_applicable)),
                    P(str(sec.unanswered)),
                ]
            )
    story.append(_table(rows, [width * 0.30] + [width * 0.14] * 5, s))

    story.append(Paragraph(t("pdf.clinician.actions"), s.h1))
    rows = [heads("number", "action", "who", "source")]
    for n, a in enumerate(list(plan.red_flags) + list(plan.actions), 1):
        flag = t("pdf.clinician.warning_sign") if a.red_flag else ""
        detail = t("pdf.clinician.action_detail", section=esc(a.section_title), severity=a.severity, points=a.points)
        rows.append(
            [
                P(str(n)),
                P(f"<b>{flag}{esc(a.action)}</b><br/>{detail}"),
                P(t(f"pdf.who.clinician.{a.who}")),
                P(esc(a.source)),
            ]
        )
    if len(rows) > 1:
        story.append(_table(rows, [width * 0.06, width * 0.56, width * 0.14, width * 0.24], s))
    else:
        story.append(Paragraph(t("cli.score.no_hazards"), s.body))

    if plan.referrals:
        story.append(Paragraph(t("pdf.clinician.referrals"), s.h1))
        rows = [heads("to", "reason")]
        for r in plan.referrals:
            rows.append([P(esc(r.name)), P("<br/>".join(esc(x) for x in r.reasons))])
        story.append(_table(rows, [width * 0.3, width * 0.7], s))

    story.append(Paragraph(t("pdf.clinician.every_item"), s.h1))
    statuses = {r.item_id: r for r in result.items}
    rows = [heads("item", "answer", "result", "note")]
    section_rows: list[int] = []
    for section in checklist.sections:
        shown = [item for item in section.items if statuses[item.id].status != "skipped"]
        if not shown:
            continue
        section_rows.append(len(rows))
        rows.append([P(f"<b>{esc(section.title)}</b>"), "", "", ""])
        for item in shown:
            status = statuses[item.id]
            mark = t(f"pdf.status.{status.status}")
            answer, note = item.answer.shown(status.value), status.note
            if item.answer.is_free_text() and status.value is not None:
                answer, mark, note = t("pdf.see_note"), "", "\n".join(x for x in (status.value, status.note) if x)
            rows.append([P(esc(item.prompt_for(assessment.mode))), P(esc(answer)), P(mark), P(esc(note))])
    table = _table(rows, [width * 0.42, width * 0.16, width * 0.14, width * 0.28], s)
    table.setStyle(
        TableStyle(
            [("SPAN", (0, n), (-1, n)) for n in section_rows]
            + [("BACKGROUND", (0, n), (-1, n), colors.HexColor("#EDEDED")) for n in section_rows]
        )
    )
    story.append(table)

    if plan.unanswered:
        story.append(Paragraph(t("pdf.clinician.unanswered"), s.h1))
        story += [
            Paragraph(f"{esc(u.section_title)}: {esc(u.prompt)}", s.bullet, bulletText="\u2022")
            for u in plan.unanswered
        ]

    story.append(Spacer(1, 8))
    story.append(Paragraph(esc(recheck_text(plan)), s.body))
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
    return t("pdf.date", day=day, d=day.day)


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
    title = t("pdf.meta.title.home" if audience == "home" else "pdf.clinician.title")
    doc = BaseDocTemplate(
        buffer,
        pagesize=LETTER,
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
    header_name = "".join(ch if ord(ch) in glyphs else "?" for ch in header_name)
    if len(header_name) > 40:
        header_name = header_name[:39] + "\u2026"
    header = t("pdf.header", title=title, name=header_name)
    footer = t("pdf.footer", day=assessment.assessed_on.isoformat(), label=checklist.label)
    if audience == "home":
        story = _home_story(checklist, assessment, result, plan, styles, doc.width, glyphs)
    else:
        story = _clinician_story(checklist, assessment, result, plan, styles, doc.width, glyphs, comparison)
    doc.build(story, canvasmaker=_numbered_canvas(header, footer, assessment.assessed_on, base))
    return buffer.getvalue()
