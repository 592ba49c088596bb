"""The made-up words the demo's audits, actions and comments are written in."""

from __future__ import annotations

EVIDENCE = {
    "best": (
        "Plan reviewed on time; chronology up to date; the child's views recorded at the "
        "last visit.",
        "Clear analysis of risk and strengths; the family's own words are on the record.",
        "Visits on time and purposeful; every agreed action on the plan was followed up.",
        "Case summary, genogram and chronology are complete and easy to follow.",
    ),
    "middle": (
        "Plan in place but two actions have no date; the chronology stops in the spring.",
        "Visits mostly on time; the purpose of each visit is not always recorded.",
        "Assessment is sound but does not say how the plan will be measured.",
        "Supervision notes are brief and do not show reflection on the plan.",
    ),
    "worst": (
        "No current assessment; the last review was missed and not rearranged.",
        "Drift since the summer: no visit for nine weeks and no recorded management oversight.",
        "Risks named at referral are not followed up anywhere on the record.",
        "Key documents are missing and the chronology has not been started.",
    ),
}


OVERALL_REASONS = {
    "best": "Consistently strong practice; the child's needs drive the plan.",
    "middle": "The child is safe but planning and recording need tightening.",
    "worst": "Serious drift and gaps in the record leave risk unclear.",
}


STRENGTHS = (
    "Warm, respectful direct work with the child, well recorded.",
    "Good multi-agency links: school and health are part of the plan.",
    "The worker knows the family well and it shows in the visit notes.",
)


LEARNING = (
    "Chronologies need updating monthly across the team.",
    "Plans should say who does what by when, in words the family understand.",
    "Management oversight should be recorded after each supervision.",
)


VIEWS = (
    "Said she likes her new school and wants to see her nan more often.",
    "Told the worker he feels listened to but wants fewer meetings.",
    "Mum said the worker is easy to talk to and the plan makes sense to her.",
)


ACTIONS = (
    "Update the chronology to cover the last six months and check it against the plan.",
    "Hold the overdue review and record the child's views before it.",
    "Rewrite the plan so each action says who does it and by when.",
    "Record the purpose and outcome of each visit on the day it happens.",
    "Complete the missing assessment and discuss it in supervision.",
    "Add the school and health contacts to the plan and invite them to the next meeting.",
)


ACTION_WHO = ("Allocated social worker", "Team manager and allocated social worker")


COMMENTS = (
    "Thank you: I agree with the actions and have already booked the review.",
    "The chronology was updated last week; could you look at it again before finalising?",
)
