"""Every model registered in the admin site opens for an administrator: its list and its
add page (a broken admin registration is found here, not by an operator)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_admin_list_and_add_page_opens(org, client_for):
    client = client_for(org.admin)
    failures = []
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        if client.get(url).status_code != 200:
            failures.append(url)
        if model_admin.has_add_permission(_request(org.admin)):
            add = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
            if client.get(add).status_code != 200:
                failures.append(add)
    assert failures == []
    assert len(admin.site._registry) > 15


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request
