"""Queries whose SQL is built once a process (issue 16): each person's rows are the rows
Django's own query gives, converted as Django converts them, and a query that takes more
than the person's id is built every time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts import compiled
from accounts.models import Notice
from accounts.selectors import newest_notices
from accounts.user_access import _access_rows

pytestmark = pytest.mark.django_db


def _notices(person_id: int):
    return (
        Notice.objects.filter(recipient_id=person_id)
        .order_by("-created_at")
        .values_list("pk", "subject", "created_at")[:5]
    )


def test_each_person_gets_their_own_rows_converted_as_django_converts_them(org):
    now = timezone.now()
    for n, person in enumerate([org.auditor, org.auditor, org.team_manager]):
        Notice.objects.create(
            recipient=person,
            subject=f"Notice {n}",
            key=f"test-{n}",
            created_at=now - dt.timedelta(hours=n),
        )
    for person in (org.auditor, org.team_manager, org.outsider):
        rows = compiled.rows_for_person(_notices, person.pk)
        assert rows == list(_notices(person.pk))
        assert all(isinstance(sent, dt.datetime) for _pk, _subject, sent in rows)
    assert newest_notices(user=org.auditor) == list(_notices(org.auditor.pk))


def test_the_personas_query_gives_each_person_their_own_groups(org):
    for person in (org.qa_officer, org.auditor, org.social_worker, org.outsider):
        assert sorted(compiled.rows_for_person(_access_rows, person.pk), key=str) == sorted(
            _access_rows(person.pk), key=str
        )
    assert org.qa_officer.personas() != org.social_worker.personas()


def test_a_query_with_a_constant_parameter_is_built_every_time(org):
    def unread(person_id: int):
        return Notice.objects.filter(recipient_id=person_id, subject="Hello").values_list("pk")

    Notice.objects.create(recipient=org.auditor, subject="Hello")
    assert compiled._build(unread) is None
    assert compiled.rows_for_person(unread, org.auditor.pk) == list(unread(org.auditor.pk))
    assert compiled.rows_for_person(unread, org.team_manager.pk) == []


def test_a_constant_equal_to_the_stand_in_id_does_not_pass_for_the_persons_id(org):
    """The SQL is built for two stand-in ids: a constant that happens to equal one of them is
    still a constant, so the query is built every time rather than run with it replaced."""

    def odd(person_id: int):
        return Notice.objects.filter(recipient_id=person_id, id__gt=compiled.NOBODY[0]).values_list(
            "pk"
        )

    Notice.objects.create(recipient=org.auditor, subject="Hello")
    assert compiled._build(odd) is None
    assert compiled.rows_for_person(odd, org.auditor.pk) == list(odd(org.auditor.pk))
