"""Referral letters: what a visit found, said to the service it is sent to, on one page.

A letter is made from the same scored visit and plan as the clinician summary (never retyped):
why it is sent (the plan's referral reasons, when the plan calls for it), the findings behind it
(warning signs with their tier, Stay Independent, the functional tests or why they were not done,
the fracture and spine scores, the measurements that need action, the equipment still to come),
what is asked of the service, how urgent it is in the warning-sign tiers' words, who sent it and
whom to call. Each list is cut to what fits one page at 12 pt, saying how many more the summary has.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from safehome.core.calling import contacts
from safehome.core.labels import REFERRAL_NAMES, referral_name, urgency_label
from safehome.core.models import Assessment, Checklist
from safehome.core.outputs import outputs, pain_ratings
from safehome.core.plan import Plan, seen_at_visit
from safehome.core.profile import site_words
from safehome.core.score import Score
from safehome.i18n.words import t

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

KINDS: tuple[str, ...] = tuple(REFERRAL_NAMES)  # physiotherapy ... home_care
LINES_EACH = 4  # the most lines a finding shows on the page; the rest are counted, in the summary
URGENT = ("emergency", "same_day")
# what each service is also told, beyond the findings every letter gives (a safehome rule)
EXTRAS: dict[str, tuple[str, ...]] = {
    "physiotherapy": (),
    "occupational_therapy": ("actions",),
    "treating_team": (),
    "pharmacist": ("medicines",),
    "family_doctor": ("medicines", "actions"),
    "home_care": ("actions",),
}


def kind_of(text: str) -> str:
    """A letter kind as typed on the command line (``occupational-therapy``) as the model names it."""
    return text.strip().replace("-", "_")


@dataclass(frozen=True, slots=True)
class Finding:
    title: str
    every: tuple[str, ...]  # every line the visit gives
    shown: int  # how many of them the page has room for (the rest are counted: the summary has them)

    @property
    def lines(self) -> tuple[str, ...]:
        return self.every[: self.shown]

    @property
    def more(self) -> int:
        return len(self.every) - len(self.lines)


@dataclass(frozen=True, slots=True)
class Letter:
    kind: str
    to: str
    day: date
    about: tuple[tuple[str, str], ...]  # (label, value): name, age, cancer, bone sites, walking aid
    reasons: tuple[str, ...]
    called_for: bool  # the plan calls for this referral (else it is sent at the clinician's request)
    urgency: str
    findings: tuple[Finding, ...]
    asked: str
    sender: str
    calls: tuple[tuple[str, str], ...]  # whom to call, as given (numbers not given are left out)
    trimmed: bool = False  # findings left off to keep one page (the summary has them)

    @property
    def title(self) -> str:
        return t("letter.title", to=self.to)

    def shorter(self) -> Letter | None:
        """The same letter one line shorter: the longest finding loses its last line (said as one more
        in the summary); when every finding is down to one line, the last finding goes (said so).
        None when nothing more can go."""
        longest = max(range(len(self.findings)), key=lambda n: len(self.findings[n].lines), default=None)
        if longest is not None and len(self.findings[longest].lines) > 1:
            cut = self.findings[longest]
            findings = list(self.findings)
            findings[longest] = replace(cut, shown=len(cut.lines) - 1)
            return replace(self, findings=tuple(findings))
        if len(self.findings) > 1:
            return replace(self, findings=self.findings[:-1], trimmed=True)
        return None

    @property
    def signed(self) -> tuple[str, ...]:
        """Who sent it; then the person's own team and its numbers (never read as the sender's)."""
        lines = [t("letter.from", sender=self.sender)]
        if self.calls:
            numbers = " \u00b7 ".join(t("letter.fact", label=who, value=number) for who, number in self.calls)
            lines.append(t("letter.their_team", numbers=numbers))
        return tuple(lines)

    def text(self) -> str:
        """The letter as plain text (``--text``): the same words as the PDF, in the same order."""
        lines = [self.title, t("letter.dated", day=self.day), ""]
        lines += [t("letter.fact", label=label, value=value) for label, value in self.about]
        lines += ["", t("letter.reason"), *[f"- {r}" for r in self.reasons]]
        lines += ["", t("letter.asked"), self.asked]
        lines += ["", t("letter.urgency", urgency=self.urgency)]
        for finding in self.findings:
            lines += ["", finding.title, *[f"- {x}" for x in finding.lines]]
            if finding.more:
                lines.append("- " + t("letter.more", count=finding.more))
        if self.trimmed:
            lines += ["", t("letter.trimmed")]
        lines += ["", *self.signed]
        return CONTROL.sub("", "\n".join(lines)) + "\n"  # a name's control characters go, as in the PDF


def _cutter(cap: int) -> Callable[[str, Sequence[str]], Finding]:
    def cut(title: str, lines: Sequence[str]) -> Finding:
        kept = tuple(dict.fromkeys(x for x in lines if x))
        return Finding(title, kept, min(cap, len(kept)))

    return cut


def build_letter(
    checklist: Checklist, assessment: Assessment, result: Score, plan: Plan, kind: str, cap: int = LINES_EACH
) -> Letter:
    """The letter to ``kind`` (one of :data:`KINDS`) from this visit's score and plan, each list cut
    to ``cap`` lines (the page is made again with fewer when it would not fit on one)."""
    _cut = _cutter(cap)
    profile, mode = assessment.profile, assessment.mode
    unknown = t("pdf.unknown")
    age = profile.age_on(assessment.assessed_on)
    about = (
        (t("pdf.profile.name"), profile.name),
        *(((t("letter.born"), t("pdf.date", day=profile.birth_date)),) if profile.birth_date else ()),
        (t("letter.age"), str(age) if age is not None else unknown),
        (t("pdf.profile.primary_cancer"), profile.primary_cancer or unknown),
        (t("pdf.profile.bone_sites"), "; ".join(site_words(profile)) or unknown),
        (t("pdf.profile.walking_aid"), t(f"profile.value.walking_aid.{profile.walking_aid}")),
    )
    referral = next((r for r in plan.referrals if r.to == kind), None)
    reasons = referral.reasons[:cap] if referral else (t(f"letter.asked_for.{kind}"),)
    shown = {o.key: o for o in outputs(checklist, result, mode)}
    findings = []
    if result.urgency != "none":  # no sign reported of every one asked: the urgency line says so, once
        said = [t("letter.sign_line", tier=t(f"urgency.short.{a.urgency}"), sign=a.prompt) for a in plan.red_flags]
        said += [t("output.not_checked", prompt=u.prompt) for u in plan.unchecked_signs]
        findings.append(_cut(t("letter.findings.signs"), said or [shown["urgency"].label]))
    falls = list(shown["fall_risk"].details)
    if any(r.status == "unsafe" for r in result.items):  # the tests not done, and why, before the rest
        falls.insert(0, falls.pop())
    findings.append(_cut(t("letter.findings.falls", label=shown["fall_risk"].label), falls))
    if "scores" in shown:
        findings.append(_cut(t("letter.findings.scores", label=shown["scores"].label), shown["scores"].details))
    measured = [line for a in (*plan.red_flags, *plan.actions) for line in a.measured.split("\n")]
    if any(measured):
        findings.append(_cut(t("letter.findings.measured"), measured))
    pending = [
        t("letter.equipment_line", name=line.name, progress=line.progress(clinician=True))
        for line in plan.equipment
        if line.pending
    ]
    if pending:
        findings.append(_cut(t("letter.findings.equipment"), pending))
    extras = EXTRAS[kind]
    if "medicines" in extras:
        classes = "; ".join(t(f"profile.value.medicine_classes.{x}") for x in profile.medicine_classes)
        named = ", ".join(profile.medicines)
        taken = [x for x in (classes, named) if x] or [t("letter.medicines_not_recorded")]
        findings.append(_cut(t("letter.findings.medicines"), [*taken, *pain_ratings(checklist, result, mode)]))
    if "actions" in extras and plan.actions:
        todo = [
            t("letter.action_line", action=a.action, who=t(f"pdf.who.clinician.{a.who}"), by=a.by_when)
            for a in plan.actions
        ]
        findings.append(_cut(t("letter.findings.actions", count=len(plan.actions)), todo))
    clinician = profile.clinician
    # the team's numbers as given (911 goes without saying; the sender is named above)
    calls = tuple((who, number) for who, number in contacts(profile, mode)[1:3] if number)
    return Letter(
        kind=kind,
        to=referral_name(kind),
        day=assessment.assessed_on,
        about=about,
        reasons=tuple(reasons),
        called_for=referral is not None,
        urgency=_how_soon(result.urgency, kind),
        findings=tuple(findings),
        asked=t(f"letter.ask.{kind}"),
        sender=clinician or t("pdf.not_recorded"),
        calls=calls,
    )


def _how_soon(urgency: str, kind: str) -> str:
    """How soon, in the warning-sign tiers' words: an urgent sign goes to the cancer team at once
    (the others after them); no sign reported of every one asked is routine; signs not asked are said."""
    if urgency == "none":
        return t("letter.routine")
    if urgency in URGENT and kind != "treating_team":
        return t("letter.after_team", tier=urgency_label(urgency))
    return urgency_label(urgency)


def called_for(plan: Plan, mode: str) -> tuple[str, ...]:
    """The letters a visit's referrals call for, in the plan's order (the report pack writes these);
    never to occupational therapy from an occupational therapist's own visit."""
    return tuple(r.to for r in plan.referrals if not seen_at_visit(r.to, mode))
