"""Clinical model v3, part 1: the rules, hand-computed at their edges.

- One safety stop (core/safety.py): a same-day or emergency sign, Mirels 8 or more, SINS 7 or
  more stop the physical tests; a value recorded anyway is shown and never judged; a recorded
  clearance lifts a score's stop, never a sign's; a stopping score brings the re-check to 30 days.
- Under 60, a chair stand below the youngest published figure (60-64) is "below the lowest
  published norm: clinician to judge" and never counts towards "not at risk".
- A follow-up question ("is this new, or getting worse?") is asked only after its answer.
- The person's own words: never "no warning signs" while they exist; page 1 of the summary.
- A follow-up visit across two checklist versions compares on the questions both ask.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import pytest
from pypdf import PdfReader

from safehome import service
from safehome.core import catalog
from safehome.core.compare import compare
from safehome.core.errors import InputError
from safehome.core.loader import load_checklist
from safehome.core.options import ReportOptions
from safehome.core.score import score
from safehome.core.safety import safety_stops

from .conftest import HOME, make

TESTS = ("ft_tug", "ft_chair_stand", "ft_balance")


def _text(pdf: bytes, pages: slice = slice(None)) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages[pages])


# ------------------------------------------------------------------ one safety stop


def test_a_value_recorded_while_the_tests_are_stopped_is_shown_and_never_used(home) -> None:
    result = score(home, make(home, {"cs_mirels": 9, "ft_tug": 8, "ft_chair_stand": 20, "ft_balance": 4}))
    assert [result.status_of(i).status for i in TESTS] == ["unsafe"] * 3
    assert not [m for m in result.measures if m.item_id in TESTS]  # never judged
    line = next(line for line in result.fall_lines if line.key == "ft_tug")
    assert line.status == "at_risk" and "not used" in line.text and "8" in line.text
    assert result.fall_risk == "at_risk"  # a test not done because it is unsafe counts as at risk
    assert result.recheck_days == 30


@pytest.mark.parametrize(
    ("answers", "stopped"),
    [
        ({"cs_mirels": 7}, False),
        ({"cs_mirels": 8}, True),  # 8: judgement, so no tests until judged
        ({"cs_sins": 6}, False),
        ({"cs_sins": 7}, True),
        ({"ws_pain_uncontrolled": "yes"}, False),  # next visit: does not stop the tests
        ({"ws_new_med_drowsy": "yes"}, False),
        ({"ws_back_pain": "yes"}, True),  # same day
        ({"ws_balance": "yes"}, True),  # emergency
    ],
)
def test_the_stop_at_its_edges_with_values_present(home, answers: dict, stopped: bool) -> None:
    result = score(home, make(home, {**answers, "ft_tug": 8}))
    assert (result.status_of("ft_tug").status == "unsafe") is stopped
    assert bool(result.safety_stops) is stopped
    judged = {m.item_id for m in result.measures}
    assert ("ft_tug" in judged) is not stopped


def test_the_re_check_follows_the_scores(home) -> None:
    assert score(home, make(home)).recheck_days == 180
    assert score(home, make(home, {"cs_sins": 7})).recheck_days == 30
    assert score(home, make(home, {"cs_sins": 6})).recheck_days == 180
    assert score(home, make(home, {"cs_mirels": 8})).recheck_days == 30
    assert score(home, make(home, {"ws_back_pain": "yes"})).recheck_days == 7  # urgent stays 7


def test_the_mirels_words_say_8_is_judgement_and_9_referral(home) -> None:
    words = {m.value: m.judgement for m in (score(home, make(home, {"cs_mirels": v})).measures[0] for v in (7, 8, 9))}
    assert "below 8" in words[7]
    assert "borderline" in words[8] and "no physical tests" in words[8]
    assert "9 or more" in words[9] and "refer" in words[9]


# ------------------------------------------------------------------ below the lowest norm


@pytest.mark.parametrize(
    ("age", "sex", "stands", "line"),
    [
        (59, "male", 5, "to_judge"),  # the defect: far below the youngest norm (under 14 at 60-64)
        (59, "male", 13, "to_judge"),
        (59, "male", 14, "not_checked"),  # at the figure: not below, and still no norm
        (60, "male", 13, "at_risk"),  # 60: the published norm applies
        (59, "female", 11, "to_judge"),
        (59, "female", 12, "not_checked"),
    ],
)
def test_under_60_below_the_lowest_published_norm(home, age: int, sex: str, stands: int, line: str) -> None:
    profile = {"age": age, "sex": sex, "falls_last_12_months": 0}
    result = score(home, make(home, {"ft_chair_stand": stands}, profile=profile))
    chair = next(f for f in result.fall_lines if f.key == "ft_chair_stand")
    assert chair.status == line
    measure = next(m for m in result.measures if m.item_id == "ft_chair_stand")
    assert ("below the lowest published norm" in measure.judgement) is (line == "to_judge")
    if line == "to_judge":
        assert result.fall_risk != "not_at_risk" and "clinician" in result.fall_because


# ------------------------------------------------------------------ follow-ups and the clearance, as checklist data

SMALL = """\
id: small
version: "1.0"
title: A small checklist
language: en-CA
modes: [clinician]
sections:
  - id: signs
    title: Signs
    kind: warning_signs
    items:
      - id: feet
        prompt: Has the person lost some feeling in the feet?
        answer: {kind: yes_no, hazard: ["yes"]}
        severity: medium
        action: Tell the team about the numb feet.
        why: Numb feet make it harder to sense the floor.
        source: "CDC STEADI Stay Independent, question 9"
      - id: feet_new
        follows: [{item: feet, answer: ["yes"]}]
        statement: Numb feet, new or getting worse
        prompt: Is this loss of feeling new, or getting worse?
        answer: {kind: yes_no, hazard: ["yes"]}
        severity: high
        red_flag: true
        urgency: emergency
        action: Call 911 now.
        why: New numbness can mean the spinal cord is pressed on.
        source: "NICE NG234; safehome rule: the follow-up"
  - id: scores
    title: Scores
    kind: clinical_scores
    items:
      - id: mirels
        prompt: Mirels score
        answer: {kind: number, not_applicable: true, unit: points, min: 4, max: 12, integer: true, measure: mirels}
        severity: high
        action: Refer before mobility training.
        why: A high score means a high risk of a break.
        source: "Mirels 1989"
      - id: cleared_who
        follows: [{item: mirels, stops_tests: true}]
        prompt: Who cleared the tests despite the score?
        answer: {kind: text, max_length: 200}
        clearance: who
        source: "safehome rule"
      - id: cleared_date
        follows: [{item: mirels, stops_tests: true}]
        prompt: On what date (YYYY-MM-DD)?
        answer: {kind: text, max_length: 10}
        clearance: date
        source: "safehome rule"
  - id: tests
    title: Tests
    kind: functional_tests
    items:
      - id: tug
        prompt: Timed Up and Go, in seconds
        answer: {kind: number, not_applicable: true, unit: seconds, min: 0, max: 300, measure: tug_seconds}
        severity: high
        action: Refer to physiotherapy.
        why: A slow TUG points to a risk of falling.
        source: "CDC STEADI"
