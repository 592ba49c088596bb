"""Autosave, the two-tab conflict, version pinning, each preset's pages, and who may see
what (SPEC §5; issue 5 "Who may see what")."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role
from audits import lifecycle
from audits.form_presets import PRESETS, preset, sections_for
from audits.models import SectionAnswer
from audits.services import audit_share_for_comment, form_draft, form_publish
from sampling.models import CaseType
from tests.accounts.factories import UserFactory

from .factories_form import started_audit

pytestmark = pytest.mark.django_db


def _autosave(client, audit, key, **data):
    return client.post(reverse("audit:autosave", args=[audit.pk, key]), data)


def test_autosave_saves_a_section_and_returns_the_new_revision(org, client_for):
    audit = started_audit(org)
    client = client_for(org.auditor)
    response = _autosave(client, audit, "risk_and_need", grade="good", evidence="Seen", revision=0)
    assert response.status_code == 200
    assert response.json()["revision"] == 1
    assert "saved_at" in response.json()
    answer = SectionAnswer.objects.get(audit=audit, key="risk_and_need")
    assert (answer.grade, answer.evidence, answer.status) == ("good", "Seen", "in_progress")


def test_a_second_tab_saving_from_an_old_revision_gets_409_and_overwrites_nothing(org, client_for):
    """Two tabs never overwrite each other silently: the stale one is told."""
    audit = started_audit(org)
    client = client_for(org.auditor)
    assert (
        _autosave(client, audit, "records", evidence="From tab one", revision=0).status_code == 200
    )
    stale = _autosave(client, audit, "records", evidence="From tab two", revision=0)
    assert stale.status_code == 409
    assert "another tab" in stale.json()["error"]
    assert stale.json()["current"]["evidence"] == "From tab one"
    assert SectionAnswer.objects.get(audit=audit, key="records").evidence == "From tab one"


def test_the_plain_form_shows_the_conflict_and_keeps_the_typed_text(org, client_for):
    """Without script, the POSTed form reports the clash and keeps what was typed."""
    audit = started_audit(org)
    client = client_for(org.auditor)
    _autosave(client, audit, "records", evidence="Saved first", revision=0)
    url = reverse("audit:section", args=[audit.pk, "records"])
    response = client.post(url, {"revision": 0, "grade": "good", "evidence": "Typed later"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Typed later" in body
    assert SectionAnswer.objects.get(audit=audit, key="records").evidence == "Saved first"


def test_the_plain_form_saves_and_moves_to_the_next_section(org, client_for):
    audit = started_audit(org)
    client = client_for(org.auditor)
    url = reverse("audit:section", args=[audit.pk, "risk_and_need"])
    response = client.post(url, {"revision": 0, "grade": "good", "evidence": "Good work"})
    assert response.status_code == 302
    assert response.url == reverse("audit:section", args=[audit.pk, "assessments"])
    assert SectionAnswer.objects.get(audit=audit, key="risk_and_need").status == "completed"


def test_an_expired_session_gets_no_save_and_a_redirect_to_sign_in(org, client):
    """The script reads a redirect to sign-in as "session ended" and keeps the text."""
    audit = started_audit(org)
    response = _autosave(client, audit, "records", evidence="x", revision=0)
    assert response.status_code == 302
    assert "/accounts/sign-in/" in response.url
    assert not SectionAnswer.objects.filter(audit=audit, key="records", evidence="x").exists()


def test_autosave_of_views_and_overall_with_revisions(org, client_for):
    audit = started_audit(org)
    client = client_for(org.auditor)
    ok = _autosave(
        client, audit, "views", contacted="no", not_contacted_reason="Too young", revision=0
    )
    assert ok.status_code == 200
    assert _autosave(client, audit, "views", contacted="child", revision=0).status_code == 409
    ok = _autosave(client, audit, "overall", overall_grade="good", revision=0)
    assert ok.status_code == 200
    assert (
        _autosave(client, audit, "overall", overall_grade="inadequate", revision=0).status_code
        == 409
    )


def test_a_submitted_audit_cannot_be_autosaved(org, client_for):
    audit = started_audit(org)
    audit_share_for_comment(audit=audit, by=org.auditor)
    from audits.services import audit_transition

    audit_transition(audit=audit, to=lifecycle.IN_MODERATION, by=org.auditor)
    response = _autosave(client_for(org.auditor), audit, "records", evidence="late", revision=0)
    assert response.status_code == 403


def test_an_audit_keeps_its_version_when_a_new_one_is_published(org, client_for):
    """SPEC §5: an audit keeps the template version it was started on and shows it."""
    audit = started_audit(org)
    template = audit.form_version.template
    changed = preset("bradford")
    changed["sections"][0]["title"] = "1. Risk: a new heading in version two"
    form_publish(version=form_draft(template=template, definition=changed, by=None), by=None)
    audit.refresh_from_db()
    assert audit.form_version.number == 1
    page = client_for(org.auditor).get(reverse("audit:task-list", args=[audit.pk]))
    assert "a new heading in version two" not in page.content.decode()
    newer = started_audit(org)
    assert newer.form_version.number == 2


def test_qa_staff_preview_a_draft_before_publishing(org, client_for):
    audit = started_audit(org)
    draft = form_draft(template=audit.form_version.template, definition=preset("bradford"), by=None)
    page = client_for(org.qa_officer).get(reverse("audit:form-preview", args=[draft.pk]))
    assert page.status_code == 200
    assert "Draft version 2" in page.content.decode()
    assert (
        client_for(org.auditor).get(reverse("audit:form-preview", args=[draft.pk])).status_code
        == 403
    )


@pytest.mark.parametrize("key", sorted(PRESETS))
def test_each_preset_renders_its_task_list_and_every_section_page(org, client_for, key):
    """Each preset renders: the task list and one page per section, with its scale."""
    case_type = CaseType.CLA if key == "hillingdon" else CaseType.CIN
    audit = started_audit(org, form=key, case_type=case_type)
    client = client_for(org.auditor)
    page = client.get(reverse("audit:task-list", args=[audit.pk])).content.decode()
    definition = preset(key)
    for section in sections_for(definition, case_type):
        assert section["title"] in page.replace("&#x27;", "'")
        response = client.get(reverse("audit:section", args=[audit.pk, section["key"]]))
        assert response.status_code == 200
        first = definition["scales"][section["scale"]][0]["label"]
        assert first in response.content.decode()
    assert client.get(reverse("audit:overall", args=[audit.pk])).status_code == 200
    assert client.get(reverse("audit:views", args=[audit.pk])).status_code == 200


# Who may see what ------------------------------------------------------------------------


def test_before_sharing_only_the_auditor_and_qa_staff_see_the_audit(org, client_for):
    audit = started_audit(org)
    url = reverse("audit:task-list", args=[audit.pk])
    assert client_for(org.auditor).get(url).status_code == 200
    assert client_for(org.qa_officer).get(url).status_code == 200
    for person in (
        org.social_worker,
        org.team_manager,
        org.outsider,
        org.service_manager,
        org.senior_manager,
        org.strategic_lead,
    ):
        assert client_for(person).get(url).status_code == 404, person


def test_from_shared_for_comment_the_case_worker_and_team_manager_read_it(org, client_for):
    """P&Q 18: the worker and manager see the draft once shared; others still do not."""
    audit = started_audit(org)
    audit_share_for_comment(audit=audit, by=org.auditor)
    url = reverse("audit:task-list", args=[audit.pk])
    assert client_for(org.social_worker).get(url).status_code == 200
    assert client_for(org.team_manager).get(url).status_code == 200
    for person in (org.outsider, org.senior_manager, org.service_manager):
        assert client_for(person).get(url).status_code == 404, person


def test_nobody_but_the_auditor_may_edit_and_others_are_refused(org, client_for):
    audit = started_audit(org)
    audit_share_for_comment(audit=audit, by=org.auditor)
    section = reverse("audit:section", args=[audit.pk, "records"])
    assert client_for(org.social_worker).get(section).status_code == 403
    assert client_for(org.qa_officer).get(section).status_code == 403
    assert client_for(org.outsider).get(section).status_code == 404
    assert client_for(org.auditor).get(section).status_code == 200
    response = client_for(org.team_manager).post(
        reverse("audit:autosave", args=[audit.pk, "records"]), {"evidence": "x", "revision": 0}
    )
    assert response.status_code == 403


def test_another_auditor_cannot_start_or_open_someone_elses_allocation(org, client_for):
    audit = started_audit(org)
    other = UserFactory(role=Role.ADVANCED_PRACTITIONER, in_audit_pool=True)
    response = client_for(other).get(reverse("audit:for-allocation", args=[audit.allocation_id]))
    assert response.status_code == 404
    assert client_for(other).get(reverse("audit:pdf", args=[audit.pk])).status_code == 404


def test_the_iro_named_on_the_audit_reads_it_once_shared(org, client_for):
    iro = UserFactory(role=Role.IRO)
    audit = started_audit(org)
    audit.iro = iro
    audit.save()
    url = reverse("audit:task-list", args=[audit.pk])
    assert client_for(iro).get(url).status_code == 404
    audit_share_for_comment(audit=audit, by=org.auditor)
    assert client_for(iro).get(url).status_code == 200


def test_the_auditor_starts_their_audit_from_the_allocation(org, client_for):
    from audits.services import form_preset_load
    from tests.audits.factories import allocation, case_in

    form_preset_load(key="pq", make_current=True)
    allocated = allocation(auditor=org.auditor, case=case_in(org.north_team))
    client = client_for(org.auditor)
    url = reverse("audit:for-allocation", args=[allocated.pk])
    assert "Start the audit" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert client.post(url).status_code == 302  # starting twice opens the same audit
    assert allocated.audit.form_version.template.key == "pq"
