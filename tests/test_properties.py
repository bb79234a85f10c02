"""Property tests: more hazards never lower anything; any red flag gives urgent."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safehome import catalog
from safehome.models import BoneSite, NOT_APPLICABLE
from safehome.scoring import BANDS, score

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


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(assessments(), st.data())
def test_one_more_hazard_never_lowers_any_score_or_band(case, data) -> None:
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
    assert BANDS.index(after.band) >= BANDS.index(before.band)
    if before.steadi is not None:
        assert after.steadi.score >= before.steadi.score
    for old, new in zip(before.sections, after.sections):
        assert new.points >= old.points and new.hazards >= old.hazards


@settings(max_examples=100, deadline=None)
@given(assessments(), st.data())
def test_any_red_flag_gives_urgent(case, data) -> None:
    checklist, answers, profile = case
    flags = [item for _, item in checklist.items() if item.red_flag]
    item = data.draw(st.sampled_from(flags))
    result = score(checklist, make(checklist, {**answers, item.id: "yes"}, fill_safe=False, profile=profile))
    assert result.band == "urgent"
    assert item.id in result.red_flags


@settings(max_examples=100, deadline=None)
@given(assessments())
def test_without_red_flags_never_urgent_and_counts_add_up(case) -> None:
    checklist, answers, profile = case
    for _, item in checklist.items():
        if item.red_flag:
            answers[item.id] = "no"
    result = score(checklist, make(checklist, answers, fill_safe=False, profile=profile))
    assert result.band != "urgent"
    for s in result.sections:
        assert s.answered + s.unanswered == s.applicable
        assert s.hazards + s.not_applicable <= s.answered
