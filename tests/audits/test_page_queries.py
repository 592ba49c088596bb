"""The audit pages read the database a fixed number of times, whatever the form's size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories_form import fill_in, started_audit

pytestmark = pytest.mark.django_db


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
    assert len(task_list) <= most
    assert len(section) <= most
    assert len(autosave) <= most
