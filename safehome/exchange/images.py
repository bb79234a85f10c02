"""A photo from a camera or a phone made safe to keep: decoded, turned upright, shrunk, and
written again as a plain JPEG with nothing of the original file carried over.

Nothing of the source survives but its pixels: no EXIF (camera, time, GPS), no XMP, no IPTC,
no comment, no thumbnail, no colour profile. The pixels are copied into a new image before it
is encoded, so no metadata Pillow keeps on an image can reach the file. Everything that can go
wrong with a file (not an image, too big, a "decompression bomb", cut short) is one sentence
(:class:`UsageError`); nothing is kept until the whole photo is clean.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from safehome.core.errors import UsageError
from safehome.core.photos import MAX_EDGE, MAX_FILE_BYTES, MAX_PIXELS
from safehome.i18n.words import t

# what a camera, a phone or a screenshot gives; anything else is refused (no PDF, SVG, PSD...)
FORMATS = ("JPEG", "PNG", "HEIF", "WEBP", "TIFF", "GIF", "BMP")  # a phone's MPO opens as JPEG
SUFFIXES = (".jpg", ".jpeg", ".png", ".heic", ".heif", ".webp", ".tif", ".tiff", ".gif", ".bmp")
QUALITY = 82


@dataclass(frozen=True, slots=True)
class CleanImage:
    jpeg: bytes
    width: int
    height: int


def _pillow() -> None:
    """Pillow with HEIC (iPhone photos) when pillow-heif is there, and its bomb limit ours."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # beyond it Pillow warns; beyond twice it refuses: both refused here
    try:
        from pillow_heif import register_heif_opener
    except ImportError:  # pragma: no cover - a dependency; without it HEIC is "not a photo"
        return
    register_heif_opener()


def named(path: Path | str) -> str:
    """A path as an error names it: on one line, whatever its name holds."""
    return str(path).replace("\n", "\u2424").replace("\r", "\u2424")


def read_photo(path: Path) -> bytes:
    """A photo file's bytes, or one sentence saying why not (a pipe or a device is never read)."""
    try:
        if not path.exists():
            raise UsageError(t("photo.no_file", path=named(path)))
        if not path.is_file():
            raise UsageError(t("photo.not_file", path=named(path)))
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UsageError(t("photo.too_large_file", path=named(path), mb=MAX_FILE_BYTES // (1024 * 1024)))
        with path.open("rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:  # no permission to read it, a name too long, a disk error
        raise UsageError(t("photo.unreadable", path=named(path), reason=exc.strerror or type(exc).__name__)) from None


def clean_photo(data: bytes, source: str) -> CleanImage:
    """The photo in ``data`` upright, at most :data:`MAX_EDGE` pixels a side, as a fresh JPEG."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    _pillow()
    source = named(source)
    if len(data) > MAX_FILE_BYTES:
        raise UsageError(t("photo.too_large_file", path=source, mb=MAX_FILE_BYTES // (1024 * 1024)))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=FORMATS) as opened:
                if opened.width * opened.height > MAX_PIXELS:
                    raise UsageError(t("photo.too_many_pixels", path=source, mp=MAX_PIXELS // 1_000_000))
                opened.draft("RGB", (MAX_EDGE * 2, MAX_EDGE * 2))  # a JPEG decodes at a fraction of its size
                opened.load()  # a file cut short fails here, not half-way through the PDF
                opened.thumbnail((MAX_EDGE, MAX_EDGE), Image.Resampling.LANCZOS)  # in place: every copy after is small
                upright = ImageOps.exif_transpose(opened)
        if upright.mode in ("I;16", "I;16B", "I;16L", "I", "F"):  # 16-bit greys: their own range, not clipped white
            wide = upright.convert("F")
            high = float(wide.getextrema()[1])  # type: ignore[arg-type]  # one band: (low, high)
            scale = 255.0 / 65535.0 if high > 255 else 1.0
            upright = wide.point(lambda v: v * scale).convert("L")
        if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info:  # see-through: on white paper
            rgba = upright.convert("RGBA")
            upright = Image.new("RGB", rgba.size, (255, 255, 255))
            upright.paste(rgba, mask=rgba.getchannel("A"))
        else:
            upright = upright.convert("RGB")
    except UsageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UsageError(t("photo.too_many_pixels", path=source, mp=MAX_PIXELS // 1_000_000)) from None
    except UnidentifiedImageError:
        raise UsageError(t("photo.not_image", path=source)) from None
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError) as exc:
        raise UsageError(t("photo.damaged", path=source, reason=str(exc)[:80] or type(exc).__name__)) from None
    fresh = Image.frombytes("RGB", upright.size, upright.tobytes())  # the pixels alone: no info, no metadata
    out = io.BytesIO()
    fresh.save(out, format="JPEG", quality=QUALITY, optimize=True, exif=b"", icc_profile=None)
    return CleanImage(out.getvalue(), fresh.width, fresh.height)


def is_photo_name(path: Path) -> bool:
    """A file a photo folder's list offers (by its name; the bytes are checked when it is added)."""
    return path.suffix.lower() in SUFFIXES and not path.name.startswith(".")
