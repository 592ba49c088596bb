"""The suite passes on any day of the year (issue 19): `--today` travels it, and the
application reads the date from one place."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

from accounts import clock

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "sampling", "audits", "remediation", "reporting", "config")


def run_pytest(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_the_today_option_travels_the_whole_suite_to_that_day(pytestconfig):
    """Issue 19: `pytest --today 2028-02-29` runs every test as if it were that day."""
    value = pytestconfig.getoption("--today")
    if value:
        assert clock.today() == dt.date.fromisoformat(value)
        return
    probe = f"{Path(__file__).relative_to(ROOT)}::{sys._getframe().f_code.co_name}"
    result = run_pytest(probe, "--today", "2028-02-29")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_the_today_option_refuses_a_day_that_is_not_a_date():
    result = run_pytest("tests/test_clock.py", "--today", "2027-02-29")
    assert result.returncode != 0
    assert "--today '2027-02-29' is not a date" in result.stdout + result.stderr


def test_a_test_can_fix_its_own_day_whatever_day_the_suite_runs(on_day):
    on_day(dt.date(2026, 11, 30), dt.time(23, 59))
    assert clock.today() == dt.date(2026, 11, 30)
    assert clock.now().astimezone(dt.UTC).date() == dt.date(2026, 11, 30)


def test_the_application_reads_the_date_only_through_the_clock():
    """Issue 19: no view, command, task or service reads today's date any other way."""
    pattern = re.compile(r"date\.today\(\)|timezone\.localdate\(\)|datetime\.now\(\)")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if path.name != "clock.py" and "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []
