"""A keyring for the tests: one file per entry in the folder $SAFEHOME_TEST_KEYRING (each test has its
own), so the CLI's own processes, started by a test, find the keys the test's store was set up with.
Without that variable it behaves as a computer with no keyring at all. Never for real use: it keeps
each key in a plain file."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import NoKeyringError, PasswordDeleteError


class FileKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def _entry(self, service: str, username: str) -> Path:
        folder = os.environ.get("SAFEHOME_TEST_KEYRING")
        if not folder:
            raise NoKeyringError("no keyring on this test's computer")
        name = hashlib.sha256(f"{service}\0{username}".encode()).hexdigest()
        return Path(folder) / name

    def get_password(self, service: str, username: str) -> str | None:
        try:
            return self._entry(service, username).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def set_password(self, service: str, username: str, password: str) -> None:
        path = self._entry(service, username)
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_suffix(f".{os.getpid()}")
        temp.write_text(password, encoding="utf-8")
        os.replace(temp, path)

    def delete_password(self, service: str, username: str) -> None:
        try:
            self._entry(service, username).unlink()
        except FileNotFoundError:
            raise PasswordDeleteError(username) from None
