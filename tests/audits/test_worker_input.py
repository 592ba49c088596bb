"""P&Q's worker input before finalising (P&Q 8, 18): a policy setting, on in the P&Q
preset only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.policy_presets import preset_values
from audits import lifecycle
from audits.errors import SubmissionInvalid
from audits.models import ContactRole
from audits.services import (
    audit_share_for_comment,
    audit_submit,
    audit_take_back,
    conversation_add,
)

from .factories_form import TODAY, fill_in, started_audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def pq(preset):
    policy = preset("pq")
    policy.qa_check_percent = 0
    policy.save()
    return policy


def test_pq_audit_is_not_submitted_before_sharing_and_the_workers_input(org, pq):
    """P&Q 8: audits are completed with input from the allocated worker unless this is
    impossible due to absence; P&Q 18: the worker, manager and IRO may consider it first."""
    audit = fill_in(started_audit(org, form="pq"))
    with pytest.raises(SubmissionInvalid) as refused:
        audit_submit(audit=audit, by=org.auditor, today=TODAY)
    assert {"shared", "worker_input"} <= set(refused.value.errors)
    audit_share_for_comment(audit=audit, by=org.auditor)
    with pytest.raises(SubmissionInvalid) as refused:
        audit_submit(audit=audit, by=org.auditor, today=TODAY)
    assert set(refused.value.errors) == {"worker_input"}
    audit_take_back(audit=audit, by=org.auditor)
    # An unanswered attempt is not the worker's input.
    conversation_add(
        audit=audit, by=org.auditor, role=ContactRole.SOCIAL_WORKER, on=TODAY, answered=False
    )
    with pytest.raises(SubmissionInvalid):
        audit_submit(audit=audit, by=org.auditor, today=TODAY)
    conversation_add(
        audit=audit, by=org.auditor, role=ContactRole.SOCIAL_WORKER, on=TODAY, answered=True
    )
    audit_submit(audit=audit, by=org.auditor, today=TODAY)
    audit.refresh_from_db()
    assert audit.status == lifecycle.WITH_TEAM_MANAGER


def test_pq_workers_absence_recorded_on_the_page_lets_the_audit_go(org, pq, client_for):
    """P&Q 8: "unless this is impossible due to absence from work": the reason is recorded
    instead; a blank reason is refused and changes nothing; only the auditor records it."""
    audit = fill_in(started_audit(org, form="pq"))
    audit_share_for_comment(audit=audit, by=org.auditor)
    audit_take_back(audit=audit, by=org.auditor)
    url = reverse("audit:conversations", args=[audit.pk])
    assert client_for(org.social_worker).post(url, {"worker_missing_reason": "x"}).status_code in (
        403,
        404,
    )
    auditor = client_for(org.auditor)
    assert "If the worker cannot take part" in auditor.get(url).content.decode()
    blank = auditor.post(url, {"worker_missing_reason": " "})
    assert blank.status_code == 400
    audit.refresh_from_db()
    assert audit.worker_input_missing_reason == ""
    auditor.post(url, {"worker_missing_reason": "On long-term sick leave since September."})
    audit.refresh_from_db()
    assert audit.worker_input_missing_reason.startswith("On long-term sick leave")
    audit_submit(audit=audit, by=org.auditor, today=TODAY)


def test_other_presets_do_not_require_the_workers_input(org, preset):
    """Only P&Q makes the worker's input a condition of finalising (P&Q 8); Bradford,
    Bury, Hillingdon and Leeds leave it to the auditor."""
    assert preset_values("pq")["worker_input_before_submit"] is True
    for name in ("bury", "hillingdon", "leeds", "bradford"):
        assert preset_values(name)["worker_input_before_submit"] is False
    policy = preset("bradford")
    policy.qa_check_percent = 0
    policy.save()
    audit = fill_in(started_audit(org))
    audit_submit(audit=audit, by=org.auditor, today=TODAY)
