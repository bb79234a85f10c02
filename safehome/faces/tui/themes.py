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


def _theme(name: str, *, dark: bool, on_primary: str, extra: dict[str, str] | None = None, **colours: str) -> Theme:
    """A theme whose footer, highlighted row and text cursor follow from its own colours (Textual's
    variables take literal colours only, so they are derived here rather than written twice)."""
    variables = {
        "footer-key-foreground": colours["accent"],
        "footer-background": colours["panel"],
        "footer-description-foreground": colours["foreground"],
        "footer-foreground": colours["foreground"],
        "block-cursor-background": colours["primary"],
        "block-cursor-foreground": on_primary,
        "block-cursor-text-style": "bold",
        "input-cursor-background": colours["foreground"],
        "input-cursor-foreground": colours["background"],
        **(extra or {}),
    }
    c = colours
    return Theme(
        name=name,
        dark=dark,
        variables=variables,
        primary=c["primary"],
        secondary=c["secondary"],
        accent=c["accent"],
        warning=c["warning"],
        error=c["error"],
        success=c["success"],
        foreground=c["foreground"],
        background=c["background"],
        surface=c["surface"],
        panel=c["panel"],
    )


DARK = _theme(
    "safehome-dark",
    dark=True,
    on_primary="#000000",
    primary="#4FA8F5",
    secondary="#8AB4F8",
    accent="#FFB454",
    warning="#FFCB6B",
    error="#FF7B8A",
    success="#6FD08C",
    foreground="#E8E8E8",
    background="#121212",
    surface="#1E1E1E",
    panel="#262626",  # a grey of the 256-colour palette: drawn the same where truecolour is not spoken
)
LIGHT = _theme(
    "safehome-light",
    dark=False,
    on_primary="#FFFFFF",
    primary="#0B5CAD",
    secondary="#1F4E79",
    accent="#8A4500",
    warning="#7A4F00",
    error="#B00020",
    success="#1B6E35",
    foreground="#1A1A1A",
    background="#FFFFFF",
    surface="#F3F3F3",
    panel="#F0F0F0",  # drawn as #EEEEEE in 256 colours (#E3E8EE became lavender there, the footer keys 4.1:1)
)
HIGH_CONTRAST = _theme(
    "safehome-high-contrast",
    dark=True,
    on_primary="#000000",
    extra={"text-muted": "#E0E0E0"},
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
)
THEMES: tuple[Theme, ...] = (DARK, LIGHT, HIGH_CONTRAST)
