"""Pages for remedial actions, Management Decisions, disagreements, the compliance review
and the action plan. Each view says who may use it and checks the object it is given:

- the action list: anyone signed in sees the actions `access.visible_actions` allows;
- an action: `access.may_view_action`, else 404 (its existence is not disclosed);
- fulfil, sign off, send back, carrier, Management Decision: the team's manager (the named
  worker may record it was done);
- authorise, decline, decide: a service manager or strategic lead over the team;
- the compliance review: QA staff (every team), a team or service manager (their teams);
  its one-page report of counts also senior managers (every team); refused to others;
- audits waiting for actions, follow-up: QA staff; the action plan: QA staff (senior
  managers read). Senior managers do not open children's actions one by one (issue 14).

One module for each: `actions`, `decisions` (Management Decisions and disagreements),
`compliance` and `plan`. The views are exported from here for `remediation.urls`.
"""

from .actions import (
    action_carrier,
    action_decline,
    action_detail,
    action_fulfil,
    action_list,
    action_send_back,
    actions_sign_off,
    audits_waiting,
    authorise_queue,
)
from .compliance import (
    compliance_follow_up,
    compliance_index,
    compliance_report,
    compliance_report_pdf,
    compliance_review,
    compliance_xlsx,
)
from .decisions import (
    decision_detail,
    decision_new,
    disagreement_detail,
    disagreement_new,
)
from .plan import (
    plan,
    plan_edit,
    plan_export,
)

__all__ = [
    "action_carrier",
    "action_decline",
    "action_detail",
    "action_fulfil",
    "action_list",
    "action_send_back",
    "actions_sign_off",
    "audits_waiting",
    "authorise_queue",
    "compliance_follow_up",
    "compliance_index",
    "compliance_report",
    "compliance_report_pdf",
    "compliance_review",
    "compliance_xlsx",
    "decision_detail",
    "decision_new",
    "disagreement_detail",
    "disagreement_new",
    "plan",
    "plan_edit",
    "plan_export",
]
