from django.urls import path

from . import views
from .dashboard import views as dashboard
from .reports import views as reports

app_name = "reporting"
urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("health/", views.health, name="health"),
    path("cases/<str:external_id>/", views.case_detail, name="case"),
    path("reports/methodology/", views.methodology, name="methodology"),
    path("reports/dashboard/", dashboard.dashboard, name="dashboard"),
    path(
        "reports/dashboard/tables/<slug:key>.<str:fmt>",
        dashboard.table_download,
        name="dashboard-table",
    ),
    path("reports/dashboard/lists/<slug:kind>/", dashboard.drill, name="dashboard-list"),
    path("reports/monthly/", reports.monthly_list, name="monthly-reports"),
    path("reports/monthly/<str:month>/", reports.monthly_detail, name="monthly-report"),
    path(
        "reports/monthly/<str:month>/commentary/",
        reports.monthly_comment,
        name="monthly-report-comment",
    ),
    path(
        "reports/monthly/<str:month>/v<int:version>/",
        reports.monthly_detail,
        name="monthly-report-version",
    ),
    path(
        "reports/monthly/<str:month>/v<int:version>/report.<str:fmt>",
        reports.monthly_file,
        name="monthly-report-file",
    ),
    path(
        "reports/monthly/<str:month>/v<int:version>/tables/<slug:key>.<str:fmt>",
        reports.monthly_table,
        name="monthly-report-table",
    ),
    path("reports/six-monthly/", reports.half_year_list, name="half-year-reports"),
    path("reports/six-monthly/<str:half>/", reports.half_year_detail, name="half-year-report"),
    path("reports/six-monthly/<str:half>/write/", reports.half_year_edit, name="half-year-edit"),
    path(
        "reports/six-monthly/<str:half>/publish/",
        reports.half_year_publish,
        name="half-year-publish",
    ),
    path(
        "reports/six-monthly/<str:half>/report.<str:fmt>",
        reports.half_year_file,
        name="half-year-report-file",
    ),
    path(
        "reports/six-monthly/<str:half>/tables/<slug:key>.<str:fmt>",
        reports.half_year_table,
        name="half-year-report-table",
    ),
]
