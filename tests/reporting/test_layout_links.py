"""The layout's links and assets are looked up once a process (issue 16) and still right on
every page, the error pages (rendered without a request) included."""

from __future__ import annotations

import pytest
from django.templatetags.static import static
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.views.defaults import server_error

from reporting.navigation import _LAYOUT_STATIC, _LAYOUT_URLS, layout_links

pytestmark = pytest.mark.django_db


def _expected(*, signed_in: bool) -> set[str]:
    """What base.html links to; the account bar's links only for someone signed in, the
    idle timer's only when a timeout is set (off in the tests' settings)."""
    not_shown = {"accounts:keep-alive"} | (
        set() if signed_in else {"accounts:notices", "accounts:logout"}
    )
    urls = {reverse(name) for name in _LAYOUT_URLS.values() if name not in not_shown}
    return urls | {static(path) for path in _LAYOUT_STATIC.values() if path != "app/idle.js"}


def test_the_error_page_rendered_without_a_request_links_the_styles_and_home():
    """Django renders 500.html with no request and no context processors: the layout's
    links must not depend on them (a blank stylesheet link would leave the page bare)."""
    html = server_error(RequestFactory().get("/")).content.decode()
    assert f'href="{static("build/app.css")}"' in html
    assert f'href="{reverse("reporting:home")}"' in html
    for address in _expected(signed_in=False):
        assert f'"{address}"' in html, address


def test_a_signed_in_page_links_what_the_url_and_static_tags_would(client, django_user_model):
    user = django_user_model.objects.create_user(email="layout@example.test", password="x")
    client.force_login(user)
    html = client.get(reverse("accounts:notices")).content.decode()
    for address in _expected(signed_in=True):
        assert f'"{address}"' in html, address


def test_a_new_static_url_is_seen_not_the_one_kept_from_before():
    before = layout_links(None)["app_css"]
    with override_settings(STATIC_URL="/elsewhere/"):
        assert layout_links(None)["app_css"] == "/elsewhere/build/app.css"
    assert layout_links(None)["app_css"] == before
