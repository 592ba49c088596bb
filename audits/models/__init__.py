"""The audits app's models, one module for each part of the work:

- `allocation`: the month's allocation run, each allocation of a case to an auditor, its
  history, and exemptions from it (SPEC §4, §6);
- `form`: audit form templates, their frozen versions, and learning themes;
- `audit`: the audit of an allocation and what the auditor records in it;
- `review`: comments and challenges, moderation, QA checks, paired consensus;
- `pathway`: the inadequate pathway.

Import them from here: `from audits.models import Audit`.
"""

from .allocation import (
    LIVE_STATUSES,
    Allocation,
    AllocationHistory,
    AllocationRun,
    AllocationStatus,
    ExemptionRequest,
    ExemptionStatus,
    RunKind,
    RunStatus,
)
from .audit import (
    Audit,
    AuditEvent,
    ChildFamilyViews,
    ContactEscalation,
    ContactRole,
    Conversation,
    Outcomes,
    SafeguardingConcern,
    SectionAnswer,
    SectionStatus,
    SmartAction,
    overall_grade_label,
)
from .form import (
    FormStatus,
    FormTemplate,
    FormVersion,
    ThemeTag,
)
from .pathway import (
    InadequatePathway,
    PathwayStatus,
)
from .review import (
    ChallengeState,
    Comment,
    Consensus,
    DisputeStage,
    Moderation,
    QACheck,
    QAOutcome,
)

__all__ = [
    "overall_grade_label",
    "Allocation",
    "AllocationHistory",
    "AllocationRun",
    "AllocationStatus",
    "Audit",
    "AuditEvent",
    "ChallengeState",
    "DisputeStage",
    "ChildFamilyViews",
    "Comment",
    "Consensus",
    "ContactEscalation",
    "ContactRole",
    "Conversation",
    "ExemptionRequest",
    "ExemptionStatus",
    "FormStatus",
    "FormTemplate",
    "FormVersion",
    "InadequatePathway",
    "LIVE_STATUSES",
    "Moderation",
    "Outcomes",
    "PathwayStatus",
    "QACheck",
    "QAOutcome",
    "RunKind",
    "RunStatus",
    "SafeguardingConcern",
    "SectionAnswer",
    "SectionStatus",
    "SmartAction",
    "ThemeTag",
]
