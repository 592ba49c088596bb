from __future__ import annotations

from django.db import transaction

from ..errors import RuleViolation
from ..models import ServiceArea, User
from ..selectors import LEAD_ROLES


@transaction.atomic
def service_area_set_strategic_lead(*, area: ServiceArea, lead: User | None) -> ServiceArea:
    """Name the strategic lead told at once of safeguarding concerns in an area (Bury 9.1:
    the Strategic Lead for Safeguarding or for Placement Services, by the case's service)."""
    if lead is not None and (not lead.is_active or lead.role not in LEAD_ROLES):
        raise RuleViolation(
            f"{lead} cannot be a strategic lead: choose an active manager at service "
            "manager level or above."
        )
    area.strategic_lead = lead
    area.save(update_fields=["strategic_lead"])
    return area
