"""The audits app's forms: `allocation` (moving, placing and exempting allocations) and
`audit` (the parts of the audit form and the pages around it)."""

from .allocation import (
    ExemptionDecisionForm,
    ExemptionRequestForm,
    MoveForm,
    PlaceForm,
)
from .audit import (
    ActionForm,
    CommentForm,
    ConversationForm,
    EscalateForm,
    IROForm,
    ModerationDecisionForm,
    ModeratorForm,
    OverallForm,
    PathwayRecordForm,
    ReasonForm,
    ReviewSessionForm,
    SafeguardingForm,
    SectionForm,
    SupervisionForm,
    ViewsForm,
)

__all__ = [
    "ActionForm",
    "CommentForm",
    "ConversationForm",
    "EscalateForm",
    "ExemptionDecisionForm",
    "ExemptionRequestForm",
    "IROForm",
    "ModerationDecisionForm",
    "ModeratorForm",
    "MoveForm",
    "OverallForm",
    "PathwayRecordForm",
    "PlaceForm",
    "ReasonForm",
    "ReviewSessionForm",
    "SafeguardingForm",
    "SectionForm",
    "SupervisionForm",
    "ViewsForm",
]
