"""Home pages and worktrays read the database a fixed number of times whatever the data size
(issue 16): the same queries at 10 rows as at 1,000, and a page of the list shown with GOV.UK
pagination rather than all of it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext

from audits import lifecycle
from audits.models import Allocation, Audit
from sampling.models import Case
from tests.audits.factories_form import started_audit

pytestmark = pytest.mark.django_db


def _copy(obj: Model, **changes) -> Model:
    """An unsaved copy of a row with some of its fields changed."""
    fields = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    fields.pop(obj._meta.pk.attname)
    fields.update(changes)
    return type(obj)(**fields)


def _more_audits(audit: Audit, n: int, *, status: str) -> None:
    """n more audits like this one, each of its own copy of the case, in bulk."""
    allocation = audit.allocation
    case = allocation.case
    start = Case.objects.count()
    cases = Case.objects.bulk_create(
        [_copy(case, external_id=f"BULK{start + i:06d}") for i in range(n)]
    )
    allocations = Allocation.objects.bulk_create(
        [_copy(allocation, case_id=c.pk, pair_group=None, replaces_id=None) for c in cases]
    )
    Audit.objects.bulk_create(
        [_copy(audit, allocation_id=a.pk, status=status) for a in allocations]
    )


def _queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.parametrize(
    ("status", "persona", "panel"),
    [
        (lifecycle.IN_PROGRESS, "auditor", "Pages of your audits"),
        (lifecycle.WITH_TEAM_MANAGER, "team_manager", "Pages of finished audits"),
        (lifecycle.SHARED, "team_manager", "Pages of drafts for comment"),
        (lifecycle.SHARED, "social_worker", "Pages of drafts for comment"),
    ],
)
def test_a_home_page_costs_the_same_queries_for_10_and_1000_audits(
    org, client_for, status, persona, panel
):
    """A home page runs a fixed number of queries, and pages its lists ten at a time."""
    audit = started_audit(org)
    audit.status = status
    audit.save(update_fields=["status"])
    _more_audits(audit, 9, status=status)
    client = client_for(getattr(org, persona))
    client.get("/")  # the session and the user's groups, read once
    small, page = _queries(client, "/")
    assert "BULK" in page and panel not in page  # ten fit on one page
    _more_audits(audit, 990, status=status)
    large, page = _queries(client, "/")
    assert large == small
    assert panel in page
    assert "BULK000990" not in page or "BULK000001" not in page  # a page, not the list


@pytest.mark.parametrize(
    "persona", ["senior_manager", "service_manager", "qa_officer", "strategic_lead"]
)
def test_the_managers_and_qa_home_pages_cost_the_same_queries_for_10_and_1000_cases(
    org, client_for, persona
):
    """The service areas' open cases, the QA panel's counts and the actions panels are
    counted in the database: the same queries at 10 cases as at 1,000 (issue 16)."""
    audit = started_audit(org)
    _more_audits(audit, 9, status=lifecycle.IN_PROGRESS)
    client = client_for(getattr(org, persona))
    client.get("/")  # the session and the user's groups, read once
    small, page = _queries(client, "/")
    _more_audits(audit, 990, status=lifecycle.IN_PROGRESS)
    large, page = _queries(client, "/")
    assert large == small
    if persona in ("senior_manager", "service_manager"):
        assert "1,00" in page  # the area's open cases, counted (1,000 and the fixture's)
