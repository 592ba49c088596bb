"""Team and worker names are matched to the organisation; unknown ones are listed for QA
staff to map once, never created (issue 3)."""

from __future__ import annotations

import datetime as dt

from accounts.models import Team, User
from sampling.models import Case, NameMapping
from sampling.services import name_map

from ..accounts.factories import UserFactory
from .conftest import AS_OF, child


def test_an_unknown_team_or_worker_is_listed_and_never_created(annex, imported):
    rows = [child("6", 1, **{"Allocated Team": "Mystery Team", "Allocated Worker": "Nobody Known"})]
    snapshot = imported(annex("6", rows))
    assert snapshot.status == "imported"
    assert snapshot.unknown_teams == [["Mystery Team", 1]]
    assert snapshot.unknown_workers == [["Nobody Known", 1]]
    assert not Team.objects.filter(name="Mystery Team").exists()
    assert not User.objects.filter(full_name="Nobody Known").exists()
    case = Case.objects.get()
    assert case.team is None and case.team_source == "Mystery Team"


def test_a_mapping_applies_to_open_cases_and_is_remembered_for_later_lists(annex, imported, org):
    imported(annex("6", [child("6", 1, **{"Allocated Team": "N.F.S. team"})]))
    changed = name_map(
        kind="team", source_name="N.F.S. team", team=org.north_team, by=org.qa_officer
    )
    assert changed == 1 and Case.objects.get().team == org.north_team
    later = imported(
        annex(
            "6",
            [
                child("6", 1, **{"Allocated Team": "nfs TEAM"}),
                child("6", 2, **{"Allocated Team": "N.F.S. team"}),
            ],
        ),
        as_of=AS_OF + dt.timedelta(days=7),
    )
    assert later.unknown_teams == []
    assert set(Case.objects.values_list("team", flat=True)) == {org.north_team.pk}
    assert NameMapping.objects.count() == 1


def test_a_worker_name_shared_by_two_people_is_not_guessed(annex, imported, org):
    UserFactory(full_name="Sky Worker", email="another.sky@example.test")
    snapshot = imported(annex("6", [child("6", 1)]))
    assert snapshot.unknown_workers == [["Sky Worker", 1]]
    assert Case.objects.get().allocated_worker is None
    name_map(kind="worker", source_name="Sky Worker", user=org.social_worker)
    assert Case.objects.get().allocated_worker == org.social_worker


def test_names_page_lists_unmatched_names_and_maps_them(annex, imported, org, client_for):
    imported(annex("6", [child("6", 1, **{"Allocated Team": "Mystery Team"})]))
    client = client_for(org.qa_officer)
    page = client.get("/sampling/frame/names/")
    assert page.status_code == 200 and "Mystery Team" in page.content.decode()
    response = client.post(
        "/sampling/frame/names/",
        {"kind": "team", "source_name": "Mystery Team", "team": org.south_team.pk},
    )
    assert response.status_code == 302
    assert Case.objects.get().team == org.south_team
    assert "Every team name is matched" in client.get("/sampling/frame/names/").content.decode()
