"""The access log: every view or download of a child's case, audit, audit PDF, allocation,
action, and every list or export naming cases records who, when, what and from which
address (issue 14). The registry of such views is checked against the URLs themselves."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts.access_log import sweep_access_log_retention
from accounts.models import AccessKind, AccessRecord
from config.access_log import EXEMPT, VIEWS
from tests.audits.factories_form import started_audit
from tests.remediation.factories import remedial_actions

pytestmark = pytest.mark.django_db


def _patterns(patterns=None, prefix="", namespace=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = namespace + (f"{p.namespace}:" if p.namespace else "")
            yield from _patterns(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield f"{namespace}{p.name}", prefix + str(p.pattern)


def test_every_url_that_takes_an_id_is_logged_or_exempted_with_a_reason():
    """A new page of a child's record cannot be forgotten: any URL outside the Django admin
    with a path parameter must be in the registry or the exemptions."""
    missing = [
        (name, route)
        for name, route in _patterns()
        if not name.startswith("admin:")
        and re.search(r"<[^>]+>|\(\?P<", route)
        and name not in VIEWS
        and name not in EXEMPT
    ]
    assert missing == []


def test_the_registry_names_only_urls_that_exist():
    names = {name for name, _ in _patterns()}
    assert set(VIEWS) - names == set()
    assert set(EXEMPT) - names == set()
    assert all(reason for reason in EXEMPT.values())


def _only_record():
    [record] = AccessRecord.objects.all()
    return record


def test_opening_the_case_page_is_recorded_with_who_when_and_the_address(org, client_for):
    from tests.audits.factories import case_in

    case = case_in(org.north_team, worker=org.social_worker)
    response = client_for(org.team_manager).get(
        f"/cases/{case.external_id}/", REMOTE_ADDR="192.0.2.10"
    )
    assert response.status_code == 200
    record = _only_record()
    assert (record.user, record.kind, record.case_external_id) == (
        org.team_manager,
        AccessKind.CASE,
        case.external_id,
    )
    assert record.address == "192.0.2.10" and record.method == "GET"
    assert abs(record.at - timezone.now()) < dt.timedelta(minutes=1)


def test_an_audit_page_records_the_case_id_it_read_without_finding_it_again(org, client_for):
    """Issue 16: the audit pages and the PDF say which case ID they read (`case_known`),
    so the INSERT holds it as a value instead of a join of three tables; the ID is the
    child's case ID. (Without it the INSERT finds the ID itself: the next test.)"""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    audit = started_audit(org)
    client = client_for(org.auditor)
    client.get(f"/audit/{audit.pk}/")
    for url in (f"/audit/{audit.pk}/", f"/audit/{audit.pk}/pdf/"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        (insert,) = [q["sql"] for q in queries if "INSERT INTO accounts_accessrecord" in q["sql"]]
        assert "sampling_case" not in insert, url
    assert set(AccessRecord.objects.values_list("case_external_id", flat=True)) == {
        audit.case.external_id
    }


def test_a_case_id_said_for_another_record_or_finder_is_not_used(rf, org):
    """The ID a view says is used only for the record and the finder of the address's
    registry entry; otherwise the INSERT finds the case ID itself."""
    from django.urls import resolve

    from accounts.access_log import access_record, case_known

    audit = started_audit(org)
    url = f"/audit/{audit.pk}/"
    entry = VIEWS["audit:task-list"]
    for finder, key in (("case_of_audit", audit.pk + 1), ("case_of_allocation", audit.pk)):
        request = rf.get(url)
        request.user = org.auditor
        request.resolver_match = resolve(url)
        case_known(request, finder, key, "WRONG-ID")
        access_record(request=request, entry=entry, url_name="audit:task-list")
    assert list(AccessRecord.objects.values_list("case_external_id", flat=True)) == [
        audit.case.external_id,
        audit.case.external_id,
    ]


def test_a_refused_or_missing_record_is_not_recorded(org, client_for):
    from tests.audits.factories import case_in

    case = case_in(org.north_team, worker=org.social_worker)
    assert client_for(org.outsider).get(f"/cases/{case.external_id}/").status_code == 404
    assert client_for(org.outsider).get("/cases/NO-SUCH-CASE/").status_code == 404
    assert not AccessRecord.objects.exists()


def test_each_audit_page_and_the_pdf_are_recorded_against_the_childs_case(org, client_for):
    audit = started_audit(org)
    client = client_for(org.auditor)
    key = audit.definition["sections"][0]["key"]
    for url in (f"/audit/{audit.pk}/", f"/audit/{audit.pk}/section/{key}/"):
        assert client.get(url).status_code == 200
    assert client.get(f"/audit/{audit.pk}/pdf/").status_code == 200
    kinds = list(
        AccessRecord.objects.order_by("id").values_list("kind", "object_id", "case_external_id")
    )
    case_id = audit.case.external_id
    assert kinds == [
        (AccessKind.AUDIT, str(audit.pk), case_id),
        (AccessKind.AUDIT, str(audit.pk), case_id),
        (AccessKind.AUDIT_PDF, str(audit.pk), case_id),
    ]


def test_the_autosave_of_an_auditors_typing_is_not_recorded(org, client_for):
    audit = started_audit(org)
    key = audit.definition["sections"][0]["key"]
    client_for(org.auditor).post(
        f"/audit/{audit.pk}/autosave/{key}/", {"revision": "0", "evidence": "Typing."}
    )
    assert not AccessRecord.objects.exists()


def test_opening_an_allocation_is_recorded(org, client_for):
    from tests.audits.factories import allocation, case_in

    allocated = allocation(auditor=org.auditor, case=case_in(org.north_team))
    assert client_for(org.qa_officer).get(f"/audits/allocations/{allocated.pk}/").status_code == 200
    record = _only_record()
    assert record.kind == AccessKind.ALLOCATION
    assert record.case_external_id == allocated.case.external_id


def test_opening_a_remedial_action_is_recorded(org, client_for):
    from accounts.services import policy_load_preset

    policy_load_preset(preset="bury")
    [action] = remedial_actions(org)
    AccessRecord.objects.all().delete()
    assert client_for(org.team_manager).get(f"/actions/{action.pk}/").status_code == 200
    record = _only_record()
    assert (record.kind, record.object_id, record.case_external_id) == (
        AccessKind.ACTION,
        str(action.pk),
        action.case.external_id,
    )


def test_an_export_naming_cases_is_recorded(org, client_for):
    from tests.audits.factories import allocation, case_in

    allocation(auditor=org.auditor, case=case_in(org.north_team))
    response = client_for(org.qa_officer).get("/audits/allocation/2026-11/export.csv")
    assert response.status_code == 200
    record = _only_record()
    assert record.kind == AccessKind.EXPORT and record.url_name == "audits:review-export"
    assert record.case_external_id == ""


def test_the_forwarded_address_is_used_only_behind_a_trusted_proxy(org, client_for, settings):
    from tests.audits.factories import case_in

    case = case_in(org.north_team, worker=org.social_worker)
    client = client_for(org.team_manager)
    url = f"/cases/{case.external_id}/"
    client.get(url, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    settings.ACCESS_LOG_TRUST_X_FORWARDED_FOR = True
    client.get(url, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7, 10.0.0.1")
    assert list(AccessRecord.objects.order_by("id").values_list("address", flat=True)) == [
        "10.0.0.1",
        "198.51.100.7",
    ]


def test_qa_staff_see_who_opened_the_childs_records_on_the_case_page(org, client_for):
    from tests.audits.factories import case_in

    case = case_in(org.north_team, worker=org.social_worker)
    client_for(org.social_worker).get(f"/cases/{case.external_id}/")
    qa_page = client_for(org.qa_officer).get(f"/cases/{case.external_id}/").content.decode()
    assert "Who has opened this child's records" in qa_page
    assert "Sky Worker" in qa_page
    manager_page = client_for(org.team_manager).get(f"/cases/{case.external_id}/")
    assert "Who has opened" not in manager_page.content.decode()


def test_qa_staff_list_access_by_person_and_period(org, client_for, on_day):
    from tests.audits.factories import case_in

    case = case_in(org.north_team, worker=org.social_worker)
    on_day(dt.date(2026, 11, 2))
    client_for(org.social_worker).get(f"/cases/{case.external_id}/")
    on_day(dt.date(2026, 11, 20))
    client_for(org.team_manager).get(f"/cases/{case.external_id}/")
    client = client_for(org.qa_officer)
    page = client.get(
        "/accounts/access/",
        {
            "person": org.social_worker.pk,
            "start_0": "1",
            "start_1": "11",
            "start_2": "2026",
            "end_0": "10",
            "end_1": "11",
            "end_2": "2026",
        },
    )
    assert page.status_code == 200
    assert [r.user for r in page.context["records"]] == [org.social_worker]
    everyone = client.get(
        "/accounts/access/",
        {
            "start_0": "1",
            "start_1": "11",
            "start_2": "2026",
            "end_0": "30",
            "end_1": "11",
            "end_2": "2026",
        },
    )
    assert {r.user for r in everyone.context["records"]} == {org.social_worker, org.team_manager}


@pytest.mark.parametrize("persona", ["admin", "senior_manager", "team_manager", "auditor"])
def test_only_qa_staff_see_the_access_log(org, client_for, persona):
    assert client_for(getattr(org, persona)).get("/accounts/access/").status_code == 403


def test_the_retention_sweep_deletes_old_records_and_running_it_twice_deletes_no_more(
    org, settings
):
    settings.ACCESS_LOG_RETENTION_DAYS = 30
    today = dt.date(2027, 3, 1)
    zone = timezone.get_current_timezone()
    for day in (dt.date(2027, 1, 1), dt.date(2027, 1, 29), dt.date(2027, 1, 30)):
        AccessRecord.objects.create(
            user=org.qa_officer,
            at=dt.datetime.combine(day, dt.time(12), tzinfo=zone),
            kind=AccessKind.CASE,
            url_name="reporting:case",
            method="GET",
            path="/cases/X/",
        )
    assert sweep_access_log_retention(today=today) == 2
    assert sweep_access_log_retention(today=today) == 0
    assert [r.at.date() for r in AccessRecord.objects.all()] == [dt.date(2027, 1, 30)]
