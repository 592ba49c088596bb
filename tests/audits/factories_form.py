"""Audits ready to fill in, on any of the five forms, for the audit tests."""

from __future__ import annotations

import datetime as dt

from audits.form_presets import sections_for
from audits.models import Audit, ChildFamilyViews
from audits.services import (
    audit_start,
    form_preset_load,
    overall_save,
    section_save,
    views_save,
)
from sampling.models import CaseType
from tests.audits.factories import allocation, case_in

TODAY = dt.date(2026, 11, 10)


def load_form(key: str = "bradford"):
    return form_preset_load(key=key, make_current=True)


def started_audit(
    org, *, form: str = "bradford", case_type: str = CaseType.CIN, auditor=None, case=None, **alloc
) -> Audit:
    """An audit in progress of a case in the north team, worked by the org's social worker,
    audited by the org's auditor (from the south team)."""
    load_form(form)
    case = case or case_in(org.north_team, worker=org.social_worker, case_type=case_type)
    allocated = allocation(auditor=auditor or org.auditor, case=case, **alloc)
    return audit_start(allocation=allocated, by=allocated.auditor)


def fill_in(
    audit: Audit, *, grade: str | None = None, overall: str | None = None, **overall_fields
):
    """Every section graded with evidence, the views recorded, and an overall grade."""
    audit.refresh_from_db()
    definition = audit.definition
    by = audit.auditor
    for section in sections_for(definition, audit.case.case_type):
        levels = definition["scales"][section["scale"]]
        chosen = grade if grade in [lv["value"] for lv in levels] else levels[1]["value"]
        answer = audit.answers.filter(key=section["key"]).first()
        section_save(
            audit=audit,
            key=section["key"],
            grade=chosen,
            evidence=f"Evidence for {section['key']}: the file shows it.",
            revision=answer.revision if answer else 0,
            by=by,
            complete=True,
        )
    views = ChildFamilyViews.objects.get(audit=audit)
    views_save(
        audit=audit,
        revision=views.revision,
        by=by,
        contacted=ChildFamilyViews.Contacted.PARENT,
        consent=ChildFamilyViews.Consent.YES,
        views="Mum said the worker listens and comes when she says she will.",
    )
    audit.refresh_from_db()
    overall_levels = definition["scales"][definition["overall"]["scale"]]
    fields = {
        "overall_grade": overall or overall_levels[1]["value"],
        "overall_reason": "Most sections are good.",
        "strengths": "Warm, steady direct work with the child.",
        "learning": "Chronologies fall behind when workers change.",
    }
    if "outcomes_question" in definition["blocks"]:
        fields["outcomes_met"] = "on_track"
    fields.update(overall_fields)
    overall_save(audit=audit, revision=audit.revision, by=by, **fields)
    audit.refresh_from_db()
    return audit
