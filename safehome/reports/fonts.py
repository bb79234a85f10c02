"""Fonts: Atkinson Hyperlegible (made for low-vision readers) for everything the program says,
and, for names and notes in other scripts, a font per run of text that has its glyphs.

Fallbacks are registered only when a character needs them, in this order: Noto Sans (Latin,
Greek, Cyrillic, Vietnamese), Noto Sans Arabic, Noto Sans Hebrew and Noto Sans Gurmukhi (shipped
here, OFL: see fonts/OFL.txt), then ReportLab's built-in CID fonts for Chinese, Japanese and
Korean (not embedded; Noto's CJK fonts are CFF, which ReportLab cannot embed). With uharfbuzz
installed ReportLab shapes TrueType text (Arabic joining, Gurmukhi vowel signs).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path

FAMILY = "AtkinsonHyperlegible"
_FILES = {
    "": "AtkinsonHyperlegible-Regular.ttf",
    "-Bold": "AtkinsonHyperlegible-Bold.ttf",
    "-Italic": "AtkinsonHyperlegible-Italic.ttf",
    "-BoldItalic": "AtkinsonHyperlegible-BoldItalic.ttf",
}
HERE = Path(__file__).parent / "fonts"


def _noto_sans() -> Path:
    import fontpkg_noto_sans as pkg  # type: ignore[import-untyped]  # no type hints shipped

    folder: Path = pkg.ROOT / "files"
    return next(p for p in folder.iterdir() if p.name.startswith("NotoSans[") and p.suffix == ".ttf")


def _noto_arabic() -> Path:
    import fontpkg_noto_sans_arabic as pkg  # type: ignore[import-untyped]  # no type hints shipped

    folder: Path = pkg.ROOT / "files"
    return next(p for p in folder.iterdir() if p.suffix == ".ttf")


# name -> where its TrueType file is, tried in this order
TRUETYPE: dict[str, Callable[[], Path]] = {
    "NotoSans": _noto_sans,
    "NotoSansArabic": _noto_arabic,
    "NotoSansHebrew": lambda: HERE / "NotoSansHebrew-Regular.ttf",
    "NotoSansGurmukhi": lambda: HERE / "NotoSansGurmukhi-Regular.ttf",
}
# built-in CID fonts by Unicode block: (first, last, font)
CID_BLOCKS: tuple[tuple[int, int, str], ...] = (
    (0x3040, 0x30FF, "HeiseiKakuGo-W5"),  # Japanese kana
    (0x31F0, 0x31FF, "HeiseiKakuGo-W5"),
    (0x1100, 0x11FF, "HYGothic-Medium"),  # Korean jamo and syllables
    (0x3130, 0x318F, "HYGothic-Medium"),
    (0xAC00, 0xD7AF, "HYGothic-Medium"),
    (0x2E80, 0x2FDF, "STSong-Light"),  # Chinese (Han) characters and punctuation
    (0x3000, 0x303F, "STSong-Light"),
    (0x3400, 0x4DBF, "STSong-Light"),
    (0x4E00, 0x9FFF, "STSong-Light"),
    (0xF900, 0xFAFF, "STSong-Light"),
    (0xFF00, 0xFFEF, "STSong-Light"),
)
RIGHT_TO_LEFT = {"NotoSansArabic", "NotoSansHebrew"}
# Arabic needs joining: HarfBuzz shapes it and orders the letters of each word. Hebrew needs no
# shaping: python-bidi puts the whole run in display order and HarfBuzz is kept out of it.
UNSHAPED = {"NotoSansHebrew"}


@lru_cache(maxsize=1)
def register() -> frozenset[int]:
    """Register the family once; return the code points the regular face can draw."""
    import fontpkg_atkinson_hyperlegible as pkg
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = pkg.ROOT / "files"
    for suffix, name in _FILES.items():
        pdfmetrics.registerFont(TTFont(FAMILY + suffix, str(folder / name)))
    pdfmetrics.registerFontFamily(
        FAMILY, normal=FAMILY, bold=FAMILY + "-Bold", italic=FAMILY + "-Italic", boldItalic=FAMILY + "-BoldItalic"
    )
    face = pdfmetrics.getFont(FAMILY).face
    return frozenset(face.charToGlyph)


@cache
def _coverage(name: str) -> frozenset[int]:
    """Register one fallback font (the first time a character needs it); its code points."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    font = TTFont(name, str(TRUETYPE[name]()), shapable=name not in UNSHAPED)
    pdfmetrics.registerFont(font)
    # bold text in another script uses the same face: these files have no bold of their own here
    pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
    return frozenset(font.face.charToGlyph)


@cache
def _cid(name: str) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(name))
    pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
    return name


@lru_cache(maxsize=4096)
def font_for(ch: str) -> str | None:
    """The font that draws ``ch``: None for Atkinson, a fallback's name, or "" when none can."""
    code = ord(ch)
    if code in register() or ch in "\n\t":
        return None
    for first, last, name in CID_BLOCKS:
        if first <= code <= last:
            return _cid(name)
    for name in TRUETYPE:
        if code in _coverage(name):
            return name
    return ""


def runs(text: str) -> list[tuple[str | None, str]]:
    """Split text into (font, run) pieces; characters no font has become a stand-in
    (an emoji by its Unicode name in brackets, a joiner or variation selector nothing, else '?')."""
    pieces: list[tuple[str | None, str]] = []
    for ch in text:
        font = font_for(ch)
        if font == "":
            font, ch = None, stand_in(ch)
            if not ch:
                continue
        if font is None and pieces and pieces[-1][0] in RIGHT_TO_LEFT and ch == " ":
            font = pieces[-1][0]  # a space between two right-to-left words stays in their run
        if pieces and pieces[-1][0] == font:
            pieces[-1] = (font, pieces[-1][1] + ch)
        else:
            pieces.append((font, ch))
    return pieces


def visual(run: str, font: str) -> str:
    """A right-to-left run in display order: whole (Hebrew, by python-bidi), or by words (Arabic,
    whose letters HarfBuzz orders as it joins them)."""
    if font in UNSHAPED:
        from bidi import get_display  # type: ignore[import-untyped]  # no type hints shipped

        return str(get_display(run))
    core = run.strip(" ")
    lead, trail = run[: len(run) - len(run.lstrip(" "))], run[len(run.rstrip(" ")) :]
    return trail + " ".join(reversed(core.split(" "))) + lead


def stand_in(ch: str) -> str:
    kind = unicodedata.category(ch)
    if kind in ("Cf", "Mn", "Sk") or 0xFE00 <= ord(ch) <= 0xFE0F:
        return ""
    if kind == "So":
        return "[" + unicodedata.name(ch, "symbol").lower() + "]"
    return "?"
