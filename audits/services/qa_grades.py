"""The QA check with the QA officer's own grades, kept for agreement statistics.

QA staff check a random share of finished audits for consistency (Bury 5.2, 6.5). When they
also grade the record themselves, their grades and the auditor's as they stood at the check
are kept beside the decision, so the reports can say how far auditors and QA staff agree
(reporting's weighted kappa and ordinal alpha). Giving grades is optional; the decision
itself is `qa_accept` or `qa_return`, unchanged.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from accounts.errors import RuleViolation
from accounts.models import User

from .. import grading
from ..form_presets import sections_for
from ..models import Audit, QACheck
from .routing import qa_accept, qa_return


def grades_of(audit: Audit) -> dict:
    """The auditor's grades as they stand: {"overall": v, "sections": {key: v}}."""
    return {
        "overall": audit.overall_grade,
        "sections": {a.key: a.grade for a in audit.answers.all() if a.grade},
    }


def qa_grades_clean(*, audit: Audit, grades: dict) -> dict:
    """Keep the grades given, each checked against its scale; blanks are dropped. Refused
    with the section named when a grade is not on its scale."""
    definition = audit.definition
    cleaned: dict = {"overall": "", "sections": {}}
    overall = (grades.get("overall") or "").strip()
    if overall:
        if overall not in grading.values(definition, definition["overall"]["scale"]):
            raise RuleViolation("Choose your overall grade from the scale.")
        cleaned["overall"] = overall
    given = grades.get("sections") or {}
    for section in sections_for(definition, audit.case.case_type):
        value = (given.get(section["key"]) or "").strip()
        if not value:
            continue
        if value not in grading.values(definition, section["scale"]):
            raise RuleViolation(f"Choose your grade for “{section['title']}” from its scale.")
        cleaned["sections"][section["key"]] = value
    if not cleaned["overall"] and not cleaned["sections"]:
        return {}
    return cleaned


def qa_grade_rows(*, audit: Audit, posted) -> list[dict]:
    """The QA check page's optional grade fields: each section that applies, then the
    overall grade, with its scale and what was posted."""
    definition = audit.definition
    rows = [
        {
            "name": f"qa-grade-{s['key']}",
            "title": s["title"],
            "levels": definition["scales"][s["scale"]],
            "value": posted.get(f"qa-grade-{s['key']}", ""),
        }
        for s in sections_for(definition, audit.case.case_type)
    ]
    rows.append(
        {
            "name": "qa-overall",
            "title": "Overall grade",
            "levels": definition["scales"][definition["overall"]["scale"]],
            "value": posted.get("qa-overall", ""),
        }
    )
    return rows


def qa_grades_posted(*, audit: Audit, posted) -> dict:
    """The grades the QA check form posted, in the shape `qa_check_decide` takes."""
    return {
        "overall": posted.get("qa-overall", ""),
        "sections": {
            s["key"]: posted.get(f"qa-grade-{s['key']}", "")
            for s in sections_for(audit.definition, audit.case.case_type)
        },
    }


@transaction.atomic
def qa_check_decide(
    *,
    audit: Audit,
    by: User,
    accept: bool,
    today: dt.date,
    reason: str = "",
    grades: dict | None = None,
) -> QACheck:
    """Accept the checked audit or return it for amendment (P&Q 20), recording the QA
    officer's own grades, when given, beside the auditor's as they stood (Bury 5.2, 8.1)."""
    audit = Audit.objects.select_related("allocation__case", "form_version").get(pk=audit.pk)
    cleaned = qa_grades_clean(audit=audit, grades=grades) if grades else {}
    snapshot = grades_of(audit) if cleaned else {}
    if accept:
        qa_accept(audit=audit, by=by, today=today)
        check = QACheck.objects.filter(audit=audit, by=by).latest("at", "id")
    else:
        check = qa_return(audit=audit, by=by, reason=reason, today=today)
    if cleaned:
        QACheck.objects.filter(pk=check.pk).update(qa_grades=cleaned, auditor_grades=snapshot)
        check.qa_grades, check.auditor_grades = cleaned, snapshot
    return check
