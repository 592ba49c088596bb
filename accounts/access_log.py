"""The access log: who opened which child's records, when, and from which address
(issue 14).

`AccessLogMiddleware` records a request after a successful response when its URL name is
in the registry (`settings.ACCESS_LOG_VIEWS`, a dotted path to a dict in
`config/access_log.py`): the case page, every audit page and the PDF, allocations,
actions, decisions, lists and exports naming cases. No view function needs to remember
to log; a test fails when a URL taking a record's id is neither registered nor exempted.
Records are kept for `ACCESS_LOG_RETENTION_DAYS`; a daily sweep deletes older ones.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.module_loading import import_string

from .compiled import prepared_cursor, subquery_for
from .models import AccessKind, AccessRecord

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Logged:
    """A view whose every opening is recorded: the kind of record, the URL keyword that
    holds its id, and how to find the child's case ID from that id (a dotted path to a
    function taking the id and returning the ID, or a queryset of it; None when the view
    names no single case)."""

    kind: AccessKind
    kwarg: str | None = None
    case_of: str | None = None


@cache
def registry() -> dict[str, Logged]:
    return import_string(settings.ACCESS_LOG_VIEWS)


def client_address(request: HttpRequest) -> str | None:
    """The client's address: the first hop of X-Forwarded-For when the proxy in front
    is trusted to set it (ACCESS_LOG_TRUST_X_FORWARDED_FOR), else the socket's peer."""
    if settings.ACCESS_LOG_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


# The record's columns, in the order the INSERT names them; the case ID comes last.
_COLUMNS = ("user", "at", "kind", "url_name", "object_id", "method", "path", "address")


@cache
def _insert_sql(case_sql: str) -> tuple[str, list]:
    """The INSERT of one record whose case ID is `case_sql` (a scalar subquery or a
    placeholder), and the fields whose values fill its placeholders: built once a process
    for each kind of record (issue 16: the ORM's save took three times the INSERT)."""
    fields = [AccessRecord._meta.get_field(name) for name in _COLUMNS]
    columns = ", ".join(f.column for f in fields)
    case_column = AccessRecord._meta.get_field("case_external_id").column
    places = ", ".join("%s" for _ in fields)
    sql = (
        f"INSERT INTO {AccessRecord._meta.db_table} ({columns}, {case_column}) "
        f"VALUES ({places}, COALESCE(({case_sql}), %s))"
    )
    return sql, fields


def _case_id_sql(entry: Logged, key) -> tuple[str, list]:
    """The child's case ID for the record's key: a subquery (its SQL built once a process
    where it can be: `accounts.compiled.subquery_for`), or the ID itself."""
    finder: Callable[[object], object] = import_string(entry.case_of)
    kept = subquery_for(finder, key)
    if kept is not None:
        return kept
    found = finder(key)
    if isinstance(found, str):
        return "%s", [found]
    return found.query.get_compiler(connection=connection).as_sql()


def case_known(request: HttpRequest, case_of: str, key, external_id: str) -> None:
    """A view that has read the child's case ID of the record it opened says so, naming the
    registry's finder (`case_of_audit`) and the record's key: the access record then holds
    that ID as a value, instead of finding it again inside its INSERT (issue 16: a join of
    three tables on every audit page). Used only when the finder and the key are those the
    registry's entry reads for this request's address."""
    request._access_case_known = (case_of, str(key), external_id)


def _known_case(request: HttpRequest, entry: Logged, key) -> str | None:
    known = getattr(request, "_access_case_known", None)
    if known is None or entry.case_of is None:
        return None
    case_of, known_key, external_id = known
    if entry.case_of.rsplit(".", 1)[-1] != case_of or known_key != str(key):
        return None
    return external_id


def access_record(*, request: HttpRequest, entry: Logged, url_name: str) -> None:
    """Record that the signed-in person opened the record the request names: one INSERT,
    the child's case ID found inside it (or as the view read it: `case_known`)."""
    kwargs = request.resolver_match.kwargs if request.resolver_match else {}
    object_id = str(kwargs.get(entry.kwarg, "")) if entry.kwarg else ""
    if not object_id and kwargs:
        object_id = " ".join(f"{k}={v}" for k, v in sorted(kwargs.items()))[:80]
    case_sql, case_params = "%s", [""]
    if entry.case_of and entry.kwarg and entry.kwarg in kwargs:
        known = _known_case(request, entry, kwargs[entry.kwarg])
        if known is not None:
            case_params = [known]
        else:
            case_sql, case_params = _case_id_sql(entry, kwargs[entry.kwarg])
    sql, fields = _insert_sql(case_sql)
    values = (
        request.user.pk,
        timezone.now(),
        entry.kind,
        url_name,
        object_id[:80],
        request.method[:8],
        request.get_full_path()[:300],
        client_address(request),
    )
    params = [
        field.get_db_prep_save(v, connection) for field, v in zip(fields, values, strict=True)
    ]
    with prepared_cursor() as cursor:  # its SQL is one of a few, one a kind of record
        cursor.execute(sql, [*params, *case_params, ""])


class AccessLogMiddleware:
    """Record every successful opening of a registered view (see the module's rule)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is None or not (200 <= response.status_code < 400):
            return response
        entry = registry().get(match.view_name)
        user = getattr(request, "user", None)
        if entry is None or user is None or not user.is_authenticated:
            return response
        access_record(request=request, entry=entry, url_name=match.view_name)
        return response


def sweep_access_log_retention(*, today: dt.date) -> int:
    """Delete access records older than the retention period (ACCESS_LOG_RETENTION_DAYS);
    running it twice deletes nothing more. Returns how many were deleted."""
    cutoff = dt.datetime.combine(
        today - dt.timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS),
        dt.time.min,
        tzinfo=timezone.get_current_timezone(),
    )
    deleted, _ = AccessRecord.objects.filter(at__lt=cutoff).delete()
    if deleted:
        logger.info("access log: %s records before %s deleted", deleted, cutoff.date())
    return deleted
