"""Every dashboard figure against a small authority worked out by hand
(tests/reporting/dashboard_data.py has the rows and the arithmetic; SPEC §10, issue 13)."""

from __future__ import annotations

import pytest

from reporting.dashboard.build import build_sections
from reporting.dashboard.filters import read_filters
from reporting.dashboard.scope import reader_scope
from reporting.estimates import period_estimates
from reporting.statistics import Stratum, stratified_proportion
from tests.reporting import dashboard_data as data

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(org, settings):
    settings.ESTIMATE_SUPPRESS_UNDER = 5
    return data.everything(org)


def sections_for(user, params=None):
    scope = reader_scope(user)
    filters = read_filters(params or {"month": "2026-11"}, scope=scope, today=data.TODAY)
    return {s.key: s for s in build_sections(scope=scope, filters=filters, today=data.TODAY)}


def rows(section, key, first):
    return {row[first]: row for row in section.table(key).row_dicts()}


def figure(section, label):
    return next(f for f in section.figures if f.label.startswith(label))


def test_completion_counts_each_audit_in_one_state_by_month_area_team_and_auditor(built, org):
    """P&Q 28, Bradford 4: allocated, in progress, submitted, done on time, overdue, exempted
    by auditor, team and service area."""
    completion = sections_for(org.senior_manager)["completion"]
    month = rows(completion, "completion-by-month", "month")["November 2026"]
    assert month == {
        "month": "November 2026",
        "allocated": 28,
        "on_time": 22,
        "late": 1,
        "submitted": 1,
        "in_progress": 1,
        "not_started": 1,
        "overdue": 1,
        "exempted": 1,
        "on_time_share": 81.5,  # 22 of the 27 not exempted
    }
    areas = rows(completion, "completion-by-area", "area")
    assert (areas["North"]["allocated"], areas["North"]["on_time"], areas["North"]["late"]) == (
        15,
        12,
        1,
    )
    assert areas["North"]["on_time_share"] == 85.7  # 12 of 14
    assert (areas["South"]["overdue"], areas["South"]["in_progress"]) == (1, 1)
    assert areas["South"]["not_started"] == 1
    teams = rows(completion, "completion-by-team", "team")
    assert teams["North Family Support"]["allocated"] == 15
    auditors = completion.table("completion-by-auditor").row_dicts()
    assert auditors[0]["auditor"] == "Ari Auditor"  # the most overdue first
    assert [a["allocated"] for a in auditors] == [7, 8, 7, 6]


def test_auditors_not_finishing_on_time_in_two_months_are_named(built, org):
    """Hillingdon 2.16: repeated non-completion goes to the next tier; P&Q 28 reports it.
    Ari's October audit was done late and November's is overdue and another late."""
    completion = sections_for(org.senior_manager)["completion"]
    assert completion.table("repeated-non-completion").row_dicts() == [
        {"auditor": "Ari Auditor", "months": 2, "audits": 3}
    ]
    assert figure(completion, "Auditors not finishing").value == 1


def test_grade_mix_counts_the_grade_that_stands_each_case_once(built, org):
    """SPEC §10: grade mix overall. The moderator's grade stands (P&Q 22); a paired case
    counts once, by its consensus (Bury 8.1)."""
    quality = sections_for(org.senior_manager)["quality"]
    november = rows(quality, "quality-grade-mix", "month")["Nov 2026"]
    assert november == {
        "month": "Nov 2026",
        "outstanding": 1,
        "good": 8,
        "requires_improvement": 8,
        "inadequate": 3,
        "audits": 20,
        "good_share": 45.0,
    }
    assert len(quality.table("quality-grade-mix").rows) == 12  # twelve months' trend
    assert figure(quality, "Inadequate").value == 3


