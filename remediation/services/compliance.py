"""The four-month compliance review (Bury 10) and the review of reviews (Bury 10.2)."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.urls import reverse

from accounts.errors import RuleViolation
from accounts.models import Persona, Team, User
from accounts.selectors import policy_get
from accounts.services import notify
from audits.models import Audit

from .. import access
from ..models import (
    ActionStatus,
    ComplianceItem,
    ComplianceReview,
    FollowUp,
    Outstanding,
    RemedialAction,
)


def outstanding_for(status: str) -> str:
    """What was still to do for an action in this state (Bury 10.1)."""
    return {
        ActionStatus.OPEN: Outstanding.NOT_FULFILLED,
        ActionStatus.FULFILLED: Outstanding.NOT_COMPLETED,
        ActionStatus.COMPLETED: Outstanding.NOT_AUTHORISED,
        ActionStatus.DECISION_PENDING: Outstanding.DECISION_PENDING,
    }.get(status, Outstanding.NONE)


def review_day(*, received_on: dt.date, months: int) -> dt.date:
    return received_on + relativedelta(months=months)


def _review_for(month: dt.date, today: dt.date) -> ComplianceReview:
    review, _ = ComplianceReview.objects.get_or_create(month=month, defaults={"opened_on": today})
    return review


def sweep_open_compliance_reviews(*, today: dt.date) -> int:
    """Review every action whose audit reached the team manager the policy's months ago
    (Bury 10.1: four): record whether it was fulfilled, completed and authorised, and what
    was outstanding, as it stands today. Each goes into the review of the month its review
    day fell in, or this month's if that one has already been sent (a late run catches
    up). One review row a month; an action is reviewed once, so running twice or on two
    workers adds nothing more. Returns how many actions were reviewed now."""
    months = policy_get().compliance_review_months
    if not months:
        return 0
    due = RemedialAction.objects.filter(
        compliance_item__isnull=True, received_on__lte=today - relativedelta(months=months)
    ).order_by("pk")
    reviewed = 0
    this_month = today.replace(day=1)
    while True:
        with transaction.atomic():
            # Another worker's batch is skipped, not waited for: it reviews those.
            batch = list(due.select_for_update(skip_locked=True, of=("self",))[:2000])
            if not batch:
                break
            reviews: dict[dt.date, ComplianceReview] = {}
            items = []
            for action in batch:
                review_on = review_day(received_on=action.received_on, months=months)
                month = review_on.replace(day=1)
                if month not in reviews:
                    reviews[month] = _review_for(month, today)
                review = reviews[month]
                if review.sent_on is not None:
                    if this_month not in reviews:
                        reviews[this_month] = _review_for(this_month, today)
                    review = reviews[this_month]
                items.append(
                    ComplianceItem(
                        review=review,
                        action=action,
                        audit_id=action.audit_id,
                        team_id=action.team_id,
                        due_for_review_on=review_on,
                        reviewed_on=today,
                        status=action.status,
                        fulfilled=action.fulfilled_on is not None
                        or action.status in (ActionStatus.COMPLETED, ActionStatus.AUTHORISED),
                        fulfilled_on=action.fulfilled_on,
                        completed=action.status
                        in (ActionStatus.COMPLETED, ActionStatus.AUTHORISED),
                        authorised=action.status == ActionStatus.AUTHORISED,
                        closed_by_decision=action.status == ActionStatus.CLOSED_BY_DECISION,
                        outstanding=outstanding_for(action.status),
                    )
                )
            ComplianceItem.objects.bulk_create(items, ignore_conflicts=True)
            reviewed += len(items)
        if len(batch) < 2000:
            break
    return reviewed


def sweep_send_compliance_reviews(*, today: dt.date) -> int:
    """Once a month's review is complete (the month has ended), send it, once: each team
    manager gets their team's spreadsheet, copied to the service manager and strategic
    lead (Bury 10.2); QA staff are told the whole review is ready. The spreadsheet is a
    link to the page that builds it for the reader, so it never sits in a mailbox."""
    sent = 0
    pending = ComplianceReview.objects.filter(
        sent_on__isnull=True, month__lt=today.replace(day=1)
    ).values_list("pk", flat=True)
    for pk in list(pending):
        with transaction.atomic():
            if not ComplianceReview.objects.filter(pk=pk, sent_on__isnull=True).update(
                sent_on=today
            ):
                continue
            review = ComplianceReview.objects.get(pk=pk)
            team_ids = set(
                ComplianceItem.objects.filter(review=review).values_list("team_id", flat=True)
            )
            url = reverse("remediation:compliance-review", args=[f"{review.month:%Y-%m}"])
            for team in Team.objects.filter(pk__in=team_ids).select_related(
                "manager__line_manager",
                "service_area__strategic_lead",
                "service_area__head_of_service",
            ):
                notify(
                    recipients=[
                        team.manager,
                        *access.service_managers_of(team),
                        access.strategic_lead_of(team),
                    ],
                    template="compliance-review-team",
                    key=f"compliance-review:{review.pk}:{team.pk}",
                    context={"review": review, "team": team},
                    url=f"{url}?team={team.pk}",
                )
            notify(
                recipients=User.objects.filter(groups__name=Persona.QA_STAFF, is_active=True),
                template="compliance-review-ready",
                key=f"compliance-review-ready:{review.pk}",
                context={"review": review, "team_count": len(team_ids)},
                url=url,
            )
            sent += 1
    return sent


@transaction.atomic
def follow_up_record(
    *, review: ComplianceReview, audit: Audit, by: User, held: str, note: str = ""
) -> FollowUp:
    """QA staff record, for an audit of an earlier review, whether the improvement its
    actions made has held (Bury 10.2). Recording again replaces the earlier answer."""
    if not access.is_qa(by):
        raise RuleViolation("Only QA staff carry out the review of reviews.")
    if not ComplianceItem.objects.filter(review=review, audit=audit).exists():
        raise RuleViolation("That audit is not part of this review.")
    follow_up, _ = FollowUp.objects.update_or_create(
        review=review, audit=audit, defaults={"held": held, "note": note.strip(), "by": by}
    )
    return follow_up
