from django.contrib import admin
from django.urls import include, path

from api.urls import api_urls

admin.site.site_header = "Casefile Audit administration"
admin.site.site_title = "Casefile Audit"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("sso/", include("accounts.sso_urls")),
    path("", include("audits.urls")),
    path("sampling/", include("sampling.urls")),
    path("actions/", include("remediation.urls")),
    path("api/v1/", api_urls()),
    path("integrations/", include("api.urls")),
    path("", include("reporting.urls")),
]
