"""Errors about input files, kept apart from the models so that light commands stay light."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """One problem in an input file."""

    file: str
    line: int | None
    where: str
    message: str

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        return f"{place}: {self.where + ': ' if self.where else ''}{self.message}"


class InputError(Exception):
    """An input file (checklist, answers) that cannot be used, with every problem found."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))


class UsageError(Exception):
    """A problem with what the user asked for: one clear sentence, exit code 2."""
