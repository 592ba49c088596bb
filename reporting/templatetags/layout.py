"""The layout's links and assets (base.html), looked up once a process (issue 16)."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import get_urlconf

from reporting.navigation import layout_links as _layout_links

register = template.Library()


@register.simple_tag(takes_context=True)
def layout_links(context) -> dict[str, str]:
    """Every address base.html links to, by name. Works without a request too (the error
    pages are rendered without one)."""
    request = context.get("request")
    urlconf = getattr(request, "urlconf", None) or get_urlconf() or settings.ROOT_URLCONF
    return _layout_links(urlconf)
