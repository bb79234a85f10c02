"""Hand-computed results for several people, on the bundled checklists."""

from __future__ import annotations

from datetime import date

import pytest

from safehome.scoring import answer_problems, build_plan, chair_stand_norm, score

from .conftest import make


def test_steadi_below_cut_off(selfcheck) -> None:
    # fallen (2) + worried (1) = 3 of 14: below 4. Hazard points: medium 2 + low 1 = 3 -> low.
    a = make(selfcheck, {"steadi_fallen": "yes", "steadi_worried": "yes"})
    r = score(selfcheck, a)
    assert (r.steadi.score, r.steadi.at_risk, r.steadi.complete) == (3, False, True)
    assert r.points == 3
    assert r.band == "low"
    assert r.hazards == 2


def test_steadi_at_cut_off_lifts_band_to_moderate(selfcheck) -> None:
    # fallen 2 + worried 1 + sad 1 = 4: "may be at risk". Points 2+1+1 = 4 (< 6) but STEADI floor -> moderate.
    a = make(selfcheck, {"steadi_fallen": "yes", "steadi_worried": "yes", "steadi_sad": "yes"})
    r = score(selfcheck, a)
    assert (r.steadi.score, r.steadi.at_risk) == (4, True)
    assert r.points == 4
    assert r.band == "moderate"
    assert any("STEADI score 4" in reason for reason in r.band_reasons)


def test_full_steadi_scores_fourteen(home) -> None:
    steadi = {item.id: "yes" for _, item in home.items() if item.steadi_points}
    r = score(home, make(home, steadi))
    assert r.steadi.score == 14 and r.steadi.questions == 12


def test_red_flag_makes_urgent_and_comes_first(home) -> None:
    a = make(home, {"ws_fracture": "yes", "hw_rugs": "yes"})
    r = score(home, a)
    plan = build_plan(home, a, r)
    assert r.band == "urgent"
    assert r.red_flags == ("ws_fracture",)
    assert [x.item_id for x in plan.red_flags] == ["ws_fracture"]
    assert [x.item_id for x in plan.actions] == ["hw_rugs"]
    team = next(ref for ref in plan.referrals if ref.to == "treating_team")
    assert team.reasons[0].startswith("Warning sign reported: Sudden new bone pain")
    assert plan.recheck_days == 7 and plan.recheck_on == date(2026, 12, 4)


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
    assert day_before.measures[1].at_risk is True
    assert birthday.measures[1].at_risk is False


def test_chair_stand_without_a_norm_is_not_judged(home) -> None:
    r = score(home, make(home, {"ft_chair_stand": 2}, profile={"age": 50}))
    m = next(m for m in r.measures if m.measure == "chair_stand_30s")
    assert m.at_risk is None and "not judged" in m.judgement
    assert r.status_of("ft_chair_stand").status == "ok"
    assert chair_stand_norm(95, "male") is None and chair_stand_norm(70, "unknown") is None


def test_tug_balance_cut_offs(home) -> None:
    r = score(home, make(home, {"ft_tug": 12, "ft_balance": 2}))
    judged = {m.measure: m.at_risk for m in r.measures}
    assert judged["tug_seconds"] is True and judged["balance_stage"] is True
    r = score(home, make(home, {"ft_tug": 11.9, "ft_balance": 3}))
    judged = {m.measure: m.at_risk for m in r.measures}
    assert judged["tug_seconds"] is False and judged["balance_stage"] is False


@pytest.mark.parametrize(
    ("item", "value", "band"),
    [("cs_mirels", 9, "high"), ("cs_mirels", 8, "low"), ("cs_sins", 7, "high"), ("cs_sins", 6, "low")],
)
def test_recorded_clinical_scores_flag_at_published_cut_offs(home, item: str, value: int, band: str) -> None:
    r = score(home, make(home, {item: value}))
    assert r.band == band
    if band == "high":
        assert r.points == 3  # the score item itself: high severity, no site weighting
        assert any("refer before mobility training" in reason for reason in r.band_reasons)


