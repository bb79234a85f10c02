"""Every sentence a person reads, in one catalogue, by message id, in every language safehome speaks.

The code refers to a message by its id (``t("hazards.low")``); the English text lives here
and nowhere else, so a translation replaces the texts without touching the code, and the
same warning is worded the same way in the app, the CLI and both PDFs. Placeholders use
``str.format`` names (``{points}``); a translation keeps the names and may move them.

Other languages come from gettext catalogues (``locale/<lang>/LC_MESSAGES/safehome.po``, made with
``make messages``): the English text is the msgid and the id its context. Dates and numbers in a
message are written the language's way by Babel. Part of the domain core: no faces imported.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from pathlib import Path
from typing import IO, Literal, get_args

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
    "answer.key.yes": "y",
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
    "check.urgency": "a warning sign (red_flag) needs an urgency (emergency, same_day or next_visit), and only a warning sign has one",
    "check.required_na": "a warning sign, a falls-screening question or a required item cannot offer 'not applicable'",
    "check.profile_fills": "profile_fills needs a yes/no item whose hazard answer is 'yes'",
    "check.condition_field": "'{field}' is not a profile field a condition can use (use one of: {allowed})",
    "check.condition_bool": "'{field}' takes true or false, not {value}",
    "check.condition_empty": "'{field}' needs at least one value",
    "check.condition_value": "{value} is not a value of '{field}' (use one of: {allowed})",
    "check.section_twice": "section id '{id}' is used twice",
    "check.item_twice": "item id '{id}' is already used in section '{section}'",
    "check.no_such_item": "no item has the id '{id}'",
    "check.mode_unknown": "mode '{mode}' is not one of the checklist's modes",
    "check.steadi_total": (
        "the STEADI Stay Independent questions must be 12 items worth 14 points in all "
        "(found {count} items worth {points})"
    ),
    # -- a translated checklist against its English twin (same ids and scoring, other words)
    "twin.other_version": "a translation must have the id and version of its English twin ({id} {version})",
    "twin.text_missing": "'{key}' is in the English checklist but not here",
    "twin.text_extra": "'{key}' is here but not in the English checklist",
    "twin.count": "'{key}' has {found} entries here and {wanted} in the English checklist",
    "twin.key_missing": "'{key}' is in the English checklist but not here (a translation changes only the words)",
    "twin.key_extra": "'{key}' is here but not in the English checklist (a translation changes only the words)",
    "twin.id_missing": "'{id}' is in the English checklist but missing here",
    "twin.id_extra": "'{id}' is not in the English checklist",
    "twin.order": "the order differs from the English checklist; keep the same order",
    "twin.value": "'{key}' is {found} here but {wanted} in the English checklist (a translation changes only the words)",
    "twin.no_english": "no English twin was found for this translation (looked for {path} and the bundled checklists)",
    # -- the example assessment (made up: a person trying safehome reads it in their own language)
    "example.completed_by": "Occupational therapist (example)",
    "example.primary_cancer": "breast",
    "example.note.hw_rugs": "Two rugs in the hall & one by the sink; daughter will remove them on Saturday.",
    "example.note.ba_shower_chair": 'Showers standing in the tub; "holds the towel rail".',
    "example.note.cs_notes": "Cooperative and keen to stay at home. Spouse present for the visit.",
    # -- languages, each named in its own words (the same in every catalogue)
    "language.en-CA": "English",
    "language.fr-CA": "Français",
    # -- FHIR exports (safehome checklist export-fhir, export --format fhir, import of a response)
    "fhir.profile": "About the person",
    "fhir.profile.age": "Age (years)",
    "fhir.profile.sex": "Sex",
    "fhir.profile.primary_cancer": "Primary cancer",
    "fhir.profile.bone_sites": "Where the cancer is in the bones",
    "fhir.profile.lesion_type": "Type of bone damage",
    "fhir.profile.walking_aid": "Walking aid",
    "fhir.profile.falls_last_12_months": "Falls in the last 12 months",
    "fhir.profile.lives_alone": "Lives alone",
    "fhir.profile.caregiver_present": "A caregiver is there to help",
    "fhir.profile.completed_by": "Completed by",
    "fhir.profile.completed_role": "Role of the person who completed it",
    "fhir.profile.cancer_team_phone": "Cancer team phone",
    "fhir.profile.after_hours_phone": "After-hours line",
    "fhir.profile.visit_clinician": "Clinician who did the visit (name and phone)",
    "fhir.profile.next_appointment": "Next appointment",
    "fhir.profile.sites_to_review": "Bone sites to check again (read from an older list)",
    "fhir.steadi_panel": "CDC STEADI Stay Independent brochure",
    "fhir.steadi_total": "Stay Independent total (0 to 14; 4 or more: may be at risk of falling)",
    "fhir.steadi_rule": "{answered} of {questions} questions answered; the total counts only the answers given",
    "fhir.not_judged": "not judged (no published cut-off applies, or not every question was answered)",
    "fhir.at_risk": "at risk",
    "fhir.not_at_risk": "not at risk on this measure",
    "fhir.method": "safehome rules: warning-sign tiers, published fall-risk cut-offs, weighted home hazards (each rule names its source)",
    "fhir.output.urgency": "Warning signs: how fast to act",
    "fhir.output.fall_risk": "Risk of falling",
    "fhir.output.home_hazards": "Home hazards",
    "fhir.output.completeness": "Completeness",
    "fhir.referral": "Referral: {name} ({reasons})",
    "fhir.import.one_response": "a Bundle to import must hold one QuestionnaireResponse (found {count})",
    "fhir.import.not_a_response": "expected a QuestionnaireResponse or a Bundle holding one, found {found}",
    "fhir.import.other_questionnaire": "answers a questionnaire that is not one of safehome's ({url})",
    "fhir.import.unknown_link": "this linkId is not a question of that questionnaire (or is in another section)",
    "fhir.import.twice": "this question is answered twice; safehome does not guess which answer counts",
    "fhir.import.one_answer": "this question takes one answer",
    "fhir.import.wrong_type": "the answer is not of the type this question takes ({wanted})",
    "fhir.import.not_a_list": "expected a list of FHIR elements here",
    "fhir.import.no_date": "the response has no 'authored' date",
    "fhir.import.no_name": "(no name)",
    # -- the person's profile
    "profile.name_empty": "the name is empty; give a name or initials",
    "profile.name_control": "the name holds control characters; type it again as plain text",
    "profile.text_control": "holds control characters; type it again as plain text",
    "profile.not_bool": "expected a whole number, not true or false",
    "profile.sites_once": "list each bone site once",
    "profile.date_future": "the assessment date {day} is in the future (today is {today})",
    "profile.birth_after": "the birth date is not before the assessment date",
    "profile.birth_age": "the birth date gives an age outside 18 to 120 years",
    # -- measures against their published cut-offs
    "measure.tug.at_risk": "{value:g} s: at risk of falling (12 s or more)",
    "measure.tug.ok": "{value:g} s: under the 12 s cut-off",
    "measure.chair.no_norm.sex": (
        "{value:g} stands: not judged: the norms are for men and for women, and the profile gives no sex"
    ),
    "measure.chair.no_norm.other": ("{value:g} stands: not judged: the published norms are for men and for women only"),
    "measure.chair.no_norm.age": "{value:g} stands: not judged: the norms need the person's age or birth date",
    "measure.chair.no_norm.range": (
        "{value:g} stands: no published norm for this person (the norms cover men and women aged 60 to 94)"
    ),
    "measure.chair.men": "men",
    "measure.chair.women": "women",
    "measure.chair.below": "{value:g} stands: below average for {who} aged {age} (under {norm})",
    "measure.chair.ok": "{value:g} stands: average or better for {who} aged {age} ({norm} or more)",
    "measure.balance.at_risk": "stage {value:g}: tandem stance not held 10 s, increased risk of falling",
    "measure.balance.ok": "stage {value:g}: tandem stance held 10 s, no added risk on this test (cut-off: stage 3)",
    "measure.mirels.high": "Mirels {value:g}: high fracture risk (9 or more); refer before mobility training",
    "measure.mirels.borderline": "Mirels {value:g}: borderline, clinical judgement",
    "measure.mirels.low": "Mirels {value:g}: below 8",
    "measure.sins.potentially_unstable": (
        "SINS {value:g}: potentially unstable spine (7 to 12); refer before mobility training"
    ),
    "measure.sins.unstable": "SINS {value:g}: unstable spine (13 to 18); refer before mobility training",
    "measure.sins.stable": "SINS {value:g}: stable range (0 to 6)",
    # -- the four outputs and their reasons (safehome's own transparent rule; see scoring.py)
    "urgency.emergency": "EMERGENCY: call 911 now",
    "urgency.same_day": "SAME DAY: call the cancer team now",
    "urgency.next_visit": "Tell the team at the next appointment",
    "urgency.none": "No warning signs (every sign was checked)",
    "urgency.not_checked": "NOT CHECKED: some warning signs were not asked",
    "urgency.do.emergency": "Call 911 now. Do not walk or drive yourself to the hospital.",
    "urgency.do.same_day": "Call the cancer team now. When their office is closed, call the after-hours line.",
    "urgency.do.next_visit": "Tell the team at the next appointment.",
    "urgency.because.flags": "{count} warning sign(s) reported",
    "urgency.because.also_unchecked": "; {count} other warning sign(s) not checked",
    "urgency.because.unchecked": "{count} warning sign(s) not checked: ask about them before anything else",
    "urgency.because.none": "every warning sign was asked and answered no",
    "fall_risk.at_risk": "At risk of falling",
    "fall_risk.not_at_risk": "Not at high risk by these measures",
    "fall_risk.not_checked": "NOT CHECKED: the falls questions are not finished",
    "fall.because.at_risk": "{count} measure(s) point to a risk of falling",
    "fall.because.not_checked": "the Stay Independent questions are not all answered, and nothing so far is positive",
    "fall.because.incomplete": "nothing positive so far, but the check is not finished",
    "fall.because.not_at_risk": "the Stay Independent score is below 4 of 14 and no measure is positive",
    "fall.line.steadi": "Stay Independent: {score} of 14, {band} ({answered} of {questions} answered)",
    "fall.line.steadi_younger": "; validated for people 65 and older, read it as a guide at age {age}",
    "fall.line.falls": "Falls in the past 12 months (profile): {count}",
    "fall.line.falls_unknown": "Falls in the past 12 months (profile): not recorded",
    "fall.line.measure": "{prompt}: {judgement}",
    "fall.line.unsafe": "{prompt}: not done, unsafe today ({reason})",
    "fall.line.not_done": "{prompt}: not done",
    "fall.line.na": "{prompt}: marked not applicable",
    "hazards.high": "High",
    "hazards.moderate": "Moderate",
    "hazards.low": "Low",
    "hazards.not_checked": "NOT CHECKED: some home questions are not answered",
    "hazards.because.high": "{points} hazard points (15 or more is high)",
    "hazards.because.moderate": "{points} hazard points (6 to 14 is moderate)",
    "hazards.because.severe": "{points} hazard points, and a high-severity hazard makes it at least moderate",
    "hazards.because.unanswered": "{points} hazard points so far; {count} home question(s) not answered",
    "hazards.because.incomplete": "{points} hazard points so far, but the check is not finished",
    "hazards.because.low": "{points} hazard points (under 6 is low), every home question answered",
    "recheck.because.urgent": "a warning sign: check again 7 days after the team has seen the person",
    "recheck.because.incomplete": "the check is not finished: finish it first",
    "recheck.because.high": "at risk of falling, or many home hazards",
    "recheck.because.moderate": "some home hazards, or a sign for the next visit",
    "recheck.because.low": "few home hazards and no sign of a high fall risk",
    "output.urgency": "Warning signs",
    "output.fall_risk": "Fall risk",
    "output.hazards": "Home hazards",
    "output.completeness": "Completeness",
    "output.completeness.because": "every warning sign and falls question must be answered before a result can reassure",
    "output.complete": "Complete",
    "output.incomplete": "INCOMPLETE: {count} required question(s) not answered",
    "output.missing": "Not answered: {prompt}",
    "output.scores": "Fracture and spine scores",
    "output.scores.refer": "REFER before mobility training",
    "output.scores.recorded": "Recorded, below the referral cut-offs",
    "output.scores.because": "Mirels 9 or more, or SINS 7 or more, means refer before mobility training (recorded, never computed here)",
    "output.review": "To review",
    "output.review.label": "{count} thing(s) to check",
    "output.review.because": "the answers disagree with each other or come from an older format",
    "output.flag": "{prompt} -> {todo}",
    "output.not_checked": "Not checked: {prompt}",
    "output.hazard_count": "{count} home hazard(s), {points} points",
    "recheck.on": "Check again by {day} ({days} days): {because}",
    "recheck.finish": "Check again: not yet ({because})",
    "safety.red_flag": "warning sign: {prompt}",
    "safety.score": "{prompt}: {value}",
    "review.contradiction": 'The profile and the answer to "{prompt}" disagree (answered {answer}); check which is right',
    "review.sites": 'The bone sites were recorded as "other long bones" and are read as both an arm and a leg: check them',
    "band.disclaimer": (
        "These levels are a plain rule of thumb made for safehome from severity-weighted "
        "hazards and published cut-offs. They are not a validated instrument and do not replace "
        "the judgement of the healthcare team."
    ),
    "band.disclaimer.self": (
        "This is a rough guide made by safehome, not a medical test. Talk to your healthcare team about it."
    ),
    "steadi.at_risk": "may be at risk of falling",
    "steadi.below": "below the at-risk cut-off",
    "steadi.incomplete": "not finished",
    # -- referrals and the plan
    "referral.physiotherapy": "Physiotherapy",
    "referral.occupational_therapy": "Occupational therapy",
    "referral.treating_team": "The treating cancer team",
    "referral.pharmacist": "Pharmacist or prescriber (medicine review)",
    "plan.referral.warning_sign": "Warning sign reported: {prompt}",
    "answer.finding": "{statement}: {value}",
    "plan.aid.generic": "your walking aid",
    "plan.aid.cane": "your cane",
    "plan.aid.walker": "your walker",
    "plan.by_when.high": "This week",
    "plan.by_when.medium": "This month",
    "plan.by_when.low": "Before the next visit",
    "plan.site.spine": "your spine",
    "plan.site.ribs": "your ribs",
    "plan.site.pelvis": "your pelvis",
    "plan.site.hip_thigh": "a hip or thigh",
    "plan.site.lower_leg": "a lower leg",
    "plan.site.upper_limb": "an arm or shoulder",
    "plan.site.skull": "your skull",
    "plan.and": "{first} and {last}",
    "plan.and.clauses": "{first}, and {last}",
    "plan.personal": "Chosen for you because {facts}.",
    "plan.personal.sites": "the cancer is in {sites}",
    "plan.personal.aid.cane": "you use a cane",
    "plan.personal.aid.walker": "you use a walker",
    "plan.personal.aid.wheelchair": "you use a wheelchair",
    "plan.personal.alone": "you live alone",
    # -- answers files checked against their checklist
    "answers.other_checklist": "the answers are for '{found}', not '{wanted}'",
    "answers.other_version": (
        "the answers were given for version {found} of this checklist; the installed one is version {wanted}"
    ),
    "answers.other_mode": "this checklist is not meant for mode '{mode}'",
    "answers.no_such_item": "no item with this id in the checklist",
    # -- reading input files
    "input.no_file": "no such file",
    "input.unreadable": "cannot be read ({reason})",
    "input.folder": "is a folder, not a file",
    "input.too_large": "is too large ({size:g} MB; the limit is {limit} MB)",
    "input.not_utf8": "is not UTF-8 text; save it again as UTF-8",
    "input.yaml_invalid": "is not valid YAML",
    "input.yaml_syntax": "YAML syntax: {what} (check indentation, colons and quotes)",
    "input.yaml_error": "YAML syntax: {what}",
    "input.empty": "the file is empty",
    "input.too_many_values": "the file has too many values (or repeats aliases); it cannot be a checklist",
    "input.tag": "the tag '{tag}' is not allowed; use plain values",
    "input.key_not_text": "a key must be plain text",
    "input.key_twice": "the key '{key}' appears twice here",
    "input.checklist_not_mapping": "a checklist must be a set of keys (id, version, title, ...), not a list or a single value",
    "input.answers_not_object": "an answers file must be a JSON object with checklist_id, profile and answers",
    "input.json_invalid": "is not valid JSON ({reason})",
    "input.missing_key": "missing required key '{key}'",
    "input.unknown_key": "unknown key '{key}' (check the spelling, or remove it)",
    "input.not_allowed": "'{value}' is not allowed here; use one of: {allowed}",
    "input.answer_kind": "answer kind '{kind}' is unknown; use one of: {allowed}",
    "input.answer_kind_missing": "missing 'kind' (yes_no, choice, number, scale or text)",
    "input.form.id": "'{value}' is not a valid id: use lower-case letters, digits, '_', '-' or '.'",
    "input.form.version": "'{value}' is not a version: write it as 1.0 or 1.2.3",
    "input.form.language": "'{value}' is not a language tag: write it as en-CA or fr-CA",
    "input.form.other": "'{value}' does not have the expected form",
    "input.too_short": "is too short (or empty)",
    "input.empty_text": "is empty",
    "input.too_long": "is too long (at most {limit} characters)",
    "input.too_few": "needs at least {least} entry(ies)",
    "input.too_many": "has too many entries (at most {limit})",
    "input.expected": "expected {wanted}, found {found}",
    "input.wanted.text": "text",
    "input.wanted.whole": "a whole number",
    "input.wanted.number": "a number",
    "input.wanted.bool": "true or false",
    "input.wanted.list": "a list",
    "input.wanted.mapping": "a set of keys and values",
    "input.wanted.date": "a date (YYYY-MM-DD)",
    "input.range.ge": "{value} is out of range: it must be at least {bound}",
    "input.range.le": "{value} is out of range: it must be at most {bound}",
    "input.range.gt": "{value} is out of range: it must be above {bound}",
    "input.range.lt": "{value} is out of range: it must be below {bound}",
    "input.not_valid": "is not valid",
    "input.not_regular": "is not a regular file (a device or a pipe); save the answers to a file first",
    "input.duplicate_key": "the key '{key}' appears twice; remove one of them (safehome does not guess which one counts)",
    "input.not_a_number": "'{value}' is not a number safehome can use",
    "input.too_deep": "is nested too deeply to be an answers file",
    "input.number_too_long": "the number {start}... has {count} characters; no answer needs more than 30",
    "cli.bad_id": "'{value}' is not an id: an id is a whole number written with the digits 0 to 9",
    "cli.stdout_closed": "the output cannot be written (standard output is closed); nothing was printed",
    "cli.output_failed": "could not write the output: {reason}",
    "service.write_failed": "{path}: could not be written ({reason}); nothing was written there",
    # -- the bundled checklists
    "catalog.no_id": "no checklist with id '{id}' (known: {known})",
    "catalog.missing": "the bundled checklists are missing from this installation",
    # -- the store
    # the clinic server and the sync
    "cli.help.clinic": "set up the clinic's shared server, or connect this laptop to it",
    "cli.help.clinic_init": "create or update the clinic store on a PostgreSQL server (run by the clinic's administrator)",
    "cli.help.clinic_connect": "check and remember the clinic server for this laptop (never a password)",
    "cli.help.clinic_url": "the server's address, e.g. postgresql://alice@clinic.example.org/safehome?sslmode=verify-full",
    "cli.help.sync": "send this laptop's changes to the clinic server and receive the team's",
    "cli.help.sync_confirm": "confirm the answers of an assessment changed on two laptops (then sync)",
    "clinic.bad_url": "that is not a PostgreSQL address (for example postgresql://alice@clinic.example.org/safehome?sslmode=verify-full)",
    "clinic.password_in_url": "the address holds a password, and safehome never keeps one: remove it from the address and put it in your PostgreSQL password file (~/.pgpass) instead",
    "clinic.unreachable": "could not reach the clinic server {server}: {reason}. Nothing was sent and nothing was lost; the laptop keeps working on its own.",
    "clinic.unreachable_now": "could not reach the clinic server {server}: {reason}. Check the address (host, port and database) and the connection.",
    "clinic.login_refused": "the clinic server {server} did not let this role in ({reason}). Check the user name and the database in the address, and ask the clinic's administrator to add the role to the clinic's clinician group.",
    "clinic.reason.refused": "nothing answers at that address and port",
    "clinic.reason.timeout": "it did not answer in time",
    "clinic.reason.unknown_host": "that host name is unknown (no network, or a typing mistake?)",
    "clinic.reason.no_route": "no network route to it (is this computer online?)",
    "clinic.reason.closed": "the server closed the connection",
    "clinic.reason.stopped": "the server was stopped or restarted",
    "clinic.reason.tls": "the encrypted connection (TLS) could not be set up as the address asks",
    "clinic.cut": "the connection to the clinic server {server} was lost ({reason}). Nothing was lost: run sync again when the connection is back.",
    "clinic.not_initialised": "that database has no safehome clinic store yet: the clinic's administrator runs 'safehome clinic init URL' first",
    "clinic.older_schema": "the clinic server has an older safehome schema ({version}; this safehome needs {known}): the clinic's administrator runs 'safehome clinic init URL' to bring it up to date",
    "clinic.newer_schema": "the clinic server was set up by a newer safehome (schema {version}; this one knows {known}): update safehome on this laptop",
    "clinic.init_refused": "the server refused to set up the clinic store ({reason}); 'clinic init' needs a role that may create roles and tables (the clinic's administrator)",
    "clinic.refused": "the clinic server refused a change ({reason}); nothing was lost, and the change stays on this laptop",
    "clinic.not_connected": "this laptop has no clinic server yet: run 'safehome clinic connect URL' first",
    "clinic.init.done": "The clinic store on {server} is at schema {version} (it was at {before}).",
    "clinic.init.roles_made": "Group roles created: {roles}.",
    "clinic.init.how_to_add": "To let a clinician sync, give them a login role of their own in the group {clinician}; a lead is in {lead} (which includes {clinician}):",
    "clinic.init.example": "  CREATE ROLE alice LOGIN IN ROLE {clinician};   -- a clinician\n  CREATE ROLE bob LOGIN IN ROLE {lead};   -- a lead\n  \\password alice   -- (in psql) her password, kept by the server, never by safehome",
    "clinic.connect.done": "This laptop now syncs with {server} as {role}. No password was stored.",
    "clinic.connect.tls": "The connection is encrypted (TLS).",
    "clinic.connect.no_tls": "The connection is not encrypted. Outside the clinic's own network, add sslmode=verify-full to the address.",
    "clinic.connect.not_member": "The role {role} is not in the group {group} yet: until the clinic's administrator adds it, the server refuses its changes.",
    "clinic.other_clinic": "this laptop's store belongs to another clinic, and one clinic's people never go to another's server ({server}): use a data folder of its own for this clinic (safehome --data-dir DIR clinic connect URL)",
    "clinic.busy": "the clinic server {server} is busy (another sync or a long task holds it); nothing was lost: run sync again in a minute",
    "clinic.bad_database_name": "the clinic's database is named '{name}': name it with small letters, digits and _ only (the clinic's roles are named after it)",
    "sync.not_confirmed": "{count} confirmation(s) not accepted: confirming needs the visit's own clinician or a lead. They are open again here.",
    "cli.help.sync_full": "receive the clinic's whole store again (after this data folder was restored from a backup)",
    "sync.done": "Synced with {server}: sent {sent} assessment(s) ({changes} answer change(s)); received {received} ({received_changes} answer change(s)).",
    "sync.deleted_here": "Deleted at the clinic, so removed from this laptop with the files it wrote for them: {names}.",
    "sync.deletions_sent": "{count} deletion(s) sent to the clinic.",
    "sync.refused": "Not sent: {count} assessment(s) belong to another clinician, and only they or a lead may change them. Your changes stay on this laptop only: ask the clinician or a lead to make them, or drop them here with safehome sync --discard ID.",
    "sync.refused_line": "  #{id} {name}, {date} (visit by {owner})",
    "sync.conflicts": "Changed on two laptops before they could sync. Both answers are kept in the history, and the one that reached the clinic last is the answer now (not always the one given last). A clinician checks each, corrects any that is wrong, then confirms (safehome sync --confirm ID, or k in the app's review):",
    "sync.conflicts_short": "{count} assessment(s) changed on two laptops: open each one's review to check and confirm its answers.",
    "sync.conflict_line": "  #{id} {name}, {date}:",
    "sync.conflict_details": "the visit's details (date, profile or status)",
    "sync.conflict_other_questions": "different questions on each laptop; every answer was kept",
    "sync.conflict_change": "{value} ({who}, {when})",
    "sync.conflict_kept": "now (reached the clinic last): {value}",
    "sync.you_elsewhere": "you, on another laptop",
    "sync.discarded": "{count} change(s) to assessment {id} dropped from this laptop; its answers are the clinic's again (its details come back at this sync).",
    "sync.nothing_to_discard": "assessment {id} has no change waiting to be sent",
    "cli.help.sync_discard": "drop this laptop's unsent changes to an assessment the server refused (then sync)",
    "app.start.by": "  ·  by {owner}",
    "app.delete.everywhere": " It is also deleted at the clinic and on every laptop at their next sync.",
    "sync.this_laptop": "this laptop",
    "sync.confirmed": "{count} conflicts confirmed for assessment {id}; the server hears of it at this sync.",
    "sync.nothing_to_confirm": "assessment {id} has no conflict waiting to be confirmed",
    "app.start.conflict": "  ·  changed on two laptops: check",
    "app.key.sync": "Sync",
    "app.cmd.connect": "Connect to a clinic server",
    "app.cmd.connect.help": "Give this laptop the address of the clinic's shared server (no password)",
    "app.connect.title": "The clinic's server",
    "app.connect.explain": "Type the address the clinic's administrator gave you, for example postgresql://alice@clinic-db.example.org/eastteam?sslmode=verify-full. Never put a password in it: PostgreSQL keeps yours (~/.pgpass).",
    "app.connect.placeholder": "postgresql://you@server/clinic?sslmode=verify-full",
    "app.connect.keys": "Enter: check and keep this address · Esc: cancel",
    "app.connect.empty": "Type the address first (or Esc to cancel).",
    "app.connect.failed": "Not connected: {reason}",
    "app.key.cancel": "Cancel",
    "app.cmd.sync": "Sync with the clinic",
    "app.cmd.sync.help": "Send this laptop's changes to the clinic server and receive the team's",
    "app.key.confirm": "Confirm",
    "app.sync.failed": "Not synced: {reason}",
    "app.review.conflicts": "Changed on two laptops before they could sync. Both answers are kept in the history; the one that reached the clinic last is the answer now (not always the one given last). Check each, correct any that is wrong, then press k to confirm:",
    "app.review.confirmed": "Confirmed: the clinic hears of it at the next sync.",
    "sync.status.never": "Clinic: not synced yet",
    "sync.status.at": "Clinic: synced {when}",
    "sync.status.unsent": "{count} assessment(s) to send",
    "sync.status.running": "Clinic: syncing…",
    "store.no_person": "there is no person {id} in {path} (see: safehome list)",
    "store.no_assessment": "there is no assessment {id} in {path} (see: safehome list)",
    "store.is_folder": "{path}: is a folder, not a safehome database",
    "store.symlink": "{path}: the database or its folder is a symbolic link; safehome keeps its data only in a real folder",
    "store.not_owner": "{path}: belongs to another user; safehome keeps its data only in your own folder",
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
    "store.busy": "{path}: another program has kept the database locked; nothing was changed, try again",
    "store.full": "{path}: the disk is full; nothing was changed, and what was saved before is safe. Free some space",
    "store.read_only": (
        "{path}: the database or its folder is read-only; nothing was changed, and what was saved before is safe"
    ),
    "store.cannot_open_file": (
        "{path}: cannot be opened ({reason}); check the folder exists and is yours. Nothing was lost"
    ),
    "store.io": "{path}: the disk reported an error ({reason}); nothing was changed. Check the disk",
    "store.failed": "{path}: could not be used ({reason}); nothing was changed",
    "store.moved": (
        "{path}: the database file or its journal (-wal) was removed or replaced while safehome had it open; "
        "nothing more is written there. Answers given since are kept in memory only"
    ),
    "store.migration_failed": "{path}: could not be brought up to date ({reason}); nothing was changed.",
    "store.data_dir_is_file": "{path}: is a file, not a folder; give --data-dir (or SAFEHOME_DATA_DIR) a folder",
    # -- comparing two assessments
    "compare.new_red_flags": "New warning signs",
    "compare.resolved_red_flags": "Warning signs no longer reported",
    "compare.resolved": "Hazards resolved",
    "compare.new": "New hazards",
    "compare.unchanged": "Hazards still there",
    "compare.not_rechecked": "Not checked again",
    "compare.line.urgency": "Warning signs: {before} -> {after}",
    "compare.line.fall_risk": "Fall risk: {before} -> {after}",
    "compare.line.hazards": "Home hazards: {before} -> {after} ({change}); points {points_before} -> {points_after}",
    "compare.line.steadi": "Stay Independent: {before} -> {after} of 14",
    "compare.better": "better",
    "compare.worse": "worse",
    "compare.same": "unchanged",
    "compare.unknown": "not comparable (not fully checked)",
    "compare.other_checklists": "cannot compare '{old}' with '{new}': they use different checklists",
    # -- the services
    "service.stored_source": "assessment {id}",
    "service.older_version": (
        "Made with version {version} of this checklist. Version {current} asks {count} question(s) this one "
        "did not, {signs} of them warning signs: start a new check to cover them."
    ),
    "service.output_is_folder": "{path}: is a folder; give a file name",
    "service.no_folder": "{path}: no such folder",
    "service.output_not_regular": "{path}: is not a regular file (a device, a pipe or a link); choose another name",
    "service.exists": "{path}: already exists; choose another name with -o or add --force to replace it",
    "service.permission": "{path}: cannot write here (permission denied)",
    "service.not_pdf": "{path}: the file name must end in .pdf",
    "service.batch_not_installed": "checklist {id} v{version} is not installed",
    # -- the command line
    "cli.error": "error: {message}",
    "cli.wrote": "wrote {path}",
    "cli.interrupted": "interrupted",
    "cli.jobs_positive": "'{value}' is not a number of processes; give 1 or more",
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
    "mode.clinician": "clinician",
    "mode.self": "self",
    "status.in-progress": "in-progress",
    "status.finished": "finished",
    "profile.value.role.patient": "patient",
    "profile.value.role.caregiver": "caregiver",
    "profile.value.role.clinician": "clinician",
    "cli.score.assessed": "Assessed on {day} ({label}, {mode} mode)",
    "cli.score.output": "{title}: {label}",
    "cli.score.because": "  because: {reason}",
    "cli.score.detail": "  - {text}",
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
    "cli.delete.files_removed": "removed {count} PDF or export file(s) safehome had written for them",
    "cli.delete.file_left": "not removed (changed since safehome wrote it, or not removable): {path}",
    "session.nothing_to_keep": "There is no answer from the last visit to keep for this question.",
    "session.locked": "This visit is finished. Choose to amend it before changing an answer.",
    "cli.help.description": (
        "Home fall-risk and mobility safety for people living with bone metastases. "
        "Run with no command to open the guided app."
    ),
    # argparse's own words, which it asks gettext for (the texts must stay argparse's, letter for letter)
    "argparse.usage": "usage: ",
    "argparse.argument": "argument %(argument_name)s: %(message)s",
    "argparse.positionals": "positional arguments",
    "argparse.options": "options",
    "argparse.help": "show this help message and exit",
    "argparse.unrecognized": "unrecognized arguments: %s",
    "argparse.not_allowed_with": "not allowed with argument %s",
    "argparse.required": "the following arguments are required: %s",
    "argparse.one_required": "one of the arguments %s is required",
    "argparse.expected_one": "expected one argument",
    "argparse.expected_at_most_one": "expected at most one argument",
    "argparse.expected_at_least_one": "expected at least one argument",
    "argparse.ambiguous": "ambiguous option: %(option)s could match %(matches)s",
    "argparse.invalid_value": "invalid %(type)s value: %(value)r",
    "argparse.invalid_choice": "invalid choice: %(value)r (choose from %(choices)s)",
    "argparse.error": "%(prog)s: error: %(message)s\n",
    "argparse.ignored": "ignored explicit argument %r",
    "cli.help.version": "show the version and exit",
    "cli.help.export_fhir": "write a bundled checklist as an HL7 FHIR R4 (SDC) Questionnaire",
    "cli.help.export_format": "json (safehome's own answers file) or fhir (an HL7 FHIR R4 Bundle: patient, responses, measures, risk, care plan)",
    "cli.help.no_name": "with --format fhir: leave out the name, the birth date and any note that holds the name",
    "cli.help.export_all": "export every stored assessment (or those with --status), one file each, into --output-dir",
    "cli.export.needs_id": "give the id of a stored assessment (see: safehome list), or --all",
    "cli.export.dir_needs_all": "--output-dir goes with --all; for one assessment use -o FILE",
    "cli.export.all_conflict": "--all exports every assessment into --output-dir: give no id and no -o",
    "cli.export.no_name_fhir": "--no-name goes with --format fhir (a de-identified FHIR copy)",
    "cli.export.all_done": "wrote {written} file(s) to {path} ({exists} already there; --force replaces them)",
    "cli.help.serve": "open the app in a web browser (for patients and families; loopback address by default)",
    "cli.help.serve_host": "address to listen on (default 127.0.0.1: this computer only)",
    "cli.help.serve_port": "port to listen on (default 8000)",
    "cli.help.serve_remote": "allow an address other than this computer's own (put a reverse proxy with TLS and accounts in front)",
    "cli.help.serve_open": "open the page in the default browser",
    "cli.help.serve_sessions": "browser tabs open at once, at most (default 4)",
    "cli.help.serve_idle": "close a tab left idle this many minutes (default 30; every answer is saved)",
    "cli.serve.remote": "{host} is not this computer's own address: anyone who can reach it could open the app. Add --allow-remote, behind a reverse proxy with TLS and accounts",
    "cli.serve.minutes": "'{value}' is not a number of minutes from 0.05 to 1440",
    "cli.serve.port": "{port} is not a port number (1 to 65535)",
    "cli.serve.proxy": "listening beyond this computer: the token in the URL is the only lock; TLS and user accounts belong to a reverse proxy in front (see the README)",
    "cli.serve.cannot_listen": "cannot listen on {host}:{port} ({reason}); choose another --port",
    "web.forbidden": "This address is not complete. Open the full address that safehome serve printed, with its key.",
    "web.full": "safehome is already open in {count} browser tab(s), the most it allows. Close one, then reload this page.",
    "web.start": "Start",
    "web.ended": "This safehome window has closed. Every answer was saved.",
    "web.restart": "Open again",
    "web.listening": "safehome is open at: {url}",
    "web.stop": "Keep this address to yourself: it opens every assessment in this data folder. Press Ctrl+C to stop.",
    "cli.help.lang": "language: en-CA or fr-CA (default: SAFEHOME_LANG, the language chosen in the app, your locale, else en-CA); a report is in it rather than in the assessment's own",
    "cli.lang_unknown": "safehome does not speak '{value}'; use one of: {known}",
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
    "cli.help.all_items": "clinician summary: list every item in the appendix, not only hazards and notes",
    "cli.help.paper": "paper size (default: letter)",
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
    "app.key.close_menu": "Close menu",
    "app.palette.search": "Search for a command…",
    "app.key.understood": "I understand",
    "app.key.pdf": "Create PDFs",
    "app.key.finish": "Finish",
    "app.key.back_to_questions": "Back to questions",
    "app.key.continue": "Continue",
    "app.key.keep": "Keep last visit's",
    "app.key.keep_section": "Keep rest of section",
    "app.key.edit_profile": "Profile",
    "app.key.follow_up": "Follow-up visit",
    "app.key.delete": "Delete person",
    "app.q.last_visit": "Last visit ({day}): {answer}. Press k to keep it, or K for the rest of this section.",
    "app.q.draft_back": "You typed this before the app closed; it is not saved as the answer yet. Press Enter to save it.",
    "app.q.locked": "This visit is finished. Answering a question asks whether to amend it.",
    "app.q.nothing_to_keep": "Nothing from the last visit to keep here: answer the question.",
    "app.q.kept": "Kept last visit's answer for {count} question(s) in this section.",
    "app.profile.updated": "Profile saved. The questions and results now follow it.",
    "app.amending": "Amending this visit: each change is recorded as an amendment.",
    "app.amend.ask": (
        "This visit was finished ({day}). Amend it? Each change will be recorded as an amendment, "
        "and PDFs written before will be out of date."
    ),
    "app.deleted_under": (
        "This visit was deleted from the store by another program. The {count} answer(s) given here are "
        "kept in memory only. Save them as a new assessment?"
    ),
    "app.saved_as_new": "Saved as a new assessment (number {id}). Every answer given is in it.",
    "app.quit_unsaved": (
        "{count} answer(s) could not be saved to disk and would be lost. Quit anyway? "
        "(No: stay, free some disk space, and answer again to save them.)"
    ),
    "app.quit_unsaved_done": "safehome closed with {count} answer(s) NOT saved: the disk refused them.",
    "app.deleted": "Deleted: {count} assessment(s) and {files} PDF file(s) of this person.",
    "app.delete.ask": (
        "Delete {person} and all {count} of their assessments, answers, notes and PDFs? This cannot be undone."
    ),
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
    "app.web.language": "In the browser, safehome speaks the language it was started in: ask for safehome serve --lang fr-CA (or en-CA).",
    "app.cmd.language.help": "Open the app again in the other language (every answer is already saved)",
    "app.cmd.theme.help": "Dark, light or high contrast",
    "app.cmd.review": "Review",
    "app.cmd.review.help": "Unanswered questions, results and PDFs",
    "app.cmd.profile": "Edit the profile",
    "app.cmd.profile.help": "Correct name, age, bone sites, contacts...; the answers are kept",
    "app.cmd.quit": "Quit",
    "app.cmd.quit.help": "Close safehome (every answer is already saved)",
    "app.theme.safehome-dark": "dark",
    "app.theme.safehome-light": "light",
    "app.theme.safehome-high-contrast": "high contrast (black and yellow)",
    "app.cmd.start": "Back to the start screen",
    "app.cmd.start.help": "Every answer is already saved",
    "app.start.intro": (
        "Home fall and mobility safety for people living with bone metastases.\n"
        "Choose with the arrow keys and Enter. Every answer is saved as you go."
    ),
    "app.start.new_visit": "New home visit (occupational therapist)        key v",
    "app.start.language": "{language}: press l to use safehome in English",
    "app.start.new_self": "New self-check (check my own home)             key c",
    "app.start.mode.clinician": "home visit",
    "app.start.mode.self": "self-check",
    "app.start.progress": "{done} of {total} answered",
    "app.start.answered": "{done} answered",
    "app.start.resume": "Resume  {person}  ·  {day}  ·  {mode}  ·  {done}",
    "app.start.open": "Open    {person}  ·  {day}  ·  {mode}  ·  finished",
    "app.q.subtitle": "{name} · {mode}",
    "app.q.type_here": "type here, then Enter",
    "app.q.clear_ask": "Take back the saved answer to this question? It will show as not answered.",
    "app.q.cleared": "The answer was taken back: this question is not answered now.",
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
    "app.q.from_profile": "Answered from the profile. Press y or n to change it.",
    "app.q.not_an_answer": "'{key}' is not an answer to this question.",
    "app.redflag.title": "WARNING SIGN. {label}",
    "app.redflag.after": (
        "This comes before anything else on the checklist. You can carry on with the questions afterwards."
    ),
    "app.redflag.after.later": "It will be on the plan to take to the next appointment. You can carry on now.",
    "app.flagbar": "⚠ {label}: {count} warning sign(s). Press r to review.",
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
        "  s              go to the list of sections (Home, End, a letter, Enter)\n"
        "  k / K          keep last visit's answer / all the rest of this section\n"
        "  e              correct the profile (name, age, bones, contacts)\n"
        "  r              review: unanswered questions, results, PDFs\n"
        "\n"
        "Review\n"
        "  p              write the PDF plans      f  finish the visit\n"
        "  k              confirm the answers of a visit changed on two laptops\n"
        "\n"
        "Start screen\n"
        "  v / c          new home visit / new self-check\n"
        "  u              follow-up visit for the highlighted person\n"
        "  d              delete the highlighted person (asks first)\n"
        "  s              sync with the clinic (first: Ctrl+P, Connect to a clinic server)\n"
        "\n"
        "Everywhere\n"
        "  F1 or ?        this help           Ctrl+P  command palette\n"
        "  Ctrl+T         switch theme (dark, light, high contrast)\n"
        "  Escape         back                Ctrl+Q  quit\n"
        "Every answer is saved as it is given.\n"
    ),
    "app.review.subtitle": "Review · {name}",
    "app.review.by_section": "By section",
    "app.review.top_actions": "Most important actions",
    "app.review.unanswered": "Not answered yet ({count}): Enter on one goes back to it",
    "app.review.all_answered": "Every question has an answer.",
    "app.review.col.section": "Section",
    "app.review.col.hazards": "Hazards",
    "app.review.col.points": "Points",
    "app.review.col.to_fix": "Things to fix",
    "app.review.col.answered": "Answered",
    "app.review.col.unanswered": "Not answered",
    "app.review.answered_of": "{answered} of {total}",
    "app.review.label": "{label}: ",
    "app.review.where": "{section}: {prompt}",
    "app.review.since": "Since the last check ({day})",
    "app.review.more": "... and {count} more in the PDF plan.",
    "app.review.pdf_failed": "Could not write the PDF: {reason}",
    "app.review.written": "PDFs written for this visit:",
    "app.review.pdf_downloaded": "Sent to your browser as a download: {names}. Look in your Downloads folder.",
    "app.review.out_of_date": "(out of date: answers changed since; press p to write them again)",
    "app.review.pdf_again": "The PDFs for these answers are already written. Write another copy of each?",
    "app.review.before_after": "({before} -> {after})",
    "app.review.progress": "Answered {done} of {total} questions.",
    "app.review.pdf_notice": "Wrote {paths}",
    "app.review.finish_incomplete": (
        "The check is not finished: {count} required question(s), such as warning signs, are not answered. "
        "The result will say so. Finish anyway?"
    ),
    "app.confirm.keys": "y = yes     n or Esc = no, go back",
    "app.profile.leave": "Leave this form? What you typed here will not be kept.",
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
    "app.profile.contacts": "Who to call (printed on the first page of the plan; leave blank to write in by hand)",
    "app.profile.cancer_team_phone": "Cancer team phone",
    "app.profile.after_hours_phone": "After-hours phone",
    "app.profile.visit_clinician": "Clinician who did this visit (name and phone)",
    "app.profile.next_appointment": "Next appointment (day and time)",
    "app.profile.language": "Language of the handout and summary",
    "app.profile.assessed_on": "Date of this check (YYYY-MM-DD)",
    "app.profile.continue": "Continue to the questions (Ctrl+S)",
    "app.profile.err.whole_number": "type a whole number",
    "app.profile.err.date_form": "write the date as YYYY-MM-DD, for example 1956-03-14",
    "app.profile.err.date_needed": "the date of this check is needed",
    "app.profile.err.name": "give a name or initials",
    "app.profile.err.age": "an age from {low} to {high}",
    "app.profile.err.fields": "Some fields need a change: each one has a message just below it, starting with ✗.",
    "app.profile.warned": (
        "Please check the messages starting with ⚠ below the fields. "
        "Correct them, or press Ctrl+S again to keep the values as they are."
    ),
    "app.profile.error_mark": "✗ {message}",
    "app.profile.warning_mark": "⚠ {message}",
    "app.profile.title.edit": "Correct the profile (the answers are kept)",
    "profile.age_mismatch": "the age ({age}) does not match the date of birth, which gives {from_birth}",
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
    "profile.value.bone_sites.hip_thigh": "Hip or thigh (femur)",
    "profile.value.bone_sites.lower_leg": "Lower leg (shin)",
    "profile.value.bone_sites.upper_limb": "Arm or shoulder (humerus)",
    "profile.value.bone_sites.skull": "Skull",
    "profile.value.bone_sites.unknown": "Not sure",
    "profile.value.tri.unknown": "Not known",
    "profile.value.tri.yes": "Yes",
    "profile.value.tri.no": "No",
    # -- the PDFs (markup such as <b> is kept by a translation; user text is escaped before it is filled in)
    "pdf.page": "Page {n} of {total}",
    "pdf.header": "{title}: {name}",
    "pdf.footer": "Assessed {day} · {label}",
    "pdf.date": "{day:long}",
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
    "pdf.who.home.ot": "Occupational therapist",
    "pdf.who.home.physio": "Physiotherapist",
    "pdf.who.home.pharmacist": "Pharmacist",
    "pdf.who.home.family_doctor": "Family doctor",
    "pdf.who.home.cancer_team": "Cancer team",
    "pdf.who.home.team": "Your healthcare team",
    "pdf.who.clinician.person": "Person",
    "pdf.who.clinician.caregiver": "Caregiver",
    "pdf.who.clinician.ot": "OT",
    "pdf.who.clinician.physio": "Physio",
    "pdf.who.clinician.pharmacist": "Pharmacist",
    "pdf.who.clinician.family_doctor": "Family doctor",
    "pdf.who.clinician.cancer_team": "Cancer team",
    "pdf.who.clinician.team": "Healthcare team",
    "pdf.status.hazard": "<b>HAZARD</b>",
    "pdf.status.ok": "ok",
    "pdf.status.na": "n/a",
    "pdf.status.unanswered": "<b>NOT ANSWERED</b>",
    "pdf.status.skipped": "",
    "pdf.status.unsafe": "<b>NOT DONE: unsafe today</b>",
    "pdf.status.no_norm": "no published norm",
    "pdf.unchecked.title": "Warning signs NOT checked",
    "pdf.unchecked.what": "These were not asked. Ask about them today: a yes to any of them needs the healthcare team now.",
    "pdf.home.recheck_finish": "This check is not finished yet. Finish it first, then you will get a date to check again.",
    "pdf.clinician.because": "because: {reason}",
    "pdf.clinician.output_change": "Results",
    "pdf.home.title": "Your home safety action plan",
    "pdf.home.for": "For <b>{name}</b>, made on {day}.",
    "pdf.home.flags.title": "You told us about warning signs. Act on them before anything else on this plan.",
    "pdf.home.signs.title": "Call your healthcare team now if you have any of these",
    "pdf.home.signs.911": (
        "If the signs are severe or come on fast, call 911 or go to the nearest emergency department."
    ),
    "pdf.home.actions.title": "What to do, most important first",
    "pdf.home.no_hazards": ("No hazards were found. Keep doing what you are doing, and check again on the date below."),
    "pdf.home.actions.what": "Tick each one when it is done and write the day beside it.",
    "pdf.home.col.what": "What to do",
    "pdf.home.action.detail": "<b>{when}</b> \u00b7 {who} \u00b7 {where}",
    "pdf.home.col.done": "Done on",
    "pdf.home.note": "Note: {note}",
    "pdf.home.note_shortened": "(The note is shortened here; the clinician summary has all of it.)",
    "pdf.home.advice": "Moving safely with your bones",
    "pdf.home.referrals": "Ask your healthcare team about seeing",
    "pdf.home.referral.physiotherapy": "A physiotherapist, for safe exercises, walking and balance",
    "pdf.home.referral.occupational_therapy": "An occupational therapist, for equipment and safer ways to do daily tasks",
    "pdf.home.referral.pharmacist": "A pharmacist, to look over medicines that can cause falls",
    "pdf.home.notes.title": "Notes and questions for your team",
    "pdf.home.notes.yours": "<b>{prompt}</b><br/>You wrote: {text}",
    "pdf.home.notes.what": "Write down questions as they come to you, and bring this page to your next appointment.",
    "pdf.home.call.title": "Who to call",
    "pdf.home.call.emergency": "Emergency",
    "pdf.home.call.911": "911",
    "pdf.home.call.cancer_team": "Cancer team",
    "pdf.home.call.after_hours": "After-hours line",
    "pdf.home.call.clinician": "The clinician who visited",
    "pdf.home.call.clinician.self": "Your nurse or therapist",
    "pdf.home.call.next_appointment": "Next appointment",
    "pdf.home.call.blank": "_______________________________",
    "pdf.footer.home": "Made on {day}",
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
    "pdf.profile.fact": "<b>{label}:</b> {value}",
    "pdf.profile.age_sex": "Age, sex",
    "pdf.profile.primary_cancer": "Primary cancer",
    "pdf.profile.bone_sites": "Bone sites",
    "pdf.profile.lesion_type": "Lesion type",
    "pdf.profile.walking_aid": "Walking aid",
    "pdf.profile.falls": "Falls, last 12 months",
    "pdf.profile.home": "Lives alone / caregiver present",
    "pdf.profile.completed_by": "Completed by",
    "pdf.profile.assessed_on": "Assessed on",
    "pdf.profile.assessed_on_value": "{day} ({mode} mode), {label}",
    "pdf.clinician.title": "Home safety assessment: clinician summary",
    "pdf.clinician.since": "Since the last assessment ({day})",
    "pdf.clinician.group": "{label} ({count})",
    "pdf.clinician.by_section": "Hazards by section",
    "pdf.clinician.actions": "Actions by priority",
    "pdf.clinician.warning_sign": "WARNING SIGN. ",
    "pdf.clinician.action_detail": "{section}; {severity}, {points} pt",
    "pdf.clinician.referrals": "Referrals",
    "pdf.clinician.referral_line": "<b>{name}</b>: {reasons}",
    "pdf.clinician.every_item": "Appendix: every item",
    "pdf.clinician.unanswered": "Unanswered items",
    "pdf.clinician.reviewed_by": "Reviewed by",
    "pdf.clinician.signs_count": "{reported} reported, of {asked} asked ({total} on the checklist)",
    "pdf.clinician.sign_line": "<b>{tier}</b>: {sign}",
    "pdf.clinician.sign_unchecked": "<b>NOT CHECKED</b>: {sign}",
    "pdf.clinician.top": "Top hazards ({shown} of {total}, by priority)",
    "pdf.clinician.top_line": "<b>{where}</b> ({severity}): {action}",
    "pdf.clinician.change": "{item}: {before} -> {after}",
    "pdf.clinician.appendix": "Appendix: hazards, items not answered, and notes",
    "pdf.clinician.appendix_none": "No hazards, unanswered items or notes.",
    "pdf.clinician.note": "<i>Note:</i> {note}",
    "pdf.clinician.answer": "{answer}: {mark}",
    "urgency.short.emergency": "911 now",
    "urgency.short.same_day": "Cancer team today",
    "urgency.short.next_visit": "Next visit",
    "severity.high": "high",
    "severity.medium": "medium",
    "severity.low": "low",
    "pdf.clinician.sign_name": "Name: ____________________________________   Role: ______________________",
    "pdf.clinician.sign": "Signature: _______________________________   Date: ______________________",
}

Language = Literal["en-CA", "fr-CA"]
"""The languages safehome speaks, as BCP 47 tags; the first is the one the texts above are in."""
LANGUAGES: tuple[str, ...] = get_args(Language)
ENGLISH = LANGUAGES[0]
DOMAIN = "safehome"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_chosen = ENGLISH  # the language of this run (the command line's, the app's)
_document: ContextVar[str | None] = ContextVar("safehome_document_language", default=None)
_catalogues: dict[str, gettext.NullTranslations] = {}


def language_of(text: str | None) -> str | None:
    """The language a tag or a locale name stands for (``fr``, ``fr_CA.UTF-8``, ``FR-ca``...), or None."""
    head = re.split(r"[-_.@]", (text or "").strip().lower(), maxsplit=1)[0]
    return next((tag for tag in LANGUAGES if tag.lower().startswith(head + "-")), None) if head else None


def choose_language(asked: str | None, environ: Mapping[str, str], remembered: str | None = None) -> str:
    """The language of a run: the one asked for, else SAFEHOME_LANG, else the one last chosen in the
    app (``remembered``), else the user's locale, else English.

    A language asked for (``--lang`` or SAFEHOME_LANG) that safehome does not speak is a ValueError
    naming it, for the caller to say in one sentence; a locale in another language means English.
    """
    for wanted in (asked, environ.get("SAFEHOME_LANG") or None):
        if wanted is not None:
            found = language_of(wanted)
            if found is None:
                raise ValueError(wanted)
            return found
    if remembered in LANGUAGES:
        return remembered
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):  # POSIX order: the first one set decides
        if environ.get(name):
            return language_of(environ[name]) or ENGLISH
    return ENGLISH


def set_language(tag: str) -> None:
    """Speak ``tag`` from now on (one of LANGUAGES)."""
    global _chosen
    if tag not in LANGUAGES:
        raise ValueError(tag)
    _chosen = tag


def current_language() -> str:
    """The language texts are made in here: a document's while one is being made, else the run's."""
    return _document.get() or _chosen


@contextmanager
def speaking(tag: str | None) -> Iterator[None]:
    """Make the texts inside in ``tag`` (a document's language), whatever the run speaks; None changes nothing."""
    if tag is not None and tag not in LANGUAGES:
        raise ValueError(tag)
    token = _document.set(tag or current_language())
    try:
        yield
    finally:
        _document.reset(token)


def catalogue(tag: str) -> gettext.NullTranslations:
    """The gettext catalogue of ``tag``, compiled with the package; read from its .po when that is newer."""
    if tag not in _catalogues:
        folder = LOCALE_DIR / tag.replace("-", "_") / "LC_MESSAGES"
        po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
        if tag == ENGLISH or (not po.exists() and not mo.exists()):
            _catalogues[tag] = gettext.NullTranslations()
        elif mo.exists() and (not po.exists() or mo.stat().st_mtime_ns >= po.stat().st_mtime_ns):
            with mo.open("rb") as handle:
                _catalogues[tag] = gettext.GNUTranslations(handle)
        else:  # a source checkout whose .po was edited since the last build: compile it in memory
            from io import BytesIO

            _catalogues[tag] = gettext.GNUTranslations(BytesIO(compile_po(po.read_bytes(), tag)))
    return _catalogues[tag]


def compile_po(source: bytes, tag: str) -> bytes:
    """A .po file's bytes compiled to .mo bytes, with Babel (what the package build runs, too)."""
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(source), locale=tag.replace("-", "_"))
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


