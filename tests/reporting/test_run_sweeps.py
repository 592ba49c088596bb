"""`run_sweeps --today` runs every scheduled sweep as of a date, the same services beat
calls (issue 2; STYLE "Scheduled work")."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import SweepRun
from config import sweeps
from config.celery import app

pytestmark = pytest.mark.django_db


def test_run_sweeps_runs_every_sweep_as_of_the_date_given_and_records_each_run():
    out = io.StringIO()
    call_command("run_sweeps", "--today", "2026-12-01", stdout=out)
    names = [s.name for s in sweeps.SWEEPS]
    assert sorted(SweepRun.objects.values_list("name", flat=True)) == sorted(names)
    assert set(SweepRun.objects.values_list("today", flat=True)) == {dt.date(2026, 12, 1)}
    assert all(r.finished_at and not r.error for r in SweepRun.objects.all())
    for name in names:
        assert f"{name} as of 2026-12-01" in out.getvalue()


def test_running_the_sweeps_twice_for_the_same_day_is_safe():
    call_command("run_sweeps", "--today", "2026-12-01", stdout=io.StringIO())
    call_command("run_sweeps", "--today", "2026-12-01", stdout=io.StringIO())
    assert SweepRun.objects.count() == 2 * len(sweeps.SWEEPS)


def test_run_sweeps_refuses_a_date_it_cannot_read():
    with pytest.raises(CommandError, match="is not a date"):
        call_command("run_sweeps", "--today", "1/12/2026")


def test_run_sweeps_refuses_an_unknown_sweep():
    with pytest.raises(CommandError, match="No sweep is called nonsense"):
        call_command("run_sweeps", "--only", "nonsense")


def test_a_failing_sweep_records_its_error(monkeypatch):
    monkeypatch.setattr(
        sweeps, "SWEEPS", (sweeps.Sweep("boom", "tests.reporting.test_run_sweeps._boom"),)
    )
    with pytest.raises(RuntimeError):
        sweeps.run("boom", today=dt.date(2026, 12, 1))
    run = SweepRun.objects.get(name="boom")
    assert "RuntimeError" in run.error and run.finished_at


def _boom(*, today):
    raise RuntimeError("the sweep failed")


def test_beat_schedules_every_sweep_through_the_one_sweep_task():
    scheduled = {
        entry["args"][0]
        for entry in app.conf.beat_schedule.values()
        if entry["task"] == "config.tasks.run_sweep"
    }
    assert scheduled == {s.name for s in sweeps.SWEEPS}
    app.loader.import_default_modules()  # what a worker does as it starts
    assert "config.tasks.run_sweep" in app.tasks


def test_the_sweep_task_runs_the_sweep_as_of_the_date_it_is_given():
    from config.tasks import run_sweep

    run_sweep.delay(sweeps.SWEEPS[0].name, "2027-01-04")
    assert SweepRun.objects.get().today == dt.date(2027, 1, 4)
