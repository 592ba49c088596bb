"""Sign-in with the council's identity provider (Microsoft Entra ID or any OpenID Connect
issuer), through django-allauth's `openid_connect` provider (issue 15).

- A person is known by the issuer's stable subject, never by the email claim, which Entra
  lets a user or an administrator change: Entra's `oid` with its tenant `tid`, and the
  standard `sub` from other issuers. The subject is kept on allauth's SocialAccount.
- The first sign-in links the subject to the member of staff with the token's email
  address, once; from then on the link holds, whatever the email claim says. A second
  subject with the same address is refused: it cannot take over a linked account.
- Nobody is created from a token. Someone not in the staff list, or no longer active, is
  refused with a page that says why and whom to ask.
- With `OIDC_ROLE_PERSONAS` set, the token's app roles (or groups) decide the person's
  personas at each sign-in; the staff list stays the source of team and line manager.
"""

from __future__ import annotations

import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render

from .models import Persona, User
from .services import persona_groups_ensure

logger = logging.getLogger(__name__)


def sso_enabled() -> bool:
    return bool(settings.SSO_ENABLED)


def claims_of(data: dict) -> dict:
    """The person's claims: the ID token's (which carry Entra's oid and tid) over the
    userinfo endpoint's (which, for Entra, do not)."""
    claims = dict(data.get("userinfo") or {})
    claims.update(data.get("id_token") or {})
    if not claims:  # allauth before 65.11 kept the claims at the top level
        claims = dict(data)
    return claims


def stable_subject(claims: dict) -> str:
    """Entra: `<tid>:<oid>`, the object ID being the same in every app of the tenant and
    never reused. Elsewhere the `sub` claim, stable for this client by the spec."""
    if claims.get("oid"):
        return f"{claims.get('tid', '')}:{claims['oid']}" if claims.get("tid") else claims["oid"]
    return str(claims["sub"])


def email_of(claims: dict) -> str:
    """The address used once, to find the person in the staff list: `email`, else Entra's
    `preferred_username` or `upn` (the sign-in name, usually the work address)."""
    for name in ("email", "preferred_username", "upn"):
        value = str(claims.get(name) or "").strip()
        if "@" in value:
            return value.lower()
    return ""


class StaffOIDCProvider(OpenIDConnectProvider):
    """allauth's OpenID Connect provider, keyed on the stable subject."""

    def extract_uid(self, data):
        return stable_subject(claims_of(data))


def _refuse(request, *, title: str, reason: str, status: int = 403):
    logger.info("single sign-on refused: %s", title)
    raise ImmediateHttpResponse(
        render(
            request,
            "accounts/sso_refused.html",
            {"title": title, "reason": reason},
            status=status,
        )
    )


def personas_from_claims(claims: dict) -> set[str] | None:
    """The personas the token's roles or groups map to, or None when no mapping is set."""
    mapping: dict[str, str] = settings.OIDC_ROLE_PERSONAS
    if not mapping:
        return None
    values: list[str] = []
    for claim in settings.OIDC_PERSONA_CLAIMS:
        found = claims.get(claim) or []
        values += [found] if isinstance(found, str) else list(found)
    return {mapping[v] for v in values if v in mapping and mapping[v] in Persona.values}


@transaction.atomic
def user_set_personas(*, user: User, personas: set[str]) -> None:
    """Put the person in exactly these persona groups (other groups are left alone)."""
    groups = {g.name: g for g in Group.objects.filter(name__in=Persona.values)}
    if len(groups) < len(Persona):
        groups = persona_groups_ensure()
    current = set(user.groups.filter(name__in=Persona.values).values_list("name", flat=True))
    if current != personas:
        user.groups.remove(*[groups[name] for name in current - personas])
        user.groups.add(*[groups[name] for name in personas - current])
    user.forget_access()


class StaffSocialAccountAdapter(DefaultSocialAccountAdapter):
    """Signs in members of staff only, each by their identity provider's subject."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False  # nobody is created from a token

    def pre_social_login(self, request, sociallogin) -> None:
        claims = claims_of(sociallogin.account.extra_data)
        if sociallogin.is_existing:
            user = sociallogin.user
        else:
            user = self._link_by_email(request, sociallogin, claims)
        if not user.is_active:
            _refuse(
                request,
                title="Your account is not active",
                reason="Your account in Casefile Audit has been closed. If you still need it, "
                "ask the quality assurance team to reopen it in the staff list.",
            )
        personas = personas_from_claims(claims)
        if personas is not None:
            if not personas:
                _refuse(
                    request,
                    title="You have no role in Casefile Audit",
                    reason="Your organisation's sign-in does not give you a role in Casefile "
                    "Audit. Ask your administrator to assign you one.",
                )
            user_set_personas(user=user, personas=personas)
        if not sociallogin.is_existing:
            sociallogin.connect(request, user)
            logger.info("linked sign-in subject to user %s", user.pk)

    def _link_by_email(self, request, sociallogin, claims: dict) -> User:
        email = email_of(claims)
        user = User.objects.filter(email__iexact=email).first() if email else None
        if user is None:
            _refuse(
                request,
                title="You are not in the staff list",
                reason="Casefile Audit only lets in people in the council's staff list, "
                "and your work email address is not in it. Ask the quality assurance team "
                "to add you.",
            )
        provider = sociallogin.account.provider
        if SocialAccount.objects.filter(user=user, provider=provider).exists():
            _refuse(
                request,
                title="Your account is already linked to another sign-in",
                reason="Your Casefile Audit account is linked to a different account with "
                "your organisation. Ask the system administrator to check the link.",
            )
        return user

    def validate_disconnect(self, account, accounts) -> None:
        raise ValidationError("The link to your organisation's sign-in cannot be removed here.")


class StaffAccountAdapter(DefaultAccountAdapter):
    """allauth's account side: no sign-up, and no messages of its own (the password
    sign-in shows none either)."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def add_message(self, *args, **kwargs) -> None:
        return None


def issuer_origins() -> list[str]:
    """The origins (scheme, host and port) of the configured OpenID Connect issuers, which
    the sign-in page's content security policy lets its form lead to."""
    from urllib.parse import urlsplit

    from django.conf import settings

    apps = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", [])
    origins = []
    for app in apps:
        parts = urlsplit(app.get("settings", {}).get("server_url", ""))
        if parts.scheme and parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return origins
