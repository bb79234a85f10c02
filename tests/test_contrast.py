"""Every theme meets WCAG 2.2 AA: the ratios are computed from the colours each theme resolves to."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.color import Color

from safehome.faces.tui.themes import CONTRAST_PAIRS, THEMES

CSS = Path(__file__).parent.parent / "safehome" / "faces" / "tui" / "app.tcss"


def luminance(color: Color) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def ratio(a: Color, b: Color) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def resolve(variables: dict[str, str], name: str, under: Color, depth: int = 0) -> Color:
    """A theme variable as painted over ``under`` ("auto N%" and translucent colours included)."""
    value = variables[name].strip()
    if value.startswith("$") and depth < 5:
        return resolve(variables, value[1:], under, depth + 1)
    if value.startswith("auto"):
        alpha = float(value.split()[1].rstrip("%")) / 100 if " " in value else 1.0
        return under + under.get_contrast_text(alpha)
    return under + Color.parse(value)


def test_wcag_arithmetic_is_right() -> None:
    assert ratio(Color.parse("#000000"), Color.parse("#FFFFFF")) == pytest.approx(21.0)
    assert ratio(Color.parse("#777777"), Color.parse("#FFFFFF")) == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("theme", THEMES, ids=lambda theme: theme.name)
def test_every_pair_the_app_paints_meets_aa(theme) -> None:
    variables = theme.to_color_system().generate()
    variables.update(theme.variables)
    base = Color.parse(variables["background"])
    failures = []
    for fg, bg, minimum in CONTRAST_PAIRS:
        back = resolve(variables, bg, base)
        front = resolve(variables, fg, back)
        measured = ratio(front, back)
        if measured < minimum:
            failures.append(f"{fg} on {bg}: {measured:.2f}:1 < {minimum}:1")
    assert not failures, f"{theme.name}: " + "; ".join(failures)


def test_the_stylesheet_uses_only_measured_colours() -> None:
    measured = {name for fg, bg, _ in CONTRAST_PAIRS for name in (fg, bg)} | {"boost"}
    used = set(re.findall(r"\$([a-z][a-z0-9-]*)", CSS.read_text()))
    assert used <= measured, f"app.tcss uses colours no test measures: {sorted(used - measured)}"
