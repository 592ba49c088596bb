"""Hillingdon's management case file audit: seven areas to consider with 37 numbered
criteria (section 4), area 4.7 only for looked-after children and care leavers, graded on
the four grades of section 5, and the rule that an audit cannot be Good or Outstanding
when the child's outcomes are neither met nor on the way to being met (section 3).
The criteria are our own short summaries."""

from __future__ import annotations

from .common import ALL_BLOCKS, four_grades


def _area(key: str, title: str, first: int, criteria: list[str], **extra) -> dict:
    numbered = [{"number": first + i, "text": text} for i, text in enumerate(criteria)]
    return {
        "key": key,
        "title": title,
        "prompts": [f"{c['number']}. {c['text']}" for c in numbered],
        "criteria": numbered,
        "scale": "grade",
        "applies_to": extra.get("applies_to", []),
    }


DEFINITION = {
    "key": "hillingdon",
    "title": "Case management audit (Hillingdon)",
    "source": "Hillingdon guide to managers' monthly audits, sections 2-5",
    "period_months": 6,
    "scales": {
        "grade": four_grades(
            {
                "outstanding": "Consistently good or better everywhere, from good direction "
                "and oversight; improvement is lasting.",
                "good": "Mostly good practice; the few issues are known and being dealt "
                "with; outcomes improving and sustainable.",
                "requires_improvement": "No widespread or serious failures, but help is not "
                "yet good; plans to fix gaps are partial.",
                "inadequate": "Widespread or serious failures leave the child harmed or at "
                "risk, or delay harms their welfare.",
            }
        )
    },
    "sections": [
        _area(
            "referrals",
            "4.1 Referrals and new information on open cases",
            1,
            [
                "New information gets a timely, effective response, out of hours too.",
                "It is screened and acted on quickly and in proportion, without drift.",
                "It is analysed against the child's context, history and other agencies' "
                "knowledge.",
            ],
        ),
        _area(
            "assessment",
            "4.2 Assessment of need",
            4,
            [
                "The child, family and network took part in the assessment and planning.",
                "The child's voice can be heard in the assessment.",
                "History, strengths and needs of the family are weighed.",
                "Research and professional knowledge suited to the case are used (for "
                "example safe sleep, neglect, domestic abuse, complicating factors).",
            ],
        ),
        _area(
            "planning",
            "4.3 Planning and intervention",
            8,
            [
                "The record shows the child's progress and that safety is being achieved.",
                "The plan's safety actions are clear and its goals achievable and relevant.",
                "The plan was built with the child and wider family; a family group "
                "conference was considered.",
                "The right professionals help create and review the plan.",
                "The child has a stable, meaningful relationship with their social worker.",
                "The plan covers all the child's needs: identity, health, education and more.",
                "The plan is ambitious for the child's outcomes.",
                "The contingency names real barriers and realistic ways round them.",
                "Return-home interviews after missing episodes are prompt and used to "
                "address exploitation risks.",
            ],
        ),
        _area(
            "engagement",
            "4.4 Engagement",
            17,
            [
                "The child's voice, verbal or not, runs through the work.",
                "The child's voice, needs and progress shape the intervention.",
                "The child is visited regularly and seen alone, and records are in plain, "
                "child-friendly language.",
                "A range of tools captures the child's voice and direct work is recorded.",
                "The child is helped to take part in, or be represented at, meetings.",
            ],
        ),
        _area(
            "oversight",
            "4.5 Management oversight",
            22,
            [
                "Supervision and management decisions are on file and make a difference.",
                "Tasks are reviewed and followed up, with reflection when needed.",
                "Case discussions and advice happen between formal supervisions.",
                "Practice issues are spotted and remedial actions set.",
                "The IRO's or CP adviser's support, challenge and escalation are visible.",
                "Supervision picks up findings and actions from earlier audits.",
            ],
        ),
        _area(
            "equality",
            "4.6 Equality and diversity",
            28,
            [
                "The file considers the impact of the child's protected characteristics, "
                "language and faith.",
                "A disabled child's needs are considered and support put in place.",
            ],
        ),
        _area(
            "looked_after",
            "4.7 Children looked after and care leavers",
            30,
            [
                "The young person is safe, feels safe and knows how to keep safe.",
                "Their identity is promoted and celebrated.",
                "Their physical and mental health needs are identified and met.",
                "They enjoy a range of social, educational and leisure activities.",
                "They move only as the care plan says, or when at risk of harm.",
                "Care leavers have trusted relationships and the right practical, emotional "
                "and financial support up to 21, or 25 when needed.",
                "Care leavers live somewhere that suits them and builds independence safely.",
                "Care leavers have a full pathway plan they helped write.",
            ],
            applies_to=["cla", "care_leaver"],
        ),
    ],
    "overall": {
        "scale": "grade",
        "prompt": "Grade mainly on the outcomes achieved for the child, using the "
        "descriptors; an audit cannot be Good or Outstanding if outcomes are neither met "
        "nor on their way to being met.",
    },
    "rules": ["outcomes_cap_grade"],
    "blocks": [*ALL_BLOCKS, "outcomes_question"],
}
