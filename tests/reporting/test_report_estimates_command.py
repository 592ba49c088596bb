"""`python manage.py report_estimates --period YYYY-MM [--months N] [--format json|csv]`
prints the period's estimates and agreement figures (SPEC §10, Bury 2.1, 8.1)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from .graded_samples import auditor, bradford, month
from .test_estimates import STRATA

NOV = dt.date(2026, 11, 1)


@pytest.fixture
def november(db):
    return month(period=NOV, strata=STRATA, form=bradford(), by=auditor(1))


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("report_estimates", *args, "--replicates", "200", stdout=out)
    return out.getvalue()


def test_json_holds_the_strata_the_estimates_and_the_agreement(november):
    body = json.loads(_run("--period", "2026-11", "--format", "json"))
    assert body["months"] == ["2026-11"]
    assert body["totals"]["not_audited"] == 1
    assert len(body["strata"]) == 3
    good = next(e for e in body["estimates"] if e["scope"] == "overall" and e["level"] == "good")
    assert good["estimate"] == pytest.approx(0.56)
    assert good["raw_share"] == pytest.approx(0.6)
    assert good["low_precision"] is True
    assert body["agreement"]["rows"] == []


def test_csv_is_three_tables_with_headers(november):
    text = _run("--period", "2026-11", "--months", "3")
    blocks = text.strip().split("\r\n\r\n")
    assert [b.splitlines()[0].split(",")[0] for b in blocks] == [
        "# strata",
        "# estimates",
        "# agreement",
    ]
    estimates = list(csv.DictReader(io.StringIO("\n".join(blocks[1].splitlines()[1:]))))
    assert {row["measure"] for row in estimates} >= {"Good or better", "Inadequate"}
    assert blocks[0].splitlines()[0] == "# strata,2026-09,2026-10,2026-11"


def test_a_bad_period_is_refused_with_a_clear_message(db):
    with pytest.raises(CommandError, match="not a month like 2026-11"):
        _run("--period", "November")
    with pytest.raises(CommandError, match="1 or more"):
        _run("--period", "2026-11", "--months", "0")
