"""Hand-computed results on the bundled checklists (version 2.0, and 1.0 from the archive).

Every output is checked on its own: urgency, fall risk, home hazards, completeness, and the
re-check date that follows the worst of them.
"""

from __future__ import annotations

from datetime import date

import pytest

from safehome.core import catalog
from safehome.core.profile import Profile
from safehome.core.score import answer_problems, score
from safehome.core.plan import build_plan, personal_reason
from safehome.core.measures import chair_stand_norm
from safehome.core.outputs import outputs, recheck_text

from .conftest import HOME, SELF, make

WARNING_SIGNS = "warning_signs"


def sign_ids(checklist) -> list[str]:
    return [i.id for s in checklist.sections if s.kind == WARNING_SIGNS for i in s.items]


def words_of(checklist, assessment) -> str:
    """Everything the CLI, the app and the clinician summary say about the result, as one text."""
    result = score(checklist, assessment)
    plan = build_plan(checklist, assessment, result)
    parts = [recheck_text(plan)]
    for output in outputs(checklist, result, assessment.mode):
        parts += [output.label, output.because, *output.details]
    return "\n".join(parts).lower()


# ------------------------------------------------------------------ never reassure falsely


@pytest.mark.parametrize("checklist_id", [HOME, SELF])
def test_all_warning_signs_unanswered_is_not_checked_never_none(checklist_id: str) -> None:
    checklist = catalog.find(checklist_id)
    a = make(checklist, {i: None for i in sign_ids(checklist)})
    r = score(checklist, a)
    plan = build_plan(checklist, a, r)
    assert r.urgency == "not_checked"
    assert r.complete is False and set(sign_ids(checklist)) <= set(r.missing)
    assert r.recheck_days is None and plan.recheck_on is None
    assert [u.item_id for u in plan.unchecked_signs] == sign_ids(checklist)
    text = words_of(checklist, a)
    for reassurance in ("none reported", "no warning signs", "no sign of", "under 6 is low", "not at high risk"):
        assert reassurance not in text, reassurance
    assert (r.hazard_level, r.fall_risk) == ("not_checked", "not_checked")
    assert "not checked" in text and "not yet" in text


def test_one_emergency_sign(home) -> None:
    a = make(home, {"ws_saddle_numbness": "yes", "hw_rugs": "yes"})
    r = score(home, a)
    plan = build_plan(home, a, r)
    assert (r.urgency, r.red_flags, r.recheck_days) == ("emergency", ("ws_saddle_numbness",), 7)
    assert [x.item_id for x in plan.red_flags] == ["ws_saddle_numbness"]
    assert plan.red_flags[0].urgency == "emergency"
    assert [x.item_id for x in plan.actions] == ["hw_rugs"]
    assert "call 911 now" in words_of(home, a)
    team = next(ref for ref in plan.referrals if ref.to == "treating_team")
    assert team.reasons[0].startswith("Warning sign reported: New numbness between the legs")


def test_one_same_day_sign_and_the_most_urgent_tier_wins(home) -> None:
    same_day = score(home, make(home, {"ws_back_pain": "yes"}))
    assert (same_day.urgency, same_day.recheck_days) == ("same_day", 7)
    both = build_plan(home, make(home, {"ws_back_pain": "yes", "ws_balance": "yes"}))
    assert [x.urgency for x in both.red_flags] == ["emergency", "same_day"]  # most urgent first
    next_visit = score(home, make(home, {"ws_pain_uncontrolled": "yes"}))
    assert (next_visit.urgency, next_visit.recheck_days) == ("next_visit", 90)


def test_an_incomplete_falls_screen_never_reads_as_not_at_risk(selfcheck) -> None:
    # Only "worried" (1 point) answered: 1 of 12, below 4 so far, but not finished.
    answers = {i.id: None for _, i in selfcheck.items() if i.steadi_points} | {"steadi_worried": "yes"}
    r = score(selfcheck, make(selfcheck, answers))
    assert (r.steadi.score, r.steadi.answered, r.steadi.complete) == (1, 1, False)
    assert r.fall_risk == "not_checked" and r.complete is False
    assert "not finished" in r.fall_lines[0].text
    # the same screen finished and below 4 is "not at high risk", with its rule
    done = score(selfcheck, make(selfcheck, {"steadi_worried": "yes"}))
    assert done.fall_risk == "not_at_risk" and "below 4 of 14" in done.fall_because


