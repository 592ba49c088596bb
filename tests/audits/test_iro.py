"""The child's IRO or CP chair: named on the audit by the auditor or QA staff, consulted
(P&Q 9-10), and able to read and challenge the shared draft (P&Q 18)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.errors import RuleViolation
from accounts.models import Notice, Role
from audits.services import audit_set_iro, audit_share_for_comment
from tests.accounts.factories import UserFactory

from .factories_form import fill_in, started_audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def iro(org):
    return UserFactory(email="iro@example.test", full_name="Ira Reviewer", role=Role.IRO)


def test_the_auditor_names_the_iro_from_the_task_list(org, client_for, iro):
    audit = started_audit(org)
    client = client_for(org.auditor)
    assert (
        reverse("audit:iro", args=[audit.pk])
        in client.get(reverse("audit:task-list", args=[audit.pk])).content.decode()
    )
    response = client.post(reverse("audit:iro", args=[audit.pk]), {"iro": iro.pk})
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.iro == iro


def test_an_iro_named_while_the_draft_is_shared_is_told_and_may_read_it(org, client_for, iro):
    """P&Q 18: the IRO has the chance to consider the outcome and challenge it."""
    audit = fill_in(started_audit(org))
    audit_share_for_comment(audit=audit, by=org.auditor)
    audit_set_iro(audit=audit, iro=iro, by=org.auditor)
    assert Notice.objects.filter(recipient=iro, template="audit-shared").count() == 1
    audit_set_iro(audit=audit, iro=iro, by=org.auditor)  # again: nothing more
    assert Notice.objects.filter(recipient=iro).count() == 1
    assert client_for(iro).get(reverse("audit:task-list", args=[audit.pk])).status_code == 200


def test_only_an_iro_can_be_named_the_iro(org):
    audit = started_audit(org)
    with pytest.raises(RuleViolation, match="is not an IRO"):
        audit_set_iro(audit=audit, iro=org.social_worker, by=org.auditor)


def test_nobody_else_names_the_iro(org, client_for, iro):
    audit = started_audit(org)
    for person in (org.social_worker, org.team_manager, org.outsider):
        response = client_for(person).post(reverse("audit:iro", args=[audit.pk]), {"iro": iro.pk})
        assert response.status_code in (403, 404)
    with pytest.raises(RuleViolation):
        audit_set_iro(audit=audit, iro=iro, by=org.team_manager)
    audit.refresh_from_db()
    assert audit.iro is None


def test_qa_staff_may_name_the_iro(org, iro):
    audit = started_audit(org)
    audit_set_iro(audit=audit, iro=iro, by=org.qa_officer)
    audit.refresh_from_db()
    assert audit.iro == iro
