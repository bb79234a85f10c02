"""Asking at the terminal for the store's passphrase, and showing a new recovery key once."""

from __future__ import annotations

import contextlib
import getpass
import sys
from pathlib import Path

from safehome import service
from safehome.core.errors import UsageError
from safehome.i18n.words import t

ATTEMPTS = 3


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
            for attempt in range(ATTEMPTS):  # a short one or a typo is asked again, not a restart
                first = getpass.getpass(t("keys.ask_new", path=where, count=service.MIN_PASSPHRASE), stream=sys.stderr)
                problem = service.passphrase_problem(first)
                if problem is None and getpass.getpass(t("keys.ask_again"), stream=sys.stderr) == first:
                    return first
                said = problem or t("keys.mismatch")
                if attempt == ATTEMPTS - 1:
                    raise UsageError(said)
                print(said, file=sys.stderr)
            return None
        except EOFError:
            return None

    def notice(self, message: str) -> None:
        print(message, file=sys.stderr)

    def recovery_key(self, where: Path, key: str) -> None:
        print(t("keys.recovery_shown", path=where, key=key), file=sys.stderr)
        if _interactive():
            print(t("keys.recovery_wait"), file=sys.stderr, end="", flush=True)
            with contextlib.suppress(EOFError):
                input()