class _Day:
    """A date in a message, written the way its language writes dates: ``{day}`` 2026-11-27, ``{day:long}``."""

    def __init__(self, day: date, tag: str) -> None:
        self.day, self.tag = day, tag

    def __format__(self, spec: str) -> str:
        if self.tag == ENGLISH and spec in ("", "short", "long"):  # Babel's en_CA forms, without loading Babel
            if spec == "long":
                return f"{_MONTHS[self.day.month - 1]} {self.day.day}, {self.day.year}"
            return self.day.isoformat()
        from babel.dates import format_date

        return format_date(self.day, spec or "short", locale=self.tag.replace("-", "_"))


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


class _Number:
    """A number in a message: Python's format spec (``{value:g}``), then the language's decimal mark."""

    def __init__(self, value: float, tag: str) -> None:
        self.value, self.tag = value, tag

    def __format__(self, spec: str) -> str:
        written = format(self.value, spec)
        if self.tag == ENGLISH or not re.fullmatch(r"-?\d+(\.\d+)?", written):
            return written
        from decimal import Decimal

        from babel.numbers import format_decimal

        return format_decimal(Decimal(written), locale=self.tag.replace("-", "_"), group_separator=False)

    def __str__(self) -> str:
        return format(self, "")


def number(value: float) -> str:
    """A number as the language in use writes it, shortest form (12.5 or 12,5; 13 not 13.0)."""
    return format(_Number(value, current_language()), "g")