def test_sections_by_grade_use_each_auditors_answers_and_the_pairs_agreed_grades(built, org):
    """P&Q: domains × met / partly / not; Bradford: sections × grades."""
    quality = sections_for(org.senior_manager)["quality"]
    table = quality.table("quality-sections").row_dicts()
    first, second = table[0], table[1]
    assert (first["outstanding"], first["good"], first["requires_improvement"]) == (1, 7, 9)
    assert (first["inadequate"], first["graded"]) == (3, 20)
    assert (second["good"], second["requires_improvement"], second["graded"]) == (19, 1, 20)


def test_good_or_better_is_the_stratified_estimate_beside_the_raw_share(built, org):
    """Bury 2.1: 600/1000 × 6/10 + 400/1000 × 3/10 = 48%, beside 9 of 20 audits (45%), the
    same as `period_estimates`, with Korn-Graubard's interval and the precision flag."""
    quality = sections_for(org.senior_manager)["quality"]
    whole = rows(quality, "quality-by-area", "area")["All"]
    expected = stratified_proportion([Stratum(600, 10, 6), Stratum(400, 10, 3)])
    assert whole["estimate"] == 48.0
    assert whole["raw"] == 45.0
    assert whole["lower"] == round(100 * expected.lower, 1)
    assert whole["upper"] == round(100 * expected.upper, 1)
    assert whole["precision"] == "Low precision"  # 20 audits: effective n under 30
    reference = next(
        m for m in period_estimates(period=data.NOV).overall() if m.label == "Good or better"
    )
    assert round(100 * reference.estimate.proportion, 1) == whole["estimate"]
    assert round(100 * reference.estimate.lower, 1) == whole["lower"]
    assert figure(quality, "Good or better").value == 48.0


def test_estimates_by_area_and_case_type_are_domains_of_each_stratum(built, org):
    """A case type is a domain of its strata: North's five CIN cases stand for
    600 × 5/10 = 300 cases."""
    quality = sections_for(org.senior_manager)["quality"]
    areas = rows(quality, "quality-by-area", "area")
    assert (areas["North"]["estimate"], areas["South"]["estimate"]) == (60.0, 30.0)
    types = rows(quality, "quality-by-case-type", "case_type")
    cin = stratified_proportion([Stratum(300, 5, 5)])
    assert types["Child in need"]["estimate"] == 100.0
    assert types["Child in need"]["lower"] == round(100 * cin.lower, 1)
    assert types["Child protection"]["estimate"] == 20.0
    assert types["Child looked after"]["estimate"] == 30.0


def test_an_estimate_from_too_few_audits_is_withheld_with_the_count(built, org, settings):
    """Fewer audits than ESTIMATE_SUPPRESS_UNDER: no estimate, the count and the raw share."""
    settings.ESTIMATE_SUPPRESS_UNDER = 10
    quality = sections_for(org.senior_manager)["quality"]
    cin = rows(quality, "quality-by-case-type", "case_type")["Child in need"]
    assert cin["estimate"] is None
    assert (cin["audits"], cin["raw"]) == (5, 100.0)
    assert cin["precision"] == "No estimate: too few audits"


def test_the_trend_gives_each_months_estimate_with_its_interval(built, org):
    quality = sections_for(org.senior_manager)["quality"]
    trend = rows(quality, "quality-trend", "month")
    assert trend["Nov 2026"]["estimate"] == 48.0
    assert trend["Oct 2026"]["precision"] == "No audits"


def test_actions_by_state_team_and_area_with_time_taken_against_the_deadline(built, org):
    """Bury 9-10, Bradford 2: open, fulfilled, completed, authorised, overdue, Management
    Decisions; time taken against the policy's deadline (Bury 9.3). Overdue: still with the
    team after the due date (the fulfilled one not signed off too)."""
    actions = sections_for(org.senior_manager)["actions"]
    north = rows(actions, "actions-by-area", "area")["North"]
    assert north == {
        "area": "North",
        "raised": 6,
        "open": 1,
        "fulfilled": 1,
        "completed": 1,
        "authorised": 1,
        "decision_pending": 1,
        "closed_by_decision": 1,
        "overdue": 2,
        "on_time": 2,
        "late": 1,
        "days_taken": 13.3,  # (5 + 25 + 10) / 3
        "days_allowed": 15.0,
    }
    assert rows(actions, "actions-by-area", "area")["South"]["overdue"] == 0
    assert figure(actions, "Not finished").value == 5
    assert figure(actions, "Management Decisions").value == 1


