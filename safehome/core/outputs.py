"""The result's outputs in words, as every face shows them (the CLI, the app, the PDFs, FHIR)."""

from __future__ import annotations

from dataclasses import dataclass

from safehome.core.labels import fall_risk_label, hazard_label, urgency_label
from safehome.core.models import Checklist
from safehome.core.plan import Plan
from safehome.core.score import Score
from safehome.i18n.words import t

# --------------------------------------------------------------------------- the outputs as every face shows them


@dataclass(frozen=True, slots=True)
class Output:
    """One output of the result, in words: the CLI, the app and the clinician summary show these."""

    key: str
    title: str
    level: str
    label: str
    because: str
    details: tuple[str, ...]
    alarm: bool  # shown with emphasis: urgent, not checked, at risk, incomplete


def outputs(checklist: Checklist, result: Score, mode: str) -> tuple[Output, ...]:
    """Urgency, fall risk, home hazards and completeness (and anything to review), in that order."""

    def prompt(item_id: str) -> str:
        return checklist.item(item_id).prompt_for(mode)

    def sign(item_id: str) -> str:  # a warning sign in plain words
        return checklist.item(item_id).reported_as(mode)

    signs = [
        t("output.flag", prompt=sign(i), todo=t(f"urgency.do.{checklist.item(i).urgency}")) for i in result.red_flags
    ]
    signs += [t("output.not_checked", prompt=sign(i)) for i in result.unchecked_signs]
    # the tests not done because they are unsafe today: one line, the reason said once (a line per
    # test repeated the whole reason three times); a value recorded anyway is named, never used
    statuses = {r.item_id: r for r in result.items}
    stopped = [line for line in result.fall_lines if line.key in statuses and statuses[line.key].status == "unsafe"]
    falls = [line.text for line in result.fall_lines if line not in stopped]
    if stopped:
        names = ", ".join(checklist.item(line.key).reported_as(mode) for line in stopped)
        line = t("output.tests_stopped", tests=names, reason="; ".join(result.safety_stops))
        recorded = [
            t("answer.finding", statement=checklist.item(x.key).reported_as(mode), value=answer.shown(value))
            for x in stopped
            if (value := statuses[x.key].value) is not None and (answer := checklist.item(x.key).answer)
        ]
        if recorded:
            line += " " + t("output.tests_stopped.recorded", values="; ".join(recorded))
        falls.append(line)
    hazards = [t("output.hazard_count", count=sum(1 for r in result.items if r.points), points=result.points)]
    missing = [t("output.missing", prompt=prompt(i)) for i in result.missing]
    complete = t("output.complete") if result.complete else t("output.incomplete", count=len(result.missing))
    shown = [
        Output(
            "urgency",
            t("output.urgency"),
            result.urgency,
            urgency_label(result.urgency),
            result.urgency_because,
            tuple(signs),
            result.urgency != "none",
        ),
        Output(
            "fall_risk",
            t("output.fall_risk"),
            result.fall_risk,
            fall_risk_label(result.fall_risk),
            result.fall_because,
            tuple(falls),
            result.fall_risk != "not_at_risk",
        ),
        Output(
            "hazards",
            t("output.hazards"),
            result.hazard_level,
            hazard_label(result.hazard_level),
            result.hazard_because,
            tuple(hazards),
            result.hazard_level in ("high", "not_checked"),
        ),
        Output(
            "completeness",
            t("output.completeness"),
            "complete" if result.complete else "incomplete",
            complete,
            t("output.completeness.because"),
            tuple(missing),
            not result.complete,
        ),
    ]
    scores = [m for m in result.measures if checklist.item(m.item_id).answer.is_referral_score()]
    if scores:
        positive = any(m.at_risk for m in scores)
        shown.append(
            Output(
                "scores",
                t("output.scores"),
                "refer" if positive else "recorded",
                t("output.scores.refer" if positive else "output.scores.recorded"),
                t("output.scores.because"),
                tuple(m.judgement for m in scores),
                positive,
            )
        )
    review = result.contradictions + result.reviews
    if review:
        shown.append(
            Output(
                "review",
                t("output.review"),
                "review",
                t("output.review.label", count=len(review)),
                t("output.review.because"),
                review,
                True,
            )
        )
    return tuple(shown)


def pain_ratings(checklist: Checklist, result: Score, mode: str) -> list[str]:
    """The pain the person rated, as rated ("Pain at its worst this week: 6 of 10"); none not answered."""
    statuses = {r.item_id: r for r in result.items}
    return [
        t("answer.finding", statement=item.reported_as(mode), value=item.answer.shown(statuses[item.id].value))
        for section, item in checklist.items()
        if section.kind == "pain" and item.answer.kind == "scale" and statuses[item.id].status != "skipped"
    ]


def recheck_text(plan: Plan) -> str:
    """When to check again, in words: a date, or "finish the check" when it is not finished."""
    if plan.recheck_on is None or plan.recheck_days is None:
        return t("recheck.finish", because=plan.recheck_because)
    return t("recheck.on", day=plan.recheck_on, days=plan.recheck_days, because=plan.recheck_because)
