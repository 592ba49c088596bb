"""Errors that services raise for the views and commands to show."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    """A problem with one cell of an imported file. Line 1 is the header."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Line {self.line}" if self.line else "The file"
        if self.column:
            where += f", column “{self.column}”"
        return f"{where}: {self.message}"


class ImportRejected(Exception):
    """An imported file had problems; nothing of it was imported."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors[:5]))


class RuleViolation(Exception):
    """A business rule refused the request. The message is for the person who asked."""
