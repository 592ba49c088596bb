"""The site `benchmarks.pages` serves: the application as configured, plus the bare page it
is measured against (`/bench/bare/`: Django's middleware, the session row, 50 rows from
PostgreSQL and one template). Used as DJANGO_SETTINGS_MODULE for the benchmark's server."""

from __future__ import annotations

from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import TEMPLATES

ROOT_URLCONF = "benchmarks._pages_site"
DEBUG = False
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], Path(__file__).parent / "templates"]


def bare(request):
    from django.shortcuts import render

    from sampling.models import Case

    rows = list(Case.objects.order_by("id").values_list("external_id", "case_type")[:50])
    return render(request, "benchmarks/bare.html", {"rows": rows, "user": request.user})


def _urls():
    from django.urls import include, path

    return [path("bench/bare/", bare), path("", include("config.urls"))]


def __getattr__(name: str):
    if name == "urlpatterns":
        return _urls()
    raise AttributeError(name)
