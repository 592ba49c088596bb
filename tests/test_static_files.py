"""GOV.UK Frontend's files are served from node_modules: what a browser fetches (fonts,
images, the JavaScript bundle that static/app/init.js imports), not the package's Sass,
Nunjucks and fixtures, so that WhiteNoise's walk of the files, made whenever its middleware
is (per web worker, per test client), stays short (config/static_finders.py)."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders

from config.static_finders import GovukFrontendFinder

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_script_init_js_imports_and_the_fonts_are_served(client):
    init = _body(client.get("/static/app/init.js")).decode()
    assert 'from "/static/govuk/govuk-frontend.min.js"' in init
    for path in ("govuk/govuk-frontend.min.js", "govuk/assets/manifest.json"):
        response = client.get(f"/static/{path}")
        assert response.status_code == 200, path
        assert _body(response)
    fonts = [p for p, _s in GovukFrontendFinder().list(None) if p.endswith(".woff2")]
    assert fonts
    assert client.get(f"/static/govuk/{fonts[0]}").status_code == 200


def test_the_packages_sources_are_neither_listed_nor_served(client):
    listed = [path for path, _storage in GovukFrontendFinder().list(None)]
    assert listed and all(
        p.startswith("assets/") or p.startswith("govuk-frontend.min") for p in listed
    )
    assert len(listed) < 40
    for path in ("govuk/index.scss", "govuk/template.njk", "govuk/assets/../index.scss"):
        assert not finders.find(path), path
        assert client.get(f"/static/{path}").status_code == 404, path


def test_a_checkout_without_node_modules_is_warned_to_run_make_install(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    finder = GovukFrontendFinder()
    assert [w.id for w in finder.check()] == ["casefile.W001"]
    assert list(finder.list(None)) == []
    assert not finder.find("govuk/govuk-frontend.min.js")
