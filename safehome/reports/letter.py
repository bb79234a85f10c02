"""A referral letter on one page: the same words as its text form (``Letter.text``), laid out."""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer

from safehome.core.letters import Letter
from safehome.i18n.words import t
import safehome.reports.fonts as fonts
from safehome.reports.styles import PAPER, Styles, box, para_text

BASE = 13.0  # the letter's text is 12 pt (a style's cell size is one point under its base)


def render_letter(letter: Letter, paper: str, language: str) -> tuple[bytes, int]:
    """The letter's PDF, and how many pages it took (the caller asks for fewer lines when over one)."""
    fonts.register()
    s = Styles(BASE)
    buffer = io.BytesIO()
    margin = 0.75 * inch
    doc = BaseDocTemplate(
        buffer,
        pagesize=PAPER[paper],
        leftMargin=margin,
        rightMargin=margin,
        topMargin=0.7 * inch,
        bottomMargin=0.7 * inch,
        title=letter.title,
        author="safehome",
        subject=t("letter.subject"),
        creator="safehome",
        producer="safehome",
        keywords="",
        lang=language,
        invariant=1,
        initialFontName=fonts.FAMILY,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body", leftPadding=0, rightPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])

    def esc(text: str) -> str:
        return para_text(text)

    def bullets(lines: tuple[str, ...] | list[str]) -> list[Any]:
        return [Paragraph(esc(x), s.cell_bullet, bulletText="\u2022") for x in lines]

    title = ParagraphStyle("ltitle", parent=s.ch1, fontSize=s.ch1.fontSize * 1.3, leading=s.ch1.leading * 1.3)
    story: list[Any] = [
        Paragraph(esc(letter.title), title),
        Paragraph(esc(t("letter.dated", day=letter.day)), s.cell),
        Paragraph(
            " \u00b7 ".join(
                t("letter.fact", label=f"<b>{esc(label)}</b>", value=esc(value)) for label, value in letter.about
            ),
            s.cell,
        ),
        Paragraph(t("letter.reason"), s.ch1),
        *bullets(letter.reasons),
        Paragraph(t("letter.asked"), s.ch1),
        Paragraph(esc(letter.asked), s.cell),
    ]
    urgency = [Paragraph(f"<b>{esc(t('letter.urgency', urgency=letter.urgency))}</b>", s.cell)]
    story += [Spacer(1, s.base * 0.3), box(urgency, doc.width, 2, s)]
    for finding in letter.findings:
        story.append(Paragraph(esc(finding.title), s.ch1))
        story += bullets(finding.lines)
        if finding.more:
            story += bullets([t("letter.more", count=finding.more)])
    if letter.trimmed:
        story.append(Paragraph(esc(t("letter.trimmed")), s.cell))
    story += [Spacer(1, s.base * 0.4), *[Paragraph(esc(line), s.cell) for line in letter.signed]]
    doc.build(story)
    return buffer.getvalue(), doc.page
