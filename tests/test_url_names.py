"""Every named URL of the project and the path it reverses to.

`RECORDED` was taken from the code before the audits app moved into packages (issue 9),
the admin site's pages included: a page that moves to another module keeps its name and
its address."""

from __future__ import annotations

import uuid

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# A sample value for each kind of path converter, so that every pattern can be reversed.
SAMPLE = {
    "IntConverter": 7,
    "SlugConverter": "some-key",
    "StringConverter": "csv",
    "UUIDConverter": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "MonthConverter": "2026-03",
    "PathConverter": "7",
}
# Regular-expression patterns: the admin names an app by its label, allauth a provider.
REGEX_SAMPLE = {"app_label": "audits", "provider_id": "openid_connect"}


def _walk(patterns, namespace="", converters=None):
    converters = converters or {}
    for entry in patterns:
        here = {**converters, **getattr(entry.pattern, "converters", {})}
        for group in entry.pattern.regex.groupindex:
            here.setdefault(group, None)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner, here)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name, here


def named_urls() -> list[tuple[str, str]]:
    """Each named URL with the path it reverses to, sorted by name."""
    found = {}
    for name, converters in _walk(get_resolver().url_patterns):
        kwargs = {
            param: REGEX_SAMPLE[param] if conv is None else SAMPLE[type(conv).__name__]
            for param, conv in converters.items()
        }
        found.setdefault(name, reverse(name, kwargs=kwargs))
    return sorted(found.items())


