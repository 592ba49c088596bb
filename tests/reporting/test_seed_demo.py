"""The synthetic demo authority (issue 2): its size, a sign-in for every persona, only
made-up data, and safe to load twice."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import RequestFactory

from accounts.demo import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_SIGN_INS
from accounts.models import Persona, Policy, ServiceArea, Team, User
from sampling.models import Case, CaseStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    # The authority alone: its history has its own tests (test_seed_demo_history.py) and
    # would make each of these take half a minute.
    out = io.StringIO()
    call_command("seed_demo", "--no-history", stdout=out)
    return out.getvalue()


def test_the_demo_authority_has_the_size_the_issue_asks_for(demo):
    assert ServiceArea.objects.count() == 5
    assert 38 <= Team.objects.count() <= 45
    assert 280 <= User.objects.count() <= 330
    assert 100 <= User.objects.filter(in_audit_pool=True).count() <= 130
    assert 5500 <= Case.objects.filter(status=CaseStatus.OPEN).count() <= 6500
    assert Policy.objects.get().preset == "bury"


def test_the_demo_imports_this_weeks_annex_a_lists_through_the_real_import(demo):
    """Bury 6.1: the sampling frame is the Annex A lists published each Monday."""
    from sampling.models import Snapshot, SnapshotStatus

    snapshots = Snapshot.objects.filter(status=SnapshotStatus.IMPORTED)
    assert sorted(snapshots.values_list("annex_list", flat=True)) == ["6", "7", "8", "9"]
    assert len({s.as_of for s in snapshots}) == 1
    assert next(iter({s.as_of for s in snapshots})).weekday() == 0
    assert sum(s.open_count for s in snapshots) > 4000
    assert not any(s.unknown_workers or s.unknown_teams for s in snapshots)


def test_every_persona_has_a_demo_sign_in_that_works(demo, client):
    wanted = {
        "QA staff": Persona.QA_STAFF,
        "Auditor": Persona.AUDITOR,
        "Team manager": Persona.TEAM_MANAGER,
        "Service manager": Persona.SERVICE_MANAGER,
        "Senior manager": Persona.SENIOR_MANAGER,
        "Social worker": Persona.SOCIAL_WORKER,
        "Admin": Persona.ADMIN,
    }
    for sign_in in DEMO_SIGN_INS:
        user = User.objects.get(email=sign_in.email)
        assert user.has_persona(wanted[sign_in.persona]), sign_in
        assert client.login(
            request=RequestFactory().post("/accounts/sign-in/"),
            username=sign_in.email,
            password=DEMO_PASSWORD,
        )
        assert client.get("/").status_code == 200
        client.logout()
        assert sign_in.email in demo


def test_every_team_has_a_manager_and_every_person_but_the_top_a_line_manager(demo):
    assert not Team.objects.filter(manager__isnull=True).exists()
    no_manager = User.objects.filter(line_manager__isnull=True).values_list("role", flat=True)
    assert set(no_manager) == {"strategic_director"}


def test_the_demo_data_is_synthetic(demo):
    assert not User.objects.exclude(email__endswith=f"@{DEMO_DOMAIN}").exists()
    assert not Case.objects.exclude(external_id__startswith="DEMO").exists()


def test_loading_the_demo_twice_adds_nothing(demo):
    counts = (User.objects.count(), Team.objects.count(), Case.objects.count())
    out = io.StringIO()
    call_command("seed_demo", "--no-history", stdout=out)
    assert "0 service areas, 0 teams, 0 people and 0 cases added; 0 case lists" in out.getvalue()
    assert (User.objects.count(), Team.objects.count(), Case.objects.count()) == counts
