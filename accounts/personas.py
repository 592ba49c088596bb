"""Which persona groups a person belongs to, and what each persona may do (SPEC §1).

A person's groups follow from their role and their audit-pool membership; the import and
the admin keep them in step through `user_sync_groups`.
"""

from __future__ import annotations

from .models import Persona, Role

ADMIN_MODEL_PERMISSIONS: tuple[str, ...] = (
    "accounts.view_user",
    "accounts.add_user",
    "accounts.change_user",
    "accounts.view_team",
    "accounts.add_team",
    "accounts.change_team",
    "accounts.view_servicearea",
    "accounts.add_servicearea",
    "accounts.change_servicearea",
    "accounts.view_policy",
    "accounts.change_policy",
    "accounts.view_sweeprun",
    "accounts.view_breakrequest",
    "audits.view_formtemplate",
    "audits.view_formversion",
    "audits.view_themetag",
    "sampling.view_namemapping",
    # Release a locked-out account or address early (django-axes).
    "axes.view_accessattempt",
    "axes.delete_accessattempt",
    "axes.view_accessfailurelog",
)

PERSONA_PERMISSIONS: dict[Persona, tuple[str, ...]] = {
    Persona.QA_STAFF: (
        "manage_policy",
        "import_staff",
        "manage_sampling",
        "manage_allocation",
        "quality_assure",
        "view_reports",
        "view_access_log",
    ),
    Persona.AUDITOR: ("conduct_audits",),
    Persona.TEAM_MANAGER: ("manage_team_actions", "view_own_cases"),
    Persona.SERVICE_MANAGER: ("oversee_services", "manage_team_actions", "view_reports"),
    Persona.SENIOR_MANAGER: ("view_reports", "oversee_services"),
    Persona.SOCIAL_WORKER: ("view_own_cases",),
    # Administrators run the system: people, teams, policy and settings, never a child's
    # records. Besides our own permissions they get the Django admin's model permissions
    # ("app_label.codename") for those records only; nobody is a superuser.
    Persona.ADMIN: (
        "manage_policy",
        "import_staff",
        *ADMIN_MODEL_PERMISSIONS,
    ),
}

ROLE_PERSONAS: dict[Role, tuple[Persona, ...]] = {
    Role.STRATEGIC_DIRECTOR: (Persona.SENIOR_MANAGER,),
    Role.ASSISTANT_DIRECTOR: (Persona.SENIOR_MANAGER,),
    Role.HEAD_OF_SERVICE: (Persona.SENIOR_MANAGER, Persona.SERVICE_MANAGER),
    Role.SERVICE_MANAGER: (Persona.SERVICE_MANAGER,),
    Role.GROUP_MANAGER: (Persona.SERVICE_MANAGER,),
    Role.TEAM_MANAGER: (Persona.TEAM_MANAGER,),
    Role.PRACTICE_SUPERVISOR: (Persona.SOCIAL_WORKER,),
    Role.ADVANCED_PRACTITIONER: (Persona.SOCIAL_WORKER,),
    # IROs read drafts of audits of their children and may challenge them (P&Q 18).
    Role.IRO: (Persona.SOCIAL_WORKER,),
    Role.PRINCIPAL_SOCIAL_WORKER: (Persona.QA_STAFF,),
    Role.QA_OFFICER: (Persona.QA_STAFF,),
    Role.SOCIAL_WORKER: (Persona.SOCIAL_WORKER,),
    Role.PERSONAL_ADVISER: (Persona.SOCIAL_WORKER,),
    Role.ADMIN: (Persona.ADMIN,),
}


def personas_for(*, role: str, in_audit_pool: bool) -> set[Persona]:
    personas = set(ROLE_PERSONAS.get(Role(role), ()))
    if in_audit_pool:
        personas.add(Persona.AUDITOR)
    return personas
