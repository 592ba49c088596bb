"""What every audit page shares: the audit the user may see, the audit the user may change,
and the context each page starts from."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .. import selectors as sel
from ..models import Audit


def audit_or_404(request: HttpRequest, pk: int) -> Audit:
    return sel.audit_for(user=request.user, pk=pk)


def editable_or_403(
    request: HttpRequest, pk: int, *, narrow: bool = False, section: str = ""
) -> Audit:
    """The audit its auditor is changing. These pages name nobody around the case, so the
    people are not read (the auditor's check needs none). `narrow`: only the allocation,
    its case and the form version are joined, as for the autosave (a page that shows no
    more: its checks are the same, and read anything else they ask for); `section` reads
    that section's answer with it (`selectors.audit_for`)."""
    audit = sel.audit_for(user=request.user, pk=pk, narrow=narrow, people=False, section=section)
    if not sel.may_edit(request.user, audit):
        raise PermissionDenied("Only the auditor changes the audit, until it is submitted.")
    return audit


def page_context(request: HttpRequest, audit: Audit, **extra) -> dict:
    return {
        "audit": audit,
        "case": audit.case,
        "definition": audit.definition,
        "may_edit": sel.may_edit(request.user, audit),
        "is_auditor": sel.is_auditor_of(request.user, audit),
        "is_qa": sel.is_qa(request.user),
        **extra,
    }
