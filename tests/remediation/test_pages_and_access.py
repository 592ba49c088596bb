"""Who sees which actions, and the pages' fixed cost: each view declares who may use it
and checks the object (SPEC §1; Bradford 2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from remediation.models import ActionStatus, DecisionStatus, ManagementDecision, RemedialAction
from remediation.services import action_fulfil, decision_record
from tests.remediation.factories import remedial_actions

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def actions(org, bury):
    return remedial_actions(org, n=2)


def test_the_team_manager_sees_their_teams_actions_overdue_first(org, bury, client_for):
    """Bury 9.3: the team manager's list, by due date, overdue first."""
    early = remedial_actions(org, finished_on=dt.date(2026, 1, 5))
    later = remedial_actions(org)
    response = client_for(org.team_manager).get("/actions/")
    assert response.status_code == 200
    listed = [a.pk for a in response.context["tray"].actions]
    assert listed == [early[0].pk, later[0].pk]
    body = response.content.decode()
    assert "Overdue" in body and early[0].case.external_id in body
    assert "Ari Auditor" in body  # the audit beside each


def test_the_service_manager_sees_the_teams_they_oversee(org, actions, client_for):
    """Bradford 2: the Service Manager tracks the actions."""
    response = client_for(org.service_manager).get("/actions/")
    assert response.context["tray"].scope == "service"
    assert len(response.context["tray"].actions) == 2


def test_the_social_worker_sees_only_the_actions_on_their_cases(org, actions, client_for):
    """SPEC §1: social workers see the actions on their cases."""
    mine = client_for(org.social_worker).get("/actions/")
    assert mine.context["tray"].scope == "worker" and len(mine.context["tray"].actions) == 2
    theirs = client_for(org.outsider).get("/actions/")
    assert list(theirs.context["tray"].actions) == []


def test_an_action_is_hidden_from_people_with_no_part_in_it(org, actions, client_for):
    """Object-level check: another team's manager, another worker see a 404."""
    url = f"/actions/{actions[0].pk}/"
    for person in (
        org.team_manager,
        org.service_manager,
        org.social_worker,
        org.qa_officer,
        org.auditor,
    ):
        assert client_for(person).get(url).status_code == 200, person
    # Senior managers read the figures, not each child's action (issue 14).
    for person in (org.outsider, org.south_team.manager, org.senior_manager):
        assert client_for(person).get(url).status_code == 404, person


def test_only_the_team_manager_may_sign_off_record_decisions_and_change_the_carrier(
    org, actions, client_for
):
    """Bury 9.3-9.5: the team manager's steps."""
    action = actions[0]
    action_fulfil(action=action, by=org.team_manager, fulfilled_on=TODAY, today=TODAY)
    for person in (org.social_worker, org.service_manager, org.qa_officer):
        client = client_for(person)
        assert client.post("/actions/sign-off/", {"actions": [action.pk]}).status_code == 403
        assert client.get(f"/actions/{action.pk}/decision/").status_code == 403
        assert client.get(f"/actions/{action.pk}/carrier/").status_code == 403
    assert (
        client_for(org.outsider).post("/actions/sign-off/", {"actions": [action.pk]}).status_code
        == 403
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.FULFILLED


def test_bulk_sign_off_through_the_page(org, actions, client_for):
    """Bury 9.3: the team manager signs off several done actions at once."""
    for action in actions:
        action_fulfil(action=action, by=org.social_worker, fulfilled_on=TODAY, today=TODAY)
    response = client_for(org.team_manager).post(
        "/actions/sign-off/", {"actions": [a.pk for a in actions]}
    )
    assert response.status_code == 302
    assert set(RemedialAction.objects.values_list("status", flat=True)) == {ActionStatus.COMPLETED}


def test_only_an_overseer_may_open_the_authorisation_list_and_decide(org, actions, client_for):
    """Bury 9.4: a Service Manager or Strategic Lead authorises Management Decisions."""
    decision = decision_record(action=actions[0], by=org.team_manager, reason="Left", today=TODAY)
    assert client_for(org.team_manager).get("/actions/authorise/").status_code == 403
    assert client_for(org.social_worker).get("/actions/authorise/").status_code == 403
    page = client_for(org.service_manager).get("/actions/authorise/")
    assert page.status_code == 200 and page.context["decisions"] == [decision]
    refused = client_for(org.team_manager).post(
        f"/actions/decisions/{decision.pk}/", {"decision": "authorise"}
    )
    assert refused.status_code == 403
    response = client_for(org.service_manager).post(
        f"/actions/decisions/{decision.pk}/", {"decision": "authorise"}
    )
    assert response.status_code == 302
    assert ManagementDecision.objects.get().status == DecisionStatus.AUTHORISED


def test_qa_staff_see_every_audit_still_waiting_for_its_actions(org, actions, client_for):
    """P&Q 27: the Performance and Quality Service monitors audits not yet confirmed."""
    page = client_for(org.qa_officer).get("/actions/waiting/")
    assert page.status_code == 200
    [audit] = page.context["audits"]
    assert (audit.action_count, audit.unfinished_count) == (2, 2)
    for person in (org.team_manager, org.service_manager, org.social_worker):
        assert client_for(person).get("/actions/waiting/").status_code == 403


def test_the_case_page_is_for_qa_its_managers_and_its_worker(org, actions, client_for):
    """Case pages disclose a child's record: only those with a part in it see it."""
    url = f"/cases/{actions[0].case.external_id}/"
    for person in (org.qa_officer, org.team_manager, org.service_manager, org.social_worker):
        assert client_for(person).get(url).status_code == 200, person
    for person in (org.outsider, org.auditor, org.south_team.manager):
        assert client_for(person).get(url).status_code == 404, person
    assert client_for(org.qa_officer).get("/cases/NO-SUCH/").status_code == 404


def test_the_home_page_shows_the_team_managers_actions_and_the_service_managers_decisions(
    org, actions, client_for
):
    """The home panels count what is waiting."""
    decision_record(action=actions[0], by=org.team_manager, reason="Left", today=TODAY)
    tm = client_for(org.team_manager).get("/").content.decode()
    assert "Your teams have 2 actions to complete" in tm
    sm = client_for(org.service_manager).get("/").content.decode()
    assert "Waiting for you: 1 Management Decision and 0 signed-off actions" in sm


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "persona", ["team_manager", "service_manager", "qa_officer", "social_worker"]
)
def test_the_worktray_costs_the_same_queries_for_3_and_30_actions(org, bury, client_for, persona):
    """A list page runs a fixed number of queries however long the list."""
    remedial_actions(org, n=3)
    client = client_for(getattr(org, persona))
    small = _queries(client, "/actions/")
    remedial_actions(org, n=27, finished_on=dt.date(2026, 10, 1))
    assert _queries(client, "/actions/") == small


