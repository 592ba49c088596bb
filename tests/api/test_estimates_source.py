"""The estimates dataset is built on issue 12's `reporting.statistics` through its agreed
interface (`Stratum`, `stratified_proportion`) whenever the module is installed, and says
which interval it gives; and nothing in the other apps imports the API."""

from __future__ import annotations

import ast
import sys
import types
from dataclasses import dataclass
from pathlib import Path

import pytest

from api import estimates
from api.datasets import Periods

from .conftest import OCTOBER, graded_audit, month_sample

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def statistics_module(monkeypatch):
    calls = []

    @dataclass(frozen=True)
    class Stratum:
        population: int
        sampled: int
        successes: int

    @dataclass(frozen=True)
    class Estimate:
        proportion: float
        lower: float
        upper: float
        standard_error: float
        effective_n: float
        degrees_of_freedom: int

    def stratified_proportion(strata, *, confidence=0.95, method="korn-graubard"):
        calls.append((list(strata), confidence))
        return Estimate(0.5, 0.25, 0.75, 0.1, 40.0, 3)

    module = types.ModuleType("reporting.statistics")
    module.Stratum = Stratum
    module.stratified_proportion = stratified_proportion
    monkeypatch.setitem(sys.modules, "reporting.statistics", module)
    return calls


def test_estimates_use_reporting_statistics_when_it_is_installed(org, statistics_module):
    month_sample(OCTOBER, {"A": 100, "B": 300})
    graded_audit(org, period=OCTOBER, grade="good", stratum="A")
    graded_audit(org, period=OCTOBER, grade="inadequate", stratum="B")
    rows = estimates.monthly_estimates(span=Periods(OCTOBER, OCTOBER))
    assert {r["method"] for r in rows} == {"korn-graubard"}
    good = next(r for r in rows if r["grade"] == "good")
    assert (good["estimate"], good["lower"], good["upper"]) == (0.5, 0.25, 0.75)
    strata, confidence = statistics_module[1]  # outstanding, then good
    assert confidence == 0.95
    assert sorted((s.population, s.sampled, s.successes) for s in strata) == [
        (100, 1, 1),
        (300, 1, 0),
    ]


def test_without_reporting_statistics_the_rows_say_which_interval_they_give(org, monkeypatch):
    monkeypatch.setitem(sys.modules, "reporting.statistics", None)  # import fails
    month_sample(OCTOBER, {"all": 40})
    graded_audit(org, period=OCTOBER, grade="good")
    rows = estimates.monthly_estimates(span=Periods(OCTOBER, OCTOBER))
    assert {r["method"] for r in rows} == {"wilson (effective n)"}


def test_no_other_app_imports_the_api():
    """The API sits above every app: it may import them all, and none imports it."""
    offenders = []
    for app in ("accounts", "sampling", "audits", "remediation", "reporting"):
        for path in (ROOT / app).rglob("*.py"):
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                if any(n == "api" or n.startswith("api.") for n in names):
                    offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
