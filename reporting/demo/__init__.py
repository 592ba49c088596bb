"""Three months of synthetic history for the demo authority, made through the services.

`build_history(today=…)` plays the audit year forward from two months before `today`: each
month QA staff draw and confirm the sample and confirm the allocation, auditors fill in and
submit their audits, QA staff check the share the policy draws, team managers record
supervision, and the remedial actions go through fulfilled, signed off and authorised, with
a Management Decision or two. Nothing is written that a service would refuse: every change
goes through the service a person would use, on the day it would have happened (the
`today` the services take). Timestamps the services stamp themselves (`submitted_at`,
notices) say when the demo was built.

The two earlier months are mostly finished; the current month is under way. Some cases are
chosen so each demo sign-in has something to see and do (see `plan.Plan`), always within the
rules: the demo auditor, for instance, is never given a case of their own team.

Deterministic for a seed, and built once: a month that already has audits is left as it is,
so running `seed_demo` again adds nothing.

The parts: `plan` (the cast, the month, a case's fate), `history` (the months),
`audits` (one audit played through), `actions` (supervision and remedial actions) and
`words` (the made-up text).
"""

from .history import build_history

__all__ = ["build_history"]
