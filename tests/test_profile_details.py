"""Clinical model v3, part 1, point 6: what the profile can say for the advice to fit the person.

- A paired bone site can have a side (left, right or both), and the spine its levels; a side or a
  level is never given for a site the person does not have.
- The usual walker kinds (two front wheels, rollator, forearm walker) are walkers: every
  ``walking_aid: walker`` condition holds for them, in the score, the plan and the FHIR form.
- Medicines are a pick-list of classes plus the names as typed; checklists put conditions on the
  classes (no question or advice is built in code).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pydantic import ValidationError
from pypdf import PdfReader

from safehome import service
from safehome.core import catalog
from safehome.core.example import example_assessment
from safehome.core.options import ReportOptions
from safehome.core.plan import build_plan
from safehome.core.profile import AID_FAMILIES, Profile, condition_holds, site_words
from safehome.faces.cli import main
from safehome.i18n.words import speaking
from safehome.storage.store import Store

from .conftest import DAY, HOME, SELF, make

WALKERS = sorted(AID_FAMILIES)
FRENCH = "fr-CA"


def _profile(**fields) -> Profile:
    return Profile.model_validate({"name": "Test Person", **fields})


def _refused(**fields) -> str:
    with pytest.raises(ValidationError) as caught:
        _profile(**fields)
    return str(caught.value)


# ------------------------------------------------------------------ sides and levels


def test_a_side_and_a_level_belong_to_a_site_the_person_has() -> None:
    p = _profile(bone_sites=["hip_thigh", "ribs", "spine"], left_sites=["hip_thigh", "ribs"], right_sites=["ribs"])
    assert p.side_of("hip_thigh") == "left" and p.side_of("ribs") == "both" and p.side_of("pelvis") is None
    assert "a side is given for a bone that is not among the bone sites: Pelvis" in _refused(
        bone_sites=["spine"], right_sites=["pelvis"]
    )
    assert "the spine is not among the bone sites" in _refused(bone_sites=["pelvis"], spine_levels=["lumbar"])
    assert "list each bone site once" in _refused(bone_sites=["spine"], spine_levels=["lumbar", "lumbar"])
    # the spine has levels, not sides; the skull neither
    assert "left_sites" in _refused(bone_sites=["spine"], left_sites=["spine"])


def test_sites_are_said_with_their_side_or_levels() -> None:
    p = _profile(
        bone_sites=["spine", "hip_thigh", "upper_limb", "ribs"],
        left_sites=["hip_thigh", "ribs"],
        right_sites=["ribs"],
        spine_levels=["thoracic", "lumbar"],
    )
    words = site_words(p)
    assert words[0] == "Spine (back or neck): Upper or middle back (thoracic), Lower back (lumbar)"
    assert words[1].endswith(": left") and words[3].endswith(": both sides")
    assert ":" not in words[2]  # no side given: none invented


# ------------------------------------------------------------------ walker kinds


@pytest.mark.parametrize("kind", WALKERS)
def test_every_walker_kind_meets_every_walker_condition(kind: str) -> None:
    p = _profile(walking_aid=kind)
    assert p.aid_family() == "walker"
    assert condition_holds({"walking_aid": "walker"}, p)
    assert condition_holds({"walking_aid": ["cane", "walker"]}, p)
    assert condition_holds({"walking_aid": kind}, p)  # and itself
    assert condition_holds({"uses_walking_aid": True}, p)
    assert not condition_holds({"walking_aid": "cane"}, p)
    assert not condition_holds({"walking_aid": "walker"}, _profile(walking_aid="cane"))


@pytest.mark.parametrize("kind", WALKERS)
def test_a_walker_kind_asks_the_same_questions_as_a_walker(home, kind: str) -> None:
    """The visit a rollator user is asked is the walker user's visit, item for item."""
    as_walker = make(home, profile={"walking_aid": "walker"})
    as_kind = make(home, profile={"walking_aid": kind})

    def asked(profile) -> list[str]:
        return [i.id for _, i in home.items() if i.applies("clinician", profile)]

    assert asked(as_kind.profile) == asked(as_walker.profile)
    assert asked(as_kind.profile) != asked(make(home).profile)  # and not the visit of someone with no aid