def test_the_compliance_review_page_costs_the_same_queries_for_small_and_large_months(
    org, bury, client_for
):
    """The review of a month is one page at a fixed cost."""
    from remediation.services import sweep_open_compliance_reviews

    remedial_actions(org, n=2, finished_on=dt.date(2026, 7, 6))
    sweep_open_compliance_reviews(today=dt.date(2026, 11, 7))
    client = client_for(org.qa_officer)
    small = _queries(client, "/actions/compliance/2026-11/")
    for _ in range(4):
        remedial_actions(org, n=5, finished_on=dt.date(2026, 7, 7))
    sweep_open_compliance_reviews(today=dt.date(2026, 11, 8))
    assert _queries(client, "/actions/compliance/2026-11/") == small
    assert _queries(client, "/actions/compliance/2026-11/review.xlsx") <= small


def test_every_page_of_an_actions_journey_renders_for_the_person_who_uses_it(org, bury, client_for):
    """Each page opens for the person whose step it is."""
    from remediation.services import disagreement_raise, sweep_open_compliance_reviews

    first, second = remedial_actions(org, n=2, finished_on=dt.date(2026, 7, 6))
    tm = client_for(org.team_manager)
    for url in (
        f"/actions/{first.pk}/",
        f"/actions/{first.pk}/fulfil/",
        f"/actions/{first.pk}/decision/",
        f"/actions/{first.pk}/carrier/",
        f"/actions/{first.pk}/disagreement/",
        "/actions/?show=all",
        "/actions/?show=finished",
        "/actions/compliance/",
    ):
        assert tm.get(url).status_code == 200, url
    action_fulfil(action=second, by=org.team_manager, fulfilled_on=TODAY, today=TODAY)
    assert tm.get(f"/actions/{second.pk}/send-back/").status_code == 200
    decision = decision_record(action=first, by=org.team_manager, reason="Left", today=TODAY)
    d = disagreement_raise(action=second, by=org.auditor, position="Not needed")
    sm = client_for(org.service_manager)
    assert sm.get(f"/actions/decisions/{decision.pk}/").status_code == 200
    assert tm.get(f"/actions/disagreements/{d.pk}/").status_code == 200
    sweep_open_compliance_reviews(today=dt.date(2026, 11, 7))
    qa = client_for(org.qa_officer)
    for url in (
        "/actions/compliance/",
        "/actions/compliance/2026-11/",
        "/actions/compliance/2026-11/report/",
        "/actions/compliance/2026-11/follow-up/",
        "/actions/plan/",
        "/actions/plan/new/",
        "/actions/waiting/",
    ):
        assert qa.get(url).status_code == 200, url
    assert qa.get("/actions/compliance/2031-01/").status_code == 404


def test_sign_off_returns_only_to_a_page_of_this_site(org, actions, client_for):
    action_fulfil(action=actions[0], by=org.team_manager, fulfilled_on=TODAY, today=TODAY)
    response = client_for(org.team_manager).post(
        "/actions/sign-off/", {"actions": [actions[0].pk], "next": "https://evil.example/"}
    )
    assert response["Location"] == "/actions/"
