"""The clinician summary: the whole story on page 1, then the findings, the plan and every answer."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    KeepTogether,
    CondPageBreak,
    Paragraph,
    Spacer,
    TableStyle,
)

from safehome.core.compare import Comparison
from safehome.core.models import Assessment, Checklist
from safehome.core.plan import Plan
from safehome.core.profile import site_words
from safehome.core.score import Score
from safehome.core.outputs import outputs, pain_ratings, recheck_text
from safehome.i18n.words import t
from safehome.reports.fieldkit import clinician_tables
from safehome.reports.styles import TOP_HAZARDS, opening, Styles, box, grid, para_text, yes_no


def clinician_story(
    checklist: Checklist,
    assessment: Assessment,
    result: Score,
    plan: Plan,
    s: Styles,
    width: float,
    comparison: Comparison | None,
    all_items: bool,
    amended_on: str | None = None,
    pictures: list[Any] | None = None,
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
    sites = "; ".join(site_words(p)) or unknown
    classes = "; ".join(t(f"profile.value.medicine_classes.{x}") for x in p.medicine_classes)
    names = ", ".join(esc(name) for name in p.medicines)
    medicines = (
        t("pdf.profile.medicines_named", classes=classes, names=names) if classes and names else classes or names
    ) or t("pdf.not_recorded")
    # pain as the person rated it (the pain sections' scales), "not answered" when it was not
    statuses = {r.item_id: r for r in result.items}
    pain = [esc(rated) for rated in pain_ratings(checklist, result, assessment.mode)]
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
        (t("pdf.profile.medicines"), medicines),
        *([(t("pdf.profile.pain"), "; ".join(pain))] if pain else []),
        (t("pdf.profile.falls"), unknown if p.falls_last_12_months is None else str(p.falls_last_12_months)),
        (t("pdf.profile.home"), f"{yes_no(p.lives_alone)} / {yes_no(p.caregiver_present)}"),
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
    if amended_on:  # a finished visit changed afterwards: the summary says so, with the day
        facts.append((t("pdf.profile.amended"), esc(amended_on)))
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
    story.append(grid(score_rows, [s.base * 7.5, width - s.base * 7.5], s))  # "Completeness" whole at 16 pt
    if result.own_words:  # the person's own words beside the warning signs, before any plan
        own: list[Any] = [Paragraph(t("pdf.clinician.own_words.title"), s.ch1)]
        for noted_id, noted in result.own_words:
            excerpt, long_line, more = opening(noted)
            if long_line or more:
                excerpt += "\u2026 " + t("pdf.clinician.own_words.rest")
            question = checklist.item(noted_id).prompt_for(mode)
            own.append(Paragraph(t("pdf.clinician.own_words.line", prompt=esc(question), text=esc(excerpt)), s.cell))
        story += [Spacer(1, s.base * 0.4), KeepTogether(box(own, width, 3, s))]

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

    story.append(Paragraph(esc(recheck_text(plan)), s.cell))
    story.append(Paragraph(esc(result.disclaimer), s.cell))
    story += clinician_tables(checklist, result, plan, assessment.mode, s, width)

    # the appendix: hazards and notes (every item on request)
    # keepWithNext would carry the whole table to the next page: keep the heading with its first rows only
    story.append(CondPageBreak(s.base * 8))
    appendix = ParagraphStyle("appendix", parent=s.ch1, keepWithNext=0)
    story.append(Paragraph(t("pdf.clinician.every_item" if all_items else "pdf.clinician.appendix"), appendix))
    # one table a section, its heading row repeated when it runs on to the next page: a heading never
    # ends a page (NOSPLIT across a repeated header did not hold once a table had been split)
    tables: list[Any] = []
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
        rows = [] if tables else [heads("item", "answer")]  # the column names once, above the first section
        heading = len(rows)
        rows.append([P(f"<b>{esc(section.title)}</b>"), ""])
        note_rows: list[int] = []
        for item in shown:
            status = statuses[item.id]
            mark = t(f"pdf.status.{status.status}")
            answer, note = item.answer.shown(status.value), status.note
            if item.answer.is_free_text() and status.value is not None:
                answer, mark, note = t("pdf.see_note"), "", "\n".join(x for x in (status.value, status.note) if x)
            shown_answer = t("pdf.clinician.answer", answer=esc(answer), mark=mark) if mark else esc(answer)
            if status.status == "hazard" and not item.answer.typed():
                shown_answer = mark  # the statement says what was found: "No grab bars... | No" reads as its opposite
            elif status.status == "unsafe" and status.value is not None:  # recorded anyway: shown, never used
                shown_answer = t("pdf.clinician.unsafe_value", mark=mark, value=esc(answer))
            # a hazard is said as what was found (its statement), every other answer beside its question
            said = esc(item.reported_as(mode) if status.status == "hazard" else item.prompt_for(mode))
            if status.reading:  # a measurement: what the number means for this person, beside it
                said += "<br/><i>" + esc(status.reading) + "</i>"
            rows.append([P(said), P(shown_answer)])
            if note:  # a note runs across the full width under its item
                note_rows.append(len(rows))
                rows.append([P(t("pdf.clinician.note", note=esc(note))), ""])
        table = grid(rows, [width * 0.7, width * 0.3], s, header=False)
        table.repeatRows = heading + 1
        table.setStyle(
            TableStyle(
                [("SPAN", (0, n), (-1, n)) for n in [heading, *note_rows]]
                + [("BACKGROUND", (0, heading), (-1, heading), colors.HexColor("#EDEDED"))]
                + ([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDDDDD"))] if heading else [])
            )
        )
        tables.append(table)
    story += tables or [Paragraph(t("pdf.clinician.appendix_none"), s.cell)]
    story += pictures or []  # the photos of the visit, each with its item and caption

    sign = [
        Paragraph(t("pdf.clinician.reviewed_by"), s.h2),
        Paragraph(t("pdf.clinician.sign_name"), s.body),
        Spacer(1, s.base),
        Paragraph(t("pdf.clinician.sign"), s.body),
    ]
    story += [Spacer(1, 8), KeepTogether(box(sign, width, 1, s))]
    return story