def test_bone_sites_double_the_weight_of_a_stairs_hazard(home) -> None:
    without = score(home, make(home, {"st_rails": "yes"}))
    with_pelvis = score(home, make(home, {"st_rails": "yes"}, profile={"bone_sites": ["pelvis"]}))
    with_skull = score(home, make(home, {"st_rails": "yes"}, profile={"bone_sites": ["skull"]}))
    assert (without.points, with_pelvis.points, with_skull.points) == (3, 6, 3)


def test_band_thresholds(home) -> None:
    # Two high (3+3) = 6 -> moderate; five high = 15 -> high.
    assert score(home, make(home, {"st_rails": "yes", "ba_grab_bars": "yes"})).band == "moderate"
    five = {k: "yes" for k in ("st_rails", "ba_grab_bars", "ba_shower_chair", "kt_step_stool", "bd_night_path")}
    r = score(home, make(home, five))
    assert (r.points, r.band) == (15, "high")
    assert build_plan(home, make(home, five), r).recheck_days == 30


def test_incomplete_assessment_counts_unanswered(home) -> None:
    a = make(home, {"hw_rugs": "yes", "hw_cords": "no", "ba_lock": "na"}, fill_safe=False)
    r = score(home, a)
    plan = build_plan(home, a, r)
    # 79 items; two only apply with a walking aid and one only with a caregiver present.
    assert r.applicable == 76
    assert (r.answered, r.unanswered, r.hazards) == (3, 73, 1)
    hallway = next(s for s in r.sections if s.id == "hallways")
    assert (hallway.applicable, hallway.answered, hallway.hazards, hallway.unanswered) == (5, 2, 1, 3)
    bathroom = next(s for s in r.sections if s.id == "bathroom")
    assert bathroom.not_applicable == 1
    assert len(plan.unanswered) == 73
    assert r.steadi.complete is False


def test_conditions_skip_items(home) -> None:
    plain = score(home, make(home, {}, fill_safe=False))
    walker = score(home, make(home, {}, fill_safe=False, profile={"walking_aid": "walker", "caregiver_present": True}))
    assert plain.status_of("wa_condition").status == "skipped"
    assert walker.status_of("wa_condition").status == "unanswered"
    assert walker.applicable == plain.applicable + 3


def test_actions_ordered_by_priority_and_grouped(home) -> None:
    a = make(
        home,
        {"ba_lock": "yes", "hw_rugs": "yes", "st_rails": "yes", "steadi_worried": "yes"},
        profile={"bone_sites": ["pelvis"]},
    )
    plan = build_plan(home, a)
    assert [x.item_id for x in plan.actions] == ["st_rails", "hw_rugs", "steadi_worried", "ba_lock"]
    assert plan.actions[0].points == 6
    assert next(title for title, _ in plan.by_section) == "Stairs inside the home"
    names = [r.to for r in plan.referrals]
    assert names == []  # none of these items carries a referral


def test_advice_fits_bone_sites(home) -> None:
    spine = build_plan(home, make(home, {}, profile={"bone_sites": ["spine"]}))
    legs = build_plan(home, make(home, {}, profile={"bone_sites": ["hip_thigh"]}))
    assert any("bending, lifting and twisting" in t for t in spine.advice)
    assert not any("bending, lifting and twisting" in t for t in legs.advice)
    assert any("painful hip or leg" in t for t in legs.advice)


def test_answer_problems(home) -> None:
    a = make(
        home,
        {
            "hw_rugs": "maybe",
            "ft_tug": 500,
            "ft_chair_stand": 10.5,
            "pn_score": "high",
            "nonsense": "yes",
            "ws_fracture": "na",
        },
    )
    problems = dict(answer_problems(home, a))
    assert "not allowed" in problems["hw_rugs"]
    assert "out of range (0 to 300 seconds)" in problems["ft_tug"]
    assert "whole number" in problems["ft_chair_stand"]
    assert "expected a number" in problems["pn_score"]
    assert "no item with this id" in problems["nonsense"]
    assert "not offered" in problems["ws_fracture"]


def test_answer_problems_version_mismatch(home) -> None:
    a = make(home).model_copy(update={"checklist_version": "0.9"})
    assert dict(answer_problems(home, a))["checklist_version"].startswith("the answers were given for version 0.9")