def test_steadi_at_cut_off_is_at_risk_and_earns_no_hazard_points(selfcheck) -> None:
    # fallen 2 + worried 1 + sad 1 = 4 of 14: "may be at risk". Falls-screening answers feed fall
    # risk only: the home-hazard points stay 0 and the level low.
    a = make(
        selfcheck,
        {"steadi_fallen": "yes", "steadi_worried": "yes", "steadi_sad": "yes"},
        profile={"falls_last_12_months": 2},
    )
    r = score(selfcheck, a)
    assert (r.steadi.score, r.steadi.at_risk) == (4, True)
    assert r.fall_risk == "at_risk" and (r.points, r.hazard_level) == (0, "low")
    assert r.recheck_days == 30


def test_full_steadi_scores_fourteen(home) -> None:
    steadi = {item.id: "yes" for _, item in home.items() if item.steadi_points}
    r = score(home, make(home, steadi))
    assert r.steadi.score == 14 and r.steadi.questions == 12


# ------------------------------------------------------------------ the person in the result


def test_profile_falls_fill_the_screen_and_a_contradiction_is_flagged(home) -> None:
    # The profile says 3 falls; the screen item is not answered: it reads "yes" from the profile.
    filled = score(home, make(home, {"steadi_fallen": None}, profile={"falls_last_12_months": 3}))
    fallen = filled.status_of("steadi_fallen")
    assert (fallen.value, fallen.status, fallen.from_profile) == ("yes", "hazard", True)
    assert filled.steadi.score == 2 and filled.complete
    # Answered "no" against a profile of 3 falls: kept as answered, and flagged for review.
    clash = score(home, make(home, {"steadi_fallen": "no"}, profile={"falls_last_12_months": 3}))
    assert clash.status_of("steadi_fallen").status == "ok"
    assert len(clash.contradictions) == 1 and "disagree" in clash.contradictions[0]
    assert clash.fall_risk == "at_risk"  # the profile's falls count on their own line
    # A walker in the profile answers "advised to use a cane or walker" (no hazard points, no action)
    walker = build_plan(home, make(home, {"steadi_aid_advised": None}, profile={"walking_aid": "walker"}))
    assert "steadi_aid_advised" not in [a.item_id for a in walker.actions]


def test_three_falls_a_walker_and_a_tidy_home_is_at_risk_not_low(home) -> None:
    profile = {
        "falls_last_12_months": 3,
        "walking_aid": "walker",
        "bone_sites": ["spine", "hip_thigh"],
        "lesion_type": "osteolytic",
        "lives_alone": True,
    }
    a = make(home, {"steadi_fallen": None, "steadi_aid_advised": None}, profile=profile)
    r = score(home, a)
    assert r.fall_risk == "at_risk" and r.steadi.score == 4
    assert r.hazard_level == "low" and r.recheck_days == 30
    advice = " ".join(build_plan(home, a, r).advice)
    assert "fall alarm or pendant" in advice and "lockbox" in advice  # lives alone and has fallen


def test_an_arm_lesion_changes_the_advice(home) -> None:
    legs = build_plan(home, make(home, {}, profile={"bone_sites": ["hip_thigh"], "walking_aid": "cane"}))
    arm_and_leg = build_plan(
        home, make(home, {}, profile={"bone_sites": ["hip_thigh", "upper_limb"], "walking_aid": "cane"})
    )
    assert any("painful hip or leg with your cane" in t for t in legs.advice)
    assert not any("painful hip or leg with your cane" in t for t in arm_and_leg.advice)
    assert any("which walking aid, if any, is safe for you" in t for t in arm_and_leg.advice)
    assert any("do not push yourself up with your arms" in t for t in arm_and_leg.advice)
    assert any("never pull on the person's arms" in t for t in arm_and_leg.advice)


