"""`{% change_history record %}`: a record's history of changes, for a page that already
decided the reader may see the record (the audit page shows its history: issue 14)."""

from __future__ import annotations

from django import template

from accounts.history import changes_of

register = template.Library()


@register.inclusion_tag("accounts/_change_history.html")
def change_history(record, heading: str = "History of changes"):
    return {"changes": changes_of(record), "heading": heading}
