"""The task list makes its comment and supervision forms only where it shows them (issue
16): the auditor filling the audit in sees neither, and the page is the same."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audits import lifecycle
from audits.forms import CommentForm, SupervisionForm
from audits.models import Audit
from audits.services import audit_share_for_comment

from .factories_form import started_audit

pytestmark = pytest.mark.django_db


def test_the_auditor_gets_neither_form(org, client_for):
    audit = started_audit(org)
    response = client_for(org.auditor).get(reverse("audit:task-list", args=[audit.pk]))
    assert response.status_code == 200
    assert response.context["comment_form"] is None
    assert response.context["supervision_form"] is None


def test_a_case_reader_gets_the_comment_form_while_the_draft_is_shared(org, client_for):
    audit = started_audit(org)
    audit_share_for_comment(audit=audit, by=org.auditor)
    response = client_for(org.social_worker).get(reverse("audit:task-list", args=[audit.pk]))
    assert isinstance(response.context["comment_form"], CommentForm)
    assert 'name="body"' in response.content.decode()
    assert response.context["supervision_form"] is None


def test_the_team_manager_gets_the_supervision_form_once_the_audit_is_with_them(org, client_for):
    audit = started_audit(org)
    Audit.objects.filter(pk=audit.pk).update(status=lifecycle.WITH_TEAM_MANAGER)
    response = client_for(org.team_manager).get(reverse("audit:task-list", args=[audit.pk]))
    assert isinstance(response.context["supervision_form"], SupervisionForm)
    assert "Record the supervision" in response.content.decode()
    assert response.context["comment_form"] is None
