"""The list of learning themes QA staff keep (issue 5: "organisational learning (with themes
from a list QA staff keep)"; Bradford 4, Hillingdon 2.15)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audits.models import ThemeTag

pytestmark = pytest.mark.django_db


def test_qa_staff_add_retire_and_bring_back_a_theme(org, client_for):
    client = client_for(org.qa_officer)
    url = reverse("audit:themes")
    assert client.post(url, {"name": "  Voice   of the child "}).status_code == 302
    theme = ThemeTag.objects.get(name="Voice of the child")
    assert client.post(url, {"retire": theme.pk}).status_code == 302
    theme.refresh_from_db()
    assert not theme.active
    assert client.post(url, {"restore": theme.pk}).status_code == 302
    theme.refresh_from_db()
    assert theme.active
    assert "Voice of the child" in client.get(url).content.decode()


def test_a_theme_already_on_the_list_is_refused_with_a_clear_message(org, client_for):
    ThemeTag.objects.create(name="Drift and delay")
    response = client_for(org.qa_officer).post(reverse("audit:themes"), {"name": "drift and DELAY"})
    assert response.status_code == 400
    assert "is already on the list" in response.content.decode()
    assert ThemeTag.objects.filter(name__iexact="drift and delay").count() == 1


def test_an_empty_theme_is_refused(org, client_for):
    response = client_for(org.qa_officer).post(reverse("audit:themes"), {"name": "  "})
    assert response.status_code == 400
    assert "Enter the theme." in response.content.decode()


@pytest.mark.parametrize(
    "persona",
    ["auditor", "team_manager", "service_manager", "senior_manager", "social_worker", "outsider"],
)
def test_only_qa_staff_keep_the_themes(org, client_for, persona):
    client = client_for(getattr(org, persona))
    assert client.get(reverse("audit:themes")).status_code == 403
    assert client.post(reverse("audit:themes"), {"name": "Sneaky"}).status_code == 403
    assert not ThemeTag.objects.filter(name="Sneaky").exists()
