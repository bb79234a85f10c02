"""Review: unanswered questions, results per section and overall, top actions, PDFs."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from ...scoring import BAND_LABELS
from ...session import Session



class ReviewScreen(Screen[None]):
    BINDINGS = [
        Binding("p", "pdf", "Create PDFs", id="review.pdf"),
        Binding("f", "finish", "Finish", id="review.finish"),
        Binding("b,escape", "back", "Back to questions", id="review.back"),
    ]

    def __init__(self, session: Session, reports_dir: Path) -> None:
        super().__init__()
        self.session = session
        self.reports_dir = reports_dir

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="review"):
            yield Static("", id="band")
            yield Static("", id="review-flags")
            yield Static("", id="unanswered-title", classes="heading")
            yield OptionList(id="review-unanswered")
            yield Static("By section", classes="heading")
            yield DataTable(id="review-sections", cursor_type="none", zebra_stripes=True)
            yield Static("", id="review-tests")
            yield Static("", id="review-compare")
            yield Static("Most important actions", classes="heading")
            yield Static("", id="review-actions")
            yield Static("", id="review-pdf")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Review · {self.session.profile.name}"
        self.refresh_review()

    def on_screen_resume(self) -> None:
        self.refresh_review()

    def refresh_review(self) -> None:
        s = self.session
        clinician = s.mode == "clinician"
        result, plan = s.result()
        band = Text.assemble("Overall: ", (BAND_LABELS[result.band], "bold"))
        if clinician:
            for reason in result.band_reasons:
                band.append(f"\n  {reason}")
            band.append(f"\n  {result.disclaimer}", style="italic")
        else:
            band.append("\n  This is a rough guide made by safehome, not a medical test. Talk to your healthcare team about it.", style="italic")
        self.query_one("#band", Static).update(band)
        flags = Text()
        if plan.red_flags:
            who = "the healthcare team" if clinician else "your healthcare team"
            flags.append(f"Warning signs: contact {who} today\n", style="bold reverse")
            for action in plan.red_flags:
                flags.append(f"  ! {action.prompt}\n")
        self.query_one("#review-flags", Static).update(flags)

        unanswered = self.query_one("#review-unanswered", OptionList)
        unanswered.clear_options()
        unanswered.add_options([Option(Text(f"{u.section_title}: {u.prompt}"), id=u.item_id) for u in plan.unanswered])
        title = f"Not answered yet ({len(plan.unanswered)}): Enter on one goes back to it" if plan.unanswered else "Every question has an answer."
        self.query_one("#unanswered-title", Static).update(title)
        unanswered.display = bool(plan.unanswered)

        table = self.query_one("#review-sections", DataTable)
        table.clear(columns=True)
        width = max([len(sec.title) for sec in result.sections] + [7])
        table.add_column("Section", width=min(width, 40))
        for name in ("Hazards", "Points") if clinician else ("Things to fix",):
            table.add_column(name)
        table.add_column("Answered")
        table.add_column("Not answered")
        for sec in result.sections:
            if not sec.applicable:
                continue
            row = [Text(sec.title), str(sec.hazards)] + ([str(sec.points)] if clinician else []) + [f"{sec.answered} of {sec.applicable}", str(sec.unanswered)]
            table.add_row(*row)

        tests = Text()
        if clinician:
            if result.steadi:
                st = result.steadi
                tests.append("STEADI Stay Independent: ", style="bold")
                tests.append(f"{st.score} of 14, {st.band} (cut-off 4)" + ("" if st.complete else f"; {st.answered} of {st.questions} answered") + "\n")
            for m in result.measures:
                tests.append(f"{s.checklist.item(m.item_id).prompt}: ", style="bold")
                tests.append(m.judgement + "\n")
        elif result.steadi and result.steadi.at_risk:
            tests.append("Your answers about falls suggest you may be at risk of falling. Talk to your healthcare team.\n", style="bold")
        self.query_one("#review-tests", Static).update(tests)

        changes = Text()
        comparison = self.app.comparison_for(s)  # type: ignore[attr-defined]
        if comparison is not None:
            changes.append(f"Since the last check ({comparison.previous_date:%Y-%m-%d})\n", style="bold")
            changes.append(f"  Overall: {comparison.previous_band} -> {comparison.current_band} ({comparison.band_change})\n")
            prompt = lambda i: s.checklist.item(i).prompt_for(s.mode)  # noqa: E731
            for label, ids in (("New warning signs", comparison.new_red_flags), ("Fixed", comparison.resolved), ("New", comparison.new), ("Still to fix", comparison.unchanged), ("Not checked again yet", comparison.not_rechecked)):
                changes.append(f"  {label}: {len(ids)}\n")
                for item_id in ids[:5] if label in ("New warning signs", "Fixed", "New") else ():
                    changes.append(f"    - {prompt(item_id)}\n")
        self.query_one("#review-compare", Static).update(changes)

        actions = Text()
        for n, action in enumerate(plan.actions[:8], 1):
            actions.append(f"{n}. ", style="bold")
            actions.append(f"{action.action}\n")
        if not plan.actions:
            actions.append("No hazards found.\n")
        if len(plan.actions) > 8:
            actions.append(f"... and {len(plan.actions) - 8} more in the PDF plan.\n", style="italic")
        actions.append(f"\nCheck again by {plan.recheck_on:%Y-%m-%d}.")
        self.query_one("#review-actions", Static).update(actions)
        if plan.unanswered:
            unanswered.highlighted = 0
            unanswered.focus()

    @on(OptionList.OptionSelected, "#review-unanswered")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.session.go_to(event.option.id)
            self.dismiss_to_questions()

    def dismiss_to_questions(self) -> None:
        self.app.pop_screen()

    def action_back(self) -> None:
        self.dismiss_to_questions()

    def action_pdf(self) -> None:
        from ...reports import make_all

        audiences = ["home", "clinician"] if self.session.mode == "clinician" else ["home"]
        try:
            paths = make_all(self.session.checklist, self.session.assessment(), audiences, self.reports_dir, self.app.comparison_for(self.session))  # type: ignore[attr-defined]
        except OSError as exc:
            self.query_one("#review-pdf", Static).update(Text(f"Could not write the PDF: {exc.strerror or exc}", style="bold"))
            return
        lines = Text("PDF written:\n", style="bold")
        for path in paths:
            lines.append(f"  {path.resolve()}\n", style="")
        self.query_one("#review-pdf", Static).update(lines)
        self.notify("Wrote " + ", ".join(str(p) for p in paths), timeout=8)

    def action_finish(self) -> None:
        self.session.finish()
        self.notify("Assessment marked as finished. It stays in the list on the start screen.")
        self.app.pop_to_start()  # type: ignore[attr-defined]
