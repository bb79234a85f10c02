"""The bundled checklists: valid, sourced, and covering what the guidance asks for."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from safehome.core import catalog
from safehome.core.models import NumberAnswer

from .conftest import HOME, SELF


def test_bundled_checklists_load(home, selfcheck) -> None:
    ids = {c.id for _, c in catalog.bundled()}
    assert ids == {HOME, SELF}


def test_every_item_names_its_source(home, selfcheck) -> None:
    for checklist in (home, selfcheck):
        for _, item in checklist.items():
            assert len(item.source) >= 3, item.id


# Each topic of the guidance's "Mobility and safety" part and each home hazard of the anchor
# instruments, with an item id that covers it.
HOME_COVERAGE = {
    "move and change position slowly": "mv_slow_changes",
    "be careful when walking": "mv_careful_walking",
    "footwear with grips": "fw_grip",
    "cane or walker": "wa_needed_not_used",
    "ask for help with walking": "mv_help_walking",
    "clear hallways and walkways": "hw_clutter",
    "shower chair": "ba_shower_chair",
    "handrails when bathing": "ba_grab_bars",
    "physiotherapy and occupational therapy programs": "sp_physio_ot_in",
    "tell the team when pain is not controlled": "ws_pain_uncontrolled",
    "stay active safely": "sp_stay_active",
    "floors and rugs": "hw_rugs",
    "cords": "hw_cords",
    "lighting": "hw_lighting",
    "night lights": "bd_night_path",
    "stairs and rails": "st_rails",
    "non-slip mats": "ba_non_slip_has",
    "raised toilet seat": "ba_toilet_height",
    "bedroom lamp": "bd_lamp_reach",
    "kitchen reach": "kt_reach",
    "step stools": "kt_step_stool",
    "entrance steps": "en_steps_rail",
    "pets": "lr_pets",
    "drowsy medicines": "md_drowsy",
    "timed up and go": "ft_tug",
    "chair stand": "ft_chair_stand",
    "balance stage": "ft_balance",
    "mirels": "cs_mirels",
    "sins": "cs_sins",
    # what an OT expects on a visit (issue: clinical model v2)
    "night-time toileting": "bd_night_toilet",
    "emergency call system": "sp_alone_no_alarm",
    "key lockbox for paramedics": "sp_key_access",
    "snow, ice and ice grippers": "en_ice_grippers",
    "caregiver handling": "sp_handling",
    "dizziness on standing": "mv_dizzy_standing",
    "fatigue": "mv_fatigue",
    "weight-bearing limits and braces": "sp_wb_limit",
}

SELF_COVERAGE = {
    "night-time toileting": "bd_night_toilet",
    "emergency call system": "sp_call_for_help",
    "key lockbox for paramedics": "sp_key_access",
    "snow, ice and ice grippers": "en_winter",
    "pets": "lr_pets",
    "caregiver handling": "sp_handling",
    "dizziness on standing": "mv_dizzy_standing",
    "fatigue": "mv_fatigue",
    "weight-bearing limits and braces": "mv_wb_limit",
}

# The warning signs the clinical model asks for, with their tier, in each checklist.
TIERS = {
    HOME: {
        "emergency": {
            "ws_limb_weakness_new",
            "ws_saddle_numbness",
            "ws_bladder_bowel_new",
            "ws_balance",
            "ws_cannot_bear_weight",
            "ws_confusion",
            # 3.0: a symptom question, then "is this new, or getting worse?" (NICE NG234)
            "steadi_unsteady_new",
            "steadi_push_up_new",
            "steadi_rush_toilet_new",
            "steadi_feet_feeling_new",
        },
        "same_day": {
            "ws_back_pain",
            "ws_band_pain_new",
            "ws_weight_bearing_pain",
            "ws_new_bone_pain",
            "ws_swelling_bone_pain",
            "ws_calcium_signs",
            "ws_denosumab_low_calcium",
        },
        "next_visit": {"ws_pain_uncontrolled", "ws_new_med_drowsy"},
    },
    SELF: {
        "emergency": {
            "ws_limb_weakness_new",
            "ws_saddle_bladder",
            "ws_balance",
            "ws_cannot_bear_weight",
            "ws_confusion",
            "ws_cannot_pee",  # 3.0: not being able to pass urine is asked
            "steadi_unsteady_new",
            "steadi_push_up_new",
            "steadi_rush_toilet_new",
            "steadi_feet_feeling_new",
        },
        "same_day": {
            "ws_back_pain",
            "ws_weight_bearing_pain",
            "ws_new_bone_pain",
            "ws_swelling_bone_pain",
            "ws_calcium_signs",
            "ws_low_calcium",
        },
        "next_visit": {"ws_pain_not_controlled", "ws_new_med_drowsy"},  # 3.0: "yes" is the warning
    },
}


@pytest.mark.parametrize("topic", sorted(HOME_COVERAGE))
def test_home_visit_covers(home, topic: str) -> None:
    home.item(HOME_COVERAGE[topic])


@pytest.mark.parametrize("topic", sorted(SELF_COVERAGE))
def test_self_check_covers(selfcheck, topic: str) -> None:
    selfcheck.item(SELF_COVERAGE[topic])


@pytest.mark.parametrize("checklist_id", [HOME, SELF])
def test_every_warning_sign_has_its_tier_and_source(checklist_id: str) -> None:
    checklist = catalog.find(checklist_id)
    found: dict[str, set[str]] = {}
    for _, item in checklist.items():
        if item.red_flag:
            found.setdefault(item.urgency or "", set()).add(item.id)
            assert item.source and item.is_required
            # "not applicable" only on a next-visit sign that says when (pain medicine, for someone who takes none)
            assert not item.answer.not_applicable or (
                item.urgency == "next_visit" and "not applicable" in item.prompt.lower()
            )
    assert found == TIERS[checklist_id]
    text = " ".join(i.prompt.lower() for _, i in checklist.items() if i.red_flag)
    for word in ("back", "bladder", "thirst", "bone", "new"):
        assert word in text, (checklist.id, word)
    tiers = [g.urgency for g in checklist.warning_signs]
    assert tiers[0] == "emergency" and {"same_day", "next_visit"} <= set(tiers)
    assert any("do not try to get up" in s.lower() for g in checklist.warning_signs for s in g.signs)


@pytest.mark.parametrize("checklist_id", [HOME, SELF])
def test_no_double_negatives(checklist_id: str) -> None:
    """A question whose hazard answer is "no" must itself be positive ("Do you have grab bars?")."""
    negation = re.compile(r"\b(not|no|without|never)\b|n't", re.I)
    for _, item in catalog.find(checklist_id).items():
        if getattr(item.answer, "hazard", None) == ["no"]:
            assert not negation.search(item.prompt), item.id
        assert not re.search(r"\b(is|are|do|does) there no\b", item.prompt, re.I), item.id


@pytest.mark.parametrize("checklist_id", [HOME, SELF])
def test_not_applicable_only_on_items_that_say_when(checklist_id: str) -> None:
    """Never on warning signs, the falls screen, footwear grip, lighting or the PT/OT program."""
    never = ("ws_", "steadi_", "fw_", "hw_light", "hw_bright", "sp_physio")
    for _, item in catalog.find(checklist_id).items():
        if item.id.startswith(never) and item.id != "ws_pain_not_controlled":  # says when: no pain medicine
            assert not item.answer.not_applicable, item.id


def test_drowsy_medicines_are_named(home) -> None:
    prompt = home.item("md_drowsy").prompt.lower()
    for drug in ("morphine", "hydromorphone", "codeine", "gabapentin", "pregabalin"):
        assert drug in prompt


def test_self_check_is_plain_and_asks_the_person(selfcheck) -> None:
    items = [item for _, item in selfcheck.items()]
    asked_of_all = [item for item in items if item.follows is None]  # a follow-up comes only after a "yes"
    assert 40 <= len(asked_of_all) <= 60
    assert not any(isinstance(i.answer, NumberAnswer) for i in items), "no clinical scores in the self-check"
    asked = [i for i in items if i.prompt.rstrip().endswith("?") and re.search(r"\b(you|your)\b", i.prompt, re.I)]
    assert len(asked) >= len(items) - 1
    jargon = re.compile(r"\b(hypercalc|osteoly|vertebra|ambulat|metasta|proximal|SINS|Mirels)", re.I)
    texts = [t for i in items for t in (i.prompt, i.action or "", i.why or "", *(x.text for x in i.instead)) if t]
    for text in texts:
        assert not jargon.search(text), text
    # A rough reading-level guard (grade 6 text: short words, short sentences): measured
    # 3.85 letters a word and 9.9 words a sentence for 1.0; 3.93 and 10.6 for 2.0.
    words = [w for t in texts for w in re.findall(r"[A-Za-z']+", t)]
    sentences = [s for t in texts for s in re.split(r"[.?!]+", t) if s.strip()]
    assert sum(len(w) for w in words) / len(words) < 4.3
    assert len(words) / len(sentences) < 12
    assert max(len(re.findall(r"[A-Za-z']+", s)) for s in sentences) <= 25


def test_both_checklists_use_the_same_ids_for_the_same_questions(home, selfcheck) -> None:
    shared = {i.id for _, i in selfcheck.items()} & {i.id for _, i in home.items()}
    assert len(shared) >= 30


def test_json_schema_is_published_and_describes_items() -> None:
    from safehome.core.models import Checklist

    schema = Checklist.model_json_schema()
    assert schema["additionalProperties"] is False
    assert {"Item", "Section", "YesNoAnswer", "NumberAnswer"} <= set(schema["$defs"])


CORE = [
    "safehome",
    "safehome.core.models",
    "safehome.core.loader",
    "safehome.core.score",
    "safehome.core.plan",
    "safehome.core.outputs",
    "safehome.core.catalog",
    "safehome.core.example",
    "safehome.storage.paths",
    "safehome.storage.files",
]


def test_core_imports_neither_textual_nor_reportlab() -> None:
    code = (
        "import sys\n" + "".join(f"import {m}\n" for m in CORE) + "from safehome.core import catalog, plan, example\n"
        "import datetime\n"
        "c = catalog.find('bone-metastases-home-visit')\n"
        "a = example.example_assessment(c, datetime.date(2026, 11, 27))\n"
        "plan.build_plan(c, a)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'reportlab', 'rich'))\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_core_never_reads_the_clock() -> None:
    from pathlib import Path

    for module in ("models", "loader", "score", "plan", "outputs", "catalog", "example"):
        text = (Path(catalog.__file__).parent / f"{module}.py").read_text()
        assert "date.today" not in text and "datetime.now" not in text and "time.time" not in text, module


def test_every_hazard_is_worded_as_a_finding_in_both_languages() -> None:
    """Issue 27: a hazard is reported as what was found ("No lamp within reach of the bed"), never as
    its question, in the clinician summary, the comparisons and the referral letters."""
    from safehome.core import catalog

    for checklist_id in ("bone-metastases-home-visit", "bone-metastases-self-check"):
        for language in ("en-CA", "fr-CA"):
            checklist = catalog.find(checklist_id, None, language)
            for _, item in checklist.items():
                if item.answer.can_be_hazard():
                    assert item.statement, (checklist_id, language, item.id)
                    assert not item.statement.rstrip().endswith("?"), (language, item.id)
