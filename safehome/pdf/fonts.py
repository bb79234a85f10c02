"""Atkinson Hyperlegible, made for low-vision readers, registered as a whole family."""

from __future__ import annotations

from functools import lru_cache

FAMILY = "AtkinsonHyperlegible"
_FILES = {
    "": "AtkinsonHyperlegible-Regular.ttf",
    "-Bold": "AtkinsonHyperlegible-Bold.ttf",
    "-Italic": "AtkinsonHyperlegible-Italic.ttf",
    "-BoldItalic": "AtkinsonHyperlegible-BoldItalic.ttf",
}


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
