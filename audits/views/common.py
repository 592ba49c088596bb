"""What every audit page shares: the audit the user may see, the audit the user may change,
and the context each page starts from."""

from __future__ import annotations

import functools

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse

from accounts.access_log import case_known

from .. import selectors as sel
from ..models import Audit


def _read(request: HttpRequest, audit: Audit) -> Audit:
    """The audit as read for this request: its case ID goes to the access log as it is."""
    case_known(request, "case_of_audit", audit.pk, audit.case.external_id)
    return audit


def audit_or_404(request: HttpRequest, pk: int) -> Audit:
    return _read(request, sel.audit_for(user=request.user, pk=pk))


def editable_or_403(
    request: HttpRequest, pk: int, *, narrow: bool = False, section: str = ""
) -> Audit:
    """The audit its auditor is changing. These pages name nobody around the case, so the
    people are not read (the auditor's check needs none). `narrow`: only the allocation,
    its case and the form version are joined, as for the autosave (a page that shows no
    more: its checks are the same, and read anything else they ask for); `section` reads
    that section's answer with it (`selectors.audit_for`)."""
    audit = sel.audit_for(user=request.user, pk=pk, narrow=narrow, people=False, section=section)
    _read(request, audit)
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


# No audit has this id (and no address holds it otherwise): the stand-in an address is
# built around once a process.
_STAND_IN = 987_654_321


@functools.cache
def _around(name: str, prefix: str) -> tuple[str, str] | None:
    """An audit page's address (`audit:<name>`) before and after the audit's id, for the
    site's address prefix (`prefix`: the key of the cache, as reverse() depends on it);
    None where the id does not stand once in it."""
    address = reverse(f"audit:{name}", args=[_STAND_IN])
    if address.count(str(_STAND_IN)) != 1:
        return None
    before, _, after = address.partition(str(_STAND_IN))
    return before, after


class AuditAddresses:
    """An audit's pages' addresses by name, `{{ addresses.iro }}` for `{% url 'audit:iro'
    audit.pk %}` (underscores for hyphens: `addresses.qa_check`): the same address, each
    built once a process around the id rather than reversed on every view (the task list
    names a dozen: issue 16)."""

    def __init__(self, pk: int):
        self.pk = pk

    def __getitem__(self, name: str) -> str:
        name = name.replace("_", "-")
        parts = _around(name, get_script_prefix())
        if parts is None:
            return reverse(f"audit:{name}", args=[self.pk])
        return f"{parts[0]}{int(self.pk)}{parts[1]}"