RECORDED = [
    ("accounts:break-requests", "/accounts/breaks/requests/"),
    ("accounts:break-withdraw", "/accounts/breaks/7/withdraw/"),
    ("accounts:breaks", "/accounts/breaks/"),
    ("accounts:login", "/accounts/sign-in/"),
    ("accounts:logout", "/accounts/sign-out/"),
    ("accounts:notice-open", "/accounts/notices/7/"),
    ("accounts:notices", "/accounts/notices/"),
    ("accounts:organisation", "/accounts/organisation/"),
    ("accounts:policy", "/accounts/policy/"),
    ("accounts:policy-edit", "/accounts/policy/edit/"),
    ("accounts:staff-import", "/accounts/staff/import/"),
    ("accounts:strategic-lead", "/accounts/organisation/areas/7/lead/"),
    ("admin:accounts_breakrequest_add", "/admin/accounts/breakrequest/add/"),
    ("admin:accounts_breakrequest_change", "/admin/accounts/breakrequest/7/change/"),
    ("admin:accounts_breakrequest_changelist", "/admin/accounts/breakrequest/"),
    ("admin:accounts_breakrequest_delete", "/admin/accounts/breakrequest/7/delete/"),
    ("admin:accounts_breakrequest_history", "/admin/accounts/breakrequest/7/history/"),
    ("admin:accounts_notice_add", "/admin/accounts/notice/add/"),
    ("admin:accounts_notice_change", "/admin/accounts/notice/7/change/"),
    ("admin:accounts_notice_changelist", "/admin/accounts/notice/"),
    ("admin:accounts_notice_delete", "/admin/accounts/notice/7/delete/"),
    ("admin:accounts_notice_history", "/admin/accounts/notice/7/history/"),
    ("admin:accounts_policy_add", "/admin/accounts/policy/add/"),
    ("admin:accounts_policy_change", "/admin/accounts/policy/7/change/"),
    ("admin:accounts_policy_changelist", "/admin/accounts/policy/"),
    ("admin:accounts_policy_delete", "/admin/accounts/policy/7/delete/"),
    ("admin:accounts_policy_history", "/admin/accounts/policy/7/history/"),
    ("admin:accounts_servicearea_add", "/admin/accounts/servicearea/add/"),
    ("admin:accounts_servicearea_change", "/admin/accounts/servicearea/7/change/"),
    ("admin:accounts_servicearea_changelist", "/admin/accounts/servicearea/"),
    ("admin:accounts_servicearea_delete", "/admin/accounts/servicearea/7/delete/"),
    ("admin:accounts_servicearea_history", "/admin/accounts/servicearea/7/history/"),
    ("admin:accounts_sweeprun_add", "/admin/accounts/sweeprun/add/"),
    ("admin:accounts_sweeprun_change", "/admin/accounts/sweeprun/7/change/"),
    ("admin:accounts_sweeprun_changelist", "/admin/accounts/sweeprun/"),
    ("admin:accounts_sweeprun_delete", "/admin/accounts/sweeprun/7/delete/"),
    ("admin:accounts_sweeprun_history", "/admin/accounts/sweeprun/7/history/"),
    ("admin:accounts_team_add", "/admin/accounts/team/add/"),
    ("admin:accounts_team_change", "/admin/accounts/team/7/change/"),
    ("admin:accounts_team_changelist", "/admin/accounts/team/"),
    ("admin:accounts_team_delete", "/admin/accounts/team/7/delete/"),
    ("admin:accounts_team_history", "/admin/accounts/team/7/history/"),
    ("admin:accounts_user_add", "/admin/accounts/user/add/"),
    ("admin:accounts_user_change", "/admin/accounts/user/7/change/"),
    ("admin:accounts_user_changelist", "/admin/accounts/user/"),
    ("admin:accounts_user_delete", "/admin/accounts/user/7/delete/"),
    ("admin:accounts_user_history", "/admin/accounts/user/7/history/"),
    ("admin:app_list", "/admin/audits/"),
    ("admin:audits_allocation_add", "/admin/audits/allocation/add/"),
    ("admin:audits_allocation_change", "/admin/audits/allocation/7/change/"),
    ("admin:audits_allocation_changelist", "/admin/audits/allocation/"),
    ("admin:audits_allocation_delete", "/admin/audits/allocation/7/delete/"),
    ("admin:audits_allocation_history", "/admin/audits/allocation/7/history/"),
    ("admin:audits_allocationrun_add", "/admin/audits/allocationrun/add/"),
    ("admin:audits_allocationrun_change", "/admin/audits/allocationrun/7/change/"),
    ("admin:audits_allocationrun_changelist", "/admin/audits/allocationrun/"),
    ("admin:audits_allocationrun_delete", "/admin/audits/allocationrun/7/delete/"),
    ("admin:audits_allocationrun_history", "/admin/audits/allocationrun/7/history/"),
    ("admin:audits_audit_add", "/admin/audits/audit/add/"),
    ("admin:audits_audit_change", "/admin/audits/audit/7/change/"),
    ("admin:audits_audit_changelist", "/admin/audits/audit/"),
    ("admin:audits_audit_delete", "/admin/audits/audit/7/delete/"),
    ("admin:audits_audit_history", "/admin/audits/audit/7/history/"),
    ("admin:audits_exemptionrequest_add", "/admin/audits/exemptionrequest/add/"),
    ("admin:audits_exemptionrequest_change", "/admin/audits/exemptionrequest/7/change/"),
    ("admin:audits_exemptionrequest_changelist", "/admin/audits/exemptionrequest/"),
    ("admin:audits_exemptionrequest_delete", "/admin/audits/exemptionrequest/7/delete/"),
    ("admin:audits_exemptionrequest_history", "/admin/audits/exemptionrequest/7/history/"),
    ("admin:audits_formtemplate_add", "/admin/audits/formtemplate/add/"),
    ("admin:audits_formtemplate_change", "/admin/audits/formtemplate/7/change/"),
    ("admin:audits_formtemplate_changelist", "/admin/audits/formtemplate/"),
    ("admin:audits_formtemplate_delete", "/admin/audits/formtemplate/7/delete/"),
    ("admin:audits_formtemplate_history", "/admin/audits/formtemplate/7/history/"),
    ("admin:audits_formversion_add", "/admin/audits/formversion/add/"),
    ("admin:audits_formversion_change", "/admin/audits/formversion/7/change/"),
    ("admin:audits_formversion_changelist", "/admin/audits/formversion/"),
    ("admin:audits_formversion_delete", "/admin/audits/formversion/7/delete/"),
    ("admin:audits_formversion_history", "/admin/audits/formversion/7/history/"),
    ("admin:audits_inadequatepathway_add", "/admin/audits/inadequatepathway/add/"),
    ("admin:audits_inadequatepathway_change", "/admin/audits/inadequatepathway/7/change/"),
    ("admin:audits_inadequatepathway_changelist", "/admin/audits/inadequatepathway/"),
    ("admin:audits_inadequatepathway_delete", "/admin/audits/inadequatepathway/7/delete/"),
    ("admin:audits_inadequatepathway_history", "/admin/audits/inadequatepathway/7/history/"),
    ("admin:audits_qacheck_add", "/admin/audits/qacheck/add/"),
    ("admin:audits_qacheck_change", "/admin/audits/qacheck/7/change/"),
    ("admin:audits_qacheck_changelist", "/admin/audits/qacheck/"),
    ("admin:audits_qacheck_delete", "/admin/audits/qacheck/7/delete/"),
    ("admin:audits_qacheck_history", "/admin/audits/qacheck/7/history/"),
    ("admin:audits_safeguardingconcern_add", "/admin/audits/safeguardingconcern/add/"),
    ("admin:audits_safeguardingconcern_change", "/admin/audits/safeguardingconcern/7/change/"),
    ("admin:audits_safeguardingconcern_changelist", "/admin/audits/safeguardingconcern/"),
    ("admin:audits_safeguardingconcern_delete", "/admin/audits/safeguardingconcern/7/delete/"),
    ("admin:audits_safeguardingconcern_history", "/admin/audits/safeguardingconcern/7/history/"),
    ("admin:audits_smartaction_add", "/admin/audits/smartaction/add/"),
    ("admin:audits_smartaction_change", "/admin/audits/smartaction/7/change/"),
    ("admin:audits_smartaction_changelist", "/admin/audits/smartaction/"),
    ("admin:audits_smartaction_delete", "/admin/audits/smartaction/7/delete/"),
    ("admin:audits_smartaction_history", "/admin/audits/smartaction/7/history/"),
    ("admin:audits_themetag_add", "/admin/audits/themetag/add/"),
    ("admin:audits_themetag_change", "/admin/audits/themetag/7/change/"),
    ("admin:audits_themetag_changelist", "/admin/audits/themetag/"),
    ("admin:audits_themetag_delete", "/admin/audits/themetag/7/delete/"),
    ("admin:audits_themetag_history", "/admin/audits/themetag/7/history/"),
    ("admin:auth_group_add", "/admin/auth/group/add/"),
    ("admin:auth_group_change", "/admin/auth/group/7/change/"),
    ("admin:auth_group_changelist", "/admin/auth/group/"),
    ("admin:auth_group_delete", "/admin/auth/group/7/delete/"),
    ("admin:auth_group_history", "/admin/auth/group/7/history/"),
    ("admin:auth_user_password_change", "/admin/accounts/user/csv/password/"),
    ("admin:autocomplete", "/admin/autocomplete/"),
    ("admin:index", "/admin/"),
    ("admin:jsi18n", "/admin/jsi18n/"),
    ("admin:login", "/admin/login/"),
    ("admin:logout", "/admin/logout/"),
    ("admin:password_change", "/admin/password_change/"),
    ("admin:password_change_done", "/admin/password_change/done/"),
    ("admin:remediation_actionplanitem_add", "/admin/remediation/actionplanitem/add/"),
    ("admin:remediation_actionplanitem_change", "/admin/remediation/actionplanitem/7/change/"),
    ("admin:remediation_actionplanitem_changelist", "/admin/remediation/actionplanitem/"),
    ("admin:remediation_actionplanitem_delete", "/admin/remediation/actionplanitem/7/delete/"),
    ("admin:remediation_actionplanitem_history", "/admin/remediation/actionplanitem/7/history/"),
    ("admin:remediation_complianceitem_add", "/admin/remediation/complianceitem/add/"),
    ("admin:remediation_complianceitem_change", "/admin/remediation/complianceitem/7/change/"),
    ("admin:remediation_complianceitem_changelist", "/admin/remediation/complianceitem/"),
    ("admin:remediation_complianceitem_delete", "/admin/remediation/complianceitem/7/delete/"),
    ("admin:remediation_complianceitem_history", "/admin/remediation/complianceitem/7/history/"),
    ("admin:remediation_compliancereview_add", "/admin/remediation/compliancereview/add/"),
    ("admin:remediation_compliancereview_change", "/admin/remediation/compliancereview/7/change/"),
    ("admin:remediation_compliancereview_changelist", "/admin/remediation/compliancereview/"),
    ("admin:remediation_compliancereview_delete", "/admin/remediation/compliancereview/7/delete/"),
    (
        "admin:remediation_compliancereview_history",
        "/admin/remediation/compliancereview/7/history/",
    ),
    ("admin:remediation_disagreement_add", "/admin/remediation/disagreement/add/"),
    ("admin:remediation_disagreement_change", "/admin/remediation/disagreement/7/change/"),
    ("admin:remediation_disagreement_changelist", "/admin/remediation/disagreement/"),
    ("admin:remediation_disagreement_delete", "/admin/remediation/disagreement/7/delete/"),
    ("admin:remediation_disagreement_history", "/admin/remediation/disagreement/7/history/"),
    ("admin:remediation_followup_add", "/admin/remediation/followup/add/"),
    ("admin:remediation_followup_change", "/admin/remediation/followup/7/change/"),
    ("admin:remediation_followup_changelist", "/admin/remediation/followup/"),
    ("admin:remediation_followup_delete", "/admin/remediation/followup/7/delete/"),
    ("admin:remediation_followup_history", "/admin/remediation/followup/7/history/"),
    ("admin:remediation_managementdecision_add", "/admin/remediation/managementdecision/add/"),
    (
        "admin:remediation_managementdecision_change",
        "/admin/remediation/managementdecision/7/change/",
    ),
    ("admin:remediation_managementdecision_changelist", "/admin/remediation/managementdecision/"),
    (
        "admin:remediation_managementdecision_delete",
        "/admin/remediation/managementdecision/7/delete/",
    ),
    (
        "admin:remediation_managementdecision_history",
        "/admin/remediation/managementdecision/7/history/",
    ),
    ("admin:remediation_remedialaction_add", "/admin/remediation/remedialaction/add/"),
    ("admin:remediation_remedialaction_change", "/admin/remediation/remedialaction/7/change/"),
    ("admin:remediation_remedialaction_changelist", "/admin/remediation/remedialaction/"),
    ("admin:remediation_remedialaction_delete", "/admin/remediation/remedialaction/7/delete/"),
    ("admin:remediation_remedialaction_history", "/admin/remediation/remedialaction/7/history/"),
    ("admin:sampling_case_add", "/admin/sampling/case/add/"),
    ("admin:sampling_case_change", "/admin/sampling/case/7/change/"),
    ("admin:sampling_case_changelist", "/admin/sampling/case/"),
    ("admin:sampling_case_delete", "/admin/sampling/case/7/delete/"),
    ("admin:sampling_case_history", "/admin/sampling/case/7/history/"),
    ("admin:sampling_namemapping_add", "/admin/sampling/namemapping/add/"),
    ("admin:sampling_namemapping_change", "/admin/sampling/namemapping/7/change/"),
    ("admin:sampling_namemapping_changelist", "/admin/sampling/namemapping/"),
    ("admin:sampling_namemapping_delete", "/admin/sampling/namemapping/7/delete/"),
    ("admin:sampling_namemapping_history", "/admin/sampling/namemapping/7/history/"),
    ("admin:sampling_sample_add", "/admin/sampling/sample/add/"),
    ("admin:sampling_sample_change", "/admin/sampling/sample/7/change/"),
    ("admin:sampling_sample_changelist", "/admin/sampling/sample/"),
    ("admin:sampling_sample_delete", "/admin/sampling/sample/7/delete/"),
    ("admin:sampling_sample_history", "/admin/sampling/sample/7/history/"),
    ("admin:sampling_snapshot_add", "/admin/sampling/snapshot/add/"),
    ("admin:sampling_snapshot_change", "/admin/sampling/snapshot/7/change/"),
    ("admin:sampling_snapshot_changelist", "/admin/sampling/snapshot/"),
    ("admin:sampling_snapshot_delete", "/admin/sampling/snapshot/7/delete/"),
    ("admin:sampling_snapshot_history", "/admin/sampling/snapshot/7/history/"),
    ("admin:view_on_site", "/admin/r/7/7/"),
    ("audit:actions", "/audit/7/actions/"),
    ("audit:autosave", "/audit/7/autosave/some-key/"),
    ("audit:comment", "/audit/7/comment/"),
    ("audit:consensus", "/audit/pair/12345678-1234-5678-1234-567812345678/"),
    ("audit:conversations", "/audit/7/conversations/"),
    ("audit:for-allocation", "/audit/allocation/7/"),
    ("audit:form-action", "/audit/forms/7/action/"),
    ("audit:form-edit", "/audit/forms/7/edit/"),
    ("audit:form-preview", "/audit/forms/7/"),
    ("audit:forms", "/audit/forms/"),
    ("audit:iro", "/audit/7/iro/"),
    ("audit:moderation-assign", "/audit/7/moderation/assign/"),
    ("audit:moderation-decide", "/audit/7/moderation/decide/"),
    ("audit:overall", "/audit/7/overall/"),
    ("audit:pdf", "/audit/7/pdf/"),
    ("audit:qa-check", "/audit/7/qa/"),
    ("audit:qa-queue", "/audit/qa/"),
    ("audit:respond", "/audit/7/comment/7/respond/"),
    ("audit:safeguarding", "/audit/7/safeguarding/"),
    ("audit:section", "/audit/7/section/some-key/"),
    ("audit:share", "/audit/7/share/"),
    ("audit:submit", "/audit/7/submit/"),
    ("audit:supervision", "/audit/7/supervision/"),
    ("audit:task-list", "/audit/7/"),
    ("audit:themes", "/audit/forms/themes/"),
    ("audit:views", "/audit/7/views/"),
    ("audits:allocation", "/audits/allocations/7/"),
    ("audits:allocation-index", "/audits/allocation/"),
    ("audits:completion", "/audits/completion/2026-03/"),
    ("audits:completion-export", "/audits/completion/2026-03/export.csv"),
    ("audits:exemption-decide", "/audits/exemptions/7/"),
    ("audits:exemption-request", "/audits/allocations/7/exemption/"),
    ("audits:exemptions", "/audits/exemptions/"),
    ("audits:mine", "/audits/mine/"),
    ("audits:move", "/audits/allocations/7/move/"),
    ("audits:place", "/audits/allocation/2026-03/place/7/"),
    ("audits:review", "/audits/allocation/2026-03/"),
    ("audits:review-export", "/audits/allocation/2026-03/export.csv"),
    ("remediation:authorise", "/actions/authorise/"),
    ("remediation:carrier", "/actions/7/carrier/"),
    ("remediation:compliance", "/actions/compliance/"),
    ("remediation:compliance-follow-up", "/actions/compliance/2026-03/follow-up/"),
    ("remediation:compliance-report", "/actions/compliance/2026-03/report/"),
    ("remediation:compliance-report-pdf", "/actions/compliance/2026-03/report.pdf"),
    ("remediation:compliance-review", "/actions/compliance/2026-03/"),
    ("remediation:compliance-xlsx", "/actions/compliance/2026-03/review.xlsx"),
    ("remediation:decision", "/actions/decisions/7/"),
    ("remediation:decision-new", "/actions/7/decision/"),
    ("remediation:decline", "/actions/7/decline/"),
    ("remediation:detail", "/actions/7/"),
    ("remediation:disagreement", "/actions/disagreements/7/"),
    ("remediation:disagreement-new", "/actions/7/disagreement/"),
    ("remediation:fulfil", "/actions/7/fulfil/"),
    ("remediation:list", "/actions/"),
    ("remediation:plan", "/actions/plan/"),
    ("remediation:plan-edit", "/actions/plan/7/"),
    ("remediation:plan-export", "/actions/plan/export.csv"),
    ("remediation:plan-new", "/actions/plan/new/"),
    ("remediation:send-back", "/actions/7/send-back/"),
    ("remediation:sign-off", "/actions/sign-off/"),
    ("remediation:waiting", "/actions/waiting/"),
    ("reporting:accessibility", "/accessibility/"),
    ("reporting:case", "/cases/csv/"),
    ("reporting:health", "/health/"),
    ("reporting:home", "/"),
    ("reporting:privacy", "/privacy/"),
    ("sampling:frame", "/sampling/frame/"),
    ("sampling:import", "/sampling/frame/import/"),
    ("sampling:import-detail", "/sampling/frame/imports/7/"),
    ("sampling:import-progress", "/sampling/frame/imports/7/progress/"),
    ("sampling:names", "/sampling/frame/names/"),
    ("sampling:sample-confirm", "/sampling/samples/7/confirm/"),
    ("sampling:sample-detail", "/sampling/samples/7/"),
    ("sampling:sample-draw", "/sampling/samples/draw/"),
    ("sampling:sample-export", "/sampling/samples/7/export.csv"),
    ("sampling:sample-redraw", "/sampling/samples/7/redraw/"),
    ("sampling:samples", "/sampling/samples/"),
    ("sampling:thematic-new", "/sampling/samples/thematic/"),
]


