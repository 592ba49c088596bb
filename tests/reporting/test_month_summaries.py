"""The summary of closed months (reporting.dashboard.summary): the dashboard reads a closed
month's completion, quality, action, learning and consistency counts from it, and they must
be the figures the live count gives, for every reader and filter; the sweep that rebuilds it
is safe to run twice; a change to a closed month's data is in the summary after the next
sweep, and a month that is no longer closed is read live again."""

from __future__ import annotations

import datetime as dt

import pytest

from audits.models import Allocation, Moderation
from config import sweeps
from remediation.models import ActionStatus, RemedialAction
from reporting.dashboard.build import build_sections
from reporting.dashboard.filters import read_filters
from reporting.dashboard.scope import reader_scope
from reporting.dashboard.summary import SUMMARY_MONTHS, sweep_month_summaries
from reporting.models import (
    ActionSummary,
    AgreementSummary,
    CheckSummary,
    CompletionSummary,
    GradeSummary,
    LearningSummary,
    SafeguardingSummary,
    SectionSummary,
    SummaryMonth,
    TeamCompletionSummary,
)
from tests.reporting import dashboard_data as data

pytestmark = pytest.mark.django_db

# Every allocation of October and November is past its deadline by then.
LATER = dt.date(2027, 1, 15)


@pytest.fixture
def built(org, settings):
    settings.ESTIMATE_SUPPRESS_UNDER = 5
    return data.everything(org)


def figures(user, params, *, summarised, today=LATER, full=True):
    scope = reader_scope(user)
    filters = read_filters(params, scope=scope, today=today)
    sections = build_sections(
        scope=scope,
        filters=filters,
        today=today,
        only=["completion", "quality", "actions", "learning", "consistency", "safeguarding"],
        summarised=summarised,
        full=full,
    )
    return [s.to_dict() for s in sections]


def summary_rows():
    return (
        sorted(
            GradeSummary.objects.values_list(
                "month", "sample_id", "stratum", "team_id", "case_type", "grade", "audits"
            )
        ),
        sorted(SectionSummary.objects.values_list("month", "team_id", "key", "grade", "answers")),
        sorted(
            LearningSummary.objects.values_list(
                "month", "team_id", "case_type", "theme_id", "audits", "strengths", "learning"
            ),
            key=repr,
        ),
        sorted(
            AgreementSummary.objects.values_list(
                "month", "kind", "source", "first", "second", "grades", "cases"
            ),
            key=repr,
        ),
        sorted(CheckSummary.objects.values_list("month", "team_id", "checks", "returned")),
        sorted(
            TeamCompletionSummary.objects.values_list(
                "month", "team_id", "case_type", "total", "on_time", "overdue", "exempted"
            )
        ),
        sorted(
            ActionSummary.objects.values_list(
                "month", "team_id", "raised", "authorised", "closed_by_decision", "days_taken"
            )
        ),
        sorted(
            SafeguardingSummary.objects.values_list(
                "month", "team_id", "case_type", "concerns", "started", "resolved"
            )
        ),
        sorted(
            CompletionSummary.objects.values_list(
                "month",
                "team_id",
                "case_type",
                "auditor_id",
                "total",
                "on_time",
                "late",
                "submitted",
                "in_progress",
                "not_started",
                "overdue",
                "exempted",
            )
        ),
    )


PARAMS = [
    {"month": "2026-11"},
    {"month": "2026-10"},
    {"period": "quarter", "month": "2026-11"},
    {"period": "year", "month": "2026-12"},
    {"month": "2026-11", "case_type": "cla"},
]


@pytest.mark.parametrize("params", PARAMS)
@pytest.mark.parametrize("persona", ["senior_manager", "service_manager", "team_manager"])
def test_a_closed_months_summary_gives_the_live_figures(built, org, params, persona):
    closed = sweep_month_summaries(today=LATER)
    assert {data.OCT, data.NOV} <= set(closed)
    assert GradeSummary.objects.filter(month=data.NOV).exists()
    assert CompletionSummary.objects.filter(month=data.OCT).exists()
    user = getattr(org, persona)
    assert figures(user, params, summarised=True) == figures(user, params, summarised=False)


@pytest.mark.parametrize("params", PARAMS[:4])
def test_closed_months_from_the_summary_and_open_ones_live_give_the_live_figures(
    built, org, params
):
    """On 10 December October is closed and November is not: the trend, the learning themes
    and the repeated non-completion put summary and live months together."""
    closed = sweep_month_summaries(today=data.TODAY)
    assert data.OCT in closed and data.NOV not in closed
    for user in (org.senior_manager, org.team_manager):
        assert figures(user, params, summarised=True, today=data.TODAY) == figures(
            user, params, summarised=False, today=data.TODAY
        )


