"""Bury's whole-record audit: the whole case record is examined (4.2), for its
completeness, quality and any need for remedial action (4.1), across the key tasks of
assessment, planning, intervention and review (1.1), and for anything touching the
child's safety (9.1). Graded on the four grades (SPEC §11). Prompts are our own."""

from __future__ import annotations

from .common import ALL_BLOCKS, four_grades


def _section(key: str, title: str, *prompts: str) -> dict:
    return {
        "key": key,
        "title": title,
        "prompts": list(prompts),
        "scale": "grade",
        "applies_to": [],
    }


DEFINITION = {
    "key": "bury",
    "title": "Whole case record audit (Bury)",
    "source": "Bury provisional policy for auditing children's social care records, "
    "sections 1, 4, 6 and 9",
    "period_months": 0,
    "scales": {"grade": four_grades()},
    "sections": [
        _section(
            "assessment",
            "Assessment",
            "Is there a current assessment, complete and of good quality?",
            "Does it record what the child needs and why?",
        ),
        _section(
            "planning",
            "Planning",
            "Does the plan follow from the assessment and say who does what by when?",
        ),
        _section(
            "intervention",
            "Intervention",
            "Is the work done what the plan asked for, and is it recorded?",
            "Is there evidence the work is likely to lead to better outcomes?",
        ),
        _section(
            "review",
            "Review",
            "Are reviews held on time and do they change the plan when needed?",
        ),
        _section(
            "record_quality",
            "Completeness and accuracy of the record",
            "Is the record accurate, up to date and complete across its whole life?",
            "Are case notes, documents and key details where they should be?",
        ),
        _section(
            "safety",
            "The child's safety",
            "Is there anything done or left undone that bears on the child's safety?",
            "If so, raise a safeguarding concern now: do not wait to finish the audit.",
        ),
    ],
    "overall": {
        "scale": "grade",
        "prompt": "Judge the record fully, fairly and critically, and say clearly whether "
        "remedial actions are required.",
    },
    "rules": [],
    "blocks": ALL_BLOCKS,
}