# The Django admin's pages of models that hold a child's records were taken away on purpose
# (issue 14: administrators run the system, they do not read case data).
ADMIN_GONE = tuple(
    f"admin:{model}_"
    for model in [
        "accounts_notice",
        "audits_allocation",
        "audits_allocationrun",
        "audits_audit",
        "audits_exemptionrequest",
        "audits_inadequatepathway",
        "audits_qacheck",
        "audits_safeguardingconcern",
        "audits_smartaction",
        "remediation_complianceitem",
        "remediation_compliancereview",
        "remediation_disagreement",
        "remediation_followup",
        "remediation_managementdecision",
        "remediation_remedialaction",
        "sampling_case",
        "sampling_sample",
        "sampling_snapshot",
    ]
)


def test_every_recorded_url_keeps_its_name_and_path():
    """A URL added later need not be recorded; one that is recorded never moves or goes."""
    now = dict(named_urls())
    changed = [
        (name, path, now.get(name, "(gone)"))
        for name, path in RECORDED
        if now.get(name) != path and not name.startswith(ADMIN_GONE)
    ]
    assert changed == []


def test_the_admin_holds_no_page_of_a_childs_records():
    """Issue 14: none of the admin pages taken away has come back."""
    assert [name for name, _ in named_urls() if name.startswith(ADMIN_GONE)] == []