def test_learning_themes_by_month_and_strengths_and_learning_recorded(built, org):
    """Bradford 4, Hillingdon 2.15."""
    learning = sections_for(org.senior_manager)["learning"]
    themes = rows(learning, "learning-themes", "theme")
    assert themes["Voice of the child"]["2026-11"] == 3
    assert themes["Voice of the child"]["period"] == 3
    assert themes["Chronology"]["period"] == 1
    recorded = rows(learning, "learning-recorded", "month")["November 2026"]
    assert (recorded["audits"], recorded["strengths"], recorded["learning"]) == (20, 2, 3)


def test_safeguarding_concerns_pathways_and_reaudits(built, org):
    """Bury 9.1; P&Q 25-26: concerns raised, pathways open and for how long, re-audits due."""
    safeguarding = sections_for(org.senior_manager)["safeguarding"]
    assert rows(safeguarding, "safeguarding-concerns", "month")["November 2026"]["concerns"] == 2
    areas = rows(safeguarding, "safeguarding-pathways", "area")
    north, south = areas["North"], areas["South"]
    assert (north["concerns"], north["started"], north["open"], north["4_to_8"]) == (2, 1, 1, 1)
    assert (north["reaudits_due"], north["resolved"], north["longest"]) == (1, 1, 35)
    assert (south["open"], south["over_12"], south["reaudits_overdue"]) == (1, 1, 1)
    assert south["longest"] == 100
    assert figure(safeguarding, "Inadequate pathways open").value == 2


def test_consistency_shows_qa_returns_and_withholds_agreement_from_one_pair(built, org):
    """P&Q 20: the share of QA checks returned for amendment; Bury 8.1: agreement between
    paired auditors, withheld from fewer cases than the limit."""
    consistency = sections_for(org.senior_manager)["consistency"]
    assert rows(consistency, "consistency-qa-checks", "month")["November 2026"] == {
        "month": "November 2026",
        "checks": 2,
        "accepted": 1,
        "returned": 1,
        "returned_share": 50.0,
    }
    paired = consistency.table("consistency-agreement").row_dicts()[0]
    assert (paired["cases"], paired["value"]) == (1, None)


def test_a_team_manager_sees_only_their_teams_figures(built, org):
    """Issue 13: a team manager sees their teams. North's estimate stands for North alone."""
    sections = sections_for(org.team_manager)
    months = rows(sections["completion"], "completion-by-month", "month")
    assert months["November 2026"]["allocated"] == 15
    whole = rows(sections["quality"], "quality-by-area", "area")
    assert list(whole) == ["All", "North"]
    assert whole["All"]["estimate"] == 60.0
    assert list(rows(sections["actions"], "actions-by-area", "area")) == ["North"]
    assert figure(sections["safeguarding"], "Inadequate pathways open").value == 1


def test_filters_narrow_every_figure(built, org):
    sections = sections_for(
        org.senior_manager, {"month": "2026-11", "area": str(org.south.pk), "case_type": "cla"}
    )
    assert (
        rows(sections["completion"], "completion-by-month", "month")["November 2026"]["allocated"]
        == 10
    )
    assert rows(sections["quality"], "quality-by-area", "area")["All"]["estimate"] == 30.0
    assert figure(sections["learning"], "Finished audits").value == 10


def test_a_quarter_adds_the_months_together(built, org):
    sections = sections_for(org.senior_manager, {"period": "quarter", "month": "2026-11"})
    months = rows(sections["completion"], "completion-by-month", "month")
    assert list(months) == ["September 2026", "October 2026", "November 2026", "All months"]
    assert months["October 2026"]["late"] == 1
    assert months["All months"]["allocated"] == 29
