"""Review: unanswered questions, results per section and overall, top actions, PDFs."""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from safehome import service
from safehome.core.errors import UsageError
from safehome.core.plan import no_actions_words
from safehome.core.outputs import outputs, recheck_text
from safehome.service.session import Session
from safehome.i18n.visible import visible
from safehome.i18n.words import t
from safehome.faces.tui.screens.base import AppScreen
from safehome.faces.tui.screens.dialogs import ConfirmScreen


class ReviewScreen(AppScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "pdf", t("app.key.pdf"), id="review.pdf"),
        Binding("f", "finish", t("app.key.finish"), id="review.finish"),
        Binding("e", "edit_profile", t("app.key.edit_profile"), id="review.edit"),
        Binding("k", "confirm_conflicts", t("app.key.confirm"), id="review.confirm"),  # when changed on two laptops
        Binding("b,escape", "back", t("app.key.back_to_questions"), id="review.back"),
        # the page keys scroll the review wherever the focus is (in the list of unanswered
        # questions they paged that list, and the comparison below the fold looked missing)
        Binding("pagedown", "page(1)", show=False, priority=True, id="review.pagedown"),
        Binding("pageup", "page(-1)", show=False, priority=True, id="review.pageup"),
    ]

    def __init__(self, session: Session, reports_dir: Path) -> None:
        super().__init__()
        self.session = session
        self.reports_dir = reports_dir

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="review"):
            yield Static("", id="review-conflicts")
            yield Static("", id="band")
            yield Static("", id="unanswered-title", classes="heading")
            yield OptionList(id="review-unanswered")
            yield Static(t("app.review.by_section"), classes="heading")
            yield DataTable(id="review-sections", cursor_type="none", zebra_stripes=True)
            yield Static("", id="review-compare")
            yield Static(t("app.review.top_actions"), classes="heading")
            yield Static("", id="review-actions")
            yield Static("", id="review-pdf")
        yield Footer(compact=True)  # single spaces: every key fits at 80 columns

    def on_mount(self) -> None:
        self.refresh_review()

    def action_page(self, direction: int) -> None:
        review = self.query_one("#review", VerticalScroll)
        if direction > 0:
            review.scroll_page_down()
        else:
            review.scroll_page_up()

    def on_screen_resume(self) -> None:
        self.refresh_review()

    def refresh_review(self) -> None:
        s = self.session
        self.sub_title = t("app.review.subtitle", name=visible(s.profile.name))
        clinician = s.mode == "clinician"
        result, plan = s.result()
        band = Text()
        note = service.version_note(s.checklist)
        if note:
            band.append(note + "\n\n", style="bold")
        for output in outputs(s.checklist, result, s.mode):
            band.append(t("app.review.label", label=output.title), style="bold")
            band.append(output.label + "\n", style="bold reverse" if output.alarm else "bold")
            band.append(t("cli.score.because", reason=output.because) + "\n")
            # the missing questions are listed just below, each with a jump back to it
            for detail in output.details if output.key != "completeness" else ():
                band.append(t("cli.score.detail", text=detail) + "\n")
        done, total = s.progress()
        band.append(t("app.review.progress", done=done, total=total) + "\n", style="bold")
        band.append(t("band.disclaimer") if clinician else t("band.disclaimer.self"), style="italic")
        self.query_one("#band", Static).update(band)
        self._show_conflicts()

        unanswered = self.query_one("#review-unanswered", OptionList)
        unanswered.clear_options()
        unanswered.add_options(
            [
                Option(Text(t("app.review.where", section=u.section_title, prompt=u.prompt)), id=u.item_id)
                for u in plan.unanswered
            ]
        )
        title = (
            t("app.review.unanswered", count=len(plan.unanswered)) if plan.unanswered else t("app.review.all_answered")
        )
        self.query_one("#unanswered-title", Static).update(title)
        unanswered.display = bool(plan.unanswered)

        table = self.query_one("#review-sections", DataTable)
        table.clear(columns=True)
        numbers = [
            *(("app.review.col.hazards", "app.review.col.points") if clinician else ("app.review.col.to_fix",)),
            "app.review.col.answered",
            "app.review.col.unanswered",
        ]
        # the number columns keep their width (their heading, or "12 of 12"), in any language; the
        # section titles share what is left (2 cells of padding a column, 8 for the frame and the bar)
        widest = len(t("app.review.answered_of", answered=99, total=99))
        taken = sum(max(len(t(name)), widest if name == "app.review.col.answered" else 3) + 2 for name in numbers) + 8
        room = max(12, min(40, self.app.size.width - taken))
        # a title too long for the room left is said by its short name, never cut mid-word
        listed = {section.id: section for section in s.checklist.sections}
        names = {
            sec.id: sec.title if len(sec.title) <= room or sec.id not in listed else listed[sec.id].short
            for sec in result.sections
        }
        width = max([len(name) for name in names.values()] + [7])
        table.add_column(t("app.review.col.section"), width=min(width, room))
        for name in numbers:
            table.add_column(t(name))
        asked = {section.id: (done, total) for section, done, total in s.sections()}
        for sec in result.sections:
            if sec.id not in asked:
                continue
            done, total = asked[sec.id]  # the count the questions screen and the start list show
            row = [
                Text(names[sec.id]),
                str(sec.hazards) if done else "-",  # nothing answered: nothing found yet, not "0"
                *([str(sec.points)] if clinician else []),
                t("app.review.answered_of", answered=done, total=total),
                str(total - done),
            ]
            table.add_row(*row)

        changes = Text()
        comparison = self.safehome.comparison_for(s)
        if comparison is not None:
            changes.append(t("app.review.since", day=comparison.previous_date) + "\n", style="bold")
            for line in comparison.summary_lines():
                changes.append(f"  {line}\n")
            for label, ids in comparison.groups():  # every change listed, never cut: the screen scrolls
                changes.append("  " + t("app.review.label", label=label) + f"{len(ids)}\n", style="bold" if ids else "")
                for item_id in ids:
                    changes.append(f"    - {s.checklist.item(item_id).reported_as(s.mode)}")
                    values = comparison.value_change(item_id)
                    if values is not None:
                        changes.append(" " + t("app.review.before_after", before=values[0], after=values[1]))
                    changes.append("\n")
        self.query_one("#review-compare", Static).update(changes)

        actions = Text()
        for n, action in enumerate(plan.actions[:8], 1):
            actions.append(f"{n}. ", style="bold")
            actions.append(f"{action.action}\n")
        if not plan.actions:  # never "no hazards" while questions are unanswered
            actions.append(no_actions_words(plan) + "\n")
        if len(plan.actions) > 8:
            actions.append(t("app.review.more", count=len(plan.actions) - 8) + "\n", style="italic")
        actions.append("\n" + recheck_text(plan))
        self.query_one("#review-actions", Static).update(actions)
        if plan.unanswered:
            unanswered.highlighted = 0
            self.set_focus(unanswered, scroll_visible=False)
        self.query_one("#review-pdf", Static).update(self._written_text())
        self.query_one("#review", VerticalScroll).scroll_home(animate=False)  # the warning signs come first

    def _show_conflicts(self) -> None:
        """Changed on two laptops: first on the screen, until a clinician confirms the answers."""
        s = self.session
        conflicts = s.conflicts()
        box = self.query_one("#review-conflicts", Static)
        box.display = bool(conflicts)
        if conflicts:
            text = Text(t("app.review.conflicts") + "\n", style="bold")
            for conflict in conflicts:
                text.append("\n".join(s.conflict_lines(conflict)) + "\n")
            box.update(text)
        self.refresh_bindings()

    def action_confirm_conflicts(self) -> None:
        if self.session.confirm_conflicts():
            self.notify(t("app.review.confirmed"))
        self._show_conflicts()

    @on(OptionList.OptionSelected, "#review-unanswered")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.session.go_to(event.option.id)
            self.dismiss_to_questions(back_here=True)

    def dismiss_to_questions(self, back_here: bool = False) -> None:
        from safehome.faces.tui.screens.questions import QuestionScreen

        self.app.pop_screen()
        if isinstance(self.app.screen, QuestionScreen):
            self.app.screen.back_to_review = back_here  # answered, it comes back to this review

    def action_back(self) -> None:
        self.dismiss_to_questions()

    def action_edit_profile(self) -> None:
        self.safehome.edit_profile(self.session)

    def _written_text(self) -> Text:
        """The PDFs written for this visit so far; those written before its last change are out of date."""
        s = self.session
        written = s.files()
        if not written:
            return Text()
        now = s.digest()  # its answers and its photos
        lines = Text(t("app.review.written") + "\n", style="bold")
        folder = None
        for w in written:  # each folder once, then the names in it: a whole path wrapped mid-name at 80 columns
            path = Path(w.path)
            if path.parent != folder:
                folder = path.parent
                lines.append(f"  {visible(str(folder))}{os.sep}\n")
            stale = w.source != now
            lines.append(f"    {visible(path.name)}")
            lines.append(("  " + t("app.review.out_of_date")) if stale else "", style="bold")
            lines.append("\n")
        return lines

    def action_pdf(self) -> None:
        s = self.session
        written = s.files()
        if written and written[-1].source == s.digest():
            # the PDFs of this very version exist: another set only on a clear yes
            self.app.push_screen(ConfirmScreen(t("app.review.pdf_again")), self._pdf_again)
            return
        self._write_pdfs()

    def _pdf_again(self, yes: bool | None) -> None:
        if yes:
            self._write_pdfs()

    def _write_pdfs(self) -> None:
        s = self.session
        comparison = self.safehome.comparison_for(s)
        paths: list[Path] = []
        try:
            if s.mode == "clinician":  # the whole report: summary with photos, handout, the letters referrals call for
                paths = s.write_pack(self.reports_dir, comparison)
            else:
                paths.append(s.write_report(service.ReportOptions(audience="home"), self.reports_dir, comparison))
        except (OSError, UsageError, service.StoreError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.query_one("#review-pdf", Static).update(Text(t("app.review.pdf_failed", reason=reason), style="bold"))
            return
        self.query_one("#review-pdf", Static).update(self._written_text())
        if self.app.is_web:  # in a browser the plan is on the server: send each PDF as a download too
            for path in paths:
                self.app.deliver_binary(path, save_filename=path.name, mime_type="application/pdf")
            self.notify(t("app.review.pdf_downloaded", names=", ".join(p.name for p in paths)), timeout=8)
        else:
            # the names only, one a line: a whole path broke mid-word at 80 columns; the review's own
            # pane below says where they are
            if len(paths) > 2:  # the letters too: their long names are listed whole in the review's pane
                self.notify(t("app.review.pack_notice", letters=len(paths) - 2), timeout=8)
            else:
                self.notify(t("app.review.pdf_notice", paths="\n".join(p.name for p in paths)), timeout=8)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "confirm_conflicts":
            return bool(self.session.conflicts())
        return not (action == "finish" and self.session.finished)  # finished already: not offered

    def action_finish(self) -> None:
        result, _ = self.session.result()
        if result.complete:
            self._finish(True)
            return
        # an incomplete check is finished only on an explicit "yes": it must never look complete by accident
        question = t("app.review.finish_incomplete", count=len(result.missing))
        self.app.push_screen(ConfirmScreen(question), self._finish)

    def _finish(self, confirmed: bool | None) -> None:
        if not confirmed:
            return
        self.session.finish()
        self.notify(t("app.review.finished"))
        self.safehome.pop_to_start()
