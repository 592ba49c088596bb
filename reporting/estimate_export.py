"""The period's estimates and agreement as plain data, for the `report_estimates` command,
downloads and an API: JSON-safe dicts and CSV blocks."""

from __future__ import annotations

import csv
import io
import math

from .agreement import PeriodAgreement
from .estimates import PeriodEstimates


def _number(value: float | None, places: int = 4) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), places)


def estimates_dict(result: PeriodEstimates) -> dict:
    limits = result.limits
    return {
        "months": [m.strftime("%Y-%m") for m in result.months],
        "months_without_sample": [m.strftime("%Y-%m") for m in result.months_without_sample],
        "method": result.method,
        "confidence": result.confidence,
        "limits": {
            "no_estimate_under_audits": limits.suppress_under,
            "low_precision_under_effective_n": limits.min_effective_n,
            "low_precision_over_width": limits.max_width,
        },
        "totals": {
            "population": result.population,
            "drawn": result.drawn,
            "audited": result.audited,
            "not_audited": result.not_audited,
            "population_in_strata_without_audit": result.population_without_audit,
        },
        "strata": [
            {
                "month": s.period.strftime("%Y-%m"),
                "stratum": s.stratum,
                "population": s.population,
                "drawn": s.drawn,
                "audited": s.audited,
                "not_audited": s.not_audited,
            }
            for s in result.strata
        ],
        "estimates": [
            {
                "scope": m.scope,
                "scope_title": m.scope_title,
                "level": m.level,
                "measure": m.label,
                "audits": m.audits,
                "meeting": m.meeting,
                "raw_share": _number(m.raw_share),
                "estimate": _number(m.estimate.proportion) if m.estimate else None,
                "lower": _number(m.estimate.lower) if m.estimate else None,
                "upper": _number(m.estimate.upper) if m.estimate else None,
                "standard_error": _number(m.estimate.standard_error) if m.estimate else None,
                "effective_n": _number(m.estimate.effective_n, 1) if m.estimate else None,
                "degrees_of_freedom": m.estimate.degrees_of_freedom if m.estimate else None,
                "suppressed": m.suppressed,
                "low_precision": m.low_precision,
            }
            for m in result.measures
        ],
    }


def agreement_dict(result: PeriodAgreement) -> dict:
    return {
        "paired_cases": result.paired_cases,
        "qa_checks_with_grades": result.qa_checks,
        "no_figure_under_cases": result.minimum,
        "rater_pairs_below_minimum": result.rater_pairs_below_minimum,
        "rows": [
            {
                "source": r.source,
                "statistic": r.statistic,
                "scope": r.scope,
                "scope_title": r.scope_title,
                "raters": r.raters,
                "cases": r.cases,
                "value": _number(r.agreement.value) if r.agreement else None,
                "lower": _number(r.agreement.lower) if r.agreement else None,
                "upper": _number(r.agreement.upper) if r.agreement else None,
                "band": r.agreement.band if r.agreement else None,
                "suppressed": r.suppressed,
            }
            for r in result.rows
        ],
    }


def as_csv(estimates: PeriodEstimates, agreement: PeriodAgreement) -> str:
    """Three tables one after another, each with its own header row and a blank line
    between: the strata as drawn, the estimates, the agreement figures."""
    out = io.StringIO()
    writer = csv.writer(out)
    data = estimates_dict(estimates)
    blocks = [
        ("strata", data["strata"]),
        ("estimates", data["estimates"]),
        ("agreement", agreement_dict(agreement)["rows"]),
    ]
    for number, (name, rows) in enumerate(blocks):
        if number:
            writer.writerow([])
        writer.writerow([f"# {name}", *data["months"]])
        if not rows:
            writer.writerow(["(none)"])
            continue
        writer.writerow(list(rows[0]))
        for row in rows:
            writer.writerow(["" if v is None else v for v in row.values()])
    return out.getvalue()
