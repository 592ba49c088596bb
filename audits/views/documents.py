"""The finished audit as a Word document, beside the PDF (issue 15)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse

from .. import lifecycle
from .. import selectors as sel
from ..documents import CONTENT_TYPE, audit_docx


def audit_word(request: HttpRequest, pk: int) -> HttpResponse:
    """Anyone who may see the audit downloads it as .docx once it is finished (with the
    team manager, or closed); before then there is no finished audit to file."""
    if not settings.WORD_EXPORT_ENABLED:
        raise Http404("The Word download is switched off")
    audit = sel.audit_for(user=request.user, pk=pk)
    if audit.status not in lifecycle.FINISHED:
        raise Http404("The audit is not finished yet")
    response = HttpResponse(audit_docx(audit=audit), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="audit-{audit.case.external_id}.docx"'
    return response