def _localised(value: object, tag: str) -> object:
    if isinstance(value, date) and not isinstance(value, datetime):
        return _Day(value, tag)
    if tag != ENGLISH and isinstance(value, (int, float)) and not isinstance(value, bool):
        return _Number(value, tag)  # English numbers are Python's own: no wrapper on the hot path
    return value


def t(msg_id: str, /, **values: object) -> str:
    """The text of ``msg_id`` in the language in use, with ``values`` filled in (dates and numbers its way)."""
    tag = current_language()
    english = MESSAGES[msg_id]
    template = english if tag == ENGLISH else catalogue(tag).pgettext(msg_id, english)
    if not values:
        return template
    return template.format(**{name: _localised(value, tag) for name, value in values.items()})


def extract_messages(
    fileobj: IO[bytes], keywords: object, comment_tags: object, options: object
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Babel's extractor for this file: every message, with its id as the context (``make messages``).

    The English text is the msgid and the id the msgctxt, so a changed English sentence shows in
    the French catalogue as an untranslated one, and the same sentence under two ids stays two.
    """
    import ast  # only when Babel extracts the messages (make messages)

    tree = ast.parse(fileobj.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == "MESSAGES":
            assert isinstance(node.value, ast.Dict)
            for key, value in zip(node.value.keys, node.value.values, strict=True):
                assert isinstance(key, ast.Constant) and isinstance(value, ast.Constant)
                msg_id, english = str(key.value), str(value.value)
                if english:  # an empty text is empty in every language
                    yield key.lineno, "pgettext", (msg_id, english), [f"id: {msg_id}"]
