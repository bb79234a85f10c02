"""Photos on items: what a photo is to the rest of safehome, and the limits every way in keeps.

The pixels are cleaned in ``safehome.exchange.images`` (re-encoded, nothing of the camera's kept);
this module holds only the numbers (no pydantic: the commands that start quickly read them). The limits are ours
(a safehome rule): large enough for a bathroom seen whole on a printed page, small enough that a
visit's photos stay a few megabytes on the laptop.
"""

from __future__ import annotations

MAX_FILE_BYTES = 40 * 1024 * 1024  # a phone's largest photo is about 12 MB; a file bigger is not a photo we take
MAX_PIXELS = 60_000_000  # more than a 50 MP camera takes; a "decompression bomb" claims far more
MAX_EDGE = 1600  # the kept photo's longest side, in pixels (sharp across a printed page at 150 dpi)
MAX_PER_VISIT = 40  # photos on one visit: the summary's appendix stays printable
CAPTION_LIMIT = 200


def clean_caption(text: str | None) -> str | None:
    """A caption as kept: one line (line breaks and tabs become spaces), trimmed; None when empty."""
    if text is None:
        return None
    flat = " ".join(text.replace("\x00", " ").split())
    return flat[:CAPTION_LIMIT] or None
