"""The six-monthly action plan (Leeds Appendix B)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from accounts.errors import RuleViolation
from accounts.models import User

from .. import access
from ..models import ActionPlanItem

PLAN_FIELDS = (
    "title",
    "action",
    "taken_to_date",
    "responsible_officer",
    "completed_on",
    "approved_by",
)


def half_year_of(day: dt.date) -> dt.date:
    return dt.date(day.year, 1 if day.month <= 6 else 7, 1)


@transaction.atomic
def plan_item_save(
    *, by: User, half_year: dt.date, item: ActionPlanItem | None = None, **fields
) -> ActionPlanItem:
    """QA staff add or update a row of the action plan for senior leaders: title, action
    to be taken, action taken to date, responsible officer, date completed, approved by
    (Leeds Appendix B). A row is approved only once it is completed."""
    if not access.is_qa(by):
        raise RuleViolation("Only QA staff keep the action plan.")
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    if fields.get("approved_by") and not fields.get("completed_on"):
        raise RuleViolation("Give the date completed before recording who approved it.")
    item = item or ActionPlanItem(created_by=by)
    item.half_year = half_year_of(half_year)
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    return item
