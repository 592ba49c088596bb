"""The case page reads the database a fixed number of times however many audits and
actions the case has (issue 16), and lists only the audits the reader may see (issue 14),
while counting every open audit and unfinished action (Bury 9.6)."""

from __future__ import annotations

import datetime as dt

import pytest

from audits import lifecycle
from audits.models import Allocation, Audit, Moderation, SmartAction
from remediation.models import RemedialAction
from tests.accounts.factories import UserFactory
from tests.remediation.factories import finished_audit, remedial_actions
from tests.reporting.test_page_queries import _copy, _queries

pytestmark = pytest.mark.django_db


def _more_audits(audit: Audit, n: int, *, status: str) -> None:
    """n more audits of the same case, each by another auditor."""
    auditors = [UserFactory() for _ in range(n)]
    allocations = Allocation.objects.bulk_create(
        [_copy(audit.allocation, auditor_id=u.pk) for u in auditors]
    )
    Audit.objects.bulk_create(
        [_copy(audit, allocation_id=a.pk, status=status) for a in allocations]
    )


def test_the_case_page_costs_the_same_queries_for_10_and_1000_actions(org, bury, client_for):
    first, *_ = remedial_actions(org, n=10)
    case = first.case
    draft = finished_audit(
        auditor=org.auditor,
        case=case,
        finished_on=dt.date(2026, 10, 16),
        status=lifecycle.IN_PROGRESS,
    )
    url = f"/cases/{case.external_id}/"
    client = client_for(org.team_manager)
    client.get(url)  # the session and the person's groups, read once
    small, page = _queries(client, url)
    assert page.count("put the plan on file") == 10
    assert "2 audits are still open" in page and "10 remedial actions are not finished" in page

    smart = SmartAction.objects.get(pk=first.smart_action_id)
    copies = SmartAction.objects.bulk_create([_copy(smart) for _ in range(990)])
    RemedialAction.objects.bulk_create([_copy(first, smart_action_id=s.pk) for s in copies])
    _more_audits(draft, 5, status=lifecycle.IN_PROGRESS)
    _more_audits(draft, 5, status=lifecycle.CLOSED)
    large, page = _queries(client, url)
    assert large == small
    assert page.count("put the plan on file") == 1000
    assert "7 audits are still open" in page
    assert "1000 remedial actions are not finished" in page


def test_the_case_page_lists_a_draft_only_to_those_who_may_see_it(org, bury, client_for):
    """Issue 14: the case's team manager does not see an auditor's draft before it is
    shared, unless they moderate it; QA staff see every audit. Each open audit is counted
    all the same, so nobody closes the case under it (Bury 9.6)."""
    draft = finished_audit(
        auditor=org.auditor,
        team=org.north_team,
        worker=org.social_worker,
        status=lifecycle.IN_PROGRESS,
    )
    url = f"/cases/{draft.case.external_id}/"
    manager = client_for(org.team_manager).get(url)
    assert manager.context["audits"] == [] and manager.context["open_audits"] == 1
    assert client_for(org.qa_officer).get(url).context["audits"] == [draft]
    Moderation.objects.create(
        audit=draft, requested_by=org.qa_officer, reason="Grade", moderator=org.team_manager
    )
    assert client_for(org.team_manager).get(url).context["audits"] == [draft]
    draft.status = lifecycle.SHARED
    draft.save(update_fields=["status"])
    Moderation.objects.all().delete()
    assert client_for(org.team_manager).get(url).context["audits"] == [draft]
    assert client_for(org.social_worker).get(url).context["audits"] == [draft]
