"""Property tests: more hazards never lower anything; any red flag gives urgent."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safehome.core import catalog
from safehome.core.profile import BoneSite
from safehome.core.models import NOT_APPLICABLE
from safehome.core.score import score

from .conftest import HOME, SELF, hazard_value, make, safe_value

CHECKLISTS = {cid: catalog.find(cid) for cid in (HOME, SELF)}
SITES = list(BoneSite.__args__)


@st.composite
def assessments(draw):
    checklist = CHECKLISTS[draw(st.sampled_from(sorted(CHECKLISTS)))]
    answers = {}
    for _, item in checklist.items():
        options = [None, safe_value(item)]
        hazard = hazard_value(item)
        if hazard is not None:
            options.append(hazard)
        if NOT_APPLICABLE in item.answer.values():
            options.append(NOT_APPLICABLE)
        answers[item.id] = draw(st.sampled_from(options))
    profile = {
        "bone_sites": draw(st.lists(st.sampled_from(SITES), unique=True, max_size=4)),
        "age": draw(st.integers(50, 99)),
        "sex": draw(st.sampled_from(["female", "male", "unknown"])),
        "walking_aid": draw(st.sampled_from(["none", "cane", "walker"])),
        "caregiver_present": draw(st.sampled_from([None, True, False])),
        "lives_alone": draw(st.sampled_from([None, True, False])),
    }
    return checklist, answers, profile


# "Not checked" is no level at all: it ranks with the lowest, so that answering it can only go up.
URGENCY_RANK = {"none": 0, "not_checked": 0, "next_visit": 1, "same_day": 2, "emergency": 3}
FALL_RANK = {"not_at_risk": 0, "not_checked": 0, "at_risk": 1}
HAZARD_RANK = {"low": 0, "not_checked": 0, "moderate": 1, "high": 2}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(assessments(), st.data())
def test_one_more_hazard_never_lowers_urgency_fall_risk_or_hazards(case, data) -> None:
    checklist, answers, profile = case
    before = score(checklist, make(checklist, answers, fill_safe=False, profile=profile))
    candidates = [
        item
        for _, item in checklist.items()
        if hazard_value(item) is not None and before.status_of(item.id).status in ("ok", "na", "unanswered")
    ]
    if not candidates:
        return
    item = data.draw(st.sampled_from(candidates))
    after = score(
        checklist, make(checklist, {**answers, item.id: hazard_value(item)}, fill_safe=False, profile=profile)
    )
    assert after.points >= before.points
    assert after.hazards >= before.hazards
    assert URGENCY_RANK[after.urgency] >= URGENCY_RANK[before.urgency]
    assert FALL_RANK[after.fall_risk] >= FALL_RANK[before.fall_risk]
    assert HAZARD_RANK[after.hazard_level] >= HAZARD_RANK[before.hazard_level]
    if before.steadi is not None:
        assert after.steadi.score >= before.steadi.score
    for old, new in zip(before.sections, after.sections):
        assert new.points >= old.points and new.hazards >= old.hazards


@settings(max_examples=100, deadline=None)
@given(assessments(), st.data())
def test_any_warning_sign_gives_at_least_its_tier(case, data) -> None:
    checklist, answers, profile = case
    flags = [item for _, item in checklist.items() if item.red_flag]
    item = data.draw(st.sampled_from(flags))
    value = item.answer.hazard_answer()
    opened = {f.item: f.answer[0] for f in item.follows or () if f.answer}  # a follow-up is asked after its answer
    given = {**answers, **opened, item.id: value}
    result = score(checklist, make(checklist, given, fill_safe=False, profile=profile))
    assert URGENCY_RANK[result.urgency] >= URGENCY_RANK[item.urgency]
    assert item.id in result.red_flags


@settings(max_examples=100, deadline=None)
@given(assessments())
def test_without_red_flags_never_urgent_and_counts_add_up(case) -> None:
    checklist, answers, profile = case
    for _, item in checklist.items():
        if item.red_flag:
            answers[item.id] = item.answer.neutral()
    result = score(checklist, make(checklist, answers, fill_safe=False, profile=profile))
    assert result.urgency == ("read_notes" if result.own_words else "none")  # words of their own are read first
    for s in result.sections:
        assert s.answered + s.unanswered + s.not_done == s.applicable
        assert s.hazards + s.not_applicable <= s.answered


@settings(max_examples=150, deadline=None)
@given(assessments())
def test_no_incomplete_result_ever_reads_as_low(case) -> None:
    checklist, answers, profile = case
    result = score(checklist, make(checklist, answers, fill_safe=False, profile=profile))
    if not result.complete:
        assert result.hazard_level != "low"
        assert result.fall_risk != "not_at_risk"
        assert result.urgency != "none"
        assert result.recheck_days in (None, 7)  # "finish the check", unless a sign is urgent