def test_legacy_other_long_bones_read_as_arm_and_leg_and_flagged() -> None:
    profile = Profile.model_validate({"name": "Old", "bone_sites": ["spine", "other_long_bones"]})
    assert profile.bone_sites == ["spine", "lower_leg", "upper_limb"] and profile.sites_to_review


# ------------------------------------------------------------------ safety before functional tests


@pytest.mark.parametrize(
    ("answers", "gated"),
    [
        ({"cs_mirels": 8}, True),  # lower-limb Mirels 8: borderline, no physical tests today
        ({"cs_mirels": 7}, False),
        ({"cs_sins": 7}, True),
        ({"cs_sins": 6}, False),
        ({"ws_weight_bearing_pain": "yes"}, True),
        ({"ws_weight_bearing_pain": "no", "ws_back_pain": "yes"}, True),  # a same-day sign
        ({"ws_pain_uncontrolled": "yes"}, False),  # a next-visit sign does not stop the tests
    ],
)
def test_physical_tests_are_not_done_when_unsafe(home, answers: dict, gated: bool) -> None:
    tests = {"ft_tug": None, "ft_chair_stand": None, "ft_balance": None}
    r = score(home, make(home, answers | tests))
    statuses = {i: r.status_of(i).status for i in tests}
    if gated:
        assert set(statuses.values()) == {"unsafe"} and r.safety_stops
        assert r.fall_risk == "at_risk"  # gating never lowers fall risk
        assert all("not done, unsafe today" in line.text for line in r.fall_lines if line.key in tests)
    else:
        assert set(statuses.values()) == {"unanswered"} and not r.safety_stops


def test_sins_words_by_range(home) -> None:
    for value, words in (
        (6, "stable range"),
        (7, "potentially unstable"),
        (12, "potentially unstable"),
        (13, "unstable spine (13"),
    ):
        m = next(m for m in score(home, make(home, {"cs_sins": value})).measures if m.measure == "sins")
        assert words in m.judgement


# ------------------------------------------------------------------ measures against published cut-offs


@pytest.mark.parametrize(
    ("sex", "age", "count", "below"),
    [
        ("female", 68, 10, True),  # 65-69 women: below 11
        ("female", 68, 11, False),
        ("male", 72, 11, True),  # 70-74 men: below 12
        ("male", 72, 12, False),
        ("female", 92, 3, True),  # 90-94 women: below 4
        ("female", 92, 4, False),
    ],
)
def test_chair_stand_against_age_and_sex_norms(home, sex: str, age: int, count: int, below: bool) -> None:
    r = score(home, make(home, {"ft_chair_stand": count}, profile={"sex": sex, "age": age}))
    measure = next(m for m in r.measures if m.measure == "chair_stand_30s")
    assert measure.at_risk is below
    assert r.status_of("ft_chair_stand").status == ("hazard" if below else "ok")


def test_chair_stand_age_from_birth_date_on_the_assessment_day(home) -> None:
    # Born 1956-11-28: on 2026-11-27 she is 69 (norm 11), a day later 70 (norm 10).
    profile = {"sex": "female", "age": None, "birth_date": "1956-11-28"}
    day_before = score(home, make(home, {"ft_chair_stand": 10}, profile=profile, day=date(2026, 11, 27)))
    birthday = score(home, make(home, {"ft_chair_stand": 10}, profile=profile, day=date(2026, 11, 28)))
    judged = lambda r: next(m for m in r.measures if m.measure == "chair_stand_30s").at_risk  # noqa: E731
    assert judged(day_before) is True and judged(birthday) is False


@pytest.mark.parametrize(
    "profile", [{"age": 55, "sex": "other"}, {"age": 70, "sex": "other"}, {"age": 70, "sex": "unknown"}]
)
def test_chair_stand_without_a_norm_is_never_ok(home, profile: dict) -> None:
    r = score(home, make(home, {"ft_chair_stand": 0}, profile=profile))
    m = next(m for m in r.measures if m.measure == "chair_stand_30s")
    assert m.at_risk is None and ("no published norm" in m.judgement or "not judged" in m.judgement)
    if profile.get("sex") == "unknown":  # the missing fact is named, so it can be filled in
        assert "the profile gives no sex" in m.judgement
    assert r.status_of("ft_chair_stand").status == "no_norm"
    line = next(line for line in r.fall_lines if line.key == "ft_chair_stand")
    assert line.status == "not_checked"
    assert chair_stand_norm(95, "male") is None and chair_stand_norm(70, "unknown") is None


