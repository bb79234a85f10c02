"""The files safehome writes for a visit (PDFs, letters, exports): each made to appear and recorded
in one transaction under the write lock, listed (to show them out of date), removed with their
person, and purged when old."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

from safehome.core.records import Written
from safehome.storage.audit import AuditTrail
from safehome.storage.connection import reads


class WrittenFiles(AuditTrail):
    """The store's methods for the files it recorded writing (mixed into the Store)."""

    @contextlib.contextmanager
    def publishing(
        self, assessment_id: int, path: Path, data: bytes, source: str, event: str | None = None
    ) -> Iterator[None]:
        """Hold the write lock while a file for this assessment is made to appear, and record it in
        the same transaction: a deletion of the person either comes first (the assessment is gone,
        StoreError, and the caller writes nothing) or after (and finds the file recorded). With
        ``event`` ("wrote" a PDF or letter), the audit log has it in the same transaction."""
        with self.transaction():
            self.require(assessment_id)
            yield
            self.conn.execute(
                "INSERT INTO written_files (assessment_id, path, sha256, source, written_at) VALUES (?, ?, ?, ?, ?)",
                (assessment_id, str(path.resolve()), hashlib.sha256(data).hexdigest(), source, self.now()),
            )
            if event is not None:
                self._record_event(event, assessment_id=assessment_id)

    def record_file(self, assessment_id: int, path: Path, data: bytes, source: str) -> None:
        """Remember a file already written for this assessment: its absolute path, its SHA-256 and
        the digest of the assessment it was made from (to tell when it is out of date)."""
        with self.publishing(assessment_id, path, data, source):
            pass

    @reads
    def files(self, assessment_id: int) -> list[Written]:
        """The files written for this assessment, oldest first."""
        rows = self.conn.execute(
            "SELECT path, sha256, source, written_at FROM written_files WHERE assessment_id = ? ORDER BY id",
            (assessment_id,),
        )
        return [Written(*row) for row in rows]

    @reads
    def person_files(self, person_id: int) -> list[Written]:
        return self._person_files(person_id)

    def _person_files(self, person_id: int) -> list[Written]:
        rows = self.conn.execute(
            """SELECT w.path, w.sha256, w.source, w.written_at
               FROM written_files w JOIN assessments a ON a.id = w.assessment_id WHERE a.person_id = ? ORDER BY w.id""",
            (person_id,),
        )
        return [Written(*row) for row in rows]

    def purge_files(self, cutoff: str, remove_files: Callable[[list[Written]], None]) -> int:
        """Hand the files written before ``cutoff`` (an ISO time, UTC) to ``remove_files`` and forget
        their records, in one transaction under the write lock; how many records went. A file the
        remover names as left (changed since) is forgotten too: it is the user's now."""
        with self.transaction():
            rows = self.conn.execute(
                "SELECT id, path, sha256, source, written_at FROM written_files WHERE written_at < ? ORDER BY id",
                (cutoff,),
            ).fetchall()
            remove_files([Written(*row[1:]) for row in rows])
            self.conn.executemany("DELETE FROM written_files WHERE id = ?", [(row[0],) for row in rows])
            self._record_event("purged")
        return len(rows)
