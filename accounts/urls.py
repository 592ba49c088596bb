from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("policy/", views.policy_detail, name="policy"),
    path("policy/edit/", views.policy_edit, name="policy-edit"),
    path("staff/import/", views.staff_import, name="staff-import"),
    path("organisation/", views.organisation, name="organisation"),
    path("organisation/areas/<int:pk>/lead/", views.strategic_lead_edit, name="strategic-lead"),
    path("access/", views.access_log, name="access-log"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/<int:pk>/", views.notice_open, name="notice-open"),
    path("breaks/", views.breaks, name="breaks"),
    path("breaks/requests/", views.break_requests, name="break-requests"),
    path("breaks/<int:pk>/withdraw/", views.break_withdraw, name="break-withdraw"),
]