def test_tug_balance_cut_offs(home) -> None:
    r = score(home, make(home, {"ft_tug": 12, "ft_balance": 2}))
    judged = {m.measure: m.at_risk for m in r.measures}
    assert judged["tug_seconds"] is True and judged["balance_stage"] is True
    r = score(home, make(home, {"ft_tug": 11.9, "ft_balance": 3}))
    judged = {m.measure: m.at_risk for m in r.measures}
    assert judged["tug_seconds"] is False and judged["balance_stage"] is False


@pytest.mark.parametrize(
    ("item", "value", "refer"),
    [("cs_mirels", 9, True), ("cs_mirels", 8, False), ("cs_sins", 7, True), ("cs_sins", 6, False)],
)
def test_recorded_clinical_scores_refer_at_published_cut_offs(home, item: str, value: int, refer: bool) -> None:
    a = make(home, {item: value})
    scores = next(o for o in outputs(home, score(home, a), "clinician") if o.key == "scores")
    assert (scores.level == "refer") is refer
    assert score(home, a).points == 0  # a measure earns no home-hazard points


# ------------------------------------------------------------------ home hazards


def test_bone_sites_double_the_weight_of_a_stairs_hazard(home) -> None:
    without = score(home, make(home, {"st_rails": "yes"}))
    with_pelvis = score(home, make(home, {"st_rails": "yes"}, profile={"bone_sites": ["pelvis"]}))
    with_skull = score(home, make(home, {"st_rails": "yes"}, profile={"bone_sites": ["skull"]}))
    assert (without.points, with_pelvis.points, with_skull.points) == (3, 6, 3)


def test_hazard_thresholds(home) -> None:
    # One medium (2) -> low; one high (3) -> moderate by severity; two high = 6 -> moderate; five high = 15 -> high.
    assert score(home, make(home, {"hw_rugs": "yes"})).hazard_level == "low"
    one_high = score(home, make(home, {"st_rails": "yes"}))
    assert (one_high.points, one_high.hazard_level) == (3, "moderate") and "high-severity" in one_high.hazard_because
    assert score(home, make(home, {"st_rails": "yes", "ba_grab_bars": "yes"})).hazard_level == "moderate"
    five = {k: "yes" for k in ("st_rails", "ba_grab_bars", "ba_shower_chair", "kt_step_stool", "bd_night_path")}
    r = score(home, make(home, five))
    assert (r.points, r.hazard_level, r.recheck_days) == (15, "high", 30)


def test_low_only_when_every_home_question_was_answered(home) -> None:
    a = make(home, {"hw_rugs": None, "hw_cords": None})
    r = score(home, a)
    assert r.hazard_level == "not_checked" and "2 home question(s) not answered" in r.hazard_because
    assert r.complete  # home questions are not required; the result is complete but not "low"


def test_incomplete_assessment_counts_unanswered(home) -> None:
    a = make(home, {"hw_rugs": "yes", "hw_cords": "no", "ba_lock": "yes"}, fill_safe=False)
    r = score(home, a)
    plan = build_plan(home, a, r)
    # 132 items; four only apply with a walking aid, two with a caregiver present, one when living alone;
    # the four "new, or getting worse?" follow-ups and the two clearance questions only after their answer;
    # the 21 equipment statuses only once something recommends the piece
    assert r.applicable == 98
    assert (r.answered, r.unanswered, r.hazards) == (3, 95, 2)
    hallway = next(s for s in r.sections if s.id == "hallways")
    assert (hallway.applicable, hallway.answered, hallway.hazards, hallway.unanswered) == (5, 2, 1, 3)
    assert len(plan.unanswered) == 95 and r.steadi.complete is False
    assert (r.urgency, r.fall_risk, r.hazard_level, r.complete) == ("not_checked", "not_checked", "not_checked", False)


