"""The inadequate pathway as a policy setting, surviving a move of its re-audit, with its
pages for QA staff and the group manager (P&Q 25-26)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.errors import RuleViolation
from accounts.models import Notice
from accounts.policy_presets import preset_values
from audits.models import InadequatePathway, PathwayStatus
from audits.services import (
    allocation_move,
    audit_start,
    audit_submit,
    pathway_review_record,
)

from .factories_form import fill_in, started_audit

pytestmark = pytest.mark.django_db

GRADED = dt.date(2026, 11, 10)


def _inadequate(org, preset, name="pq"):
    policy = preset(name)
    policy.qa_check_percent = 0
    policy.worker_input_before_submit = False  # not what these tests are about
    policy.save()
    audit = fill_in(started_audit(org), grade="inadequate", overall="inadequate")
    audit_submit(audit=audit, by=org.auditor, today=GRADED)
    return audit


def test_the_inadequate_pathway_is_a_policy_setting_on_in_the_pq_preset_only(org, preset):
    """P&Q 25-26 set out the pathway; the other seeds have none, so their presets leave it
    off. Hillingdon 2.10's urgent notice of an inadequate grade goes either way."""
    assert preset_values("pq")["inadequate_pathway"] is True
    for name in ("bury", "hillingdon", "leeds", "bradford"):
        assert preset_values(name)["inadequate_pathway"] is False
    audit = _inadequate(org, preset, "hillingdon")
    assert not InadequatePathway.objects.exists()
    assert Notice.objects.filter(key=f"inadequate:{audit.pk}", urgent=True).count() == 2


def test_the_pathway_follows_its_reaudit_when_the_reaudit_is_moved(org, preset, client_for):
    """P&Q 25-26: the process continues until the case is no longer inadequate. A re-audit
    moved to another auditor (or reallocated after an exemption: both replace the
    allocation) still belongs to the pathway: inadequate again is its next cycle."""
    audit = _inadequate(org, preset)
    first = InadequatePathway.objects.get(audit=audit)
    call_command("run_sweeps", "--today", "2026-12-08", "--only", "inadequate-pathways")
    first.refresh_from_db()
    reaudit = first.reaudit_allocation
    moved = None
    south_manager = org.south_team.manager
    for person in (south_manager, org.senior_manager, org.qa_officer, org.strategic_lead):
        if person.pk in {reaudit.auditor_id, org.auditor.pk}:
            continue
        try:
            allocation_move(allocation=reaudit, to_auditor=person, by=org.qa_officer, today=GRADED)
        except RuleViolation:
            continue
        moved = person
        break
    assert moved is not None
    new = type(reaudit).objects.get(replaces=reaudit)
    listing = client_for(org.qa_officer).get(reverse("audit:pathways")).content.decode()
    assert moved.full_name in listing  # the list names the re-audit's auditor now
    second_audit = audit_start(allocation=new, by=moved)
    fill_in(second_audit, grade="inadequate", overall="inadequate")
    audit_submit(audit=second_audit, by=moved, today=dt.date(2027, 1, 5))
    first.refresh_from_db()
    assert first.status == PathwayStatus.REPEATED
    assert first.reaudit_allocation == new
    second = InadequatePathway.objects.get(audit=second_audit)
    assert (second.cycle, second.previous, second.head_of_service_involved) == (2, first, True)


def test_qa_staff_and_the_group_manager_record_the_meeting_and_review(org, preset, client_for):
    """P&Q 25: the group manager, team manager and worker meet as soon as possible; a review
    meeting after 4 weeks checks progress. QA staff and the group manager (the team
    manager's line manager) record both; nobody else sees the pathway."""
    audit = _inadequate(org, preset)
    pathway = InadequatePathway.objects.get(audit=audit)
    url = reverse("audit:pathway", args=[pathway.pk])
    group_manager = client_for(org.service_manager)
    listing = group_manager.get(reverse("audit:pathways")).content.decode()
    assert audit.case.external_id in listing
    saved = group_manager.post(url, {"part": "meeting", "meeting-on": "2026-11-12"})
    assert saved.status_code == 302
    pathway.refresh_from_db()
    assert pathway.meeting_held_on == dt.date(2026, 11, 12)
    assert pathway.meeting_recorded_by == org.service_manager
    blank = group_manager.post(url, {"part": "review", "review-on": "2026-11-30"})
    assert blank.status_code == 400
    assert "Say what the review found" in blank.content.decode()
    early = group_manager.post(
        url, {"part": "review", "review-on": "2026-11-01", "review-note": "x"}
    )
    assert early.status_code == 400
    pathway.refresh_from_db()
    assert pathway.review_held_on is None
    qa = client_for(org.qa_officer)
    assert audit.case.external_id in qa.get(reverse("audit:pathways")).content.decode()
    qa.post(
        url,
        {"part": "review", "review-on": "2026-11-30", "review-note": "Visits are back on track."},
    )
    pathway.refresh_from_db()
    assert pathway.review_held_on == dt.date(2026, 11, 30)
    for outsider in (org.outsider, org.auditor, org.south_team.manager):
        client = client_for(outsider)
        assert client.get(url).status_code == 404
        assert audit.case.external_id not in client.get(reverse("audit:pathways")).content.decode()
    with pytest.raises(RuleViolation):
        pathway_review_record(
            pathway=pathway, by=org.outsider, on=dt.date(2026, 11, 30), note="x", today=GRADED
        )


def test_the_open_pathways_list_runs_a_fixed_number_of_queries(
    org, preset, client_for, django_assert_max_num_queries
):
    """P&Q 27: QA staff monitor what is outstanding; the list stays one page of queries
    whatever the number of pathways."""
    for _ in range(3):
        _inadequate(org, preset)
    client = client_for(org.qa_officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("audit:pathways"))
    assert response.content.decode().count("audit/pathways/") >= 3