def test_the_fhir_form_shows_walker_questions_for_every_walker_kind(home) -> None:
    """An item whose condition is ``walking_aid: walker`` is enabled by each kind's code too."""
    from safehome.exchange.fhir.questionnaire import _enable_when

    item = home.item("mv_slow_changes")
    for condition in ({"walking_aid": "walker"}, {"walking_aid": ["cane", "walker"]}):
        rules = _enable_when(item.model_copy(update={"only_if": condition}))
        codes = {r["answerCoding"]["code"] for r in rules["enableWhen"]}
        assert rules["enableBehavior"] == "any" and {"walker", *WALKERS} <= codes
    unless = _enable_when(item.model_copy(update={"unless": {"walking_aid": "walker"}}))
    assert {r["answerCoding"]["code"] for r in unless["enableWhen"]} == {"walker", *WALKERS}
    assert {r["operator"] for r in unless["enableWhen"]} == {"!="}


# ------------------------------------------------------------------ medicines


def test_medicine_names_are_tidied_and_listed_once() -> None:
    p = _profile(medicine_classes=["opioid", "denosumab"], medicines=["  Hydromorphone  2 mg ", "Xgeva"])
    assert p.medicines == ["Hydromorphone 2 mg", "Xgeva"]
    assert "list each medicine once" in _refused(medicines=["Morphine", "morphine"])
    assert "a medicine's name is empty" in _refused(medicines=["   "])
    assert "control characters" in _refused(medicines=["morphine\x1b[31m"])
    assert "list each bone site once" in _refused(medicine_classes=["opioid", "opioid"])
    assert "medicine_classes" in _refused(medicine_classes=["chocolate"])
    assert "medicines" in _refused(medicines=[f"m{i}" for i in range(41)])


@pytest.mark.parametrize("checklist_id", [HOME, SELF])
@pytest.mark.parametrize(
    ("classes", "expected"),
    [
        ([], set()),
        (["nsaid", "other"], set()),
        (["opioid"], {"drowsy"}),
        (["gabapentinoid"], {"drowsy"}),
        (["sleeping_pill"], {"drowsy"}),
        (["denosumab"], {"denosumab"}),
        (["blood_thinner"], {"head"}),
        (["opioid", "denosumab", "blood_thinner"], {"drowsy", "denosumab", "head"}),
    ],
)
def test_advice_follows_the_medicine_classes_from_the_checklist(checklist_id, classes, expected) -> None:
    checklist = catalog.find(checklist_id)
    plan = build_plan(checklist, make(checklist, profile={"medicine_classes": classes}))
    text = " ".join(plan.advice)
    shown = {
        "drowsy": "can make you" in text and ("drowsy" in text or "sleepy" in text),
        "denosumab": "You take denosumab" in text,
        "head": "hit your head" in text,
    }
    assert {key for key, seen in shown.items() if seen} == expected


def test_every_medicine_condition_is_checklist_data_with_a_source() -> None:
    for checklist_id in (HOME, SELF):
        for language in ("en-CA", FRENCH):
            checklist = catalog.find(checklist_id, None, language)
            ruled = [a for a in checklist.advice if a.only_if and "medicine_classes" in a.only_if]
            assert len(ruled) == 3, (checklist_id, language)
            assert all(a.source for a in ruled)


# ------------------------------------------------------------------ every path carries them

DETAILED = {
    "name": "Rita Okafor",
    "age": 71,
    "sex": "female",
    "bone_sites": ["spine", "hip_thigh", "ribs"],
    "left_sites": ["hip_thigh"],
    "right_sites": ["ribs", "hip_thigh"],
    "spine_levels": ["lumbar"],
    "walking_aid": "rollator",
    "medicine_classes": ["opioid", "blood_thinner"],
    "medicines": ["Hydromorphone", "Apixaban <5 mg> & co"],
}


def _detailed(checklist_id: str = HOME):
    checklist = catalog.find(checklist_id)
    assessment = example_assessment(checklist, DAY)
    return checklist, assessment.model_copy(update={"profile": Profile.model_validate(DETAILED)})


def test_the_fhir_bundle_carries_the_new_fields_and_reads_them_back(capsys, tmp_path: Path) -> None:
    _, assessment = _detailed()
    with Store(tmp_path / "data" / "safehome.sqlite3") as store:
        aid = store.create(assessment)
        data = service.bundle_json(store, aid)
    path = tmp_path / "bundle.json"
    path.write_bytes(data)
    assert main(["--data-dir", str(tmp_path / "other"), "import", str(path)]) == 0
    with Store(tmp_path / "other" / "safehome.sqlite3") as store:
        back = store.load(store.assessments()[0].id).assessment.profile
    for field in ("left_sites", "right_sites", "spine_levels", "walking_aid", "medicine_classes", "medicines"):
        assert getattr(back, field) == getattr(assessment.profile, field), field
    response = next(
        e["resource"] for e in json.loads(data)["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse"
    )
    profile = next(i for i in response["item"] if i["linkId"].endswith("profile"))
    meds = next(i for i in profile["item"] if i["linkId"].endswith(".medicines"))
    assert [a["valueString"] for a in meds["answer"]] == DETAILED["medicines"]


def test_an_answers_file_with_a_side_for_a_missing_site_is_refused_in_one_sentence(capsys, tmp_path: Path) -> None:
    _, assessment = _detailed()
    data = json.loads(assessment.model_dump_json())
    data["profile"]["left_sites"] = ["pelvis"]
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["--data-dir", str(tmp_path / "data"), "score", str(path)]) == 2
    err = capsys.readouterr().err
    assert "a side is given for a bone that is not among the bone sites: Pelvis" in err
    assert "Traceback" not in err


