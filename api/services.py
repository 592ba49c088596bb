"""API keys: made, checked, revoked, and every pull recorded (issue 15)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.errors import RuleViolation
from accounts.models import User

from .models import ApiKey, ApiPull, KeyReader

KEY_START = "cfa"
# The query parameter Power BI's "Web API" credential fills in (Web.Contents ApiKeyName).
QUERY_PARAMETER = "api_key"
HEADER = "X-API-Key"


class KeyRefused(Exception):
    """The key presented does not let the request in; the message says why."""


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_key_create(
    *,
    name: str,
    today: dt.date,
    expires_on: dt.date | None = None,
    reads_as: str = KeyReader.SENIOR_MANAGER,
    by: User | None = None,
) -> tuple[ApiKey, str]:
    """Make a read-only key for one integration and return it with the key itself, which
    is shown this once and never kept: only its SHA-256 is stored (a random 256-bit key
    needs no slow hash). It expires: by default after `API_KEY_DEFAULT_DAYS`, and never
    later than `API_KEY_MAX_DAYS` from today."""
    name = " ".join(name.split())
    if not name:
        raise RuleViolation("Enter a name for the key, such as the report that will use it.")
    if reads_as not in KeyReader.values:
        raise RuleViolation(f"A key reads as one of: {', '.join(KeyReader.values)}.")
    if expires_on is None:
        expires_on = today + dt.timedelta(days=settings.API_KEY_DEFAULT_DAYS)
    if expires_on < today:
        raise RuleViolation("The expiry date must be today or later.")
    latest = today + dt.timedelta(days=settings.API_KEY_MAX_DAYS)
    if expires_on > latest:
        raise RuleViolation(
            f"A key may last at most {settings.API_KEY_MAX_DAYS} days: expire it on or "
            f"before {latest:%-d %B %Y}."
        )
    if ApiKey.objects.filter(name__iexact=name).exists():
        raise RuleViolation(f"There is already a key named “{name}”. Choose another name.")
    prefix = secrets.token_hex(4)
    key = f"{KEY_START}_{prefix}_{secrets.token_urlsafe(32)}"
    try:
        with transaction.atomic():
            record = ApiKey.objects.create(
                name=name,
                prefix=prefix,
                key_hash=_hash(key),
                reads_as=reads_as,
                expires_on=expires_on,
                created_by=by,
            )
    except IntegrityError:
        raise RuleViolation(f"There is already a key named “{name}”.") from None
    return record, key


@transaction.atomic
def api_key_revoke(*, key: ApiKey, by: User | None) -> bool:
    """Stop a key working at once. Revoking twice changes nothing; returns whether this
    call revoked it."""
    return bool(
        ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=by
        )
    )


def api_key_check(*, presented: str | None, today: dt.date) -> ApiKey:
    """The key record for a presented key, or `KeyRefused` saying why: missing, unknown,
    revoked or expired. Compared in constant time."""
    if not presented:
        raise KeyRefused(
            f"Send an API key in the {HEADER} header or the {QUERY_PARAMETER} parameter."
        )
    parts = presented.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_START:
        raise KeyRefused("This is not a Casefile Audit API key.")
    record = ApiKey.objects.filter(prefix=parts[1]).first()
    if record is None or not hmac.compare_digest(record.key_hash, _hash(presented.strip())):
        raise KeyRefused("This API key is not known.")
    if record.is_revoked:
        raise KeyRefused("This API key has been revoked.")
    if record.is_expired(today):
        raise KeyRefused(f"This API key expired on {record.expires_on:%-d %B %Y}.")
    return record


def clean_query(params) -> str:
    """The request's parameters without the key, for the record and for links."""
    return urlencode(
        [(k, v) for k, values in params.lists() for v in values if k != QUERY_PARAMETER]
    )


def api_pull_record(
    *,
    key: ApiKey,
    dataset: str,
    params,
    method: str = "GET",
    fmt: str = "",
    rows: int = 0,
    status_code: int = 200,
) -> ApiPull:
    """Record one request made with a key (which key, what, when), never the key itself."""
    now = timezone.now()
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return ApiPull.objects.create(
        key=key,
        dataset=dataset,
        method=method,
        query=clean_query(params)[:500],
        format=fmt,
        rows=rows,
        status_code=status_code,
        at=now,
    )
