"""Scales and blocks more than one preset shares."""

from __future__ import annotations

# The four grades of Hillingdon 5 and Bradford Appendix 2, best first. Descriptors are our
# own one-line summaries; each preset may give its own.
FOUR_GRADES = [
    {
        "value": "outstanding",
        "label": "Outstanding",
        "descriptor": "The best outcome for the child has been reached and practice is "
        "consistently excellent.",
    },
    {
        "value": "good",
        "label": "Good",
        "descriptor": "Outcomes are good or clearly improving; the standards are met.",
    },
    {
        "value": "requires_improvement",
        "label": "Requires improvement",
        "descriptor": "The child is safe and basic standards are met, but practice is not "
        "yet good.",
    },
    {
        "value": "inadequate",
        "label": "Inadequate",
        "descriptor": "The child is not safe, or risk cannot be judged; serious drift, delay "
        "or failure.",
        "inadequate": True,
    },
]

ALL_BLOCKS = ["child_family_views", "strengths", "learning", "actions"]


def four_grades(descriptors: dict[str, str] | None = None) -> list[dict]:
    """The four grades, with a preset's own descriptors where it gives them."""
    levels = [dict(level) for level in FOUR_GRADES]
    for level in levels:
        if descriptors and level["value"] in descriptors:
            level["descriptor"] = descriptors[level["value"]]
    return levels
