"""The handout as a web page: the same plan, in the same order and the same catalogue sentences as
the PDF (reports/home.py), for a screen reader (ReportLab cannot tag a PDF) and for printing."""

from __future__ import annotations

from typing import Any

from safehome.core.calling import beyond_tier, contacts, warning_ladder, whom_to_call
from safehome.core.models import URGENCIES
from safehome.core.plan import no_actions_words
from safehome.i18n.words import t
from safehome.service.session import Session


def handout(session: Session) -> dict[str, Any]:
    """What the handout page shows, section by section."""
    result, plan = session.result()
    profile = session.profile
    flags = []
    for tier in URGENCIES:
        tiered = [a for a in plan.red_flags if a.urgency == tier]
        if tiered:
            calls = [call.line() for call in whom_to_call(tier, profile)]
            signs = [(a.prompt, beyond_tier(a.action, tier)) for a in tiered]
            flags.append({"do": t(f"urgency.do.{tier}"), "calls": calls, "signs": signs, "urgency": tier})
    written = [
        (session.checklist.item(r.item_id).prompt_for("self"), str(r.value))
        for r in result.items
        if r.value and session.checklist.item(r.item_id).answer.is_free_text()
    ]
    actions = [
        {
            "action": a.action,
            "when": a.by_when,
            "who": t(f"pdf.who.home.{a.who}"),
            "where": " / ".join(a.rooms),
            "note": a.note,
        }
        for a in plan.actions
    ]
    return {
        "plan": plan,
        "no_actions": no_actions_words(plan),
        "name": profile.name,
        "day": session.day,
        "contacts": contacts(profile, session.mode),
        "flags": flags,
        "own_words": [noted for _, noted in result.own_words],
        "ladder": warning_ladder(session.checklist),
        "actions": actions,
        "helpers": [r for r in plan.referrals if r.to != "treating_team"],
        "written": written,
    }
