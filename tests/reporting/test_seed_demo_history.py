"""The demo's history: three months of samples, allocations, audits and remedial actions
played through the services, so that every demo sign-in has something to see and do, made
once however often seed_demo runs, and made up throughout.

The demo is seeded once for the module (it takes a while) inside a transaction that is
rolled back when the module ends; each test runs in its own savepoint within it.
"""

from __future__ import annotations

import html
import io
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.demo import DEMO_DOMAIN, DEMO_PASSWORD
from accounts.models import Notice, User
from audits import lifecycle
from audits.models import (
    Allocation,
    AllocationRun,
    AllocationStatus,
    Audit,
    Consensus,
    InadequatePathway,
    QACheck,
    RunStatus,
)
from remediation.models import ActionStatus, DecisionStatus, ManagementDecision, RemedialAction
from sampling.models import Sample, SampleKind, SampleStatus

pytestmark = pytest.mark.django_db

MD5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _sign_in_request():
    """django-axes reads the request of every sign-in."""
    from django.test import RequestFactory

    return RequestFactory().post("/accounts/sign-in/")


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """seed_demo once, with its history, for every test of the module."""
    out = io.StringIO()
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=MD5),
        transaction.atomic(),
    ):
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def _months() -> list:
    current = timezone.localdate().replace(day=1)
    index = current.year * 12 + current.month - 1
    return [current.replace(year=(index - n) // 12, month=(index - n) % 12 + 1) for n in (2, 1, 0)]


def _page(client, email: str, path: str = "/") -> str:
    """The page's text as the person signed in with the demo password sees it."""
    assert client.login(request=_sign_in_request(), username=email, password=DEMO_PASSWORD), email
    response = client.get(path)
    assert response.status_code == 200, (email, path)
    body = re.sub(r"<(script|style).*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _person(name: str) -> User:
    return User.objects.get(email=f"{name}@{DEMO_DOMAIN}")


def test_each_of_the_three_months_has_a_confirmed_sample_and_allocation(seeded):
    for period in _months():
        sample = Sample.objects.get(kind=SampleKind.MONTHLY, period=period)
        assert sample.status == SampleStatus.CONFIRMED
        run = AllocationRun.objects.get(period=period)
        assert run.status == RunStatus.CONFIRMED
        assert run.allocations.filter(status=AllocationStatus.ALLOCATED).count() >= 80
    assert "History: 3 months added" in seeded


def test_the_earlier_months_are_mostly_finished_with_a_spread_of_grades(seeded):
    for period in _months()[:2]:
        audits = Audit.objects.filter(allocation__period=period)
        statuses = Counter(audits.values_list("status", flat=True))
        finished = statuses[lifecycle.WITH_TEAM_MANAGER] + statuses[lifecycle.CLOSED]
        allocated = Allocation.objects.filter(
            period=period, status=AllocationStatus.ALLOCATED
        ).count()
        assert finished >= 0.7 * allocated, statuses
        assert statuses[lifecycle.IN_PROGRESS] >= 1  # an overdue audit or two still to do
        grades = Counter(
            audits.filter(status__in=lifecycle.FINISHED).values_list("overall_grade", flat=True)
        )
        assert grades["inadequate"] >= 2, grades
        assert grades["requires_improvement"] >= 10, grades
        assert grades["good"] >= 10, grades
    assert InadequatePathway.objects.count() >= 4
    assert Consensus.objects.count() >= 2
    checks = Counter(QACheck.objects.values_list("outcome", flat=True))
    assert checks["accepted"] >= 5 and checks["returned"] >= 1, checks


def test_remedial_actions_are_at_every_stage_with_a_few_overdue(seeded):
    statuses = Counter(RemedialAction.objects.values_list("status", flat=True))
    assert statuses[ActionStatus.AUTHORISED] >= 40, statuses
    assert statuses[ActionStatus.COMPLETED] >= 10, statuses
    assert statuses[ActionStatus.FULFILLED] >= 10, statuses
    assert statuses[ActionStatus.OPEN] >= 10, statuses
    assert statuses[ActionStatus.CLOSED_BY_DECISION] == 1
    assert statuses[ActionStatus.DECISION_PENDING] == 1
    overdue = RemedialAction.objects.filter(
        status__in=(ActionStatus.OPEN, ActionStatus.FULFILLED), due_on__lt=timezone.localdate()
    ).count()
    assert 1 <= overdue <= 40
    decisions = Counter(ManagementDecision.objects.values_list("status", flat=True))
    assert decisions == {DecisionStatus.PENDING: 1, DecisionStatus.AUTHORISED: 1}
    # An audit closes when its last action is finished (P&Q 23).
    assert Audit.objects.filter(status=lifecycle.CLOSED, remedial_actions__isnull=False).exists()


def test_the_current_month_is_under_way(seeded):
    period = _months()[2]
    live = Allocation.objects.filter(period=period, status=AllocationStatus.ALLOCATED)
    statuses = Counter(
        Audit.objects.filter(allocation__period=period).values_list("status", flat=True)
    )
    assert live.filter(audit__isnull=True).count() >= 20  # not started yet
    assert statuses[lifecycle.IN_PROGRESS] >= 10
    assert statuses[lifecycle.SHARED] == 1
    assert statuses[lifecycle.QA_CHECK] >= 2
    assert statuses[lifecycle.WITH_TEAM_MANAGER] >= 1


def test_qa_staff_see_the_month_confirmed_and_audits_waiting_for_their_check(seeded, client):
    home = _page(client, f"qa@{DEMO_DOMAIN}")
    assert "This month's sample Confirmed," in home
    assert "This month's allocation Confirmed" in home
    queue = _page(client, f"qa@{DEMO_DOMAIN}", "/audit/qa/")
    waiting = Audit.objects.filter(status=lifecycle.QA_CHECK)
    assert waiting.exists()
    for audit in waiting:
        assert audit.case.external_id in queue


def test_the_demo_auditor_has_one_audit_in_progress_and_one_not_started(seeded, client):
    auditor = _person("auditor")
    open_allocations = Allocation.objects.filter(
        auditor=auditor, status=AllocationStatus.ALLOCATED, completed_at__isnull=True
    ).select_related("case")
    started = [a for a in open_allocations if hasattr(a, "audit")]
    not_started = [a for a in open_allocations if not hasattr(a, "audit")]
    assert [a.audit.status for a in started] == [lifecycle.IN_PROGRESS]
    assert [a.period for a in not_started] == [_months()[2]]
    # Never a case of the auditor's own team (Hillingdon 2.1, Bradford 2).
    assert not Allocation.objects.filter(auditor=auditor, case__team=auditor.team).exists()
    home = _page(client, auditor.email)
    for allocation in open_allocations:
        assert allocation.case.external_id in home


def test_the_demo_team_manager_has_audits_to_discuss_and_actions_to_sign_off(seeded, client):
    manager = _person("teammanager")
    waiting = Audit.objects.filter(
        allocation__case__team=manager.team,
        status=lifecycle.WITH_TEAM_MANAGER,
        supervision_on__isnull=True,
    )
    assert waiting.exists()
    assert RemedialAction.objects.filter(team=manager.team, status=ActionStatus.FULFILLED).exists()
    home = _page(client, manager.email)
    assert "Finished audits waiting for your oversight" in home
    assert waiting.first().case.external_id in home
    assert "waiting for you to sign off" in home


def test_the_demo_service_manager_has_a_decision_and_actions_to_authorise(seeded, client):
    home = _page(client, f"servicemanager@{DEMO_DOMAIN}")
    assert re.search(r"Waiting for you: 1 Management Decision and \d+ signed-off actions", home)
    queue = _page(client, f"servicemanager@{DEMO_DOMAIN}", "/actions/authorise/")
    pending = ManagementDecision.objects.get(status=DecisionStatus.PENDING)
    assert pending.action.case.external_id in queue


def test_the_demo_social_worker_has_a_draft_to_comment_on_and_actions(seeded, client):
    worker = _person("socialworker")
    shared = Audit.objects.get(status=lifecycle.SHARED)
    assert shared.case.allocated_worker == worker
    home = _page(client, worker.email)
    assert "Draft audits shared with you for comment" in home
    assert shared.case.external_id in home
    assert re.search(r"\d+ actions? on your cases (is|are) not finished", home)


def test_senior_managers_see_the_figures(seeded, client):
    home = _page(client, f"senior@{DEMO_DOMAIN}")
    assert "Service areas" in home
    actions = _page(client, f"senior@{DEMO_DOMAIN}", "/actions/")
    unfinished = RemedialAction.objects.exclude(
        status__in=(ActionStatus.AUTHORISED, ActionStatus.CLOSED_BY_DECISION)
    ).count()
    assert f"Not finished {unfinished:,}" in actions


def test_the_earlier_months_give_estimates_and_agreement_from_pairs_and_qa_checks(seeded):
    """SPEC §10: estimates with intervals (Bury 2.1) and agreement between paired auditors
    (Bury 8.1); the demo QA officer gives their own grades at each check."""
    from reporting.agreement import period_agreement
    from reporting.estimates import period_estimates

    old, recent, _ = _months()
    estimates = period_estimates(period=recent, months=2)
    assert estimates.audited > 100 and estimates.not_audited > 0
    assert all(m.estimate for m in estimates.overall())
    agreement = period_agreement(period=recent, months=2, replicates=200)
    assert agreement.paired_cases > 10
    assert agreement.qa_checks > 0
    assert agreement.find(source="paired", statistic="kappa").cases > 10
    assert QACheck.objects.exclude(qa_grades={}).exists()


def test_running_seed_demo_again_adds_nothing(seeded):
    models = (Sample, AllocationRun, Allocation, Audit, RemedialAction, Notice, QACheck)
    before = [m.objects.count() for m in models]
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "History: 0 months added" in out.getvalue()
    assert [m.objects.count() for m in models] == before


def test_every_notice_and_email_goes_to_a_demo_address(seeded, mailoutbox):
    from accounts.services.notices import notice_send_email

    assert not User.objects.exclude(email__endswith=f"@{DEMO_DOMAIN}").exists()
    assert Notice.objects.count() > 500
    assert not Notice.objects.exclude(recipient__email__endswith=f"@{DEMO_DOMAIN}").exists()
    # Send one notice of each kind, and every tenth, as the email task would.
    first_of_each = {}
    for notice_id, template in Notice.objects.order_by("id").values_list("id", "template"):
        first_of_each.setdefault(template, notice_id)
    chosen = set(first_of_each.values()) | set(
        Notice.objects.order_by("id").values_list("id", flat=True)[::10]
    )
    # The history counts as sent already, so starting the worker emails nobody...
    assert not Notice.objects.filter(emailed_at__isnull=True).exists()
    # ...but were they sent, they would go to demo addresses only.
    Notice.objects.filter(id__in=chosen).update(emailed_at=None)
    for notice_id in sorted(chosen):
        assert notice_send_email(notice_id=notice_id)
    assert len(mailoutbox) == len(chosen)
    addresses = {address for message in mailoutbox for address in message.recipients()}
    assert addresses and all(a.endswith(f"@{DEMO_DOMAIN}") for a in addresses)
