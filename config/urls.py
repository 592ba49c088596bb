from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Casefile Audit administration"
admin.site.site_title = "Casefile Audit"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("audits.urls")),
    path("sampling/", include("sampling.urls")),
    path("actions/", include("remediation.urls")),
    path("", include("reporting.urls")),
]
