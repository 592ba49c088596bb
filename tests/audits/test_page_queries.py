"""The audit pages read the database a fixed number of times, whatever the form's size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories_form import fill_in, started_audit

pytestmark = pytest.mark.django_db


# The task list reads its summary only where it shows it: 12 for the auditor filling it in
# (its counts in one query, no dispute steps or comments to read).
@pytest.mark.parametrize(("form", "most"), [("leeds", 25), ("hillingdon", 25)])
def test_the_task_list_and_a_section_page_use_a_bounded_number_of_queries(
    org, client_for, form, most
):
    audit = fill_in(started_audit(org, form=form, case_type="cla"))
    client = client_for(org.auditor)
    client.get(reverse("audit:task-list", args=[audit.pk]))  # warm the session
    with CaptureQueriesContext(connection) as task_list:
        assert client.get(reverse("audit:task-list", args=[audit.pk])).status_code == 200
    key = audit.answers.first().key
    with CaptureQueriesContext(connection) as section:
        assert client.get(reverse("audit:section", args=[audit.pk, key])).status_code == 200
    with CaptureQueriesContext(connection) as autosave:
        client.post(
            reverse("audit:autosave", args=[audit.pk, key]),
            {"grade": "good", "evidence": "x", "revision": audit.answers.first().revision},
        )
    assert len(task_list) <= 12
    assert len(section) <= most
    assert len(autosave) <= most


def test_the_audit_pages_cost_the_same_queries_for_10_and_1000_other_audits(org, client_for):
    """The task list (with its history of changes), a section and the autosave read the
    same number of times however many audits, answers and changes the authority holds
    (issue 16)."""
    from tests.reporting.test_page_queries import _more_audits

    audit = fill_in(started_audit(org, form="leeds", case_type="cla"))
    key = audit.answers.first().key
    client = client_for(org.auditor)
    urls = [
        reverse("audit:task-list", args=[audit.pk]),
        reverse("audit:section", args=[audit.pk, key]),
    ]
    client.get(urls[0])  # warm the session

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            found.append(len(ctx))
        with CaptureQueriesContext(connection) as ctx:
            revision = audit.answers.get(key=key).revision
            response = client.post(
                reverse("audit:autosave", args=[audit.pk, key]),
                {"grade": "good", "evidence": f"x{revision}", "revision": revision},
            )
            assert response.status_code == 200
        found.append(len(ctx))
        return found

    _more_audits(audit, 9, status=audit.status)
    small = counts()
    _more_audits(audit, 990, status=audit.status)
    for n in range(5):  # its own history grows too
        revision = audit.answers.get(key=key).revision
        client.post(
            reverse("audit:autosave", args=[audit.pk, key]),
            {"grade": "good", "evidence": f"more {n}", "revision": revision},
        )
    assert counts() == small


def test_the_task_lists_own_queries_are_built_once_a_process(db):
    """The task list's per-audit reads take only the audit's id, so their SQL is kept."""
    from accounts import compiled
    from audits.selectors import audit as audit_selectors

    for builder in (
        audit_selectors._answer_rows,
        audit_selectors._history_rows,
        audit_selectors._progress_rows,
    ):
        assert compiled._build(builder) is not None, builder.__name__
