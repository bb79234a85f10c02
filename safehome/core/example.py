"""A filled-in example assessment, so a new user can try ``score`` and ``report`` at once."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from safehome.core.kinds import Doer, Progress, Status
from safehome.core.models import Assessment, Checklist
from safehome.core.profile import Profile
from safehome.i18n.words import current_language, t

EXAMPLE_PROFILE: dict[str, Any] = {
    "name": "Zoë Tremblay",
    "age": 68,
    "sex": "female",
    "bone_sites": ["spine", "pelvis"],
    "lesion_type": "osteolytic",
    "walking_aid": "cane",
    "falls_last_12_months": 1,
    "lives_alone": False,
    "caregiver_present": True,
    "completed_role": "clinician",
}

# Items the example answers with their hazard answer (whatever the wording: "yes" to a problem,
# "no" to a safety feature); ids that a checklist does not have are passed over.
EXAMPLE_HAZARDS: frozenset[str] = frozenset(
    {
        "steadi_fallen",
        "steadi_aid_advised",
        "steadi_unsteady",
        "steadi_rush_toilet",
        "steadi_meds_lightheaded",
        "mv_bend_lift_twist",
        "fw_backless",
        "hw_rugs",
        "st_rails",
        "bd_night_path",
        "bd_night_path_clear",
        "ba_shower_chair",
        "ba_sit_to_wash",
        "ba_grab_bars",
        "ba_grab_bars_has",
        "kt_reach",
        "md_drowsy",
        "sp_physio_ot_in",
    }
)

# Typed values of the example home visit.
EXAMPLE_VALUES: dict[str, Any] = {
    "pn_score": 6,
    "ft_tug": 13.5,
    "ft_chair_stand": 9,
    "ft_balance": 3,
    "cs_mirels": "na",
    "cs_sins": 5,
    "lr_pets": "na",
    "my_notes": "",
    # ten measurements of the home visit, in cm
    "mv_lower_leg_cm": 46,
    "wa_aid_width_cm": 12,
    "en_step_cm": 18,
    "hw_door_cm": 76,
    "st_rail_cm": 90,
    "st_riser_cm": 19,
    "lr_chair_cm": 47,
    "bd_bed_cm": 50,
    "ba_toilet_cm": 38,
    "ba_tub_wall_cm": 41.5,
}

# Where the example's equipment is up to: (status, who, a date two weeks after the visit or not)
EXAMPLE_EQUIPMENT: dict[str, tuple[Status, Doer | None, bool]] = {
    "eq_grab_bar": ("ordered", "installer", True),
    "eq_tub_transfer_bench": ("delivered", "vendor", False),
    "eq_bath_board": ("declined", None, False),
    "eq_raised_toilet_seat": ("ordered", "vendor", True),
    "eq_hip_kit": ("installed", "ot", False),
    "eq_toilet_safety_frame": ("declined", None, False),
}

# the example's remarks, by item (their words are in the catalogue: the example speaks the user's language)
EXAMPLE_NOTES: tuple[str, ...] = ("hw_rugs", "ba_shower_chair", "cs_notes", "sp_note_for_person")


def example_assessment(checklist: Checklist, today: date) -> Assessment:
    """Every item asked answered: the example's hazards where it has them, a safe answer elsewhere
    (a follow-up question only when its answer opened it, as the app would ask it)."""
    mode = checklist.modes[0]
    profile_for_items = Profile.model_validate({**EXAMPLE_PROFILE, "name": EXAMPLE_PROFILE["name"]})
    answers: dict[str, dict[str, Any]] = {}
    for _, item in checklist.items():
        if not checklist.asks(item, mode, profile_for_items, lambda asked: answers.get(asked.id, {}).get("value")):
            continue  # a question the person is not asked has no answer
        value = EXAMPLE_VALUES.get(item.id, item.answer.neutral())
        if item.id in EXAMPLE_EQUIPMENT:
            status, who, dated = EXAMPLE_EQUIPMENT[item.id]
            value = Progress(status, who, today + timedelta(days=14) if dated else None).stored()
        if item.id in EXAMPLE_HAZARDS:
            value = item.answer.hazard_answer()
        entry: dict[str, Any] = {"value": value}
        if item.id in EXAMPLE_NOTES:
            # a free-text item takes the remark as its answer; any other item as its note
            entry["value" if item.answer.is_free_text() else "note"] = t(f"example.note.{item.id}")
        answers[item.id] = entry
    profile = dict(EXAMPLE_PROFILE, primary_cancer=t("example.primary_cancer"), completed_by=t("example.completed_by"))
    if mode == "self":
        profile.update(completed_by="Zoë Tremblay", completed_role="patient")
    return Assessment.model_validate(
        {
            "checklist_id": checklist.id,
            "checklist_version": checklist.version,
            "mode": mode,
            "assessed_on": today,
            "profile": profile,
            "answers": answers,
            "language": current_language(),
        }
    )
