"""An audit's history of changes: every change the database recorded to the audit, its
grades, views and SMART actions, newest first, a page at a time (issue 14; a page of its
own since issue 16, so the task list no longer grows with every autosave)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.history import changes_of
from accounts.paging import paginate

from .. import selectors as sel
from ..models import Audit
from .common import AuditAddresses, audit_or_404, page_context

PER_PAGE = 50


class _Newest:
    """An audit's changes, newest first, read a slice at a time (for `paginate`)."""

    def __init__(self, audit: Audit):
        self.audit = audit

    def __getitem__(self, part: slice) -> list[dict]:
        start = part.start or 0
        return changes_of(self.audit, limit=part.stop - start, offset=start)[::-1]


def changes_page(request: HttpRequest, pk: int) -> HttpResponse:
    """QA staff and the audit's own auditor: anyone else who may see the audit is refused
    (it shows every draft value, as the auditor typed it), anyone who may not gets 404."""
    audit = audit_or_404(request, pk)
    if not (sel.is_qa(request.user) or sel.is_auditor_of(request.user, audit)):
        raise PermissionDenied("Only QA staff and the audit's auditor see its every change.")
    paged = paginate(request, _Newest(audit), per_page=PER_PAGE, numbered=False)
    context = page_context(request, audit, paged=paged, addresses=AuditAddresses(audit.pk))
    return render(request, "audit/changes.html", context)
