from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import views
from .endpoints import api


def api_urls():
    """The API's URLs, open to requests without a session: each checks its key instead."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = login_not_required(pattern.callback)
    return patterns, app_name, namespace


app_name = "api"
urlpatterns = [
    path("keys/", views.key_list, name="keys"),
    path("keys/new/", views.key_create, name="key-create"),
    path("keys/<int:pk>/revoke/", views.key_revoke, name="key-revoke"),
]
