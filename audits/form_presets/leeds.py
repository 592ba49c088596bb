"""Leeds's practice improvement audit: a profile of professional judgements across five
practice dimensions (3.2.3) looking back 12 months (3.2.4).

The seed says the PIP tool has five dimensions without naming them; the five below follow
the framework's own aims (section 2) and its method table, in our own words. Each is graded
on the four grades, and together they form the case's practice profile."""

from __future__ import annotations

from .common import ALL_BLOCKS, four_grades


def _dimension(key: str, title: str, *prompts: str) -> dict:
    return {
        "key": key,
        "title": title,
        "prompts": list(prompts),
        "scale": "grade",
        "applies_to": [],
    }


DEFINITION = {
    "key": "leeds",
    "title": "Practice improvement audit (Leeds)",
    "source": "Leeds case file audit framework, sections 2, 3.2 and 7",
    "period_months": 12,
    "scales": {"grade": four_grades()},
    "sections": [
        _dimension(
            "recording",
            "Recording and the case file",
            "Is the file well kept and up to the key practice standards?",
        ),
        _dimension(
            "assessment",
            "Assessment and analysis of need",
            "Is there a good assessment and analysis of the child's needs, done in time?",
        ),
        _dimension(
            "compliance",
            "Regulatory compliance",
            "Are national minimum standards, the law and local procedures followed?",
        ),
        _dimension(
            "outcomes",
            "Outcomes for the child",
            "How is the child helped to be safe, learn, be healthy, enjoy growing up and "
            "have a say?",
        ),
        _dimension(
            "oversight",
            "Management oversight and supervision",
            "Does supervision oversee the file and see corrective actions through?",
        ),
    ],
    "overall": {
        "scale": "grade",
        "prompt": "Give an overall judgement of practice that the five dimensions support.",
    },
    "rules": [],
    "blocks": ALL_BLOCKS,
}
