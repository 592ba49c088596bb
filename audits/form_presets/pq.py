"""The Performance and Quality Service's audit tool: nine domains, each judged met,
partially met or not met against the Knowledge and Skills Statement (P&Q 16), and an
overall judgement on a five-level scale that includes "requires improvement with elements
of good practice", which must name the good elements.

The seed gives the number of domains but not their titles; the nine below are drawn from
what its judgement descriptors look for, in our own words."""

from __future__ import annotations

from .common import ALL_BLOCKS

MET = [
    {"value": "met", "label": "Met", "descriptor": "The standard is met in full."},
    {
        "value": "partially_met",
        "label": "Partially met",
        "descriptor": "Some of the standard is met; gaps remain.",
    },
    {"value": "not_met", "label": "Not met", "descriptor": "The standard is not met."},
]

OVERALL = [
    {
        "value": "outstanding",
        "label": "Outstanding",
        "descriptor": "Good in full, plus significantly better outcomes sustained over "
        "time; the child and family shaped their plans.",
    },
    {
        "value": "good",
        "label": "Good",
        "descriptor": "Help and protection are timely and effective; child and family "
        "voices are clear; supervision is reflective.",
    },
    {
        "value": "requires_improvement_good_elements",
        "label": "Requires improvement with elements of good practice",
        "descriptor": "Minimum requirements are met and named parts of the work are good; "
        "with fewer gaps the case would be good.",
    },
    {
        "value": "requires_improvement",
        "label": "Requires improvement",
        "descriptor": "Safe and minimum requirements met, but not yet good; some drift; "
        "voices and compliance limited.",
    },
    {
        "value": "inadequate",
        "label": "Inadequate",
        "descriptor": "The child's welfare is not safeguarded or promoted; voices absent; "
        "repeated failures to comply.",
        "inadequate": True,
    },
]


def _domain(key: str, title: str, *prompts: str) -> dict:
    return {"key": key, "title": title, "prompts": list(prompts), "scale": "met", "applies_to": []}


DEFINITION = {
    "key": "pq",
    "title": "Case file audit and improvement plan (P&Q)",
    "source": "Performance and Quality Service audit process, paragraphs 7-27",
    "period_months": 6,
    "scales": {"met": MET, "overall": OVERALL},
    "sections": [
        _domain(
            "child_voice",
            "1. The child's voice and lived experience",
            "Is the child's own view recorded and does it shape the work?",
        ),
        _domain(
            "family_voice",
            "2. The family's voice and part in planning",
            "Did the family help to build their plan, and do they know what it asks?",
        ),
        _domain(
            "safeguarding",
            "3. Help and protection given in time",
            "Was the child kept safe, with action taken when it was needed?",
        ),
        _domain(
            "assessment",
            "4. Assessment of need and risk",
            "Does the assessment explain what life is like for the child and why?",
        ),
        _domain(
            "planning",
            "5. Plans, progress and avoiding drift",
            "Are the plan's actions being done on time, and is progress measured?",
        ),
        _domain(
            "multi_agency",
            "6. Working with other agencies",
            "Do partner agencies contribute to help, protection and care?",
        ),
        _domain(
            "supervision",
            "7. Reflective supervision and management oversight",
            "Is supervision reflective, and does oversight change what happens?",
        ),
        _domain(
            "compliance",
            "8. Statutory and organisational requirements",
            "Are visits, reviews and meetings held within the required timescales?",
        ),
        _domain(
            "outcomes",
            "9. Outcomes for the child",
            "Is the child's situation better, and is the improvement lasting?",
        ),
    ],
    "overall": {
        "scale": "overall",
        "prompt": "Give the overall judgement. If it requires improvement with elements of "
        "good practice, name the good elements so the worker knows what is working.",
    },
    "rules": ["good_elements_named"],
    "blocks": ALL_BLOCKS,
}
