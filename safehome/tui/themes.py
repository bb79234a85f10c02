"""The app's three themes, and the colour pairs the app paints (checked for WCAG 2.2 AA by a test).

Every theme is safehome's own, so every colour the app uses is chosen here and measured:
4.5:1 for text, 3:1 for borders, focus indicators and large text (WCAG 2.2 AA, 1.4.3 and 1.4.11).
"""

from __future__ import annotations

from textual.theme import Theme

TEXT, NON_TEXT = 4.5, 3.0  # the AA minimum contrast ratios

# (foreground variable, background variable, minimum): what the app and the Textual widgets it
# uses draw on what. app.tcss may use only variables named here (a test checks that too).
CONTRAST_PAIRS: tuple[tuple[str, str, float], ...] = (
    ("foreground", "background", TEXT),
    ("text", "background", TEXT),
    ("text", "surface", TEXT),
    ("text", "panel", TEXT),
    ("text-muted", "background", TEXT),  # hints, "why this matters", placeholders
    ("text-muted", "surface", TEXT),
    ("accent", "background", TEXT),  # section headings
    ("warning", "background", TEXT),  # the status line, profile warnings
    ("error", "background", TEXT),  # error messages
    ("error", "surface", TEXT),  # the warning-sign title in its box
    ("text", "error", TEXT),  # the warning-sign bar, the red button
    ("text", "primary", TEXT),  # the primary button
    ("foreground", "panel", TEXT),  # the header
    ("footer-key-foreground", "footer-background", TEXT),
    ("footer-description-foreground", "footer-background", TEXT),
    ("block-cursor-foreground", "block-cursor-background", TEXT),  # the highlighted row
    ("input-cursor-foreground", "input-cursor-background", TEXT),
    ("primary", "background", NON_TEXT),  # borders of lists and boxes
    ("secondary", "background", NON_TEXT),  # the border of a field without focus (focus: accent, heavier)
    ("secondary", "surface", NON_TEXT),
    ("accent", "surface", NON_TEXT),  # the focused field's border
    ("block-cursor-background", "background", NON_TEXT),  # the focused row stands out
    ("warning", "surface", NON_TEXT),  # the border of a yes/no question
)


def _footer(accent: str, panel: str, foreground: str) -> dict[str, str]:
    """The footer in the theme's own colours (Textual's variables take literal colours only)."""
    return {
        "footer-key-foreground": accent,
        "footer-background": panel,
        "footer-description-foreground": foreground,
        "footer-foreground": foreground,
    }


DARK = Theme(
    name="safehome-dark",
    primary="#4FA8F5",
    secondary="#8AB4F8",
    accent="#FFB454",
    warning="#FFCB6B",
    error="#FF7B8A",
    success="#6FD08C",
    foreground="#E8E8E8",
    background="#121212",
    surface="#1E1E1E",
    panel="#26313B",
    dark=True,
    variables={
        **_footer("#FFB454", "#26313B", "#E8E8E8"),
        "block-cursor-background": "#4FA8F5",
        "block-cursor-foreground": "#000000",
        "block-cursor-text-style": "bold",
        "input-cursor-background": "#E8E8E8",
        "input-cursor-foreground": "#121212",
    },
)
LIGHT = Theme(
    name="safehome-light",
    primary="#0B5CAD",
    secondary="#1F4E79",
    accent="#8A4500",
    warning="#7A4F00",
    error="#B00020",
    success="#1B6E35",
    foreground="#1A1A1A",
    background="#FFFFFF",
    surface="#F3F3F3",
    panel="#E3E8EE",
    dark=False,
    variables={
        **_footer("#8A4500", "#E3E8EE", "#1A1A1A"),
        "block-cursor-background": "#0B5CAD",
        "block-cursor-foreground": "#FFFFFF",
        "block-cursor-text-style": "bold",
        "input-cursor-background": "#1A1A1A",
        "input-cursor-foreground": "#FFFFFF",
    },
)
HIGH_CONTRAST = Theme(
    name="safehome-high-contrast",
    primary="#FFFF00",
    secondary="#C0C0C0",  # fields without focus in grey; the focused one in yellow, heavier
    accent="#FFFF00",
    warning="#FFFF00",
    error="#FF6060",
    success="#00FF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    dark=True,
    variables={
        **_footer("#FFFF00", "#1A1A1A", "#FFFFFF"),
        "block-cursor-background": "#FFFF00",
        "block-cursor-foreground": "#000000",
        "block-cursor-text-style": "bold",
        "input-cursor-background": "#FFFFFF",
        "input-cursor-foreground": "#000000",
        "text-muted": "#E0E0E0",
    },
)
THEMES: tuple[Theme, ...] = (DARK, LIGHT, HIGH_CONTRAST)
