"""The demo QA officer's own grades at a QA check, for the agreement figures: mostly the
auditor's, sometimes a grade either side. Seeded on the audit, so the demo's other random
choices are untouched and building it twice gives the same grades."""

from __future__ import annotations

import random

from audits.form_presets import sections_for
from audits.models import Audit


def _near(rng: random.Random, values: list[str], value: str, same: float) -> str:
    if value not in values or rng.random() < same:
        return value
    index = values.index(value) + rng.choice((-1, 1))
    return values[min(len(values) - 1, max(0, index))]


def qa_officer_grades(audit: Audit) -> dict:
    rng = random.Random(f"demo-qa-grades:{audit.pk}")
    definition = audit.definition
    given = {a.key: a.grade for a in audit.answers.all()}
    sections = {}
    for section in sections_for(definition, audit.case.case_type):
        values = [level["value"] for level in definition["scales"][section["scale"]]]
        if given.get(section["key"]):
            sections[section["key"]] = _near(rng, values, given[section["key"]], 0.75)
    overall_values = [lv["value"] for lv in definition["scales"][definition["overall"]["scale"]]]
    return {"overall": _near(rng, overall_values, audit.overall_grade, 0.85), "sections": sections}
