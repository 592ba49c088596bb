"""Every page's header and icons (issue 18): the favicon links resolve to GOV.UK
Frontend's own assets, served from node_modules, and the header names the authority its
policy names, not a demo default."""

from __future__ import annotations

import re

import pytest

from accounts.selectors import authority_name, policy_get

pytestmark = pytest.mark.django_db


def _icons(html: str) -> list[str]:
    return re.findall(r'<link rel="icon"[^>]*href="([^"]+)"', html)


def test_every_favicon_link_is_served(client, settings):
    """Issue 18: the favicon link returned 404."""
    html = client.get("/accounts/sign-in/").content.decode()
    icons = _icons(html)
    assert icons == [
        "/static/govuk/assets/images/favicon.ico",
        "/static/govuk/assets/images/favicon.svg",
    ]
    for href in icons:
        response = client.get(href)
        assert response.status_code == 200, href
        assert b"".join(response.streaming_content if response.streaming else [response.content])


def test_the_header_names_the_authority_its_policy_names(org, client_for):
    policy = policy_get()
    policy.authority_name = "Leeds City Council"
    policy.save()
    html = client_for(org.qa_officer).get("/").content.decode()
    assert re.search(r'homepage-link">Leeds City Council<', html)
    assert "Demo Borough Council" not in html


def test_the_setting_names_the_authority_until_the_policy_does(settings):
    settings.AUTHORITY_NAME = "Example Borough Council"
    assert authority_name() == "Example Borough Council"  # no policy yet
    policy_get()  # created with the demo default
    assert authority_name() == "Example Borough Council"
