"""The personalised PDF action plan: a home handout and a clinician summary.

Everything the plan says comes from the domain core (``core.plan.build_plan``); this module
only lays it out. All user text goes through :func:`para_text` before it reaches a
``Paragraph``, so names and notes print exactly as typed and markup in them does nothing.
The same assessment always gives the same bytes (invariant mode, dated by the assessment).
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.units import inch
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageTemplate,
)

from safehome.core.compare import Comparison
from safehome.core.models import Assessment, Checklist
from safehome.core.options import ReportOptions
from safehome.core.plan import Plan
from safehome.core.records import Photo
from safehome.core.score import Score
from safehome.i18n.words import t
import safehome.reports.fonts as fonts
from safehome.reports.clinician import clinician_story
from safehome.reports.home import home_story
from safehome.reports.photos import photo_section
from safehome.reports.styles import CONTROL, PAPER, Styles, day_text, numbered_canvas, para_text


def render_plan(
    checklist: Checklist,
    assessment: Assessment,
    result: Score,
    plan: Plan,
    options: ReportOptions = ReportOptions(),  # noqa: B008  # frozen: one shared default is safe
    comparison: Comparison | None = None,
    amended_on: str | None = None,
    photos: tuple[Photo, ...] = (),
) -> bytes:
    """Build the PDF and return its bytes (the caller writes them, atomically). ``amended_on``: the
    day a finished visit was last amended, said on the clinician summary's page 1. ``photos``: the
    visit's, in the summary's appendix (in the handout only with ``options.with_photos``)."""
    fonts.register()
    audience, large_print, all_items = options.audience, options.large_print, options.all_items
    base = 16.0 if large_print else 12.0
    styles = Styles(base)
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
    header_name = CONTROL.sub("", assessment.profile.name)
    if len(header_name) > 40:
        header_name = header_name[:39] + "\u2026"
    header = t("pdf.header", title=escape(title), name=para_text(header_name))
    if audience == "home":  # plain words: no checklist ids or versions in the handout
        footer = t("pdf.footer.home", day=day_text(assessment.assessed_on))
    else:
        footer = t("pdf.footer", day=assessment.assessed_on, label=checklist.label)
    home = audience == "home"
    shown = photos if (options.with_photos or not home) else ()
    pictures = photo_section(checklist, result, shown, assessment.mode, styles, doc.width, doc.height, home=home)
    if home:
        story = home_story(checklist, assessment, result, plan, styles, doc.width, pictures)
    else:
        story = clinician_story(
            checklist, assessment, result, plan, styles, doc.width, comparison, all_items, amended_on, pictures
        )
    doc.build(story, canvasmaker=numbered_canvas(header, footer, assessment.assessed_on, base))
    return buffer.getvalue()
