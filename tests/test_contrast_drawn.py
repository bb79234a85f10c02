"""Contrast as it reaches the screen (issue 31): each screen rendered through Textual in each theme,
every run of text measured against the background it is drawn on, in truecolour and as a
256-colour terminal shows it (tmux and macOS Terminal by default: Rich turns each colour into the
nearest of the 256). tests/test_contrast.py checks the theme's colour pairs; this checks the cells.

Text is 4.5:1 or more (WCAG 2.2 AA 1.4.3); the lines of boxes, fields and bars 3:1 (1.4.11). Not
measured: what sits behind an open dialog (dimmed on purpose, inactive), and the bar of the
progress bar, whose empty part is decorative (its filled part is the theme's primary, measured on
the background by tests/test_contrast.py, and its label says the figure in words, measured here).
"""

from __future__ import annotations

import html
import re

import pytest
from rich.color import Color as RichColor
from rich.color import ColorSystem

from safehome.faces.tui.themes import NON_TEXT, TEXT, THEMES

from .test_contrast import ratio
from .test_tui import Keys, make_app
from textual.color import Color


def in_256(colour: str) -> str:
    rgb = RichColor.parse(colour).downgrade(ColorSystem.EIGHT_BIT).get_truecolor()
    return f"#{rgb.red:02x}{rgb.green:02x}{rgb.blue:02x}"


BOX = frozenset("─│╭╮╰╯━┃┏┓┗┛▔▁▊▎╸╺")  # the lines of boxes, fields, scroll and progress bars


def drawn_text(svg: str, *, lines: bool = False, skip_rows: frozenset[int] = frozenset()) -> list[tuple[str, str, str]]:
    """(text, its colour, the background under it) for every run of words in a screenshot (with
    ``lines``, every run of box-drawing characters instead), less the rows in ``skip_rows``."""
    classes = dict(re.findall(r"\.(terminal-[\w-]+-r\d+) \{ fill: (#[0-9a-fA-F]{6})", svg))
    rects = [
        (fill, float(x), float(y), float(w), float(h))
        for fill, x, y, w, h in re.findall(
            r'<rect fill="(#[0-9a-fA-F]{6})" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"', svg
        )
    ]
    runs = []
    found = re.findall(r'<text class="([^"]+)" x="([\d.]+)" y="([\d.]+)"[^>]*?line-(\d+)\)"[^>]*>([^<]*)</text>', svg)
    for cls, x, y, row, content in found:
        words = html.unescape(content).replace("\xa0", " ")
        wanted = set(words) & BOX if lines else any(ch.isalnum() for ch in words)
        if cls not in classes or not wanted or int(row) in skip_rows:
            continue
        left, base = float(x), float(y)
        under = [f for f, rx, ry, rw, rh in rects if rx <= left + 1 < rx + rw and ry <= base - 5 < ry + rh]
        if under:
            runs.append((words.strip(), classes[cls], under[-1]))
    return runs


async def screens(tmp_path, theme: str) -> dict[str, tuple[str, frozenset[int]]]:
    """Each screen's picture, and the row of its progress bar (whose empty part is not measured)."""
    from textual.widgets import ProgressBar

    app = make_app(tmp_path)
    shots: dict[str, tuple[str, frozenset[int]]] = {}

    def shot() -> tuple[str, frozenset[int]]:
        bars = frozenset(bar.region.y for bar in app.screen.query(ProgressBar))
        return app.export_screenshot(), bars

    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        keys = Keys(pilot)
        await pilot.pause()
        shots["start"] = shot()
        await keys("v")
        shots["profile"] = shot()
        await keys.type("AB")
        await keys("ctrl+s")
        shots["question"] = shot()
        session = app.screen.session
        session.index = next(n for n, s in enumerate(session.steps) if s.item.id == "pn_score")
        app.screen.show_item()
        await pilot.pause()
        shots["typed question"] = shot()
        await keys("escape", "r")
        shots["review"] = shot()
    return shots


@pytest.mark.parametrize("theme", [t.name for t in THEMES])
async def test_every_word_on_every_screen_meets_aa_in_truecolour_and_256_colours(tmp_path, theme: str) -> None:
    worst: dict[str, tuple[float, str]] = {}
    failures = []
    for screen, (svg, _) in (await screens(tmp_path, theme)).items():
        for words, fg, bg in drawn_text(svg):
            for mode, front, back in (("truecolour", fg, bg), ("256 colours", in_256(fg), in_256(bg))):
                measured = ratio(Color.parse(front), Color.parse(back))
                if measured < worst.get(mode, (99.0, ""))[0]:
                    worst[mode] = (measured, f"{screen}: {words[:30]!r}")
                if measured < TEXT:
                    failures.append(f"{mode}, {screen}: {words[:30]!r} {front} on {back} = {measured:.2f}:1")
    print(theme, {mode: f"{value:.2f}:1 ({where})" for mode, (value, where) in worst.items()})
    assert not failures, failures[:8]


@pytest.mark.parametrize("theme", [t.name for t in THEMES])
async def test_every_line_of_a_box_or_a_field_meets_3_to_1_as_drawn(tmp_path, theme: str) -> None:
    failures = []
    worst = 99.0
    for screen, (svg, bars) in (await screens(tmp_path, theme)).items():
        for glyphs, fg, bg in drawn_text(svg, lines=True, skip_rows=bars):
            for mode, front, back in (("truecolour", fg, bg), ("256 colours", in_256(fg), in_256(bg))):
                measured = ratio(Color.parse(front), Color.parse(back))
                worst = min(worst, measured)
                if measured < NON_TEXT:
                    failures.append(f"{mode}, {screen}: {glyphs[:12]!r} {front} on {back} = {measured:.2f}:1")
    print(theme, f"lines at worst {worst:.2f}:1")
    assert not failures, failures[:8]


def test_a_colour_the_terminal_cannot_show_is_measured_as_it_shows_it() -> None:
    assert in_256("#26313B") == "#005f5f"  # the dark header of round 2: teal in tmux, 3.15:1 under its title
    assert in_256("#262626") == "#262626"
