from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from safehome.core import catalog, lengths
from safehome.core.kinds import EquipmentAnswer, LengthAnswer
from safehome.i18n.words import ENGLISH, set_language
from safehome.core.models import (
    Assessment,
    Checklist,
    ChoiceAnswer,
    Item,
    NumberAnswer,
    ScaleAnswer,
    TextAnswer,
    YesNoAnswer,
)

HOME = "bone-metastases-home-visit"
SELF = "bone-metastases-self-check"
DAY = date(2026, 11, 27)
FIXTURES = Path(__file__).parent / "fixtures"
# what the pilot tests type for each typed item of the home visit ("a": not applicable)
NUMBERS = {
    "pn_score": "3",
    "ft_tug": "13.5",
    "ft_chair_stand": "9",
    "ft_balance": "2",
    "cs_mirels": "a",
    "cs_sins": "5",
}
REPO = Path(__file__).resolve().parent.parent
if str(Path(__file__).parent) not in sys.path:  # the tests' keyring (keyring_for_tests), by name
    sys.path.append(str(Path(__file__).parent))


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data folder, never the user's real one."""
    path = tmp_path_factory.mktemp("data") / "safehome"
    monkeypatch.setenv("SAFEHOME_DATA_DIR", str(path))
    return path


@pytest.fixture(autouse=True)
def _test_keyring(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test's stores keep their keys in a keyring of the test's own (tests/keyring_for_tests.py),
    the CLI processes it starts included; no passphrase is given unless a test gives one."""
    from safehome.storage import keys

    path = tmp_path_factory.mktemp("keyring")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring_for_tests.FileKeyring")
    monkeypatch.setenv("SAFEHOME_TEST_KEYRING", str(path))
    tests = str(Path(__file__).parent)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in (tests, os.environ.get("PYTHONPATH")) if p))
    for name in ("SAFEHOME_PASSPHRASE", "SAFEHOME_NEW_PASSPHRASE"):
        monkeypatch.delenv(name, raising=False)
    import keyring

    keyring.set_keyring(keyring.core.load_keyring("keyring_for_tests.FileKeyring"))
    yield path
    keys.set_asker(None)
    keys.set_passphrase(None)
    keys.forget()


@pytest.fixture(autouse=True)
def _english_unless_asked(monkeypatch: pytest.MonkeyPatch):
    """Every test starts in English whatever the machine's locale, and leaves it in English."""
    for name in ("SAFEHOME_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    set_language(ENGLISH)
    yield
    set_language(ENGLISH)


@pytest.fixture(scope="session")
def home() -> Checklist:
    return catalog.find(HOME)


@pytest.fixture(scope="session")
def selfcheck() -> Checklist:
    return catalog.find(SELF)


def safe_value(item: Item) -> Any:
    """An answer to the item that is not a hazard."""
    spec = item.answer
    if isinstance(spec, YesNoAnswer):
        return "no" if "no" not in spec.hazard else "yes"
    if isinstance(spec, ChoiceAnswer):
        return next(v for v in spec.values() if v not in spec.hazard)
    if isinstance(spec, NumberAnswer):
        return {"tug_seconds": 8, "chair_stand_30s": 20, "balance_stage": 4, "mirels": 5, "sins": 3}.get(
            spec.measure or "", spec.min
        )
    if isinstance(spec, ScaleAnswer):
        return 0
    if isinstance(spec, TextAnswer):
        # where the person's own words go, the safe answer is to have written nothing (words are read)
        return "" if item.own_words else "nothing to add"
    if isinstance(spec, LengthAnswer):
        return lengths.NEUTRAL[spec.rule]  # no hazard when the lengths it is compared with are safe too
    if isinstance(spec, EquipmentAnswer):
        return None  # a status is recorded only for equipment an action recommends
    raise AssertionError(spec)


def typed_answer(item: Item) -> str | None:
    """What an app test types for a field-kit answer (a safe length; "r" for an equipment status:
    recommended), or None when the item is answered some other way."""
    if isinstance(item.answer, LengthAnswer):
        return str(lengths.NEUTRAL[item.answer.rule])
    if isinstance(item.answer, EquipmentAnswer):
        return "r"
    return None


def hazard_value(item: Item) -> Any | None:
    """An answer that makes the item a hazard (chair stand: when a norm applies), or None."""
    spec = item.answer
    if isinstance(spec, (YesNoAnswer, ChoiceAnswer)):
        return spec.hazard[0] if spec.hazard else None
    if isinstance(spec, NumberAnswer):
        if spec.measure:
            return {"tug_seconds": 20, "chair_stand_30s": 0, "balance_stage": 1, "mirels": 10, "sins": 12}[spec.measure]
        if spec.hazard_at_or_above is not None:
            return spec.hazard_at_or_above
        if spec.hazard_below is not None:
            return spec.min
        return None
    if isinstance(spec, ScaleAnswer):
        return spec.hazard_at_or_above
    if isinstance(spec, LengthAnswer) and spec.rule in ("tub_wall", "riser", "step", "handrail"):
        return spec.max  # higher than every threshold of these rules
    return None


PROFILE: dict[str, Any] = {
    "name": "Test Person",
    "age": 70,
    "sex": "female",
    "bone_sites": [],
    "walking_aid": "none",
}


def make(
    checklist: Checklist,
    answers: dict[str, Any] | None = None,
    *,
    fill_safe: bool = True,
    profile: dict[str, Any] | None = None,
    day: date = DAY,
    notes: dict[str, str] | None = None,
) -> Assessment:
    """An assessment of ``checklist``: every item safe (unless fill_safe is off), then ``answers``."""
    values: dict[str, Any] = {}
    if fill_safe:
        values = {item.id: v for _, item in checklist.items() if (v := safe_value(item)) is not None}
    values.update(answers or {})
    entries = {k: {"value": v} for k, v in values.items()}
    for k, note in (notes or {}).items():
        entries.setdefault(k, {"value": None})["note"] = note
    return Assessment.model_validate(
        {
            "checklist_id": checklist.id,
            "checklist_version": checklist.version,
            "mode": checklist.modes[0],
            "assessed_on": day,
            "profile": {**PROFILE, **(profile or {})},
            "answers": entries,
        }
    )


@pytest.fixture
def browser() -> Iterator[object]:
    from .served import CHROMIUM

    if CHROMIUM is None:  # only reached under CI (see needs_browser): fail, do not skip
        pytest.fail("CI=true and Debian's chromium is missing: .ci/run installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()
