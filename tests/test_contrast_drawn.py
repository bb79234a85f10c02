"""Contrast as it reaches the screen (issue 31): each screen rendered through Textual in each theme,
every run of text measured against the background it is drawn on, in truecolour and as a
256-colour terminal shows it (tmux and macOS Terminal by default: Rich turns each colour into the
nearest of the 256). tests/test_contrast.py checks the theme's colour pairs; this checks the cells.

Text is 4.5:1 or more (WCAG 2.2 AA 1.4.3). What sits behind an open dialog is dimmed on purpose
(inactive) and not measured.
"""

from __future__ import annotations

import html
import re

import pytest
from rich.color import Color as RichColor
from rich.color import ColorSystem

from safehome.faces.tui.themes import TEXT, THEMES

from .test_contrast import ratio
from .test_tui import Keys, make_app
from textual.color import Color


def in_256(colour: str) -> str:
    rgb = RichColor.parse(colour).downgrade(ColorSystem.EIGHT_BIT).get_truecolor()
    return f"#{rgb.red:02x}{rgb.green:02x}{rgb.blue:02x}"


def drawn_text(svg: str) -> list[tuple[str, str, str]]:
    """(text, its colour, the background under it) for every run of words in a screenshot."""
    classes = dict(re.findall(r"\.(terminal-[\w-]+-r\d+) \{ fill: (#[0-9a-fA-F]{6})", svg))
    rects = [
        (fill, float(x), float(y), float(w), float(h))
        for fill, x, y, w, h in re.findall(
            r'<rect fill="(#[0-9a-fA-F]{6})" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"', svg
        )
    ]
    runs = []
    for cls, x, y, content in re.findall(r'<text class="([^"]+)" x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>', svg):
        words = html.unescape(content).replace("\xa0", " ")
        if cls not in classes or not any(ch.isalnum() for ch in words):
            continue
        left, base = float(x), float(y)
        under = [f for f, rx, ry, rw, rh in rects if rx <= left + 1 < rx + rw and ry <= base - 5 < ry + rh]
        if under:
            runs.append((words.strip(), classes[cls], under[-1]))
    return runs


async def screens(tmp_path, theme: str) -> dict[str, str]:
    app = make_app(tmp_path)
    shots: dict[str, str] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        keys = Keys(pilot)
        await pilot.pause()
        shots["start"] = app.export_screenshot()
        await keys("v")
        shots["profile"] = app.export_screenshot()
        await keys.type("AB")
        await keys("ctrl+s")
        shots["question"] = app.export_screenshot()
        session = app.screen.session
        session.index = next(n for n, s in enumerate(session.steps) if s.item.id == "pn_score")
        app.screen.show_item()
        await pilot.pause()
        shots["typed question"] = app.export_screenshot()
        await keys("escape", "r")
        shots["review"] = app.export_screenshot()
    return shots


@pytest.mark.parametrize("theme", [t.name for t in THEMES])
async def test_every_word_on_every_screen_meets_aa_in_truecolour_and_256_colours(tmp_path, theme: str) -> None:
    worst: dict[str, tuple[float, str]] = {}
    failures = []
    for screen, svg in (await screens(tmp_path, theme)).items():
        for words, fg, bg in drawn_text(svg):
            for mode, front, back in (("truecolour", fg, bg), ("256 colours", in_256(fg), in_256(bg))):
                measured = ratio(Color.parse(front), Color.parse(back))
                if measured < worst.get(mode, (99.0, ""))[0]:
                    worst[mode] = (measured, f"{screen}: {words[:30]!r}")
                if measured < TEXT:
                    failures.append(f"{mode}, {screen}: {words[:30]!r} {front} on {back} = {measured:.2f}:1")
    print(theme, {mode: f"{value:.2f}:1 ({where})" for mode, (value, where) in worst.items()})
    assert not failures, failures[:8]


def test_a_colour_the_terminal_cannot_show_is_measured_as_it_shows_it() -> None:
    assert in_256("#26313B") == "#005f5f"  # the dark header of round 2: teal in tmux, 3.15:1 under its title
    assert in_256("#262626") == "#262626"
