"""Errors the audit services raise for the pages to show."""

from __future__ import annotations

from typing import Any

from accounts.errors import RuleViolation


class EditConflict(RuleViolation):
    """The part was saved elsewhere (another tab) since this copy was loaded. Nothing was
    overwritten; `current` holds what is saved now."""

    def __init__(self, *, revision: int, current: dict[str, Any]):
        self.revision = revision
        self.current = current
        super().__init__(
            "This part of the audit was changed in another tab or window since you opened "
            "it. Your text has not been saved. Copy it, reload the page, and add it again."
        )


class SubmissionInvalid(RuleViolation):
    """The audit cannot be submitted yet; `errors` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("The audit cannot be submitted yet.")
