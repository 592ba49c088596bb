"""Per-integration API keys (issue 15): made on a page or with a command, shown once,
stored hashed, read-only, expiring, revocable, sent as a header or as Power BI's "Web API"
key parameter (kept out of logs), and every pull recorded."""

from __future__ import annotations

import datetime as dt
import io
import logging

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.errors import RuleViolation
from api.models import ApiKey, ApiPull
from api.services import api_key_create, api_key_revoke
from config.log_filters import RedactApiKeys, redact

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def pull(client, key=None, path="audits", method="get", **extra):
    headers = {"HTTP_X_API_KEY": key} if key else {}
    return getattr(client, method)(f"/api/v1/{path}", **headers, **extra)


# Made, shown once, kept hashed ------------------------------------------------------------


def test_a_key_is_kept_only_as_its_hash(senior_key):
    record, key = senior_key
    record.refresh_from_db()
    assert key.startswith(f"cfa_{record.prefix}_")
    stored = " ".join(str(getattr(record, f.attname)) for f in ApiKey._meta.fields)
    assert key not in stored
    assert key.split("_", 2)[2] not in stored
    assert len(record.key_hash) == 64
    assert record.scope == "read"


def test_create_api_key_prints_the_key_once_with_its_expiry():
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "create_api_key", "Power BI pack", "--expires", "2027-03-31", stdout=out, stderr=err
    )
    key = out.getvalue().strip()
    record = ApiKey.objects.get(name="Power BI pack")
    assert key.startswith(f"cfa_{record.prefix}_")
    assert record.expires_on == dt.date(2027, 3, 31)
    assert record.reads_as == "senior_manager"
    assert "printed once" in err.getvalue()


