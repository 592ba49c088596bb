"""Who has had involvement in a case, from the case lists (Hillingdon 2.1; issue 17 item 3).
The allocation's refusals that use it are in tests/audits/test_seed_rules_allocation.py."""

from __future__ import annotations

import datetime as dt

from accounts.models import User
from audits.eligibility import Refusal, Rules, refusal
from audits.selectors import auditor_facts, case_facts
from sampling.models import Case, SnapshotCase

from .conftest import child


def test_hillingdon_an_earlier_worker_and_their_team_on_the_case_lists_count_as_involved(
    annex, imported, org
):
    """Hillingdon 2.1: "audits will not be allocated to internal auditors whom have, or
    their team have had involvement in the case". Each snapshot records the team and worker
    that held the case that day; a case that moved from Ari's team and Ari's hands to North
    is still one Ari has had involvement in, though today's team and worker are not Ari's."""
    first = dt.date(2026, 10, 5)
    imported(
        annex(
            6,
            [
                child(
                    6,
                    1,
                    **{
                        "Allocated Team": "South Children in Care",
                        "Allocated Worker": "Ari Auditor",
                    },
                )
            ],
        ),
        as_of=first,
    )
    imported(annex(6, [child(6, 1)]), as_of=dt.date(2026, 11, 2))
    case = Case.objects.get(external_id="C00001")
    assert case.team == org.north_team and case.allocated_worker == org.social_worker
    held = set(SnapshotCase.objects.filter(case=case).values_list("team_id", "worker_id"))
    assert (org.south_team.pk, org.auditor.pk) in held
    facts = case_facts(case_ids=[case.pk])[case.pk]
    assert org.south_team.pk in facts.past_team_ids and org.auditor.pk in facts.past_worker_ids
    rules = Rules(own_team_roles=frozenset(), other_area_roles=frozenset())
    ari = User.objects.select_related("team__service_area", "service_area").get(pk=org.auditor.pk)
    assert refusal(auditor_facts([ari])[ari.pk], facts, rules) is Refusal.INVOLVED
