from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("health/", views.health, name="health"),
    path("cases/<str:external_id>/", views.case_detail, name="case"),
    path("reports/methodology/", views.methodology, name="methodology"),
]
