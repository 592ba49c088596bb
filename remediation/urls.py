from django.urls import path, register_converter
from django.urls.converters import get_converters

from audits.converters import MonthConverter

from . import views

if "month" not in get_converters():  # the audits app registers it when its URLs load first
    register_converter(MonthConverter, "month")

app_name = "remediation"
urlpatterns = [
    path("", views.action_list, name="list"),
    path("sign-off/", views.actions_sign_off, name="sign-off"),
    path("authorise/", views.authorise_queue, name="authorise"),
    path("waiting/", views.audits_waiting, name="waiting"),
    path("<int:pk>/", views.action_detail, name="detail"),
    path("<int:pk>/fulfil/", views.action_fulfil, name="fulfil"),
    path("<int:pk>/send-back/", views.action_send_back, name="send-back"),
    path("<int:pk>/decline/", views.action_decline, name="decline"),
    path("<int:pk>/carrier/", views.action_carrier, name="carrier"),
    path("<int:pk>/decision/", views.decision_new, name="decision-new"),
    path("<int:pk>/disagreement/", views.disagreement_new, name="disagreement-new"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("disagreements/<int:pk>/", views.disagreement_detail, name="disagreement"),
    path("compliance/", views.compliance_index, name="compliance"),
    path("compliance/<month:month>/", views.compliance_review, name="compliance-review"),
    path(
        "compliance/<month:month>/review.xlsx",
        views.compliance_xlsx,
        name="compliance-xlsx",
    ),
    path("compliance/<month:month>/report/", views.compliance_report, name="compliance-report"),
    path(
        "compliance/<month:month>/report.pdf",
        views.compliance_report_pdf,
        name="compliance-report-pdf",
    ),
    path(
        "compliance/<month:month>/follow-up/",
        views.compliance_follow_up,
        name="compliance-follow-up",
    ),
    path("plan/", views.plan, name="plan"),
    path("plan/new/", views.plan_edit, name="plan-new"),
    path("plan/<int:pk>/", views.plan_edit, name="plan-edit"),
    path("plan/export.<str:fmt>", views.plan_export, name="plan-export"),
]
