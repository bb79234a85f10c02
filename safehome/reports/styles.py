"""What both PDFs share: the text styles, the page header and footer with 'Page X of Y', boxes and
tables, and user text made safe for ReportLab's markup."""

from __future__ import annotations

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
    Flowable,
    Paragraph,
    Table,
    TableStyle,
)

from safehome.i18n.words import t
import safehome.reports.fonts as fonts


NOTE_LIMIT = 400  # characters of a note shown in the handout; the clinician summary shows all

PAPER = {"letter": LETTER, "a4": A4}  # the default is core.terms.DEFAULT_PAPER

TOP_HAZARDS = 4  # hazards named on page 1 of the clinician summary; the appendix has them all

FONT_RUN = '<font name="{}">{}</font>'  # Paragraph markup for a run in another font

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def para_text(text: str | None) -> str:
    """User text made safe for Paragraph markup: escaped, control characters dropped, line
    breaks kept, and each run of another script set in a font that has its glyphs."""
    if not text:
        return ""
    text = CONTROL.sub("", text)
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


def numbered_canvas(header: str, footer: str, day: date, base_size: float) -> type[rl_canvas.Canvas]:
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
            size = max(12, base_size - 2)  # 12 pt is the floor for reading, the page's furniture included
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


OWN_WORDS_SHOWN = 160  # characters of each of the person's notes on a first page; the rest follows later


def opening(note: str) -> tuple[str, bool, bool]:
    """The first line of a person's note as a first page shows it: (the line cut to OWN_WORDS_SHOWN,
    whether the line was cut, whether more lines follow)."""
    lines = note.strip().splitlines()
    first = lines[0] if lines else ""
    return first[:OWN_WORDS_SHOWN].rstrip(), len(first) > OWN_WORDS_SHOWN, len(lines) > 1


class Styles:
    def __init__(self, base: float):
        f = fonts.FAMILY
        lead = base * 1.3
        self.base = base
        self.body = ParagraphStyle(
            "body",
            fontName=f,
            fontSize=base,
            leading=lead,
            alignment=TA_LEFT,
            spaceAfter=base * 0.3,
            allowWidows=1,  # (0 would keep a last line company, at a page of large print each)
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


def box(
    flowables: list[Any], width: float, border: float, styles: Styles, shade: bool = False, parts: int = 1
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


def grid(rows: list[list[Any]], widths: list[float], s: Styles, header: bool = True) -> Table:
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


def yes_no(value: bool | None) -> str:
    return t("pdf.unknown") if value is None else t("pdf.yes" if value else "pdf.no")


def day_text(day: date) -> str:
    return t("pdf.date", day=day)