def _pdf_text(pdf: bytes, pages: slice = slice(None)) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages[pages])


def test_the_clinician_summary_names_sides_levels_and_medicines_literally() -> None:
    checklist, assessment = _detailed()
    text = _pdf_text(service.render_report(checklist, assessment, ReportOptions(audience="clinician")))
    flat = " ".join(text.split())
    assert "Spine (back or neck): Lower back (lumbar)" in flat
    assert "Hip or thigh (femur): both sides" in flat
    assert "Ribs: right" in flat
    assert "Rollator" in flat
    assert "named: Hydromorphone, Apixaban <5 mg> & co" in flat  # typed text shown as typed


def test_the_same_in_french() -> None:
    checklist, assessment = _detailed()
    french = service.in_language(checklist, FRENCH)
    with speaking(FRENCH):
        pdf = service.render_report(french, assessment, ReportOptions(audience="clinician"))
    text = " ".join(_pdf_text(pdf).split())
    assert "Bas du dos (lombaire)" in text and "les deux côtés" in text and "noms : Hydromorphone" in text
    assert "Déambulateur" in text


def test_the_handout_names_the_rollator_the_person_has() -> None:
    checklist, assessment = _detailed(SELF)
    plan = build_plan(checklist, assessment)
    assert "you use a rollator" in plan.personal


# ------------------------------------------------------------------ the app's profile screen


async def test_the_profile_screen_takes_sides_levels_and_medicines_and_keeps_them(tmp_path) -> None:
    from textual.widgets import Input, SelectionList

    from safehome.faces.tui.screens.profile import ProfileScreen
    from safehome.faces.tui.screens.questions import QuestionScreen

    from .test_tui import Keys, make_app, stored

    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        keys = Keys(pilot)
        await pilot.press("v")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ProfileScreen)
        form.query_one("#f-name", Input).value = "Rita Okafor"
        form.query_one("#bone-sites", SelectionList).select("hip_thigh")
        form.query_one("#left-sites", SelectionList).select("pelvis")  # a side of a bone not ticked above
        form.query_one("#spine-levels", SelectionList).select("lumbar")  # and a level without the spine
        form.query_one("#f-medicines", Input).value = "Hydromorphone;  Apixaban ; hydromorphone"
        await keys("ctrl+s")
        assert app.screen is form
        errors = {w.id: str(w.render()) for w in form.query(".error") if not w.has_class("-empty")}
        assert "Pelvis" in errors["err-left_sites"]
        assert "spine is not among the bone sites" in errors["err-spine_levels"]
        assert "each medicine once" in errors["err-medicines"]
        form.query_one("#left-sites", SelectionList).deselect("pelvis")
        form.query_one("#left-sites", SelectionList).select("hip_thigh")
        form.query_one("#spine-levels", SelectionList).deselect("lumbar")
        form.query_one("#medicine-classes", SelectionList).select("blood_thinner")
        form.query_one("#f-medicines", Input).value = "Hydromorphone;  Apixaban "
        form.query_one("#f-walking_aid").value = "forearm_walker"
        await keys("ctrl+s")
        assert isinstance(app.screen, QuestionScreen)
        # a second look at the form shows what was saved, and saving it again keeps it all
        await keys("e")
        again = app.screen
        assert isinstance(again, ProfileScreen)
        assert again.query_one("#f-medicines", Input).value == "Hydromorphone; Apixaban"
        assert list(again.query_one("#left-sites", SelectionList).selected) == ["hip_thigh"]
        await keys("ctrl+s")
    profile = stored(tmp_path).assessment.profile
    assert profile.left_sites == ["hip_thigh"] and profile.spine_levels == []
    assert profile.medicines == ["Hydromorphone", "Apixaban"] and profile.medicine_classes == ["blood_thinner"]
    assert profile.walking_aid == "forearm_walker"
