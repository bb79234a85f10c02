"""Asking at the terminal for the store's passphrase, and showing a new recovery key once."""

from __future__ import annotations

import contextlib
import getpass
import sys
from pathlib import Path

from safehome.core.errors import UsageError
from safehome.i18n.words import t

MIN_PASSPHRASE = 10


def _interactive() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):
        return False


class TerminalAsker:
    """Asks only when a person is at the terminal; a script gets None (and one sentence instead)."""

    def passphrase(self, where: Path, *, new: bool) -> str | None:
        if not _interactive():
            return None
        try:
            if not new:
                return getpass.getpass(t("keys.ask", path=where), stream=sys.stderr)
            first = getpass.getpass(t("keys.ask_new", path=where, count=MIN_PASSPHRASE), stream=sys.stderr)
            if getpass.getpass(t("keys.ask_again"), stream=sys.stderr) != first:
                raise UsageError(t("keys.mismatch"))
            return first
        except EOFError:
            return None

    def recovery_key(self, where: Path, key: str) -> None:
        print(t("keys.recovery_shown", path=where, key=key), file=sys.stderr)
        if _interactive():
            print(t("keys.recovery_wait"), file=sys.stderr, end="", flush=True)
            with contextlib.suppress(EOFError):
                input()