def test_conditions_skip_items(home) -> None:
    plain = score(home, make(home, {}, fill_safe=False))
    walker = score(home, make(home, {}, fill_safe=False, profile={"walking_aid": "walker", "caregiver_present": True}))
    assert plain.status_of("wa_condition").status == "skipped"
    assert walker.status_of("wa_condition").status == "unanswered"
    assert walker.applicable == plain.applicable + 6  # 3.1: the walking aid's width, the narrowest door


def test_actions_ordered_by_priority_and_grouped(home) -> None:
    a = make(
        home,
        {"ba_lock": "yes", "hw_rugs": "yes", "st_rails": "yes", "steadi_worried": "yes"},
        profile={"bone_sites": ["pelvis"]},
    )
    plan = build_plan(home, a)
    assert [x.item_id for x in plan.actions] == ["st_rails", "hw_rugs", "ba_lock", "steadi_worried"]
    assert plan.actions[0].points == 6 and plan.actions[-1].points == 0
    assert plan.actions[0].rooms == ("Stairs inside the home",)
    assert [a.by_when for a in plan.actions] == [
        "This week",
        "This month",
        "Before the next visit",
        "Before the next visit",
    ]
    assert [r.to for r in plan.referrals] == []  # none of these items carries a referral


def test_one_flat_list_most_severe_first_whatever_the_room(home) -> None:
    # a low-severity falls-screen answer comes before nothing of higher severity, whatever the room order
    a = make(home, {"steadi_push_up": "yes", "ba_grab_bars": "yes", "fw_grip": "yes"})
    severities = [x.severity for x in build_plan(home, a).actions]
    assert severities == sorted(severities, key=["high", "medium", "low"].index)


def test_an_action_reached_from_two_items_appears_once(home) -> None:
    a = make(
        home,
        {"steadi_rush_toilet": "yes", "bd_night_toilet": "yes"},
        notes={"steadi_rush_toilet": "twice a night", "bd_night_toilet": "no urinal"},
    )
    plan = build_plan(home, a)
    same = [x for x in plan.actions if "urinal" in x.action]
    assert len(same) == 1
    merged = same[0]
    assert set(merged.item_ids) == {"steadi_rush_toilet", "bd_night_toilet"}
    assert merged.item_id == "bd_night_toilet" and merged.severity == "medium"  # the more severe one leads
    assert merged.rooms == ("Bedroom and the way to the toilet at night", "Falls and steadiness")
    assert merged.note is not None and "twice a night" in merged.note and "no urinal" in merged.note


def test_advice_said_by_an_action_is_left_out(home) -> None:
    slow = "Move and change position slowly"
    without = build_plan(home, make(home, {}))
    assert any(slow in text for text in without.advice)
    covered = build_plan(home, make(home, {"mv_slow_changes": "yes"}))
    assert not any(slow in text for text in covered.advice)


def test_who_names_the_one_who_acts(home) -> None:
    plan = build_plan(home, make(home, {"steadi_meds_lightheaded": "yes", "ba_shower_chair": "yes"}))
    who = {a.item_id: a.who for a in plan.actions}
    assert who == {"steadi_meds_lightheaded": "pharmacist", "ba_shower_chair": "ot"}


def test_referral_reasons_are_findings_not_questions(home) -> None:
    plan = build_plan(home, make(home, {"ft_tug": 13.5, "ba_grab_bars": "yes"}))
    reasons = {r.to: r.reasons for r in plan.referrals}
    assert any(r.startswith("Timed Up and Go: 13.5 s") for r in reasons["physiotherapy"])
    assert reasons["occupational_therapy"] == ("No grab bars by the toilet or in the tub or shower",)
    assert not any(r.endswith("?") for rs in reasons.values() for r in rs)


def test_personal_reason_is_said_aloud() -> None:
    assert personal_reason(Profile(name="A", bone_sites=["spine", "pelvis"], walking_aid="cane")) == (
        "Chosen for you because the cancer is in your spine and your pelvis, and you use a cane."
    )
    assert personal_reason(Profile(name="A")) == ""


