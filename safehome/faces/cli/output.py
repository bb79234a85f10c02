"""What the command line prints, and its exit codes: tables, JSON, the score summary."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from safehome import service
from safehome.core.errors import InputError
from safehome.i18n.visible import visible
from safehome.i18n.words import t

if TYPE_CHECKING:
    from safehome.core.compare import Comparison
    from safehome.core.models import Assessment, Checklist
    from safehome.core.plan import Plan
    from safehome.core.score import Score

EXIT_OK = 0

EXIT_FAULT = 1

EXIT_INPUT = 2

EXIT_OFFLINE = 75  # the clinic server could not be reached (EX_TEMPFAIL): nothing lost, try again


def today() -> date:
    return date.today()


def plain(value: Any) -> Any:
    """Any result (dataclasses, dates, models, lists of them) as plain JSON data, by pydantic."""
    from pydantic import TypeAdapter

    return TypeAdapter(Any).dump_python(value, mode="json")


def as_json(value: Any) -> str:
    return json.dumps(plain(value), indent=2, ensure_ascii=False)


MESSAGE_LIMIT = 400  # characters of one error line: a 100,000-character value is not echoed back whole


def error_line(message: object) -> str:
    """One "error: ..." line, cut to MESSAGE_LIMIT characters with the count of what was left out."""
    text = str(message)
    if len(text) > MESSAGE_LIMIT:
        text = text[:MESSAGE_LIMIT] + t("cli.error_cut", count=len(text) - MESSAGE_LIMIT)
    return t("cli.error", message=text)


def print_issues(exc: InputError) -> int:
    for issue in exc.issues:
        print(error_line(issue), file=sys.stderr)
    return EXIT_INPUT


def print_table(table: list[tuple[str, ...]]) -> int:
    """Columns padded to their widest cell; the last column is left as it is."""
    table = [tuple(visible(cell) for cell in row) for row in table]  # widths as the terminal shows them
    widths = [max(map(len, column)) for column in zip(*table, strict=True)]
    line = "  ".join(f"{{:<{w}}}" for w in widths[:-1]) + "  {}"
    sys.stdout.write("\n".join(line.format(*row) for row in table) + "\n")
    return EXIT_OK


def listing(as_json_too: bool, payload: object, empty: str | None, table: Callable[[], list[tuple[str, ...]]]) -> int:
    """What a listing command prints: JSON when asked; else one sentence when there is nothing (``empty``);
    else the table."""
    if as_json_too:
        print(as_json(payload))
    elif empty is not None:
        print(empty)
    else:
        print_table(table())
    return EXIT_OK


def wrote(path: Path) -> int:
    """Name a file written, and the re-check reminder written beside a handout with it."""
    print(t("cli.wrote", path=path))
    reminder = path.with_suffix(".ics")
    if path.suffix == ".pdf" and reminder.exists():
        print(t("cli.wrote_reminder", path=reminder))
    return EXIT_OK


def score_summary(checklist: Checklist, assessment: Assessment, result: Score, plan: Plan, top: int = 10) -> str:
    """The readable summary printed by ``safehome score`` and ``safehome show``."""
    from safehome.core.outputs import outputs, recheck_text

    p = assessment.profile
    lines = [
        t("cli.score.title", name=p.name, checklist=checklist.title),
        t(
            "cli.score.assessed",
            day=assessment.assessed_on,
            label=checklist.label,
            mode=t(f"mode.{assessment.mode}"),
        ),
    ]
    note = service.version_note(checklist)
    if note:
        lines += ["", t("cli.score.note", text=note)]
    for output in outputs(checklist, result, assessment.mode):
        label = output.label.upper() if output.alarm else output.label
        lines += ["", t("cli.score.output", title=output.title, label=label)]
        lines.append(t("cli.score.because", reason=output.because))
        lines += [t("cli.score.detail", text=detail) for detail in output.details]
    lines.append("")
    lines.append(
        f"{t('cli.score.col.section'):<50} {t('cli.score.col.hazards'):>7} {t('cli.score.col.answered'):>8} "
        f"{t('cli.score.col.na'):>4} {t('cli.score.col.unanswered'):>10}"
    )
    for sec in result.sections:
        if sec.applicable:
            lines.append(
                f"{sec.title[:50]:<50} {sec.hazards:>7} {sec.answered:>8} {sec.not_applicable:>4} {sec.unanswered:>10}"
            )
    lines.append("")
    if plan.actions:
        lines.append(t("cli.score.top", shown=min(top, len(plan.actions)), total=len(plan.actions)))
        for n, a in enumerate(plan.actions[:top], 1):
            lines.append(
                t(
                    "cli.score.action",
                    n=n,
                    severity=t(f"severity.{a.severity}"),
                    section=a.section_title,
                    action=a.action,
                )
            )
    if plan.referrals:
        lines.append(t("cli.score.referrals", names="; ".join(r.name for r in plan.referrals)))
    lines.append(t("cli.score.unanswered", count=result.unanswered, total=result.applicable))
    lines.append(recheck_text(plan))
    lines.append("")
    lines.append(t("cli.score.note", text=result.disclaimer))
    return "\n".join(lines)


def comparison_lines(checklist: Checklist, new: Assessment, c: Comparison) -> list[str]:
    before, after, label = c.previous_date, c.current_date, checklist.label
    lines = [t("cli.compare.title", name=new.profile.name, before=before, after=after, label=label)]
    lines += c.summary_lines()
    for group, ids in c.groups():
        lines.append(t("cli.compare.group", label=group, count=len(ids)) + ("" if ids else t("cli.compare.none")))
        for i in ids:
            line = t("cli.compare.item", prompt=checklist.item(i).reported_as(new.mode))
            values = c.value_change(i)
            lines.append(
                line + (" " + t("app.review.before_after", before=values[0], after=values[1]) if values else "")
            )
    return lines