def test_create_api_key_without_expires_gives_a_year():
    call_command("create_api_key", "Warehouse", stdout=io.StringIO(), stderr=io.StringIO())
    assert ApiKey.objects.get().expires_on == TODAY + dt.timedelta(days=365)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Pack", "--expires", "31/03/2027"], "YYYY-MM-DD"),
        (["Pack", "--expires", "2026-12-01"], "today or later"),
        (["Pack", "--expires", "2030-01-01"], "at most 730 days"),
        (["  "], "Enter a name"),
    ],
)
def test_create_api_key_refuses_bad_input_and_makes_nothing(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_api_key", *args, stdout=io.StringIO(), stderr=io.StringIO())
    assert not ApiKey.objects.exists()


def test_two_keys_may_not_share_a_name(senior_key):
    with pytest.raises(RuleViolation, match="already a key named"):
        api_key_create(name="power bi  PACK", today=TODAY)


# Sent three ways -------------------------------------------------------------------------


def test_a_key_is_accepted_in_the_header_as_a_bearer_token_or_as_the_query_parameter(
    client, senior_key
):
    _, key = senior_key
    assert client.get("/api/v1/audits", HTTP_X_API_KEY=key).status_code == 200
    assert client.get("/api/v1/audits", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    assert client.get(f"/api/v1/audits?api_key={key}").status_code == 200


def test_a_request_without_a_key_is_told_how_to_send_one(client):
    response = pull(client)
    assert response.status_code == 401
    assert "X-API-Key header or the api_key parameter" in response.json()["detail"]


# Refusals --------------------------------------------------------------------------------


def test_an_expired_key_is_refused(client):
    record, key = api_key_create(name="Old pack", today=TODAY, expires_on=TODAY)
    assert pull(client, key).status_code == 200  # works through its last day
    with time_machine.travel(TODAY + dt.timedelta(days=1), tick=False):
        response = pull(client, key)
    assert response.status_code == 401
    assert response.json()["detail"] == "This API key expired on 10 December 2026."
    assert ApiPull.objects.filter(key=record).count() == 1


def test_a_revoked_key_is_refused_at_once(client, senior_key, org):
    record, key = senior_key
    assert api_key_revoke(key=record, by=org.admin) is True
    assert api_key_revoke(key=record, by=org.admin) is False
    response = pull(client, key)
    assert response.status_code == 401
    assert response.json()["detail"] == "This API key has been revoked."


@pytest.mark.parametrize(
    "presented",
    ["not-a-key", "cfa_00000000_wrong", "Bearer cfa"],
)
def test_an_unknown_key_is_refused(client, senior_key, presented):
    assert pull(client, presented).status_code == 401


def test_a_known_prefix_with_the_wrong_secret_is_refused(client, senior_key):
    record, key = senior_key
    response = pull(client, f"cfa_{record.prefix}_{'x' * 43}")
    assert response.status_code == 401
    assert response.json()["detail"] == "This API key is not known."


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_key_used_for_a_write_is_refused_and_changes_nothing(
    client, authority, senior_key, method
):
    from audits.models import Audit

    record, key = senior_key
    before = list(Audit.objects.order_by("pk").values_list("pk", "status", "overall_grade"))
    response = pull(
        client, key, method=method, data='{"status": "closed"}', content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "API keys only read: this key's scope is read."
    assert list(Audit.objects.order_by("pk").values_list("pk", "status", "overall_grade")) == before
    refused = ApiPull.objects.get(key=record)
    assert (refused.method, refused.status_code) == (method.upper(), 403)


def test_a_write_without_a_key_is_refused_too(client):
    assert pull(client, method="post").status_code == 401


# Every pull recorded, and the key never --------------------------------------------------


def test_every_pull_is_recorded_with_key_dataset_filters_rows_and_time(
    client, authority, senior_key
):
    record, key = senior_key
    client.get(f"/api/v1/audits?period=2026-10&format=csv&api_key={key}")
    client.get("/api/v1/actions", HTTP_X_API_KEY=key)
    first, second = ApiPull.objects.filter(key=record).order_by("at", "id")
    assert (first.dataset, first.format, first.rows) == ("audits", "csv", 9)
    assert first.query == "period=2026-10&format=csv"
    assert (second.dataset, second.rows, second.status_code) == ("actions", 2, 200)
    assert first.at.date() == TODAY
    record.refresh_from_db()
    assert record.last_used_at is not None


def test_the_key_parameter_stays_out_of_the_logs(client, senior_key, caplog):
    """Power BI puts the key in the URL; Django's request log, the record of pulls and any
    log line quoting a URL never show it."""
    _, key = senior_key
    with caplog.at_level(logging.DEBUG):
        client.get(f"/api/v1/audits?period=nonsense&api_key={key}")  # a 400, logged
        client.get(f"/api/v1/no-such-dataset?api_key={key}")  # a 404, logged
        logging.getLogger("casefile.test").warning("fetching /api/v1/audits?api_key=%s", key)
    handler_filter = RedactApiKeys()
    for record in caplog.records:
        handler_filter.filter(record)
        assert key not in record.getMessage()
    assert key not in " ".join(ApiPull.objects.values_list("query", flat=True))
    assert redact(f"GET /api/v1/audits?page=2&api_key={key} HTTP/1.1") == (
        "GET /api/v1/audits?page=2&api_key=[redacted] HTTP/1.1"
    )
    assert key not in redact(f"header said {key}")


def test_the_console_log_handler_redacts_keys():
    from django.conf import settings

    handler = settings.LOGGING["handlers"]["console"]
    assert "redact_api_keys" in handler["filters"]


def test_gunicorns_access_log_redacts_the_key():
    from types import SimpleNamespace

    from gunicorn.config import Config

    from config.gunicorn_logging import RedactingLogger

    logger = RedactingLogger(Config())
    key = "cfa_0123abcd_secretsecretsecret"
    request = SimpleNamespace(
        method="GET",
        path="/api/v1/audits",
        query=f"api_key={key}",
        uri=f"/api/v1/audits?api_key={key}",
        version=(1, 1),
        headers=[],
    )
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    environ = {
        "RAW_URI": request.uri,
        "QUERY_STRING": request.query,
        "REQUEST_METHOD": "GET",
        "PATH_INFO": request.path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://app.powerbi.com/?api_key={key}",
    }
    atoms = logger.atoms(response, request, environ, dt.timedelta(seconds=0.1))
    assert key not in " ".join(str(v) for v in atoms.values())
    assert atoms["r"] == "GET /api/v1/audits?api_key=[redacted] HTTP/1.1"


# The keys page -----------------------------------------------------------------------------


def test_an_admin_creates_a_key_and_sees_it_once(org, client_for):
    client = client_for(org.admin)
    response = client.post(
        reverse("api:key-create"),
        {
            "name": "Power BI: quality pack",
            "reads_as": "senior_manager",
            "expires_on_0": "31",
            "expires_on_1": "3",
            "expires_on_2": "2027",
        },
    )
    assert response.status_code == 200
    record = ApiKey.objects.get()
    page = response.content.decode()
    assert f"cfa_{record.prefix}_" in page
    assert "will not be shown again" in page
    assert response.headers["Cache-Control"].startswith("max-age=0")
    assert record.created_by == org.admin and record.expires_on == dt.date(2027, 3, 31)
    listing = client.get(reverse("api:keys")).content.decode()
    assert "Power BI: quality pack" in listing
    full_key = page.split("app-secret")[1].split(">")[1].split("<")[0]
    assert full_key.startswith("cfa_") and full_key not in listing


def test_the_create_form_refuses_a_past_expiry_with_a_clear_message(org, client_for):
    response = client_for(org.admin).post(
        reverse("api:key-create"),
        {
            "name": "Pack",
            "reads_as": "qa_staff",
            "expires_on_0": "1",
            "expires_on_1": "1",
            "expires_on_2": "2020",
        },
    )
    assert response.status_code == 400
    assert "The expiry date must be today or in the future." in response.content.decode()
    assert not ApiKey.objects.exists()


def test_an_admin_revokes_a_key_from_the_page(org, client_for, senior_key, client):
    record, key = senior_key
    admin = client_for(org.admin)
    response = admin.post(reverse("api:key-revoke", args=[record.pk]), follow=True)
    assert "is revoked" in response.content.decode()
    record.refresh_from_db()
    assert record.revoked_by == org.admin
    assert client.get("/api/v1/audits", HTTP_X_API_KEY=key).status_code == 401


@pytest.mark.parametrize(
    "persona", ["qa_officer", "senior_manager", "auditor", "team_manager", "outsider"]
)
def test_only_admins_see_or_change_keys(org, client_for, senior_key, persona):
    record, _ = senior_key
    client = client_for(getattr(org, persona))
    assert client.get(reverse("api:keys")).status_code == 403
    assert client.get(reverse("api:key-create")).status_code == 403
    assert client.post(reverse("api:key-revoke", args=[record.pk])).status_code == 403
    record.refresh_from_db()
    assert record.revoked_at is None


def test_the_keys_page_lists_states_and_latest_pulls(org, client_for, client, senior_key):
    _, key = senior_key
    api_key_create(
        name="Expired pack",
        today=TODAY - dt.timedelta(days=30),
        expires_on=TODAY - dt.timedelta(days=1),
    )
    client.get("/api/v1/actions?period=2026-10", HTTP_X_API_KEY=key)
    page = client_for(org.admin).get(reverse("api:keys")).content.decode()
    assert "Active" in page and "Expired" in page
    assert "period=2026-10" in page
    assert "API keys" in page  # the service navigation shows admins the page
