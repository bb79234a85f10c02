"""User text as a terminal shows it: every character seen, none that acts.

Names and notes are printed literally, in any script, but the characters that change how the text
around them is drawn are shown by their code instead of acting: the explicit bidirectional
embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), the direction marks, the
terminal's control characters (an escape would run on the user's terminal). Arabic and Hebrew
letters need none of these to read right, and are untouched. On a terminal that cannot show a
letter (an ASCII-only one), the letter is shown without its accent when that is enough, else by
its code: readable, never a row of question marks.
"""

from __future__ import annotations

import unicodedata

INVISIBLE = frozenset([*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C, 0x200B, 0x2060, 0xFEFF])


def _code(ch: str) -> str:
    return f"<U+{ord(ch):04X}>"


def visible(text: str) -> str:
    """``text`` with its invisible controls shown by their codes (newlines and tabs kept)."""
    if text.isascii() and text.isprintable():
        return text
    out = []
    for ch in text:
        point = ord(ch)
        if point in INVISIBLE or ((point < 32 and ch not in "\n\t") or 127 <= point < 160):
            out.append(_code(ch))
        else:
            out.append(ch)
    return "".join(out)


def encodable(text: str, encoding: str | None) -> str:
    """``text`` in characters the terminal's encoding has: an accent dropped where the letter is then
    plain (é -> e), else the character's code."""
    if not encoding:
        return text
    try:
        text.encode(encoding)
        return text
    except (UnicodeEncodeError, LookupError):
        pass
    out = []
    for ch in text:
        try:
            ch.encode(encoding)
            out.append(ch)
            continue
        except (UnicodeEncodeError, LookupError):
            pass
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        try:
            base.encode(encoding)
            out.append(base if base else _code(ch))
        except (UnicodeEncodeError, LookupError):
            out.append(_code(ch))
    return "".join(out)


class VisibleWriter:
    """A text stream that shows what is written to it with :func:`visible` and :func:`encodable`
    (the CLI's standard output and error while a command runs)."""

    def __init__(self, stream: object) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        shown = encodable(visible(text), getattr(self._stream, "encoding", None))
        self._stream.write(shown)  # type: ignore[attr-defined]
        return len(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)
