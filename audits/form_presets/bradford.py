"""Bradford's case file audit form: nine sections graded separately (Appendix 1), the four
grades of Appendix 2, and the rule that the overall grade sits no more than one grade above
the lowest section. Prompts are our own summaries of the guidance."""

from __future__ import annotations

from .common import ALL_BLOCKS, four_grades

# Each section ends with a reflection on what the work changed for the child (App. 1).
IMPACT = "What difference has this part of the work made to the child's life?"

DEFINITION = {
    "key": "bradford",
    "title": "Case file audit (Bradford)",
    "source": "Bradford case file audit guidance, section 3 and Appendices 1 and 2",
    "period_months": 6,
    "scales": {
        "grade": four_grades(
            {
                "outstanding": "Best possible outcome achieved; imaginative, timely work and "
                "the child's experience drives assessment and plan.",
                "good": "Good outcomes; good practice and impact throughout; the file is "
                "compliant and learning is minimal.",
                "requires_improvement": "Basic safeguarding duties are met; minor gaps in "
                "standards are not significantly affecting outcomes.",
                "inadequate": "Minimum standards not met; drift and delay affect outcomes; "
                "safety may need an immediate review.",
            }
        )
    },
    "sections": [
        {
            "key": "risk_and_need",
            "title": "1. Risk and need are identified, responded to and reduced in good time",
            "prompts": [
                "Were risks and needs spotted promptly, and was the response proportionate?",
                "Has risk come down, and is there evidence of how?",
                IMPACT,
            ],
            "scale": "grade",
            "applies_to": [],
        },
        {
            "key": "assessments",
            "title": "2. Assessments are timely, thorough, analytical and of good quality",
            "prompts": [
                "Are assessments in timescale and do they analyse, not just describe?",
                "Do they weigh history, strengths, parenting capacity and other agencies' "
                "information?",
                IMPACT,
            ],
            "scale": "grade",
            "applies_to": [],
        },
        {
            "key": "plans_and_reviews",
            "title": "3. Plans and reviews move the child towards good outcomes",
            "prompts": [
                "Is the plan specific to this child, with clear outcomes and timescales?",
                "Do reviews test progress and change the plan when things change?",
                IMPACT,
            ],
            "scale": "grade",
            "applies_to": [],
        },
        {
            "key": "child_voice",
            "title": "4. The child's voice and lived experience are at the centre",
            "prompts": [
                "Is the child seen, heard and understood as an individual, apart from siblings?",
                "Is direct work planned and suited to their age and understanding?",
                IMPACT,
            ],
            "scale": "grade",
            "applies_to": [],
        },
        {
            "key": "family_engagement",
            "title": "5. The family is properly engaged in the work",
            "prompts": [
                "Have all routes to working with the family been tried and recorded?",
                "Do parents and carers understand the concerns and the plan?",
                IMPACT,
            ],
            "scale": "grade",
            "applies_to": [],
        },
        {
            "key": "partnership",
            "title": "6. Partner professionals work together to improve the child's life",
            "prompts": [
                "Do multi-agency meetings share information, decide and follow up in time?",
                "Is there healthy challenge between agencies when needed?",
                IMPACT,
            ],
            "scale": "grade",
            "applies_to": [],
        },
        {
            "key": "management_oversight",
            "title": "7. Management oversight makes decisions effective, proportionate and timely",
            "prompts": [
                "Is supervision regular and reflective, with actions tracked to completion?",
                "Are management decisions recorded with their reasons?",
                IMPACT,
            ],
            "scale": "grade",
            "applies_to": [],
        },
        {
            "key": "records",
            "title": "8. Case records are accurate and up to date",
            "prompts": [
                "Are the chronology, genogram and case summary current?",
                "Does recording reflect what is happening now, written for the child?",
                IMPACT,
            ],
            "scale": "grade",
            "applies_to": [],
        },
        {
            "key": "impact",
            "title": "9. Impact: what difference have we made to the child's life?",
            "prompts": [
                "Is the child safer, healthier or more settled because of our involvement?",
                "What would the child say has changed?",
            ],
            "scale": "grade",
            "applies_to": [],
        },
    ],
    "overall": {
        "scale": "grade",
        "prompt": "Grade the file, not the practitioner. The overall grade usually reflects "
        "most section grades, and is at most one grade above the lowest.",
    },
    "rules": ["overall_within_one_of_lowest"],
    "blocks": ALL_BLOCKS,
}
