"""The audit's statuses and the moves between them (SPEC §6)."""

from __future__ import annotations

import pytest

from audits import lifecycle as lc

MAIN_ROAD = [
    lc.ALLOCATED,
    lc.IN_PROGRESS,
    lc.SHARED,
    lc.SUBMITTED,
    lc.QA_CHECK,
    lc.WITH_TEAM_MANAGER,
    lc.CLOSED,
]


def test_the_main_road_from_allocated_to_closed_is_allowed_step_by_step():
    """SPEC §6: allocated → in progress → shared → submitted → QA → team manager → closed."""
    for here, there in zip(MAIN_ROAD, MAIN_ROAD[1:], strict=False):
        assert lc.can_move(here, there), (here, there)


def test_a_challenge_goes_to_moderation_and_the_decision_submits_the_audit():
    """P&Q 22: unresolved challenge → moderation; the moderator's decision is final.
    Hillingdon 2.11: a review session that agrees a change sends the draft back to the
    auditor to make it."""
    assert lc.can_move(lc.SHARED, lc.IN_MODERATION)
    assert lc.TRANSITIONS[lc.IN_MODERATION] == {lc.SUBMITTED, lc.IN_PROGRESS}


def test_qa_may_return_an_audit_for_amendment_and_it_comes_back_submitted():
    """P&Q 20: returned to the auditor, completed and sent back."""
    assert lc.can_move(lc.QA_CHECK, lc.RETURNED)
    assert lc.TRANSITIONS[lc.RETURNED] == {lc.SUBMITTED}


def test_audits_not_sampled_for_qa_go_straight_to_the_team_manager():
    """Bury 6.5: either quality assured or assigned to the team manager."""
    assert lc.can_move(lc.SUBMITTED, lc.WITH_TEAM_MANAGER)


@pytest.mark.parametrize(
    ("here", "there"),
    [
        (lc.ALLOCATED, lc.SUBMITTED),
        (lc.IN_PROGRESS, lc.WITH_TEAM_MANAGER),
        (lc.SUBMITTED, lc.IN_PROGRESS),
        (lc.WITH_TEAM_MANAGER, lc.IN_PROGRESS),
        (lc.CLOSED, lc.IN_PROGRESS),
        (lc.IN_MODERATION, lc.WITH_TEAM_MANAGER),
        (lc.QA_CHECK, lc.CLOSED),
    ],
)
def test_moves_not_in_the_map_are_refused(here, there):
    assert not lc.can_move(here, there)


def test_closed_is_the_end_of_the_road():
    assert lc.TRANSITIONS[lc.CLOSED] == frozenset()


def test_every_status_has_a_label_and_an_entry_in_the_map():
    assert {value for value, _ in lc.CHOICES} == set(lc.TRANSITIONS)
    for targets in lc.TRANSITIONS.values():
        assert targets <= set(lc.TRANSITIONS)


def test_the_case_team_reads_the_audit_only_from_shared_for_comment_on():
    """P&Q 18: the worker, manager and IRO see the draft once it is shared."""
    assert lc.ALLOCATED not in lc.VISIBLE_TO_CASE
    assert lc.IN_PROGRESS not in lc.VISIBLE_TO_CASE
    assert lc.SHARED in lc.VISIBLE_TO_CASE
