"""The four-month compliance review: its pages, spreadsheet, report and follow-up."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods

from accounts.errors import RuleViolation
from accounts.paging import paginate, pagination
from audits.exports import FORMATS
from audits.models import Audit

from .. import access, selectors, services
from ..compliance_display import item_rows, summary_rows
from ..display import address
from ..forms import FollowUpForm
from ..spreadsheet import compliance_workbook

# The compliance review ----------------------------------------------------------------


def _may_see_reviews(request: HttpRequest) -> None:
    user = request.user
    if not (
        access.reads_figures(user)
        or access.managed_team_ids(user)
        or access.overseen_team_ids(user)
    ):
        raise PermissionDenied


def _teams_shown(request: HttpRequest, *, figures: bool = False) -> list[int] | None:
    """The teams of a review the reader may see (None: every team), or the one they ask
    for (`?team=`); not found when it is not theirs."""
    team_ids = selectors.review_teams_for(user=request.user, figures=figures)
    wanted = request.GET.get("team", "")
    if wanted.isdigit():
        team_id = int(wanted)
        if team_ids is not None and team_id not in team_ids:
            raise Http404
        team_ids = [team_id]
    return team_ids


def _review_and_teams(request: HttpRequest, month: dt.date, *, figures: bool = False):
    """The month's review and the teams of it the reader may see (None: every team)."""
    _may_see_reviews(request)
    review = selectors.review_for_month(month=month)
    if review is None:
        raise Http404
    return review, _teams_shown(request, figures=figures)


def _review_and_items(request: HttpRequest, month: dt.date, *, figures: bool = False):
    review, team_ids = _review_and_teams(request, month, figures=figures)
    return review, selectors.review_items(review=review, team_ids=team_ids)


def compliance_index(request: HttpRequest) -> HttpResponse:
    """The months' compliance reviews (Bury 10)."""
    _may_see_reviews(request)
    return render(
        request,
        "remediation/compliance_index.html",
        {"reviews": selectors.reviews(), "is_qa": access.is_qa(request.user)},
    )


REVIEW_TEAMS_A_PAGE = 5


def compliance_review(request: HttpRequest, month: dt.date) -> HttpResponse:
    """The month's review by team, as its spreadsheet has it: for each action fulfilled,
    completed, authorised, and what is outstanding (Bury 10.1-10.2). The summary has every
    team; the actions are shown for five teams a page (the spreadsheet has them all)."""
    _may_see_reviews(request)
    # The review and its summary (counted by the database) in one query; only the page's
    # teams' actions are read.
    review, teams = selectors.review_and_summary(month=month, team_ids=_teams_shown(request))
    if review is None:
        raise Http404
    for index, row in enumerate(teams):
        row.page = index // REVIEW_TEAMS_A_PAGE + 1
    paged = paginate(request, teams, per_page=REVIEW_TEAMS_A_PAGE)
    items = selectors.review_page_items(
        review=review, team_ids=[row.team.pk for row in paged.items]
    )
    # The tables' rows are built in Python: most of the page's time in a template.
    days: dict = {}  # each date shown on the page, formatted once
    for row in paged.items:
        row.rows = item_rows(items.get(row.team.pk, []), days)
    team_param = request.GET.get("team", "")
    month_arg = f"{review.month:%Y-%m}"
    # The page's addresses, each reversed once a process (`display.address`).
    addresses = {
        "index": address("remediation:compliance"),
        "xlsx": address("remediation:compliance-xlsx", month_arg),
        "report": address("remediation:compliance-report", month_arg),
        "follow_up": address("remediation:compliance-follow-up", month_arg),
    }
    return render(
        request,
        "remediation/compliance_review.html",
        {
            "review": review,
            "teams": teams,
            "summary_rows": summary_rows(teams, team_param=team_param),
            "paged": paged,
            # `{% include "_pagination.html" %}`, built in Python (`accounts.paging.pagination`).
            "pagination": pagination(paged, "Pages of teams"),
            "team_param": team_param,
            "addresses": addresses,
            "is_qa": access.is_qa(request.user),
        },
    )


def compliance_xlsx(request: HttpRequest, month: dt.date) -> HttpResponse:
    """The review as a workbook: a summary and one sheet per team the reader may see."""
    review, items = _review_and_items(request, month)
    response = HttpResponse(
        compliance_workbook(review=review, items=items), content_type=FORMATS["xlsx"]
    )
    response["Content-Disposition"] = (
        f'attachment; filename="compliance-review-{review.month:%Y-%m}.xlsx"'
    )
    return response


def _report_context(request: HttpRequest, month: dt.date) -> dict:
    review, items = _review_and_items(request, month, figures=True)
    return {"review": review, "report": selectors.outstanding_report(items)}


def compliance_report(request: HttpRequest, month: dt.date) -> HttpResponse:
    """One page for the senior managers' meeting: outstanding actions by kind and by team
    (Bury 10.2)."""
    return render(request, "remediation/compliance_report.html", _report_context(request, month))


def compliance_report_pdf(request: HttpRequest, month: dt.date) -> HttpResponse:
    """The same page as a PDF, to table at the meeting."""
    from weasyprint import HTML

    context = _report_context(request, month)
    html = render_to_string("pdf/compliance_report.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="outstanding-actions-{month:%Y-%m}.pdf"'
    )
    return response


@permission_required("accounts.quality_assure", raise_exception=True)
@require_http_methods(["GET", "POST"])
def compliance_follow_up(request: HttpRequest, month: dt.date) -> HttpResponse:
    """The review of reviews: QA staff look again at an audit of an earlier review and
    record whether the improvement held (Bury 10.2)."""
    review = selectors.review_for_month(month=month)
    if review is None:
        raise Http404
    items = selectors.review_items(review=review)
    audits: dict[int, Audit] = {}
    for item in items:
        audits.setdefault(item.audit_id, item.audit)
    choices = [
        (pk, f"Case {a.allocation.case.external_id}, audited by {a.allocation.auditor}")
        for pk, a in audits.items()
    ]
    form = FollowUpForm(request.POST or None, audits=choices)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_record(
                review=review,
                audit=audits[form.cleaned_data["audit"]],
                by=request.user,
                held=form.cleaned_data["held"],
                note=form.cleaned_data["note"],
            )
        except RuleViolation as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Recorded whether the improvement held.")
            return redirect("remediation:compliance-follow-up", month=f"{month:%Y-%m}")
    done = selectors.follow_ups(review=review)
    rows = [(a, done.get(pk)) for pk, a in audits.items()]
    return render(
        request,
        "remediation/follow_up.html",
        {"review": review, "rows": rows, "form": form},
    )
