"""Photos on items: added from a file (the app, ``safehome photo add``, an answers file), kept
cleaned in the store, listed, removed, and handed to the documents.

Every way in goes through :func:`cleaned`: the file read within its limits, its pixels re-encoded
with nothing of the camera's kept (``safehome.exchange.images``), the item checked against the
visit's checklist, the caption made one line. A bad file is one sentence (UsageError) and nothing
is stored; several photos are stored together or not at all.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from safehome.core.errors import UsageError
from safehome.core.photos import CAPTION_LIMIT, MAX_PER_VISIT, clean_caption
from safehome.i18n.words import t

if TYPE_CHECKING:
    from safehome.core.models import Assessment, Checklist, PhotoRef
    from safehome.core.records import Photo
    from safehome.service.opening import Opened
    from safehome.storage.photos import NewPhoto
    from safehome.storage.store import Store

FOLDER_LIMIT = 500  # a folder's list shows at most this many photos, newest first


def item_for_photo(checklist: Checklist, item_id: str) -> str:
    """The item a photo goes on, or one sentence when the checklist has no such item."""
    if item_id not in checklist.index:
        import difflib

        near = difflib.get_close_matches(item_id, list(checklist.index), n=3, cutoff=0.6)
        if near:
            raise UsageError(
                t("photo.no_item_near", item=item_id[:80], checklist=checklist.label, near=", ".join(near))
            )
        raise UsageError(t("photo.no_item", item=item_id[:80], checklist=checklist.label))
    return item_id


def cleaned(checklist: Checklist, item_id: str, path: Path, caption: str | None) -> NewPhoto:
    """One photo file made ready to keep (or a UsageError, and nothing kept)."""
    from safehome.exchange.images import clean_photo, read_photo

    item_for_photo(checklist, item_id)
    if caption is not None and len(caption) > CAPTION_LIMIT:  # refused, never cut short without a word
        raise UsageError(t("photo.caption_long", count=len(caption), limit=CAPTION_LIMIT))
    try:
        (caption or "").encode("utf-8")
    except UnicodeEncodeError:  # bytes a terminal passed that are not text
        raise UsageError(t("photo.bad_caption")) from None
    image = clean_photo(read_photo(path), str(path))
    return (item_id, image.jpeg, image.width, image.height, clean_caption(caption))


def add_photo(store: Store, stored_id: int, checklist: Checklist, item_id: str, path: Path, caption: str | None) -> int:
    """Keep a photo on an item of a stored visit; its id (a change, in the audit log)."""
    ready = cleaned(checklist, item_id, path, caption)
    return store.add_photos(stored_id, [ready], limit=MAX_PER_VISIT)[0]


def referenced(checklist: Checklist, assessment: Assessment, folder: Path) -> tuple[NewPhoto, ...]:
    """The photos an answers file names (``photos:``), each file found from the answers file's folder,
    all cleaned before anything is kept."""
    refs: tuple[PhotoRef, ...] = assessment.photos or ()
    if len(refs) > MAX_PER_VISIT:
        raise UsageError(t("photo.file_too_many", count=len(refs), limit=MAX_PER_VISIT))
    return tuple(cleaned(checklist, ref.item, folder / ref.file, ref.caption) for ref in refs)


def file_photos(opened: Opened) -> tuple[Photo, ...]:
    """The photos an opened answers file names, cleaned for its documents (never kept)."""
    if opened.folder is None or not opened.assessment.photos:
        return ()
    return as_records(referenced(opened.checklist, opened.assessment, opened.folder))


def as_records(photos: tuple[NewPhoto, ...]) -> tuple[Photo, ...]:
    """Photos cleaned but not kept (an answers file's, for its documents) as the documents take them."""
    from safehome.core.records import Photo

    return tuple(
        Photo(n, item, caption, width, height, "", jpeg)
        for n, (item, jpeg, width, height, caption) in enumerate(photos, start=1)
    )


def source_digest(store: Store, stored_id: int, assessment: Assessment) -> str:
    """What a stored visit's documents are made from: the assessment's digest, and its photos' when
    it has any (a photo added or removed makes the summary out of date)."""
    digest, photos = assessment.digest(), store.photos_digest(stored_id)
    if not photos:
        return digest
    return hashlib.sha256((digest + photos).encode("utf-8")).hexdigest()


def folder_photos(folder: Path) -> list[Path]:
    """The photo files in a folder (a phone's pictures copied over), newest first; one sentence when
    it is not a folder that can be read."""
    from safehome.exchange.images import is_photo_name

    try:
        if not folder.is_dir():
            raise UsageError(t("photo.no_folder", path=folder))
        found = [p for p in folder.iterdir() if is_photo_name(p) and p.is_file() and not p.is_symlink()]
        found.sort(key=lambda p: (-p.stat().st_mtime, p.name))
    except PermissionError:
        raise UsageError(t("service.permission", path=folder)) from None
    except OSError as exc:
        raise UsageError(t("photo.unreadable", path=folder, reason=exc.strerror or type(exc).__name__)) from None
    return found[:FOLDER_LIMIT]