def test_advice_fits_bone_sites(home) -> None:
    spine = build_plan(home, make(home, {}, profile={"bone_sites": ["spine"]}))
    legs = build_plan(home, make(home, {}, profile={"bone_sites": ["hip_thigh"]}))
    assert any("Protect your spine" in t for t in spine.advice)
    assert not any("bending, lifting and twisting" in t for t in legs.advice)
    assert any("painful hip or leg" in t for t in legs.advice)


# ------------------------------------------------------------------ answers and versions


def test_answer_problems(home) -> None:
    a = make(home, {"hw_rugs": "maybe", "ft_tug": 500, "ft_chair_stand": 10.5, "pn_score": "high", "nonsense": "yes"})
    problems = dict(answer_problems(home, a))
    assert "not allowed" in problems["hw_rugs"]
    assert "out of range (0 to 300 seconds)" in problems["ft_tug"]
    assert "whole number" in problems["ft_chair_stand"]
    assert "expected a number" in problems["pn_score"]
    assert "no item with this id" in problems["nonsense"]


@pytest.mark.parametrize("item_id", ["ws_balance", "steadi_fallen", "fw_grip", "hw_lighting", "sp_physio_ot_in"])
def test_not_applicable_only_where_an_item_says_when(home, item_id: str) -> None:
    problems = dict(answer_problems(home, make(home, {item_id: "na"})))
    assert "not offered" in problems[item_id]


def test_not_applicable_where_it_makes_sense(home) -> None:
    assert answer_problems(home, make(home, {"st_rails": "na", "lr_pets": "na", "ba_tub_step": "na"})) == []


def test_answer_problems_version_mismatch(home) -> None:
    a = make(home).model_copy(update={"checklist_version": "0.9"})
    assert dict(answer_problems(home, a))["checklist_version"].startswith("the answers were given for version 0.9")


def test_an_assessment_made_with_version_1_opens_with_version_1() -> None:
    old = catalog.find(HOME, "1.0")
    assert old.version == "1.0" and old.item("bd_lamp").answer.hazard == ["yes"]  # 1.0: "Is there no lamp...?"
    a = make(old, {"bd_lamp": "yes", "ws_limb_weakness": "yes"})
    r = score(old, a)
    assert r.status_of("bd_lamp").status == "hazard"  # a stored "yes" keeps its 1.0 meaning
    assert r.urgency == "emergency"  # 1.0 signs were given the tier of the strongest sign they ask about
    assert catalog.find(HOME).version == "3.1" and "bd_lamp" not in catalog.find(HOME).index


def test_an_earlier_version_says_what_the_current_one_adds(home) -> None:
    from safehome.service import version_note

    note = version_note(catalog.find(HOME, "1.0"))
    assert note is not None and "version 1.0" in note and "Version 3.1 asks" in note and "warning signs" in note
    assert version_note(home) is None


def test_the_plan_names_the_persons_own_aid(home) -> None:
    walker = build_plan(home, make(home, {}, profile={"walking_aid": "walker", "bone_sites": ["pelvis"]}))
    cane = build_plan(home, make(home, {}, profile={"walking_aid": "cane", "bone_sites": ["pelvis"]}))
    none = build_plan(home, make(home, {}, profile={"bone_sites": ["pelvis"]}))
    hip = "Take weight off a painful hip or leg with your "
    assert any(hip + "walker." in a for a in walker.advice) and any(hip + "cane." in a for a in cane.advice)
    assert not any(hip in a for a in none.advice)  # no aid: never "your walking aid"
    assert any("Go easy on a painful hip or leg" in a for a in none.advice)


def test_stay_independent_is_read_as_a_guide_under_65(selfcheck) -> None:
    young = score(selfcheck, make(selfcheck, {}, profile={"age": 52}))
    older = score(selfcheck, make(selfcheck, {}, profile={"age": 70}))
    assert "validated for people 65 and older" in young.fall_lines[0].text
    assert "validated" not in older.fall_lines[0].text
