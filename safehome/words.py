"""Every sentence a person reads, in one catalogue, by message id.

The code refers to a message by its id (``t("band.low")``); the English text lives here
and nowhere else, so a translation replaces the texts without touching the code, and the
same warning is worded the same way in the app, the CLI and both PDFs. Placeholders use
``str.format`` names (``{points}``); a translation keeps the names and may move them.

Part of the domain core: plain Python, no imports beyond the standard library.
"""

from __future__ import annotations

from collections.abc import Mapping

# Ids are grouped by where they are read: answer.*, check.* (checklist files), profile.*,
# measure.*, band.*, steadi.*, referral.*, plan.*, compare.*, cli.*, app.*, pdf.*, store.*,
# input.* (answers and checklist files).
MESSAGES: dict[str, str] = {
    # -- answers, one kind at a time
    "answer.na_not_offered": "'na' (not applicable) is not offered for this item",
    "answer.yes_no.bad": "answer {value} is not allowed; use yes or no",
    "answer.yes_no.bad_na": "answer {value} is not allowed; use yes, no or na",
    "answer.choice.bad": "answer {value} is not one of: {allowed}",
    "answer.number.not_a_number": "expected a number, found {value}",
    "answer.number.out_of_range": "{value} is out of range ({low} to {high}{unit})",
    "answer.number.not_whole": "{value} must be a whole number",
    "answer.number.typed_not_a_number": "'{text}' is not a number. {hint}.",
    "answer.text.not_text": "expected text, found {value}",
    "answer.text.too_long": "the text is too long ({length} characters; at most {limit})",
    "answer.shown.yes": "Yes",
    "answer.shown.no": "No",
    "answer.shown.na": "Not applicable",
    "answer.shown.unanswered": "Not answered",
    "answer.shown.number": "{value} {unit}",
    "answer.shown.scale": "{value} of {high}",
    "answer.hint.number": "Type a number from {low} to {high} {unit}{na}, then Enter",
    "answer.hint.scale": "Type {low} ({low_label}) to {high} ({high_label}){na}, then Enter",
    "answer.hint.or_na": " (or 'a' for not applicable)",
    "answer.hint.text": "Type here, then Enter (Enter on an empty line skips)",
    # -- mistakes in a checklist file
    "check.hazard_not_an_answer": "hazard answer '{value}' is not one of this item's answers ({allowed})",
    "check.min_below_max": "min ({low}) must be below max ({high})",
    "check.measure_threshold": "'{measure}' is judged by its published cut-off; remove hazard_below / hazard_at_or_above",
    "check.measure_range": "'{measure}' runs from {low} to {high}; min and max must lie inside that",
    "check.red_flag_action": "a red flag must say what to do (add 'action')",
    "check.red_flag_hazard": "a red flag must say which answer raises it (add 'hazard')",
    "check.needs_severity": "an item that can be a hazard needs a severity: low, medium or high",
    "check.needs_action": "an item that can be a hazard needs an 'action' the person can follow",
    "check.needs_why": "an item that can be a hazard needs a one-line 'why' it matters",
    "check.no_effect": "'{key}' has no effect: no answer to this item counts as a hazard",
    "check.steadi_item": "a STEADI question must be a yes/no item whose hazard answer is 'yes'",
    "check.modes_once": "list each mode once: clinician, self",
    "check.condition_field": "'{field}' is not a profile field a condition can use (use one of: {allowed})",
    "check.condition_bool": "'{field}' takes true or false, not {value}",
    "check.condition_empty": "'{field}' needs at least one value",
    "check.condition_value": "{value} is not a value of '{field}' (use one of: {allowed})",
    "check.section_twice": "section id '{id}' is used twice",
    "check.item_twice": "item id '{id}' is already used in section '{section}'",
    "check.mode_unknown": "mode '{mode}' is not one of the checklist's modes",
    "check.steadi_total": (
        "the STEADI Stay Independent questions must be 12 items worth 14 points in all "
        "(found {count} items worth {points})"
    ),
    # -- the person's profile
    "profile.name_empty": "the name is empty; give a name or initials",
    "profile.name_control": "the name holds control characters; type it again as plain text",
    "profile.sites_once": "list each bone site once",
    "profile.date_future": "the assessment date {day} is in the future (today is {today})",
    "profile.birth_after": "the birth date is not before the assessment date",
    "profile.birth_age": "the birth date gives an age outside 18 to 120 years",
    # -- measures against their published cut-offs
    "measure.tug.at_risk": "{value:g} s: at risk of falling (12 s or more)",
    "measure.tug.ok": "{value:g} s: under the 12 s cut-off",
    "measure.chair.no_norm": "{value:g} stands: not judged (norms cover men and women aged 60 to 94)",
    "measure.chair.men": "men",
    "measure.chair.women": "women",
    "measure.chair.below": "{value:g} stands: below average for {who} aged {age} (under {norm})",
    "measure.chair.ok": "{value:g} stands: average or better for {who} aged {age} ({norm} or more)",
    "measure.balance.at_risk": "stage {value:g}: tandem stance not held 10 s, increased risk of falling",
    "measure.balance.ok": "stage {value:g}: tandem stance held 10 s",
    "measure.mirels.high": "Mirels {value:g}: high fracture risk (9 or more); refer before mobility training",
    "measure.mirels.borderline": "Mirels {value:g}: borderline, clinical judgement",
    "measure.mirels.low": "Mirels {value:g}: below 8",
    "measure.sins.unstable": "SINS {value:g}: possibly unstable spine (7 or more); refer before mobility training",
    "measure.sins.stable": "SINS {value:g}: stable range (0 to 6)",
    # -- the band and its reasons
    "band.urgent": "URGENT: warning signs reported",
    "band.high": "High",
    "band.moderate": "Moderate",
    "band.low": "Low",
    "band.because.high": "{points} hazard points (15 or more is high)",
    "band.because.moderate": "{points} hazard points (6 to 14 is moderate)",
    "band.because.low": "{points} hazard points (under 6 is low)",
    "band.because.steadi": "STEADI score {score} of 14 (4 or more: may be at risk)",
    "band.because.clinical": "Mirels 9 or more, or SINS 7 or more: refer before mobility training",
    "band.because.urgent": "{count} warning sign(s) reported: contact the healthcare team now",
    "band.disclaimer": (
        "The overall band is a plain rule of thumb made for safehome from severity-weighted "
        "hazards and published cut-offs. It is not a validated instrument and does not replace "
        "the judgement of the person's healthcare team."
    ),
    "band.disclaimer.self": (
        "This is a rough guide made by safehome, not a medical test. Talk to your healthcare team about it."
    ),
    "steadi.at_risk": "may be at risk of falling",
    "steadi.below": "below the at-risk cut-off",
    # -- referrals and the plan
    "referral.physiotherapy": "Physiotherapy",
    "referral.occupational_therapy": "Occupational therapy",
    "referral.treating_team": "The treating cancer team",
    "referral.pharmacist": "Pharmacist or prescriber (medicine review)",
    "plan.referral.warning_sign": "Warning sign reported: {prompt}",
    "plan.referral.reason": "{section}: {prompt}",
    "plan.priority.high": "Most important",
    "plan.priority.medium": "Important",
    "plan.priority.low": "Good to do",
    # -- answers files checked against their checklist
    "answers.other_checklist": "the answers are for '{found}', not '{wanted}'",
    "answers.other_version": (
        "the answers were given for version {found} of this checklist; the installed one is version {wanted}"
    ),
    "answers.other_mode": "this checklist is not meant for mode '{mode}'",
    "answers.no_such_item": "no item with this id in the checklist",
    # -- the store
    "store.no_person": "there is no person {id} in {path} (see: safehome list)",
    "store.no_assessment": "there is no assessment {id} in {path} (see: safehome list)",
    "store.is_folder": "{path}: is a folder, not a safehome database",
    "store.unreadable": "{path}: cannot be read ({reason})",
    "store.not_sqlite": (
        "{path}: is not a safehome database (not an SQLite file). It was left untouched; "
        "move it away or choose another --data-dir."
    ),
    "store.cannot_open": "{path}: cannot be opened as a safehome database ({reason}). It was left untouched.",
    "store.damaged": "{path}: is damaged or not a safehome database ({reason}). It was left untouched.",
    "store.newer_schema": (
        "{path}: was written by a newer safehome (schema {version}; this one knows {known}). "
        "Update safehome; the file was left untouched."
    ),
    "store.foreign_sqlite": "{path}: is an SQLite file but not a safehome database. It was left untouched.",
    "store.no_wal": "{path}: could not switch the database to WAL mode",
    "store.migration_failed": "{path}: could not be brought up to date ({reason}); nothing was changed.",
    "store.data_dir_is_file": "{path}: is a file, not a folder; give --data-dir (or SAFEHOME_DATA_DIR) a folder",
    # -- comparing two assessments
    "compare.new_red_flags": "New warning signs",
    "compare.resolved": "Hazards resolved",
    "compare.new": "New hazards",
    "compare.unchanged": "Hazards still there",
    "compare.not_rechecked": "Not checked again",
    "compare.better": "better",
    "compare.worse": "worse",
    "compare.same": "unchanged",
    "compare.other_checklists": "cannot compare '{old}' with '{new}': they use different checklists",
    # -- the services
    "service.stored_source": "assessment {id}",
    "service.output_is_folder": "{path}: is a folder; give a file name",
    "service.no_folder": "{path}: no such folder",
    "service.exists": "{path}: already exists; choose another name with -o or add --force to replace it",
    "service.permission": "{path}: cannot write here (permission denied)",
    "service.not_pdf": "{path}: the file name must end in .pdf",
    "service.batch_not_installed": "checklist {id} v{version} is not installed",
    # -- the command line
    "cli.error": "error: {message}",
    "cli.wrote": "wrote {path}",
    "cli.interrupted": "interrupted",
    "cli.fault": "error: safehome hit an unexpected problem ({kind}).",
    "cli.fault.where": " Details were written to {path}.",
    "cli.checklist.column.id": "ID",
    "cli.checklist.column.version": "VERSION",
    "cli.checklist.column.language": "LANGUAGE",
    "cli.checklist.column.modes": "MODES",
    "cli.checklist.column.items": "ITEMS",
    "cli.checklist.column.title": "TITLE",
    "cli.validate.failed": "{path}: {count} problem(s) found; nothing was loaded",
    "cli.validate.ok": "ok: {path}: {label}, {sections} sections, {items} items, {flags} red flags",
    "cli.schema.title": "safehome checklist",
    "cli.example.try": "try: safehome score {path}",
    "cli.score.title": "{name} - {checklist}",
    "cli.score.assessed": "Assessed on {day} ({label}, {mode} mode)",
    "cli.score.band": "Overall band: {band}",
    "cli.score.because": "  because: {reason}",
    "cli.score.red_flags": "WARNING SIGNS REPORTED - contact the healthcare team now:",
    "cli.score.red_flag": "  ! {prompt}\n      -> {action}",
    "cli.score.no_red_flags": "Warning signs: none reported",
    "cli.steadi.complete": "complete",
    "cli.steadi.partial": "only {answered} of {questions} answered",
    "cli.steadi.line": "STEADI Stay Independent: {score} of 14, {band} (cut-off 4; {state})",
    "cli.steadi.self_at_risk": (
        "Falls questions: your answers suggest you may be at risk of falling; talk to your healthcare team"
    ),
    "cli.steadi.self_ok": "Falls questions: no sign of a high risk of falling from these questions",
    "cli.score.measure": "  {prompt}: {judgement}",
    "cli.score.col.section": "Section",
    "cli.score.col.hazards": "hazards",
    "cli.score.col.answered": "answered",
    "cli.score.col.na": "n/a",
    "cli.score.col.unanswered": "unanswered",
    "cli.score.top": "Top actions ({shown} of {total}):",
    "cli.score.action": "  {n:>2}. [{severity}] {section}: {action}",
    "cli.score.no_hazards": "No hazards found.",
    "cli.score.referrals": "Referrals: {names}",
    "cli.score.unanswered": "Unanswered: {count} of {total} questions",
    "cli.score.recheck": "Check again by: {day} ({days} days)",
    "cli.score.note": "Note: {text}",
    "cli.report.needs_answers": "give an answers file or a stored id, or --all for every stored assessment",
    "cli.report.all_conflict": "--all writes one PDF per stored assessment into --output-dir; leave out the file and -o",
    "cli.report.out_dir_is_file": "{path}: is a file, not a folder",
    "cli.report.none_stored": "no stored assessments to report on",
    "cli.report.batch_exists": "assessment {id}: already exists, kept: {detail}",
    "cli.report.batch_skipped": "assessment {id}: skipped: {detail}",
    "cli.report.batch_done": (
        "wrote {written} PDF(s) to {path} ({exists} already there, {skipped} skipped; {jobs} process(es))"
    ),
    "cli.person.nobody": "there is nobody called {ref!r} in the store (see: safehome people)",
    "cli.person.several": ("{ref!r} matches several people (ids {ids}); name one by its id (see: safehome people)"),
    "cli.list.empty": "no assessments stored yet",
    "cli.list.empty_person": "no assessments stored yet for that person",
    "cli.list.column.id": "ID",
    "cli.list.column.person_id": "PERSON ID",
    "cli.list.column.person": "PERSON",
    "cli.list.column.checklist": "CHECKLIST",
    "cli.list.column.mode": "MODE",
    "cli.list.column.status": "STATUS",
    "cli.list.column.date": "DATE",
    "cli.list.column.answered": "ANSWERED",
    "cli.list.column.updated": "UPDATED",
    "cli.people.empty": "nobody is stored yet",
    "cli.people.column.id": "PERSON ID",
    "cli.people.column.name": "NAME",
    "cli.people.column.assessments": "ASSESSMENTS",
    "cli.people.column.last": "LAST ASSESSED",
    "cli.show.header": (
        "Assessment {id}: {status}, created {created}, updated {updated}, {changes} recorded change(s)"
    ),
    "cli.show.position": "Stopped at: {position}",
    "cli.import.in_progress": "in progress, {count} unanswered",
    "cli.import.finished": "finished",
    "cli.import.done": "imported {path} as assessment {id} ({state})",
    "cli.compare.title": "{name}: {before} -> {after} ({label})",
    "cli.compare.band": "Band: {before} -> {after} ({change}); points {points_before} -> {points_after}",
    "cli.compare.steadi": "; STEADI {before} -> {after} of 14",
    "cli.compare.group": "{label} ({count}):",
    "cli.compare.none": " none",
    "cli.compare.item": "  - {prompt}",
    "cli.compare.names_differ": "note: the names differ ({old} and {new})",
    "cli.delete.needs_terminal": "deleting needs confirmation: run it in a terminal, or add --yes",
    "cli.delete.choice": "  person {id}: {name} ({count} assessment(s), last {last})",
    "cli.delete.which": "Which person? Type their person id (Enter to cancel): ",
    "cli.delete.confirm": (
        "Delete {name!r} (person {id}) and {count} assessment(s) for good? Type the person id {id} to confirm: "
    ),
    "cli.delete.nothing": "nothing deleted",
    "cli.delete.yes_needs_person": "--yes deletes without asking, so name the person: --person ID",
    "cli.delete.done": "deleted {name!r} (person {id}): {count} assessment(s) and their history",
    "cli.help.description": (
        "Home fall-risk and mobility safety for people living with bone metastases. "
        "Run with no command to open the guided app."
    ),
    "cli.help.data_dir": "where assessments are kept (default: $SAFEHOME_DATA_DIR or the user data folder)",
    "cli.help.checklist": "list, check and describe checklists",
    "cli.help.checklist_list": "list the checklists that ship with safehome",
    "cli.help.json": "print JSON",
    "cli.help.validate": "check checklist files; every problem with its line",
    "cli.help.schema": "print the JSON Schema of the checklist format",
    "cli.help.output_file": "write to this file instead",
    "cli.help.force": "replace the file if it exists",
    "cli.help.score": "score a filled-in assessment (JSON file or stored id)",
    "cli.help.checklist_path": "use this checklist file instead of the bundled one",
    "cli.help.report": "write the personalised PDF action plan",
    "cli.help.all": "one PDF for every stored assessment, using every core",
    "cli.help.output_dir": "with --all: the folder (default: reports)",
    "cli.help.all_status": "with --all: only these",
    "cli.help.jobs": "with --all: processes (default: every core)",
    "cli.help.report_output": "PDF to write (default: reports/DATE-INITIALS-AUDIENCE.pdf)",
    "cli.help.audience": "home handout (default) or clinician summary",
    "cli.help.large_print": "16 pt body text",
    "cli.help.list": "list stored assessments, most recent first",
    "cli.help.person": "only this person: a person id, or a name",
    "cli.help.people": "list the people in the store, with their person ids",
    "cli.help.people_name": "only people with this name",
    "cli.help.show": "show a stored assessment and its score",
    "cli.help.export": "write a stored assessment as JSON (the format score reads)",
    "cli.help.import": "check an answers file and add it to the store",
    "cli.help.import_person": "add it to this person (a person id); default: the person with the same name",
    "cli.help.new_person": "add it as a new person, even if someone has the same name",
    "cli.help.compare": "what changed between two assessments (files or stored ids)",
    "cli.help.delete": "remove a person and all their assessments for good (asks which, and to confirm)",
    "cli.help.delete_person": "a person id, or a name (asks which person when several match)",
    "cli.help.yes": "do not ask for confirmation",
    "cli.help.example": "write a filled-in example assessment to try the other commands",
    "cli.help.example_output": "file to write (default: example-assessment.json)",
    "cli.help.example_checklist": "checklist id (default: bone-metastases-home-visit)",
    # -- the app
    "app.subtitle": "home safety with bone metastases",
    "app.key.help": "Help",
    "app.key.theme": "Theme",
    "app.key.yes": "Yes",
    "app.key.no": "No",
    "app.key.na": "N/A",
    "app.key.next": "Next",
    "app.key.back": "Back",
    "app.key.next_section": "Next section",
    "app.key.previous_section": "Previous section",
    "app.key.note": "Note",
    "app.key.sections": "Sections",
    "app.key.review": "Review",
    "app.key.start": "Start",
    "app.key.new_visit": "New home visit",
    "app.key.new_self": "New self-check",
    "app.key.quit": "Quit",
    "app.key.close": "Close",
    "app.key.understood": "I understand",
    "app.key.pdf": "Create PDFs",
    "app.key.finish": "Finish",
    "app.key.back_to_questions": "Back to questions",
    "app.key.continue": "Continue",
    "app.checklist_missing": "The checklist '{id}' is not installed.",
    "app.crashed": (
        "safehome hit an unexpected problem and closed. Every answer given so far was saved; "
        "start safehome again to resume."
    ),
    "app.crashed.where": " Details were written to {path}.",
    "app.theme": "Theme: {theme}",
    "app.cmd.visit": "New home visit",
    "app.cmd.visit.help": "Start a home visit assessment (clinician)",
    "app.cmd.self": "New self-check",
    "app.cmd.self.help": "Check your own home, in plain words",
    "app.cmd.help": "Help: keys",
    "app.cmd.help.help": "Every key the app knows",
    "app.cmd.theme": "Switch theme",
    "app.cmd.theme.help": "Dark, light or high contrast",
    "app.cmd.review": "Review",
    "app.cmd.review.help": "Unanswered questions, results and PDFs",
    "app.cmd.start": "Back to the start screen",
    "app.cmd.start.help": "Every answer is already saved",
    "app.start.intro": (
        "Home fall and mobility safety for people living with bone metastases.\n"
        "Choose with the arrow keys and Enter. Every answer is saved as you go."
    ),
    "app.start.new_visit": "New home visit (occupational therapist)        key v",
    "app.start.new_self": "New self-check (check my own home)             key c",
    "app.start.mode.clinician": "home visit",
    "app.start.mode.self": "self-check",
    "app.start.progress": "{done} of {total} answered",
    "app.start.answered": "{done} answered",
    "app.start.resume": "Resume  {person}  ·  {day}  ·  {mode}  ·  {done}",
    "app.start.open": "Open    {person}  ·  {day}  ·  {mode}  ·  finished",
    "app.q.note_label": "Note (Tab):",
    "app.q.note_placeholder": "Press Tab to type a note; Enter to go back",
    "app.q.section_done": "✓ done",
    "app.q.counter": "Question {n} of {total}",
    "app.q.why": "Why this matters: {why}",
    "app.q.not_answered_yet": "Not answered yet.",
    "app.q.not_answered_paren": "(not answered yet)",
    "app.q.saved_answer": "Saved answer: ",
    "app.q.save_failed": (
        "Could not save to disk ({reason}). Your answer is kept here and will be saved as soon as possible."
    ),
    "app.q.note_save_failed": "Could not save the note to disk ({reason}); it is kept here.",
    "app.q.saved": "Saved.",
    "app.q.not_an_answer": "'{key}' is not an answer to this question.",
    "app.flagbar.clinician": (
        "⚠ {count} warning sign(s) reported: contact the healthcare team today. Press r to review."
    ),
    "app.flagbar.self": "⚠ {count} warning sign(s) reported: contact your healthcare team today. Press r to review.",
    "app.redflag.title.clinician": "WARNING SIGN: contact the person's healthcare team now",
    "app.redflag.title.self": "WARNING SIGN: contact your healthcare team now",
    "app.redflag.after": (
        "This comes before anything else on the checklist. If the symptoms are severe "
        "or getting worse fast, call 911. You can carry on with the questions afterwards."
    ),
    "app.redflag.button": "I understand (Enter)",
    "app.help.title": "Keys",
    "app.help.close": "Escape to close.",
    "app.help.keys": (
        "Answering\n"
        "  y / n          yes / no (then on to the next question)\n"
        "  a              not applicable\n"
        "  1 to 9         pick a numbered answer\n"
        "  number, Enter  for questions that take a number or text\n"
        "  Enter, Down    next question        Up   previous question\n"
        "  PgDn / PgUp    next / previous section\n"
        "  Tab            type a note for this question (Enter or Tab to go back)\n"
        "  s              go to the list of sections (Enter to jump there)\n"
        "  r              review: unanswered questions, results, PDFs\n"
        "\n"
        "Everywhere\n"
        "  F1 or ?        this help          Ctrl+P  command palette\n"
        "  Ctrl+T         switch theme (dark, light, high contrast)\n"
        "  Escape         back                Ctrl+Q  quit (every answer is already saved)\n"
    ),
    "app.review.subtitle": "Review · {name}",
    "app.review.by_section": "By section",
    "app.review.top_actions": "Most important actions",
    "app.review.overall": "Overall: ",
    "app.review.flags.clinician": "Warning signs: contact the healthcare team today",
    "app.review.flags.self": "Warning signs: contact your healthcare team today",
    "app.review.unanswered": "Not answered yet ({count}): Enter on one goes back to it",
    "app.review.all_answered": "Every question has an answer.",
    "app.review.col.section": "Section",
    "app.review.col.hazards": "Hazards",
    "app.review.col.points": "Points",
    "app.review.col.to_fix": "Things to fix",
    "app.review.col.answered": "Answered",
    "app.review.col.unanswered": "Not answered",
    "app.review.answered_of": "{answered} of {total}",
    "app.review.steadi": "STEADI Stay Independent: ",
    "app.review.steadi_line": "{score} of 14, {band} (cut-off 4)",
    "app.review.steadi_partial": "; {answered} of {questions} answered",
    "app.review.steadi_self": (
        "Your answers about falls suggest you may be at risk of falling. Talk to your healthcare team."
    ),
    "app.review.since": "Since the last check ({day})",
    "app.review.since_band": "  Overall: {before} -> {after} ({change})",
    "app.review.more": "... and {count} more in the PDF plan.",
    "app.review.recheck": "Check again by {day}.",
    "app.review.pdf_failed": "Could not write the PDF: {reason}",
    "app.review.pdf_written": "PDF written:",
    "app.review.pdf_notice": "Wrote {paths}",
    "app.review.finished": "Assessment marked as finished. It stays in the list on the start screen.",
    "app.profile.title.self": "About you",
    "app.profile.title.clinician": "About the person",
    "app.profile.intro": (
        "Only a name or initials is needed. The rest helps fit the questions and the plan. "
        "Tab moves to the next field; Ctrl+S continues."
    ),
    "app.profile.name.self": "Your name or initials",
    "app.profile.name.clinician": "Name or initials",
    "app.profile.age": "Age in years",
    "app.profile.birth_date": "Or date of birth (YYYY-MM-DD)",
    "app.profile.date_placeholder": "YYYY-MM-DD",
    "app.profile.sex": "Sex (used for the chair-stand norms)",
    "app.profile.primary_cancer": "Where the cancer started (for example breast, prostate)",
    "app.profile.bone_sites": "Bones the cancer has spread to (Space to tick)",
    "app.profile.lesion_type": "Type of bone damage, if known",
    "app.profile.walking_aid": "Walking aid in use",
    "app.profile.falls": "Falls in the last 12 months",
    "app.profile.lives_alone.self": "I live alone",
    "app.profile.lives_alone.clinician": "Lives alone",
    "app.profile.caregiver_present": "A caregiver helps at home",
    "app.profile.completed_by.self": "Filled in by (your name, or a helper's)",
    "app.profile.completed_by.clinician": "Filled in by (clinician's name)",
    "app.profile.assessed_on": "Date of this check (YYYY-MM-DD)",
    "app.profile.continue": "Continue to the questions (Ctrl+S)",
    "app.profile.err.whole_number": "type a whole number",
    "app.profile.err.date_form": "write the date as YYYY-MM-DD, for example 1956-03-14",
    "app.profile.err.date_needed": "the date of this check is needed",
    "app.profile.err.name": "give a name or initials",
    "app.profile.err.age": "an age from {low} to {high}",
    "app.profile.err.fields": "Please check the fields marked in red.",
    "profile.value.sex.female": "Female",
    "profile.value.sex.male": "Male",
    "profile.value.sex.other": "Other",
    "profile.value.sex.unknown": "Not given",
    "profile.value.lesion_type.osteolytic": "Osteolytic (bone broken down)",
    "profile.value.lesion_type.osteoblastic": "Osteoblastic (bone built up)",
    "profile.value.lesion_type.mixed": "Mixed",
    "profile.value.lesion_type.unknown": "Not known",
    "profile.value.walking_aid.none": "None",
    "profile.value.walking_aid.cane": "Cane",
    "profile.value.walking_aid.walker": "Walker",
    "profile.value.walking_aid.wheelchair": "Wheelchair",
    "profile.value.walking_aid.other": "Other",
    "profile.value.bone_sites.spine": "Spine (back or neck)",
    "profile.value.bone_sites.ribs": "Ribs",
    "profile.value.bone_sites.pelvis": "Pelvis (hip bone)",
    "profile.value.bone_sites.hip_thigh": "Hip or thigh",
    "profile.value.bone_sites.other_long_bones": "Other leg or arm bones",
    "profile.value.bone_sites.skull": "Skull",
    "profile.value.bone_sites.unknown": "Not sure",
    "profile.value.tri.unknown": "Not known",
    "profile.value.tri.yes": "Yes",
    "profile.value.tri.no": "No",
    # -- the PDFs (markup such as <b> is kept by a translation; user text is escaped before it is filled in)
    "pdf.page": "Page {n} of {total}",
    "pdf.header": "{title}: {name}",
    "pdf.footer": "Assessed {day} · {label}",
    "pdf.date": "{day:%B} {d}, {day.year}",
    "pdf.meta.title.home": "Home safety action plan",
    "pdf.meta.subject": "Falls and mobility safety at home with bone metastases",
    "pdf.yes": "yes",
    "pdf.no": "no",
    "pdf.unknown": "unknown",
    "pdf.none": "none",
    "pdf.not_recorded": "not recorded",
    "pdf.see_note": "see note",
    "pdf.who.home.person": "You",
    "pdf.who.home.caregiver": "A caregiver or helper",
    "pdf.who.home.team": "Your healthcare team",
    "pdf.who.clinician.person": "Person",
    "pdf.who.clinician.caregiver": "Caregiver",
    "pdf.who.clinician.team": "Healthcare team",
    "pdf.status.hazard": "<b>HAZARD</b>",
    "pdf.status.ok": "ok",
    "pdf.status.na": "n/a",
    "pdf.status.unanswered": "<b>NOT ANSWERED</b>",
    "pdf.status.skipped": "",
    "pdf.home.title": "Your home safety action plan",
    "pdf.home.for": "For <b>{name}</b>, made on {day}.",
    "pdf.home.flags.title": "You told us about warning signs. Call your healthcare team today.",
    "pdf.home.flags.first": (
        "Do this before anything else on this plan. If the signs are severe or getting worse fast, call 911."
    ),
    "pdf.home.signs.title": "Call your healthcare team now if you have any of these",
    "pdf.home.signs.911": (
        "If the signs are severe or come on fast, call 911 or go to the nearest emergency department."
    ),
    "pdf.home.actions.title": "What to do, most important first",
    "pdf.home.no_hazards": ("No hazards were found. Keep doing what you are doing, and check again on the date below."),
    "pdf.home.why": "Why: {why}",
    "pdf.home.priority": "Priority: {priority}. Who: {who}.",
    "pdf.home.done_on": "Done on: ________________",
    "pdf.home.note": "Note: {note}",
    "pdf.home.note_shortened": "(The note is shortened here; the clinician summary has all of it.)",
    "pdf.home.advice": "Moving safely with your bones",
    "pdf.home.referrals": "Ask your healthcare team about",
    "pdf.home.recheck.title": "Check again",
    "pdf.home.recheck": (
        "Go through this check again by <b>{day}</b>, or sooner if anything changes: a fall, new pain, "
        "new treatment, or a move to a new home."
    ),
    "pdf.home.unanswered": (
        "{count} question(s) were not answered. Answer them next time, so the plan can cover them."
    ),
    "pdf.home.about.title": "What this plan is and is not",
    "pdf.home.about": (
        "This plan lists ways to make falls less likely at home, based on your answers. It is not medical advice "
        "and does not replace your healthcare team. Talk to them before you change how you move, exercise or take "
        "your medicines."
    ),
    "pdf.col.measure": "Measure",
    "pdf.col.result": "Result",
    "pdf.col.change": "Change",
    "pdf.col.items": "Items",
    "pdf.col.section": "Section",
    "pdf.col.hazards": "Hazards",
    "pdf.col.points": "Points",
    "pdf.col.answered": "Answered",
    "pdf.col.na": "N/A",
    "pdf.col.unanswered": "Unanswered",
    "pdf.col.number": "#",
    "pdf.col.action": "Action",
    "pdf.col.who": "Who",
    "pdf.col.source": "Source",
    "pdf.col.to": "To",
    "pdf.col.reason": "Reason",
    "pdf.col.item": "Item",
    "pdf.col.answer": "Answer",
    "pdf.col.note": "Note",
    "pdf.profile.name": "Name",
    "pdf.profile.age_sex": "Age, sex",
    "pdf.profile.primary_cancer": "Primary cancer",
    "pdf.profile.bone_sites": "Bone sites",
    "pdf.profile.lesion_type": "Lesion type",
    "pdf.profile.walking_aid": "Walking aid",
    "pdf.profile.falls": "Falls, last 12 months",
    "pdf.profile.home": "Lives alone / caregiver present",
    "pdf.profile.completed_by": "Completed by",
    "pdf.profile.assessed_on": "Assessed on",
    "pdf.profile.assessed_on_value": "{day}, {label}, {mode} mode",
    "pdf.clinician.title": "Home safety assessment: clinician summary",
    "pdf.clinician.result": "Result",
    "pdf.clinician.band": "Overall band",
    "pdf.clinician.band_short": "Band",
    "pdf.clinician.hazards": "Hazards",
    "pdf.clinician.hazards_value": (
        "{hazards} hazards, {points} points; {answered} of {applicable} answered, {unanswered} unanswered"
    ),
    "pdf.clinician.steadi": "CDC STEADI Stay Independent",
    "pdf.clinician.steadi_short": "STEADI",
    "pdf.clinician.steadi_value": "{score} of 14: {band} (cut-off 4)",
    "pdf.clinician.steadi_partial": "; only {answered} of {questions} answered",
    "pdf.clinician.flags": "Warning signs reported: contact the treating team today",
    "pdf.clinician.since": "Since the last assessment ({day})",
    "pdf.clinician.since_band": "{before} to {after} ({change}); points {points_before} to {points_after}",
    "pdf.clinician.since_steadi": "{before} to {after} of 14",
    "pdf.clinician.group": "{label} ({count})",
    "pdf.clinician.by_section": "Hazards by section",
    "pdf.clinician.actions": "Actions by priority",
    "pdf.clinician.warning_sign": "WARNING SIGN. ",
    "pdf.clinician.action_detail": "{section}; {severity}, {points} pt",
    "pdf.clinician.referrals": "Referrals",
    "pdf.clinician.every_item": "Every item",
    "pdf.clinician.unanswered": "Unanswered items",
    "pdf.clinician.recheck": "Check again by {day} ({days} days).",
    "pdf.clinician.reviewed_by": "Reviewed by",
    "pdf.clinician.sign_name": "Name: ____________________________________   Role: ______________________",
    "pdf.clinician.sign": "Signature: _______________________________   Date: ______________________",
}

_translation: dict[str, str] = {}


def t(msg_id: str, /, **values: object) -> str:
    """The text of ``msg_id`` in the language in use, with ``values`` filled in."""
    template = _translation.get(msg_id) or MESSAGES[msg_id]
    return template.format(**values) if values else template


def use_translation(texts: Mapping[str, str] | None) -> None:
    """Use these texts (message id -> text) in place of the English ones; None goes back to English."""
    unknown = set(texts or {}) - set(MESSAGES)
    if unknown:
        raise KeyError(f"unknown message ids: {', '.join(sorted(unknown))}")
    _translation.clear()
    _translation.update(texts or {})
