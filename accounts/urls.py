from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import sessions, two_factor, views
from .forms import PasswordResetRequestForm, SetPasswordGovForm

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("session/keep-alive/", sessions.keep_alive, name="keep-alive"),
    path("two-factor/", two_factor.setup, name="two-factor-setup"),
    path("two-factor/verify/", two_factor.verify, name="two-factor-verify"),
    path("two-factor/recovery-codes/", two_factor.new_recovery_codes, name="two-factor-codes"),
    # Password reset by email: Django's views, links that expire and work once.
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            form_class=PasswordResetRequestForm,
            email_template_name="emails/password-reset-body.txt",
            html_email_template_name="emails/password-reset-body.html",
            subject_template_name="emails/password-reset-subject.txt",
            success_url=reverse_lazy("accounts:password-reset-sent"),
        ),
        name="password-reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password-reset-sent",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            form_class=SetPasswordGovForm,
            success_url=reverse_lazy("accounts:password-reset-done"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_done.html"
        ),
        name="password-reset-done",
    ),
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
