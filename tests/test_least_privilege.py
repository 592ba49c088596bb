"""Least privilege (issue 14): administrators run the system and read no child's records;
every page naming a case shows only what the reader may see; nothing tells a stranger
whether a case exists; senior managers read figures, not each child's action."""

from __future__ import annotations

import pytest

from accounts.models import AccessRecord
from tests.audits.factories import case_in
from tests.audits.factories_form import started_audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(org):
    from accounts.services import policy_load_preset
    from tests.remediation.factories import remedial_actions

    policy_load_preset(preset="bury")
    [action] = remedial_actions(org)
    audit = started_audit(org)
    return {"action": action, "audit": audit, "case": audit.case}


def _case_pages(records) -> list[str]:
    audit, action, case = records["audit"], records["action"], records["case"]
    key = audit.definition["sections"][0]["key"]
    return [
        f"/cases/{case.external_id}/",
        f"/cases/{action.case.external_id}/",
        f"/audit/{audit.pk}/",
        f"/audit/{audit.pk}/section/{key}/",
        f"/audit/{audit.pk}/pdf/",
        f"/audit/allocation/{audit.allocation_id}/",
        f"/audits/allocations/{audit.allocation_id}/",
        f"/actions/{action.pk}/",
        "/actions/",
        "/actions/waiting/",
        "/audits/allocation/2026-11/",
        "/audits/allocation/2026-11/export.csv",
        "/audits/mine/",
        "/sampling/frame/",
        "/sampling/samples/",
        "/audit/qa/",
    ]


def test_the_administrator_is_refused_every_page_of_a_childs_records(org, records, client_for):
    """Administrators manage people, teams, policy and settings, not case data."""
    client = client_for(org.admin)
    opened = {}
    for url in _case_pages(records):
        response = client.get(url)
        if response.status_code not in (403, 404):
            body = response.content.decode()
            opened[url] = response.status_code
            assert records["case"].external_id not in body, url
    # The actions list answers with the person's own (none): it names no case.
    assert set(opened) <= {"/actions/"}
    assert not AccessRecord.objects.filter(user=org.admin).exists()


def test_the_administrator_still_manages_people_policy_and_the_organisation(org, client_for):
    client = client_for(org.admin)
    for url in (
        "/accounts/policy/",
        "/accounts/organisation/",
        "/accounts/staff/import/",
        "/admin/accounts/user/",
        "/admin/accounts/team/",
    ):
        assert client.get(url).status_code == 200, url


def test_the_case_page_lists_only_the_audits_the_reader_may_see(org, client_for):
    """An auditor's draft is theirs until it is shared with the case (P&Q 18): the case's
    team manager does not see it listed, with its auditor, before then."""
    from audits.services import audit_share_for_comment

    audit = started_audit(org)
    url = f"/cases/{audit.case.external_id}/"
    manager = client_for(org.team_manager).get(url)
    assert manager.status_code == 200
    assert manager.context["audits"] == []
    assert "Ari Auditor" not in manager.content.decode()
    assert client_for(org.qa_officer).get(url).context["audits"] == [audit]
    audit_share_for_comment(audit=audit, by=org.auditor)
    assert client_for(org.team_manager).get(url).context["audits"] == [audit]


def test_with_debug_on_a_case_out_of_scope_looks_like_one_that_does_not_exist(
    org, client_for, settings
):
    settings.DEBUG = True
    case = case_in(org.north_team, worker=org.social_worker)
    client = client_for(org.outsider)
    hidden = client.get(f"/cases/{case.external_id}/")
    missing = client.get("/cases/NO-SUCH-CASE/")
    assert hidden.status_code == missing.status_code == 404

    def text(response, external_id):
        return response.content.decode().replace(external_id, "ID")

    assert text(hidden, case.external_id) == text(missing, "NO-SUCH-CASE")


def test_health_says_nothing_about_debug(client, settings):
    settings.DEBUG = True
    body = client.get("/health/").json()
    assert "debug" not in body


def test_the_sign_in_page_has_one_form_not_one_inside_another(client, db):
    html = client.get("/accounts/sign-in/").content.decode()
    depth = deepest = 0
    for tag in __import__("re").findall(r"<(/?)form\b", html):
        depth += -1 if tag else 1
        deepest = max(deepest, depth)
    assert deepest == 1 and html.count("<form") >= 1


def test_senior_managers_see_every_teams_figures_but_no_childs_action(org, records, client_for):
    client = client_for(org.senior_manager)
    tray = client.get("/actions/")
    assert tray.status_code == 200
    assert tray.context["tray"].scope == "figures"
    assert tray.context["tray"].counts["unfinished"] == 1
    assert list(tray.context["tray"].actions) == []
    assert records["action"].case.external_id not in tray.content.decode()
    assert client.get(f"/actions/{records['action'].pk}/").status_code == 404


def test_no_one_is_a_superuser_in_the_demo(db):
    from accounts.demo import build_organisation
    from accounts.models import Role, User

    build_organisation()
    assert not User.objects.filter(is_superuser=True).exists()
    admin = User.objects.get(email="admin@demo.casefile.test")
    assert admin.role == Role.ADMIN and admin.is_staff


def test_a_role_change_away_from_admin_takes_the_admin_site_away(org):
    from accounts.models import Role
    from accounts.services import user_sync_groups

    org.admin.role = Role.SOCIAL_WORKER
    org.admin.save()
    user_sync_groups(user=org.admin)
    org.admin.refresh_from_db()
    assert not org.admin.is_staff and not org.admin.is_superuser
