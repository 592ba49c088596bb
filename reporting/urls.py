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
    path("reports/six-monthly/", reports.half_year_list, name="half-year-reports"),
]