@pytest.mark.parametrize("params", PARAMS[:4])
def test_the_auditors_shown_from_the_summary_are_the_live_count_s_most_overdue(
    built, org, params, monkeypatch
):
    """P&Q 28, Hillingdon 2.16: the screen shows the auditors with the most overdue (then
    late) audits. From the summary they are found among the auditors with a late or overdue
    audit only; with the screen showing one row (so that this data has enough such
    auditors) it and the number of auditors are the ones the live count gives."""
    from reporting.dashboard import completion

    monkeypatch.setattr(completion, "SCREEN_ROWS", 1)
    found = []
    worst = completion._worst_auditors
    monkeypatch.setattr(
        completion, "_worst_auditors", lambda b: found.append(worst(b)) or found[-1]
    )
    sweep_month_summaries(today=LATER)
    for user in (org.senior_manager, org.team_manager):
        live = figures(user, params, summarised=False, full=False)
        assert figures(user, params, summarised=True, full=False) == live
    assert any(f is not None for f in found)


def test_the_summary_follows_the_area_and_team_filters(built, org):
    sweep_month_summaries(today=LATER)
    for params in (
        {"month": "2026-11", "area": str(org.north_team.service_area_id)},
        {"month": "2026-11", "team": str(org.south_team.pk)},
    ):
        assert figures(org.senior_manager, params, summarised=True) == figures(
            org.senior_manager, params, summarised=False
        )


def test_the_sweep_run_twice_leaves_the_same_rows(built):
    sweep_month_summaries(today=LATER)
    first = summary_rows()
    months = sorted(SummaryMonth.objects.values_list("month", flat=True))
    sweep_month_summaries(today=LATER)
    assert summary_rows() == first
    assert sorted(SummaryMonth.objects.values_list("month", flat=True)) == months
    assert all(first)


def test_the_sweep_is_scheduled_daily():
    sweep = sweeps.get("month-summaries")
    assert sweep.every == "day"
    assert sweep.service == "reporting.dashboard.summary.sweep_month_summaries"


def test_a_month_not_yet_closed_is_not_summarised(built):
    """November has allocations due on or after 10 December: still open that day."""
    closed = sweep_month_summaries(today=data.TODAY)
    assert data.NOV not in closed
    assert not SummaryMonth.objects.filter(month=data.NOV).exists()
    assert not GradeSummary.objects.filter(month=data.NOV).exists()


def test_a_late_moderation_is_in_the_figures_after_the_next_sweep(built, org):
    """The staleness rule: the summary is as of the sweep's last run, and the next run counts
    the month again."""
    sweep_month_summaries(today=LATER)
    params = {"month": "2026-11"}
    before = figures(org.senior_manager, params, summarised=True)
    south = built.audits[-1]  # South, inadequate
    Moderation.objects.create(
        audit=south,
        requested_by=org.senior_manager,
        reason="late challenge",
        moderator=org.senior_manager,
        overall_grade="good",
        decided_at=data.at(dt.date(2027, 1, 14)),
    )
    live = figures(org.senior_manager, params, summarised=False)
    assert live != before  # the moderation changes the grade mix
    assert figures(org.senior_manager, params, summarised=True) == before  # until the sweep
    sweep_month_summaries(today=LATER)
    assert figures(org.senior_manager, params, summarised=True) == live


def test_a_month_reopened_or_out_of_the_window_is_read_live_again(built, org):
    sweep_month_summaries(today=LATER)
    assert SummaryMonth.objects.filter(month=data.NOV).exists()
    # An allocation of November given a later deadline: November is open again.
    Allocation.objects.filter(period=data.NOV).update(deadline=dt.date(2027, 2, 1))
    sweep_month_summaries(today=LATER)
    assert not SummaryMonth.objects.filter(month=data.NOV).exists()
    assert not CompletionSummary.objects.filter(month=data.NOV).exists()
    params = {"month": "2026-11"}
    assert figures(org.senior_manager, params, summarised=True) == figures(
        org.senior_manager, params, summarised=False
    )
    # Years on, October is out of the window and its summary is dropped.
    much_later = LATER + dt.timedelta(days=31 * (SUMMARY_MONTHS + 1))
    sweep_month_summaries(today=much_later)
    assert not SummaryMonth.objects.filter(month=data.OCT).exists()


def test_an_action_finished_after_the_sweep_is_counted_once_and_at_once(built, org):
    """A closed month's finished actions are kept in the summary (authorised or closed by a
    Management Decision: Bury 9.4, 10.1, states an action never leaves); its others are
    counted live, so an action authorised after the sweep moves at once from "completed" to
    "authorised" and is neither lost nor counted twice."""
    sweep_month_summaries(today=LATER)
    kept = ActionSummary.objects.get(month=data.NOV, team=org.north_team)
    assert (kept.raised, kept.authorised, kept.closed_by_decision) == (2, 1, 1)
    params = {"month": "2026-11"}
    RemedialAction.objects.filter(status=ActionStatus.COMPLETED).update(
        status=ActionStatus.AUTHORISED, closed_on=LATER
    )
    summarised = figures(org.senior_manager, params, summarised=True)
    assert summarised == figures(org.senior_manager, params, summarised=False)
    actions = next(s for s in summarised if s["key"] == "actions")
    figures_by_label = {f["label"]: f["value"] for f in actions["figures"]}
    assert figures_by_label["Actions raised"] == 7
    assert figures_by_label["Not finished"] == 4  # open ×2, fulfilled, decision pending
