# ruff: noqa: F811 (the pair fixture is shared with the paired-audit tests)
"""Paired consensus obeys the grade rules, and every auditor's SMART actions reach it to
be kept, merged or dropped (Bury 8.1; Bradford App. 1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accounts.errors import RuleViolation
from audits import lifecycle
from audits.models import Consensus, SmartAction
from audits.services import action_add, audit_submit, consensus_record

from .factories_form import TODAY, fill_in
from .test_paired_and_qa_share import pair  # noqa: F401

pytestmark = pytest.mark.django_db


def _both_submitted(org, pair, *, with_actions=False):
    group, first, other, second = pair
    fill_in(first, grade="requires_improvement", overall="requires_improvement")
    fill_in(other, grade="requires_improvement", overall="requires_improvement")
    made = {}
    if with_actions:
        made["mine"] = action_add(
            audit=first,
            by=org.auditor,
            what="Update the chronology.",
            who="Social worker",
            due_on=dt.date(2026, 12, 10),
        )
        made["theirs"] = action_add(
            audit=other,
            by=second,
            what="Review the child's plan with the family.",
            who="Team manager",
            due_on=dt.date(2026, 12, 20),
        )
        made["merge"] = action_add(
            audit=other,
            by=second,
            what="Add the school's views to the chronology.",
            who="Social worker",
            due_on=dt.date(2026, 12, 5),
        )
        made["drop"] = action_add(
            audit=other, by=second, what="Tidy the file.", who="Worker", due_on=TODAY
        )
    audit_submit(audit=first, by=org.auditor, today=TODAY)
    audit_submit(audit=other, by=second, today=TODAY)
    return group, first, other, made


def test_the_consensus_obeys_the_forms_grade_rules(org, pair):
    """Bradford App. 1: the overall grade is not more than one grade above the lowest
    section grade. An agreed grade that breaks it is refused, as it would be on an audit."""
    group, first, _other, _ = _both_submitted(org, pair)
    sections = {s["key"]: "good" for s in first.definition["sections"]}
    sections[next(iter(sections))] = "inadequate"
    with pytest.raises(RuleViolation, match="no higher than"):
        consensus_record(
            pair_group=group, by=org.auditor, grades=sections, overall_grade="good", today=TODAY
        )
    assert not Consensus.objects.exists()
    consensus_record(
        pair_group=group,
        by=org.auditor,
        grades=sections,
        overall_grade="requires_improvement",
        today=TODAY,
    )


def test_every_auditors_actions_reach_the_consensus_to_keep_merge_or_drop(org, pair):
    """Bury 8.1: the auditors come together to form a consensus view; what each found must
    not be lost. Each auditor's SMART actions must be decided: kept ones go on the lead
    audit to the team manager, a merged one joins a kept one, a dropped one is recorded."""
    group, first, other, made = _both_submitted(org, pair, with_actions=True)
    grades = {s["key"]: "requires_improvement" for s in first.definition["sections"]}
    with pytest.raises(RuleViolation, match="Decide each auditor's action"):
        consensus_record(
            pair_group=group,
            by=org.auditor,
            grades=grades,
            overall_grade="requires_improvement",
            today=TODAY,
            actions={made["mine"].pk: "keep"},
        )
    with pytest.raises(RuleViolation, match="merged only into an action that is kept"):
        consensus_record(
            pair_group=group,
            by=org.auditor,
            grades=grades,
            overall_grade="requires_improvement",
            today=TODAY,
            actions={
                made["mine"].pk: "keep",
                made["theirs"].pk: "keep",
                made["merge"].pk: f"merge:{made['drop'].pk}",
                made["drop"].pk: "drop",
            },
        )
    consensus = consensus_record(
        pair_group=group,
        by=org.auditor,
        grades=grades,
        overall_grade="requires_improvement",
        today=TODAY,
        actions={
            made["mine"].pk: "keep",
            made["theirs"].pk: "keep",
            made["merge"].pk: f"merge:{made['mine'].pk}",
            made["drop"].pk: "drop",
        },
    )
    lead = SmartAction.objects.filter(audit=first).order_by("pk")
    assert [a.what for a in lead] == [
        "Update the chronology.\nAdd the school's views to the chronology.",
        "Review the child's plan with the family.",
    ]
    assert lead[0].due_on == dt.date(2026, 12, 5)  # the earlier date of the merged pair
    decisions = {d["what"]: d["decision"] for d in consensus.action_decisions}
    assert decisions["Tidy the file."] == "drop"
    assert decisions["Add the school's views to the chronology."] == "merge"
    # The other auditor's own audit is kept as it was.
    assert other.actions.count() == 3
    first.refresh_from_db()
    assert first.status == lifecycle.WITH_TEAM_MANAGER


def test_the_consensus_page_lists_every_auditors_actions(org, client_for, pair):
    """Bury 8.1: the page shows each auditor's actions with a decision to make, and refuses
    a consensus that leaves one undecided, changing nothing."""
    group, first, _other, made = _both_submitted(org, pair, with_actions=True)
    url = reverse("audit:consensus", args=[group])
    client = client_for(org.auditor)
    page = client.get(url).content.decode()
    assert "Review the child&#x27;s plan with the family." in page
    grades = {f"grade-{s['key']}": "requires_improvement" for s in first.definition["sections"]}
    refused = client.post(url, {**grades, "overall": "requires_improvement"})
    assert refused.status_code == 400
    assert not Consensus.objects.exists()
    decided = {f"action-{a.pk}": "keep" for a in made.values()}
    assert (
        client.post(url, {**grades, "overall": "requires_improvement", **decided}).status_code
        == 302
    )
    assert SmartAction.objects.filter(audit=first).count() == 4
