"""An audit's history of changes on a page of its own, newest first, a page at a time
(issue 14's history; issue 16: the task list no longer grows with every autosave)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from accounts.history import acting_as, changes_of
from accounts.models import AccessRecord, Change
from audits.services import audit_share_for_comment, section_save
from tests.audits.factories_form import started_audit

pytestmark = pytest.mark.django_db


def _graded(org):
    audit = started_audit(org)
    section = audit.definition["sections"][0]
    grade = audit.definition["scales"][section["scale"]][0]["value"]
    with acting_as(org.auditor):
        section_save(
            audit=audit,
            key=section["key"],
            grade=grade,
            evidence="Seen.",
            revision=0,
            by=org.auditor,
        )
    return audit, grade


def _older_changes(audit, n: int) -> None:
    """`n` changes of the audit's reason, a minute apart, all before the real ones (the
    triggers stamp those with the database's clock, which `--today` does not travel), the
    newest numbered n."""
    first = Change.objects.order_by("at").values_list("at", flat=True).first()
    start = first - dt.timedelta(days=30)
    Change.objects.bulk_create(
        Change(
            model="audits.audit",
            object_id=str(audit.pk),
            operation="update",
            before={"overall_reason": f"note {i - 1}"},
            after={"overall_reason": f"note {i}"},
            at=start + dt.timedelta(minutes=i),
        )
        for i in range(1, n + 1)
    )


def test_the_task_list_links_to_the_changes_page_which_shows_who_changed_what(org, client_for):
    """Issue 14: the auditor's grade is shown with who made it and its value before and
    after; the task list links to the page instead of listing every change itself."""
    audit, grade = _graded(org)
    client = client_for(org.auditor)
    task_list = client.get(reverse("audit:task-list", args=[audit.pk])).content.decode()
    url = reverse("audit:changes", args=[audit.pk])
    assert f'href="{url}"' in task_list
    assert "Every change the database recorded" not in task_list
    page = client.get(url).content.decode()
    assert "Every change to this audit, its grades and its actions" in page
    assert "Ari Auditor" in page and f"Grade: – → {grade}" in page


def test_only_qa_staff_and_the_auditor_see_the_changes_and_others_are_refused(org, client_for):
    """The page shows every draft value as typed: QA staff and the audit's auditor only. The
    team manager who may read the shared draft is refused; people who may not see the audit
    at all get 404, as on every audit page."""
    audit, _grade = _graded(org)
    audit_share_for_comment(audit=audit, by=org.auditor)
    url = reverse("audit:changes", args=[audit.pk])
    assert client_for(org.auditor).get(url).status_code == 200
    assert client_for(org.qa_officer).get(url).status_code == 200
    assert client_for(org.team_manager).get(url).status_code == 403
    assert client_for(org.social_worker).get(url).status_code == 403
    for person in (org.outsider, org.senior_manager):
        assert client_for(person).get(url).status_code == 404, person


def test_the_changes_page_is_recorded_in_the_access_log(org, client_for):
    audit, _grade = _graded(org)
    client_for(org.qa_officer).get(reverse("audit:changes", args=[audit.pk]))
    record = AccessRecord.objects.get(url_name="audit:changes")
    assert record.user == org.qa_officer
    assert record.object_id == str(audit.pk)
    assert record.case_external_id == audit.allocation.case.external_id


def test_the_changes_page_shows_fifty_newest_first_and_pages_to_the_older(org, client_for):
    """Issue 16: a page of 50 changes, newest first, with GOV.UK pagination; the next page
    holds the older ones; a page past the end says there are no older changes."""
    audit, grade = _graded(org)
    real = len(changes_of(audit))
    _older_changes(audit, 60)
    client = client_for(org.auditor)
    url = reverse("audit:changes", args=[audit.pk])

    def rows(page: str) -> list[str]:
        return re.findall(r"note (\d+) → note (\d+)<", page)

    first = client.get(url).content.decode()
    assert f"Grade: – → {grade}" in first  # the real changes are the newest
    assert first.count('<tr class="govuk-table__row">') == 1 + 50
    newest = [int(after) for _before, after in rows(first)]
    assert newest == list(range(60, 60 - (50 - real), -1))
    assert 'rel="next"' in first and 'rel="prev"' not in first

    second = client.get(url, {"page": 2}).content.decode()
    older = [int(after) for _before, after in rows(second)]
    assert older == list(range(60 - (50 - real), 0, -1))
    assert 'rel="prev"' in second and 'rel="next"' not in second

    past = client.get(url, {"page": 9}).content.decode()
    assert "There are no older changes." in past


def test_the_changes_page_runs_the_same_queries_at_ten_and_a_hundred_and_twenty_changes(
    org, client_for
):
    """Issue 16: a fixed number of queries whatever the number of changes, on every page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    audit, _grade = _graded(org)
    client = client_for(org.auditor)
    url = reverse("audit:changes", args=[audit.pk])
    client.get(url)  # the session's first request writes its stamp

    def counted(page: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"page": page}).status_code == 200
        return len(queries)

    few = (counted(1), counted(2))
    _older_changes(audit, 110)
    assert (counted(1), counted(2)) == few
