"""Which views open a child's records, for the access log (issue 14).

Every URL whose path takes the id of a case, audit, allocation, action or anything of
theirs is either here or in EXEMPT with the reason; `tests/test_access_log_registry.py`
fails when a new one is neither. The config package sits above every app, so it may name
their models; `accounts.access_log` reads this through `settings.ACCESS_LOG_VIEWS`.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.access_log import Logged
from accounts.models import AccessKind as K


def _first(queryset, field: str):
    """The case ID as a subquery: the access log writes it in the same INSERT."""
    return queryset.values_list(field, flat=True)[:1]


def case_of_case_pk(pk) -> QuerySet:
    from sampling.models import Case

    return _first(Case.objects.filter(pk=pk), "external_id")


def case_of_audit(pk) -> QuerySet:
    from audits.models import Audit

    return _first(Audit.objects.filter(pk=pk), "allocation__case__external_id")


def case_of_pathway(pk) -> QuerySet:
    from audits.models import InadequatePathway

    return _first(InadequatePathway.objects.filter(pk=pk), "audit__allocation__case__external_id")


def case_of_pair(group) -> QuerySet:
    from audits.models import Allocation

    return _first(Allocation.objects.filter(pair_group=group), "case__external_id")


def case_of_allocation(pk) -> QuerySet:
    from audits.models import Allocation

    return _first(Allocation.objects.filter(pk=pk), "case__external_id")


def case_of_exemption(pk) -> QuerySet:
    from audits.models import ExemptionRequest

    return _first(ExemptionRequest.objects.filter(pk=pk), "allocation__case__external_id")


def case_of_action(pk) -> QuerySet:
    from remediation.models import RemedialAction

    return _first(RemedialAction.objects.filter(pk=pk), "case__external_id")


def case_of_decision(pk) -> QuerySet:
    from remediation.models import ManagementDecision

    return _first(ManagementDecision.objects.filter(pk=pk), "action__case__external_id")


def case_of_disagreement(pk) -> QuerySet:
    from remediation.models import Disagreement

    return _first(Disagreement.objects.filter(pk=pk), "action__case__external_id")


def _same(value) -> str:
    return str(value)


_HERE = "config.access_log."
CASE = Logged(K.CASE, "external_id", _HERE + "_same")
AUDIT = Logged(K.AUDIT, "pk", _HERE + "case_of_audit")
ALLOCATION = Logged(K.ALLOCATION, "pk", _HERE + "case_of_allocation")
ACTION = Logged(K.ACTION, "pk", _HERE + "case_of_action")

VIEWS: dict[str, Logged] = {
    "reporting:case": CASE,
    # The audit: every page of it, by anyone who may see it, and its PDF.
    "audit:for-allocation": Logged(K.ALLOCATION, "allocation_pk", _HERE + "case_of_allocation"),
    **{
        f"audit:{name}": AUDIT
        for name in (
            "task-list",
            "section",
            "views",
            "overall",
            "actions",
            "conversations",
            "submit",
            "share",
            "comment",
            "respond",
            "moderation-assign",
            "moderation-decide",
            "qa-check",
            "supervision",
            "safeguarding",
            "iro",
            "challenge-moderation",
            "review-session",
            "changes",
        )
    },
    "audit:pathway": Logged(K.AUDIT, "pk", _HERE + "case_of_pathway"),
    "audit:pdf": Logged(K.AUDIT_PDF, "pk", _HERE + "case_of_audit"),
    "audit:word": Logged(K.AUDIT_WORD, "pk", _HERE + "case_of_audit"),
    "audit:consensus": Logged(K.AUDIT, "group", _HERE + "case_of_pair"),
    # Allocations and exemptions name the case.
    "audits:allocation": ALLOCATION,
    "audits:move": ALLOCATION,
    "audits:exemption-request": ALLOCATION,
    "audits:exemption-decide": Logged(K.EXEMPTION, "pk", _HERE + "case_of_exemption"),
    "audits:place": Logged(K.CASE, "case_id", _HERE + "case_of_case_pk"),
    # Remedial actions and what hangs on them.
    **{
        f"remediation:{name}": ACTION
        for name in (
            "detail",
            "fulfil",
            "send-back",
            "decline",
            "carrier",
            "decision-new",
            "disagreement-new",
        )
    },
    "remediation:decision": Logged(K.DECISION, "pk", _HERE + "case_of_decision"),
    "remediation:disagreement": Logged(K.DISAGREEMENT, "pk", _HERE + "case_of_disagreement"),
    # Pages and files that list many children's cases by ID.
    "audits:review": Logged(K.LIST, "period"),
    "audits:thematic": Logged(K.LIST, "pk"),
    # The dashboard's drill-down lists name the cases behind a figure.
    "reporting:dashboard-list": Logged(K.LIST, "kind"),
    "audits:review-export": Logged(K.EXPORT, "period"),
    "audits:completion-export": Logged(K.EXPORT, "period"),
    "sampling:sample-detail": Logged(K.LIST, "pk"),
    "sampling:sample-export": Logged(K.EXPORT, "pk"),
    "remediation:compliance-review": Logged(K.LIST, "month"),
    "remediation:compliance-xlsx": Logged(K.EXPORT, "month"),
}

# URLs that take an id but open no child's record, each with the reason.
EXEMPT: dict[str, str] = {
    "accounts:strategic-lead": "a service area",
    "accounts:password-reset-confirm": "a password reset link",
    "accounts:notice-open": "the person's own notice; it leads to a page that is logged",
    "accounts:break-withdraw": "an auditor's break",
    "audit:autosave": "the auditor's own typing, every few seconds; the page it saves from "
    "is logged when opened",
    "audit:form-preview": "a blank audit form",
    "audit:form-action": "a blank audit form",
    "audit:form-edit": "a blank audit form",
    "audits:completion": "counts by auditor, team and area",
    "sampling:import-detail": "an import's summary: counts, columns and unmatched staff names",
    "sampling:import-progress": "an import's progress",
    "sampling:sample-redraw": "redirects to the sample page, which is logged",
    "sampling:sample-confirm": "redirects to the sample page, which is logged",
    "remediation:compliance-report": "counts by kind and team",
    "remediation:compliance-report-pdf": "counts by kind and team",
    "remediation:compliance-follow-up": "the review of reviews: audits already logged",
    "remediation:plan-edit": "the six-monthly action plan: themes, not children",
    "remediation:plan-export": "the six-monthly action plan: themes, not children",
    "openid_connect_login": "single sign-on: the identity provider's name",
    "openid_connect_callback": "single sign-on: the identity provider's name",
    "audits:sending": "counts of the notices a confirmed allocation is sending",
    "audits:sending-progress": "counts of the notices a confirmed allocation is sending",
    "reporting:dashboard-table": "a dashboard table: figures by month, team or area, no case",
    "reporting:monthly-report": "the monthly report: figures, themes and learning, no case",
    "reporting:monthly-report-comment": "QA staff's commentary on the monthly report",
    "reporting:monthly-report-version": "the monthly report: figures, themes and learning, no case",
    "reporting:monthly-report-file": "the monthly report: figures, themes and learning, no case",
    "reporting:monthly-report-table": "a monthly report table: figures, no case",
    "reporting:half-year-report": "the six-monthly report: figures and narrative, no case",
    "reporting:half-year-edit": "QA staff's narrative of the six-monthly report",
    "reporting:half-year-publish": "the six-monthly report: figures and narrative, no case",
    "reporting:half-year-report-file": "the six-monthly report: figures and narrative, no case",
    "reporting:half-year-report-table": "a six-monthly report table: figures, no case",
    "api:key-revoke": "an integration's API key; each pull with a key is recorded as ApiPull",
}
