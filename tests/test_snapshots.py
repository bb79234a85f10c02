"""Snapshots of the main screens at 80x24 and 120x40 (pytest-textual-snapshot).

Update after an intended change with: .venv/bin/python -m pytest tests/test_snapshots.py --snapshot-update
and look at the SVGs before committing them.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from .test_tui import DAY, make_app

SIZES = [(80, 24), (120, 40)]


async def _steady(pilot) -> None:
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


def _keys(*keys: str):
    async def run(pilot) -> None:
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await _steady(pilot)

    return run


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_start_screen(snap_compare, tmp_path, size) -> None:
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=_keys())


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_question_screen(snap_compare, tmp_path, size) -> None:
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=_keys("v", "Z", "T", "ctrl+s", "n", "n"))


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_red_flag_screen(snap_compare, tmp_path, size) -> None:
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=_keys("c", "Z", "T", "ctrl+s", "n", "y"))


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_review_screen(snap_compare, tmp_path, size) -> None:
    # a warning sign (its alert closed with Enter), the other signs "no", then the review
    keys = ["v", "Z", "T", "ctrl+s", "y", "enter"] + ["n"] * 14 + ["r"]  # 3.0: 15 warning signs
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=_keys(*keys))


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_profile_screen_with_an_error_and_a_warning(snap_compare, tmp_path, size) -> None:
    keys = ["v", "Z", "T", "tab", "7", "0", "tab", *"1990-01-01".replace("-", "_"), "ctrl+s"]
    keys = [{"_": "minus"}.get(k, k) for k in keys]
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=_keys(*keys))


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_help_screen(snap_compare, tmp_path, size) -> None:
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=_keys("f1"))


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_light_theme_question_with_a_typed_number(snap_compare, tmp_path, size) -> None:
    async def run(pilot) -> None:
        app = pilot.app
        app.theme = "safehome-light"  # set, not cycled: no notice toast whose timing varies
        await _keys("v", "Z", "T", "ctrl+s")(pilot)
        app.screen.session.go_to("ft_tug")
        app.screen.show_item()
        await _keys("1", "3")(pilot)

    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_start_screen_of_a_laptop_that_syncs(snap_compare, tmp_path, size, monkeypatch) -> None:
    """The clinic status line, the Sync key and a visit marked as changed on two laptops (no
    server needed: what the screen shows is what the store holds)."""
    import time as clock

    from safehome.core import catalog
    from safehome.core.example import example_assessment
    from safehome.storage.store import Store

    monkeypatch.setenv("TZ", "UTC")
    clock.tzset()
    with Store(tmp_path / "data" / "safehome.sqlite3") as store:
        checklist = catalog.find("bone-metastases-home-visit")
        aid = store.create(example_assessment(checklist, DAY), status="finished")
        store.create(example_assessment(checklist, DAY).model_copy(update={"answers": {}}))
        store.set_sync_values(
            url="postgresql://alice@clinic.example.org/safehome", synced_at="2026-11-27T14:05:00+00:00"
        )
        store.conn.execute(
            "INSERT INTO conflicts (uuid, assessment_uuid, items, found_at, found_by) VALUES ('c1', ?, '[]', 'x', 'alice')",
            (store.uuid_of(aid),),
        )
    try:
        assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=_keys())
    finally:
        monkeypatch.delenv("TZ")
        clock.tzset()
