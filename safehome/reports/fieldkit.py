"""The OT field kit in the documents: the measurements with what each means for this person, and
the equipment from recommended to installed (the clinician summary's tables; the handout's list)."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph

from safehome.core.models import Checklist
from safehome.core.plan import Plan
from safehome.core.score import Score
from safehome.i18n.words import t
from safehome.reports.styles import Styles, grid, para_text


def measurement_rows(checklist: Checklist, result: Score, mode: str) -> list[tuple[str, str, str]]:
    """(what, as measured, what it means) for every measurement asked of this person, in checklist
    order; one not taken says "not measured" (never "ok")."""
    rows = []
    for result_row in result.items:
        item = checklist.item(result_row.item_id)
        if not item.answer.optional_reading() or result_row.status == "skipped":
            continue
        if result_row.value is None:
            rows.append((item.reported_as(mode), t("length.not_measured").capitalize(), t("pdf.fieldkit.not_checked")))
            continue
        meaning = result_row.reading or ""
        if result_row.status == "hazard":
            meaning = t("pdf.fieldkit.to_act", reading=meaning)
        rows.append((item.reported_as(mode), item.answer.shown(result_row.value), meaning))
    return rows


def clinician_tables(checklist: Checklist, result: Score, plan: Plan, mode: str, s: Styles, width: float) -> list[Any]:
    """The summary's measurements and equipment, each table under its heading."""
    story: list[Any] = []

    def P(text: str, style: Any = s.cell) -> Paragraph:
        return Paragraph(text, style)

    measured = measurement_rows(checklist, result, mode)
    if measured:
        rows = [[P(t(f"pdf.col.{k}"), s.cell_bold) for k in ("item", "measured", "meaning")]]
        rows += [[P(para_text(a)), P(para_text(b)), P(para_text(c))] for a, b, c in measured]
        taken = sum(1 for _, _, c in measured if c != t("pdf.fieldkit.not_checked"))
        heading = P(t("pdf.fieldkit.measurements", taken=taken, asked=len(measured)), s.ch1)
        table = grid(rows, [width * 0.34, width * 0.16, width * 0.5], s)
        story += [CondPageBreak(s.base * 8), heading, table]
    if plan.equipment:
        rows = [[P(t(f"pdf.col.{k}"), s.cell_bold) for k in ("equipment", "progress", "because")]]
        for line in plan.equipment:
            why = "; ".join(para_text(b) for b in line.because) or t("pdf.fieldkit.carried")
            parts = [t("pdf.fieldkit.why", why=why)]
            if line.sizes:
                parts.append(t("pdf.fieldkit.sizes", sizes="; ".join(para_text(x) for x in line.sizes)))
            if line.sizing:
                parts.append(t("pdf.fieldkit.sizing", sizing=para_text(line.sizing)))
            detail = "<br/>".join(parts)
            name = f"<b>{para_text(line.name)}</b>"
            rows.append([P(name), P(para_text(line.progress(clinician=True))), P(detail)])
        pending = sum(1 for line in plan.equipment if line.pending)
        heading = P(t("pdf.fieldkit.equipment", pending=pending, total=len(plan.equipment)), s.ch1)
        story += [CondPageBreak(s.base * 8), heading, grid(rows, [width * 0.26, width * 0.3, width * 0.44], s)]
    return story


def handout_list(plan: Plan, s: Styles, width: float) -> list[Any]:
    """The handout's equipment: what each piece is for, where it is up to and who does the next step
    (a piece the person declined is not listed; the summary keeps it)."""
    shown = [line for line in plan.equipment if line.status != "declined"]
    if not shown:
        return []
    title = Paragraph(t("pdf.home.equipment.title"), s.h1)
    entries = []
    for line in shown:
        text = t(
            "pdf.home.equipment.line",
            name=para_text(line.name),
            solves=para_text(line.solves),
            progress=para_text(line.progress()),
        )
        entries.append(Paragraph(text, s.bullet, bulletText="\u2022"))
    sized = [x for line in shown for x in line.sizes]
    tail = [Paragraph(t("pdf.home.equipment.sizes", sizes=para_text("; ".join(dict.fromkeys(sized)))), s.body)]
    return [KeepTogether([title, Paragraph(t("pdf.home.equipment.what"), s.body), entries[0]]), *entries[1:]] + (
        tail if sized else []
    )
