"""The photos of a visit, kept in the store beside its answers (never sent to the clinic server).

A photo is added whole or not at all (its cleaned bytes, size and caption in one row), goes with
its visit, and so with its person: the rows are zeroed on deletion (``secure_delete``) like
every other row of theirs.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from safehome.core.records import Photo
from safehome.i18n.words import t
from safehome.storage.audit import AuditTrail
from safehome.storage.connection import reads
from safehome.storage.errors import StoreError
from safehome.storage.schema import new_uuid

if TYPE_CHECKING:
    from collections.abc import Sequence

# one photo to add: (item id, clean JPEG bytes, width, height, caption)
NewPhoto = tuple[str, bytes, int, int, str | None]


class PhotoShelf(AuditTrail):
    """The store's photo methods (mixed into :class:`~safehome.storage.store.Store`)."""

    def _insert_photos(self, assessment_id: int, photos: Sequence[NewPhoto], limit: int) -> list[int]:
        """Inside a transaction: the rows, or a StoreError when the visit would hold more than ``limit``."""
        held = self.conn.execute("SELECT count(*) FROM photos WHERE assessment_id = ?", (assessment_id,)).fetchone()[0]
        if held + len(photos) > limit:
            raise StoreError(t("photo.too_many", limit=limit, held=held))
        ids = []
        now = self.now()
        for item_id, jpeg, width, height, caption in photos:
            row = self.conn.execute(
                """INSERT INTO photos (assessment_id, item_id, uuid, jpeg, width, height, sha256, caption, added_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    assessment_id,
                    item_id,
                    new_uuid(),
                    jpeg,
                    width,
                    height,
                    hashlib.sha256(jpeg).hexdigest(),
                    caption,
                    now,
                ),
            )
            ids.append(int(row.lastrowid or 0))
        return ids

    def add_photos(self, assessment_id: int, photos: Sequence[NewPhoto], *, limit: int) -> list[int]:
        """Keep photos on a visit, all in one transaction with their audit event ("changed"); their ids."""
        with self.transaction():
            self.require(assessment_id)
            ids = self._insert_photos(assessment_id, photos, limit)
            self._record_event("changed", assessment_id=assessment_id)
            return ids

    @reads
    def photo_counts(self, assessment_id: int) -> dict[str, int]:
        """How many photos each item of a visit has (items without any left out)."""
        rows = self.conn.execute(
            "SELECT item_id, count(*) FROM photos WHERE assessment_id = ? GROUP BY item_id", (assessment_id,)
        )
        return {item: int(count) for item, count in rows}

    @reads
    def photos(self, assessment_id: int, *, with_data: bool = True) -> list[Photo]:
        """A visit's photos in the order they were added (their bytes only when ``with_data``)."""
        data = "jpeg" if with_data else "x''"
        rows = self.conn.execute(
            f"""SELECT id, item_id, caption, width, height, added_at, {data} FROM photos
                WHERE assessment_id = ? ORDER BY id""",
            (assessment_id,),
        )
        return [Photo(r[0], r[1], r[2], r[3], r[4], r[5], bytes(r[6])) for r in rows]

    @reads
    def photos_digest(self, assessment_id: int) -> str:
        """A fingerprint of a visit's photos (their hashes and captions), "" when it has none."""
        rows = self.conn.execute(
            "SELECT sha256, item_id, coalesce(caption, '') FROM photos WHERE assessment_id = ? ORDER BY id",
            (assessment_id,),
        ).fetchall()
        if not rows:
            return ""
        return hashlib.sha256(repr(rows).encode("utf-8")).hexdigest()

    def remove_photo(self, assessment_id: int, photo_id: int) -> bool:
        """Remove one photo of a visit (zeroed in the file); False when the visit has no such photo."""
        with self.transaction():
            gone = self.conn.execute(
                "DELETE FROM photos WHERE id = ? AND assessment_id = ?", (photo_id, assessment_id)
            ).rowcount
        return bool(gone)
