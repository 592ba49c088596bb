"""QA staff change a draft form's wording, preview it and publish it; published versions
never change and audits keep the version they started on (SPEC §5; issue 5)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.errors import RuleViolation
from audits.models import FormStatus, FormTemplate
from audits.services import form_draft, form_draft_edit, form_preset_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(org):
    published = form_preset_load(key="bradford", make_current=True)
    return form_draft(template=published.template, definition=published.definition, by=None)


def test_qa_staff_change_a_drafts_wording_then_preview_it(org, client_for, draft):
    client = client_for(org.qa_officer)
    url = reverse("audit:form-edit", args=[draft.pk])
    page = client.get(url)
    assert page.status_code == 200
    first = draft.definition["sections"][0]
    data = {"title": "Bradford audit, 2027 wording"}
    for section in draft.definition["sections"]:
        data[f"{section['key']}-title"] = section["title"]
        data[f"{section['key']}-prompts"] = "\n".join(section["prompts"])
    data[f"{first['key']}-prompts"] = "Is the plan on file?\n\nWas it reviewed on time?\n"
    response = client.post(url, data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.definition["title"] == "Bradford audit, 2027 wording"
    assert draft.definition["sections"][0]["prompts"] == [
        "Is the plan on file?",
        "Was it reviewed on time?",
    ]
    preview = client.get(reverse("audit:form-preview", args=[draft.pk])).content.decode()
    assert "Was it reviewed on time?" in preview


def test_a_published_version_cannot_be_changed(org, draft):
    published = FormTemplate.objects.get(key="bradford").versions.get(status=FormStatus.PUBLISHED)
    with pytest.raises(RuleViolation, match="Only a draft"):
        form_draft_edit(version=published, title="New", sections={}, by=org.qa_officer)


def test_a_section_without_a_title_is_refused_and_nothing_changes(org, draft):
    key = draft.definition["sections"][0]["key"]
    before = draft.definition
    with pytest.raises(RuleViolation, match="Enter a title"):
        form_draft_edit(version=draft, title="T", sections={key: ("  ", ["x"])}, by=None)
    draft.refresh_from_db()
    assert draft.definition == before


@pytest.mark.parametrize("persona", ["auditor", "team_manager", "social_worker", "outsider"])
def test_only_qa_staff_change_drafts(org, client_for, draft, persona):
    client = client_for(getattr(org, persona))
    url = reverse("audit:form-edit", args=[draft.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "Hijack"}).status_code == 403
    draft.refresh_from_db()
    assert draft.definition["title"] != "Hijack"
