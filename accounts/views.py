from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_http_methods, require_POST

from accounts import clock

from . import selectors, services
from .errors import ImportRejected, RuleViolation
from .forms import (
    AccessLogFilterForm,
    BreakRequestForm,
    PolicyForm,
    SignInForm,
    StaffImportForm,
    StrategicLeadForm,
)
from .models import BreakRequest, Notice, ServiceArea


@login_not_required
def sign_in(request: HttpRequest) -> HttpResponse:
    """Anyone may see the sign-in page. With single sign-on on, it leads with the
    organisation's sign-in; passwords are for the named break-glass accounts only."""
    from django.conf import settings
    from django.urls import reverse

    sso = settings.SSO_ENABLED
    view = auth_views.LoginView.as_view(
        template_name="accounts/sign_in.html",
        authentication_form=SignInForm,
        redirect_authenticated_user=True,
        extra_context={
            "sso_enabled": sso,
            "sso_name": settings.OIDC_PROVIDER_NAME,
            "sso_login_url": reverse("openid_connect_login", kwargs={"provider_id": "sso"})
            if sso
            else "",
        },
    )
    if sso:
        # The sign-in button posts here and is redirected on to the identity provider: the
        # page's form-action must allow the provider's origin too, or browsers stop it.
        from .sso import issuer_origins

        config = dict(settings.SECURE_CSP)
        config["form-action"] = [*config.get("form-action", ["'self'"]), *issuer_origins()]
        view = csp_override(config)(view)
    return view(request)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """Any signed-in person may sign out."""
    return auth_views.LogoutView.as_view()(request)


@permission_required("accounts.manage_policy", raise_exception=True)
def policy_detail(request: HttpRequest) -> HttpResponse:
    """QA staff and administrators read the policy."""
    summary = selectors.policy_summary(policy=selectors.policy_get())
    return render(request, "accounts/policy_detail.html", summary)


@permission_required("accounts.manage_policy", raise_exception=True)
def policy_edit(request: HttpRequest) -> HttpResponse:
    """QA staff and administrators change the policy."""
    policy = selectors.policy_get()
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in PolicyForm.Meta.fields}
        changes["quotas"] = form.quotas()
        services.policy_update(policy=policy, by=request.user, **changes)
        messages.success(request, "The policy has been saved.")
        return redirect("accounts:policy")
    return render(request, "accounts/policy_edit.html", {"form": form})


@permission_required("accounts.import_staff", raise_exception=True)
def staff_import(request: HttpRequest) -> HttpResponse:
    """QA staff and administrators upload the staff list."""
    form = StaffImportForm(request.POST or None, request.FILES or None)
    result = errors = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.staff_import(stream=form.cleaned_data["file"])
        except ImportRejected as rejected:
            errors = rejected.errors
    return render(
        request,
        "accounts/staff_import.html",
        {"form": form, "result": result, "row_errors": errors},
        status=400 if errors else 200,
    )


@permission_required("accounts.import_staff", raise_exception=True)
def organisation(request: HttpRequest) -> HttpResponse:
    """QA staff and administrators see the authority's areas, teams and managers."""
    return render(request, "accounts/organisation.html", selectors.organisation_overview())


@permission_required("accounts.import_staff", raise_exception=True)
def strategic_lead_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """QA staff and administrators name each service area's strategic lead."""
    area = get_object_or_404(ServiceArea, pk=pk)
    form = StrategicLeadForm(request.POST or None, initial={"lead": area.strategic_lead_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.service_area_set_strategic_lead(area=area, lead=form.cleaned_data["lead"])
        except RuleViolation as refused:
            form.add_error("lead", str(refused))
        else:
            messages.success(request, f"The strategic lead for {area} has been saved.")
            return redirect("accounts:organisation")
    return render(request, "accounts/strategic_lead_edit.html", {"form": form, "area": area})


@permission_required("accounts.view_access_log", raise_exception=True)
def access_log(request: HttpRequest) -> HttpResponse:
    """QA staff see who opened children's records, by person and period (issue 14)."""
    today = clock.today()
    form = AccessLogFilterForm(request.GET or None, today=today)
    records = None
    if form.is_valid():
        records = selectors.access_records(
            person=form.cleaned_data["person"],
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
        )
    return render(
        request,
        "accounts/access_log.html",
        {
            "form": form,
            "records": records,
            "retention_days": settings.ACCESS_LOG_RETENTION_DAYS,
        },
        status=400 if form.errors else 200,
    )


def notice_list(request: HttpRequest) -> HttpResponse:
    """Each person sees only their own notices."""
    notices = list(selectors.notices_for(user=request.user, limit=100))
    return render(request, "accounts/notice_list.html", {"notices": notices})


@require_http_methods(["GET", "POST"])
def notice_open(request: HttpRequest, pk: int) -> HttpResponse:
    """A person reads one of their own notices; anyone else's is not found. Reading it
    changes nothing; going on to its page (a POST) marks it read (issue 14)."""
    notice = get_object_or_404(Notice, pk=pk, recipient=request.user)
    if request.method == "POST":
        services.notice_mark_read(notice=notice)
        return redirect(notice.url or "accounts:notices")
    return render(request, "accounts/notice_detail.html", {"notice": notice})


@permission_required("accounts.conduct_audits", raise_exception=True)
@require_http_methods(["GET", "POST"])
def breaks(request: HttpRequest) -> HttpResponse:
    """A pool member asks for a month off auditing and sees their own breaks (P&Q 2)."""
    today = clock.today()
    form = BreakRequestForm(request.POST or None, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            granted = services.break_request(
                user=request.user,
                month=form.cleaned_data["month"],
                reason=form.cleaned_data["reason"],
                today=today,
            )
        except RuleViolation as refused:
            form.add_error("month", str(refused))
        else:
            messages.success(
                request,
                f"Your break in {granted.month:%B %Y} is granted. You will not be "
                "allocated an audit that month.",
            )
            return redirect("accounts:breaks")
    return render(
        request,
        "accounts/breaks.html",
        {"form": form, "breaks": list(selectors.breaks_of(user=request.user)), "today": today},
        status=400 if form.errors else 200,
    )


@require_POST
def break_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The auditor withdraws their own break; QA staff may withdraw anyone's."""
    request_ = BreakRequest.objects.filter(pk=pk).first()
    if request_ is None or not (
        request_.user_id == request.user.pk or request.user.has_perm("accounts.manage_allocation")
    ):
        raise Http404
    try:
        services.break_withdraw(request=request_, by=request.user, today=clock.today())
    except RuleViolation as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"The break in {request_.month:%B %Y} is withdrawn.")
    if request_.user_id == request.user.pk:
        return redirect("accounts:breaks")
    return redirect("accounts:break-requests")


def break_requests(request: HttpRequest) -> HttpResponse:
    """QA staff and heads of service see break requests against each month's limit (P&Q 3).
    Heads of service see their own areas' staff."""
    if not selectors.may_see_break_requests(request.user):
        raise PermissionDenied
    today = clock.today()
    months = [today.replace(day=1), *selectors.months_ahead(today, 6)]
    return render(
        request,
        "accounts/break_requests.html",
        {"months": selectors.break_months(viewer=request.user, months=months), "today": today},
    )