"""


@pytest.fixture
def small(tmp_path: Path):
    path = tmp_path / "small.yaml"
    path.write_text(SMALL)
    return load_checklist(path)


def test_a_follow_up_is_asked_only_after_its_answer_and_takes_its_tier(small) -> None:
    no = score(small, make(small, {"feet": "no", "mirels": 5, "tug": 8}, fill_safe=False))
    assert no.status_of("feet_new").status == "skipped" and no.urgency == "none"
    asked = score(small, make(small, {"feet": "yes", "mirels": 5, "tug": 8}, fill_safe=False))
    assert asked.status_of("feet_new").status == "unanswered"
    assert asked.urgency == "not_checked" and not asked.complete  # never "none" while it is not asked
    new = score(small, make(small, {"feet": "yes", "feet_new": "yes", "mirels": 5, "tug": 8}, fill_safe=False))
    assert new.urgency == "emergency" and new.red_flags == ("feet_new",)
    assert new.status_of("tug").status == "unsafe"  # an emergency sign stops the tests


@pytest.mark.parametrize(
    ("who", "when", "cleared"),
    [
        ("Dr Ana Silva, orthopaedics", "2026-11-20", True),
        ("Dr Ana Silva, orthopaedics", "2026-11-27", True),  # the visit's own day
        ("Dr Ana Silva, orthopaedics", "2026-11-28", False),  # after the visit: not a clearance
        ("Dr Ana Silva, orthopaedics", "last week", False),  # not a date
        ("   ", "2026-11-20", False),  # nobody named
        (None, "2026-11-20", False),
    ],
)
def test_a_clearance_lets_score_stopped_tests_be_judged(small, who, when, cleared: bool) -> None:
    answers = {"feet": "no", "mirels": 9, "cleared_who": who, "cleared_date": when, "tug": 13}
    result = score(small, make(small, answers, fill_safe=False))
    assert (result.status_of("tug").status == "hazard") is cleared
    assert (result.clearance is not None) is cleared
    if cleared:
        assert "Dr Ana Silva" in result.clearance and "2026-11-" in result.clearance
        assert any(m.item_id == "tug" and m.at_risk for m in result.measures)
    assert result.recheck_days in (None, 30)  # the score still brings the re-check forward


def test_a_clearance_never_lifts_a_warning_sign(small) -> None:
    answers = {"feet": "yes", "feet_new": "yes", "mirels": 9, "cleared_who": "Dr A", "cleared_date": "2026-11-20"}
    result = score(small, make(small, {**answers, "tug": 13}, fill_safe=False))
    assert result.status_of("tug").status == "unsafe"
    assert safety_stops(small, "clinician", make(small).profile, make(small).assessed_on, lambda i: answers.get(i.id))


def test_the_clearance_questions_are_asked_only_when_a_score_stops_the_tests(small) -> None:
    low = score(small, make(small, {"feet": "no", "mirels": 7, "tug": 8}, fill_safe=False))
    assert low.status_of("cleared_who").status == "skipped"
    high = score(small, make(small, {"feet": "no", "mirels": 8}, fill_safe=False))
    assert high.status_of("cleared_who").status == "unanswered"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ('follows: [{item: feet, answer: ["yes"]}]', "must come before it"),
        ('follows: [{item: feet_new, answer: ["maybe"]}]', "cannot be answered maybe"),
        ("follows: [{item: feet, stops_tests: true}]", "needs a Mirels or SINS score"),
        ('follows: [{item: feet, answer: ["yes"], stops_tests: true}]', "not both"),
    ],
)
def test_a_broken_follow_up_names_file_line_and_item(tmp_path: Path, change: str, message: str) -> None:
    extra = textwrap.indent(
        textwrap.dedent(f"""\
        - id: later
          {change}
          prompt: A question placed to test the rule
          answer: {{kind: yes_no, hazard: ["yes"]}}
          severity: low
          action: Do the thing.
          why: Because.
          source: "safehome rule"
        """),
        "      ",
    )
    text = SMALL.replace("  - id: scores\n", extra + "  - id: scores\n", 1)
    if "item: feet, answer" in change and "stops_tests" not in change:
        # placed first in the file, so the item it follows comes after it
        text = SMALL.replace("    items:\n      - id: feet\n", "    items:\n" + extra + "      - id: feet\n", 1)
    path = tmp_path / "broken.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        load_checklist(path)
    said = str(caught.value)
    assert message in said and "broken.yaml:" in said and "later" in said


# ------------------------------------------------------------------ the person's own words


WORDS = (
    "I can't feel my feet since yesterday. It started in the toes and now it is up to my ankles, and this"
    " morning my legs felt heavy on the stairs.\nMy daughter says I should tell someone."
)


def test_the_persons_own_words_are_never_filed_as_no_warning_signs(selfcheck) -> None:
    quiet = make(selfcheck, {"my_notes": None}, notes={})
    assert score(selfcheck, quiet).urgency == "none"  # every sign "no", nothing written: none
    noted = make(selfcheck, {"my_notes": WORDS, "steadi_feet_feeling": "yes"})
    result = score(selfcheck, noted)
    assert result.urgency == "read_notes" and ("my_notes", WORDS) in result.own_words
    assert result.recheck_days is not None and result.recheck_days <= 90  # no later than the next-visit tier
    assert "every warning sign was answered no" in result.urgency_because and "read" in result.urgency_because
    summary = service.render_report(selfcheck, noted, ReportOptions(audience="clinician"))
    page_one = _text(summary, slice(0, 1))
    assert "I can't feel my feet since yesterday." in page_one and "the rest in the appendix" in page_one
    assert "every sign was checked" not in _text(summary) and "No warning signs" not in _text(summary)
    handout = _text(service.render_report(selfcheck, noted, ReportOptions()))
    assert "You wrote notes in this check" in handout and "every sign was checked" not in handout


def test_a_note_at_a_visit_is_the_clinicians_unless_marked_as_the_persons(home) -> None:
    result = score(home, make(home, notes={"hw_rugs": "rug by the door"}))
    assert result.own_words == () and result.urgency == "none"


# ------------------------------------------------------------------ a follow-up across two versions


def test_a_follow_up_across_versions_compares_on_the_questions_both_ask(home) -> None:
    old_checklist = catalog.find(HOME, "1.0")
    old = make(old_checklist, {"hw_rugs": "yes"})
    new = make(home, {"hw_rugs": "no"})
    c = compare(home, old, new, old_checklist)
    shared = set(old_checklist.index) & set(home.index)
    assert c.previous_version == "1.0" and c.not_compared
    assert set(c.not_compared) == set(home.index) - shared
    assert not set(c.resolved + c.new + c.unchanged) - shared
    assert "hw_rugs" in c.resolved
    assert any("version 1.0" in line and "cannot be compared" in line for line in c.summary_lines())
    same = compare(home, make(home), make(home))
    assert same.previous_version is None and same.not_compared == ()


# ------------------------------------------------------------------ the 3.0 checklists


FOLLOW_UPS = {
    "steadi_unsteady": "steadi_unsteady_new",
    "steadi_push_up": "steadi_push_up_new",
    "steadi_rush_toilet": "steadi_rush_toilet_new",
    "steadi_feet_feeling": "steadi_feet_feeling_new",
}


@pytest.mark.parametrize("checklist_id", [HOME, "bone-metastases-self-check"])
@pytest.mark.parametrize("language", ["en-CA", "fr-CA"])
def test_every_symptom_question_is_followed_by_new_or_worse_with_its_tier(checklist_id: str, language: str) -> None:
    checklist = catalog.find(checklist_id, None, language)
    assert checklist.version == ("3.1" if checklist_id == HOME else "3.0")  # 3.1: the home visit's field kit
    for parent, follow in FOLLOW_UPS.items():
        item = checklist.item(follow)
        assert item.follows and item.follows[0].item == parent and item.follows[0].answer == ["yes"]
        assert item.red_flag and item.urgency == "emergency" and "NICE NG234" in item.source
        assert "safehome rule" in item.source or "règle safehome" in item.source
    assert checklist.item("ws_swelling_bone_pain").urgency == "same_day"
    assert checklist.item("steadi_feet_feeling").steadi_points == 1  # the 12 Stay Independent items stay as published


def test_the_defect_an_emergency_in_the_persons_own_words_is_never_this_month(selfcheck) -> None:
    """Every sign "no", "Have you lost some feeling in your feet?" "yes" and the note "I can't feel my
    feet since yesterday": 3.0 asks whether it is new, and "yes" is 911; without that answer the
    check is not finished and the note is read first; never a 180-day re-check."""
    base = {"steadi_feet_feeling": "yes", "my_notes": "I can't feel my feet since yesterday"}
    unanswered = score(selfcheck, make(selfcheck, {**base, "steadi_feet_feeling_new": None}))
    assert unanswered.urgency == "not_checked" and not unanswered.complete
    new = score(selfcheck, make(selfcheck, {**base, "steadi_feet_feeling_new": "yes"}))
    assert new.urgency == "emergency" and "steadi_feet_feeling_new" in new.red_flags
    assert new.recheck_days == 7
    old = score(selfcheck, make(selfcheck, {**base, "steadi_feet_feeling_new": "no"}))
    assert old.urgency == "read_notes" and old.recheck_days is not None and old.recheck_days <= 90


def test_the_self_check_asks_what_the_printed_signs_list(selfcheck) -> None:
    assert selfcheck.item("ws_cannot_pee").urgency == "emergency"
    pain = selfcheck.item("ws_pain_not_controlled")
    assert pain.answer.hazard == ["yes"] and pain.answer.not_applicable  # yes is the warning; n/a: no pain medicine
    assert score(selfcheck, make(selfcheck, {"ws_pain_not_controlled": "na"})).urgency != "not_checked"
    for item_id in ("md_calcium_vit_d", "pn_radiation_flare", "mv_careful_walking"):
        assert selfcheck.item(item_id).source.startswith("CCS")


def test_the_home_visit_records_a_clearance_and_the_persons_words(home) -> None:
    stopped = score(home, make(home, {"cs_mirels": 9, "cs_cleared_by": None, "cs_cleared_on": None, "ft_tug": 13}))
    assert stopped.status_of("ft_tug").status == "unsafe" and stopped.status_of("cs_cleared_by").status == "unanswered"
    cleared = {
        "cs_mirels": 9,
        "cs_cleared_by": "Dr Ana Silva, orthopaedics",
        "cs_cleared_on": "2026-11-20",
        "ft_tug": 13,
    }
    result = score(home, make(home, cleared))
    assert result.status_of("ft_tug").status == "hazard" and "Dr Ana Silva" in (result.clearance or "")
    words = score(home, make(home, {"sp_own_words": "My legs give way on the stairs since Sunday"}))
    assert words.urgency == "read_notes" and words.own_words[0][0] == "sp_own_words"


@pytest.mark.parametrize("version", ["1.0", "2.0"])
def test_visits_made_with_earlier_versions_open_with_them_and_say_what_changed(home, version: str) -> None:
    old = catalog.find(HOME, version)
    result = score(old, make(old))
    assert result.complete
    note = service.version_note(old)
    assert note is not None and f"version {version}" in note and "Version 3.1 asks" in note
    c = compare(home, make(old), make(home), old)
    assert c.previous_version == version and c.not_compared
