"""Agreement between auditors from paired audits and QA checks (Bury 8.1: paired audits
"to ensure consistency", both audits kept; Bury 5.2 and 6.5: QA staff check a share of
audits for consistency; SPEC §10 "Consistency: agreement between paired auditors")."""

from __future__ import annotations

import datetime as dt

import pytest

from audits.models import Audit, QACheck
from reporting.agreement import period_agreement
from reporting.dashboard.summary import sweep_month_summaries
from reporting.models import AgreementSummary
from reporting.statistics import krippendorff_alpha, weighted_kappa

from .graded_samples import auditor, bradford, month, paired_case

NOV = dt.date(2026, 11, 1)
GRADES = ["outstanding", "good", "requires_improvement", "inadequate"]
RANK = {g: i + 1 for i, g in enumerate(GRADES)}
# Twelve paired cases: what the first and the second auditor gave overall.
PAIRS = [
    ("good", "good"),
    ("good", "requires_improvement"),
    ("requires_improvement", "requires_improvement"),
    ("inadequate", "requires_improvement"),
    ("outstanding", "good"),
    ("good", "good"),
    ("requires_improvement", "inadequate"),
    ("good", "good"),
    ("outstanding", "outstanding"),
    ("requires_improvement", "requires_improvement"),
    ("good", "outstanding"),
    ("inadequate", "inadequate"),
]


@pytest.fixture
def paired_month(db):
    form = bradford()
    first, second = auditor(1), auditor(2)
    sample = month(period=NOV, strata={"A": (500, [])}, form=form, by=first)
    for i, (a, b) in enumerate(PAIRS):
        # Half have their consensus recorded; both originals count all the same.
        paired_case(
            sample=sample,
            stratum="A",
            form=form,
            grades=[(first, a), (second, b)],
            agreed=a if i % 2 else None,
            name=f"pair{i}",
        )
    return sample, first, second


def test_paired_kappa_is_the_weighted_kappa_of_the_two_originals(paired_month):
    result = period_agreement(period=NOV, replicates=200)
    row = result.find(source="paired", statistic="kappa")
    expected = weighted_kappa(
        [RANK[a] for a, _ in PAIRS], [RANK[b] for _, b in PAIRS], categories=4
    )
    assert row.cases == 12
    assert row.agreement.value == pytest.approx(expected)
    assert row.agreement.lower <= row.agreement.value <= row.agreement.upper
    assert result.paired_cases == 12


def test_paired_alpha_and_the_section_figures(paired_month):
    result = period_agreement(period=NOV, replicates=200)
    alpha = result.find(source="paired", statistic="alpha")
    units = [[RANK[a], RANK[b]] for a, b in PAIRS]
    assert alpha.agreement.value == pytest.approx(krippendorff_alpha(units, categories=4))
    # Each section here takes the overall grade, so its figures are the same.
    section = result.find(source="paired", statistic="kappa", scope="assessments")
    assert section.agreement.value == pytest.approx(
        result.find(source="paired", statistic="kappa").agreement.value
    )
    assert section.scope_title


def test_kappa_for_a_named_pair_of_raters_with_enough_cases(paired_month):
    result = period_agreement(period=NOV, replicates=200)
    named = [r for r in result.rows if r.raters]
    assert [r.raters for r in named] == ["Auditor 1 and Auditor 2"]
    assert named[0].cases == 12


def test_named_pairs_can_be_kept_to_those_with_the_most_cases(paired_month):
    """The dashboard names at most a set number of pairs (a national year has thousands,
    each with its own bootstrap); the others with enough cases are counted."""
    kept = period_agreement(period=NOV, replicates=200, sections=False, named_pairs=0)
    assert not [r for r in kept.rows if r.raters]
    assert kept.rater_pairs_not_shown == 1
    everyone = period_agreement(period=NOV, replicates=200, sections=False, named_pairs=1)
    assert [r.raters for r in everyone.rows if r.raters] == ["Auditor 1 and Auditor 2"]
    assert everyone.rater_pairs_not_shown == 0


def test_fewer_cases_than_the_limit_give_no_figure(paired_month, settings):
    settings.ESTIMATE_SUPPRESS_UNDER = 13
    result = period_agreement(period=NOV, replicates=200)
    row = result.find(source="paired", statistic="kappa")
    assert row.suppressed and row.cases == 12
    assert result.rater_pairs_below_minimum == 1
    assert not [r for r in result.rows if r.raters]


QA_PAIRS = (
    [("good", "good")] * 6
    + [("good", "requires_improvement")] * 3
    + [("requires_improvement", "requires_improvement")] * 3
)


def qa_checked_october(first, qa_officer) -> None:
    """Twelve October audits by `first`, each QA-checked with the officer's own grades."""
    extra = month(
        period=dt.date(2026, 10, 1),
        strata={"B": (300, [own for own, _ in QA_PAIRS])},
        form=bradford(),
        by=first,
    )
    audits = list(Audit.objects.filter(allocation__sample=extra).order_by("allocation_id"))
    for audit, (own, theirs) in zip(audits, QA_PAIRS, strict=True):
        QACheck.objects.create(
            audit=audit,
            by=qa_officer,
            outcome="accepted",
            auditor_grades={"overall": own, "sections": {}},
            qa_grades={"overall": theirs, "sections": {}},
        )


def test_qa_checks_with_the_officers_grades_give_auditor_and_qa_agreement(paired_month, org):
    """The auditor's grades as they stood at the check against the QA officer's own."""
    _, first, _ = paired_month
    qa_pairs = QA_PAIRS
    qa_checked_october(first, org.qa_officer)
    result = period_agreement(period=NOV, months=2, replicates=200)
    qa = result.find(source="qa", statistic="kappa")
    assert qa.cases == 12
    assert qa.agreement.value == pytest.approx(
        weighted_kappa([RANK[a] for a, _ in qa_pairs], [RANK[b] for _, b in qa_pairs], categories=4)
    )
    # Across all raters: the twelve pairs and the twelve checked audits.
    assert result.find(source="all", statistic="alpha").cases == 24
    # A section the QA officer did not grade has no QA figure.
    assert result.find(source="qa", statistic="kappa", scope="assessments").cases == 0


def test_agreement_runs_a_fixed_number_of_queries(paired_month, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        period_agreement(period=NOV, replicates=50)


def test_a_closed_months_summary_gives_the_live_agreement_and_is_read_instead(paired_month, org):
    """The dashboard reads closed months' grades from the summary (`dashboard.summary`):
    the same figures, intervals and named pairs as counting them live (SPEC §10 consistency;
    Bury 5.2, 8.1), and after the sweep a change shows only live until the next sweep."""
    _, first, _ = paired_month
    qa_checked_october(first, org.qa_officer)
    later = dt.date(2027, 1, 15)
    assert {NOV, dt.date(2026, 10, 1)} <= set(sweep_month_summaries(today=later))
    assert AgreementSummary.objects.filter(source="qa").exists()
    months = [dt.date(2026, 10, 1), NOV]

    def agreement(summary):
        return period_agreement(
            period=NOV, months=2, replicates=200, sections=False, named_pairs=5, summary=summary
        )

    live = agreement(())
    for summary in (months, [NOV], [dt.date(2026, 10, 1)]):
        assert agreement(summary) == live
    assert live.find(source="qa", statistic="kappa").cases == 12
    assert [r.raters for r in live.rows if r.raters] == [
        "Auditor 1 and Auditor 2",
        f"Auditor 1 and {org.qa_officer.full_name}",
    ]
    QACheck.objects.all().delete()
    assert agreement(()).qa_checks == 0
    assert agreement(months) == live  # as of the sweep's run
