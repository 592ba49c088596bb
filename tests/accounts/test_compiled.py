"""Queries whose SQL is built once a process (issue 16): each person's (or audit's) rows are
the rows Django's own query gives, converted as Django converts them, and a query that takes
more than its arguments, or uses them other than as values, is built every time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts import compiled
from accounts.models import BreakRequest, BreakStatus, Notice
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


def _breaks(person_id: int, status: str, month: dt.date):
    return (
        BreakRequest.objects.filter(user_id=person_id, status=status, month__gte=month)
        .exclude(user_id=person_id, month=month, reason=status)
        .order_by("month")
        .values_list("pk", "month", "reason")
    )


def test_several_arguments_of_each_kind_take_their_own_places(org):
    """Whole numbers, text and dates, one of them used twice: each request's rows are
    Django's own, the dates converted back as Django converts them."""
    for person, month, reason in [
        (org.auditor, dt.date(2026, 3, 1), "granted"),
        (org.auditor, dt.date(2026, 5, 1), "Holiday"),
        (org.team_manager, dt.date(2026, 4, 1), "Leave"),
    ]:
        BreakRequest.objects.create(user=person, month=month, reason=reason)
    built = compiled._build(_breaks, (int, str, dt.date))
    assert built is not None
    assert sorted({position for position, _how in built.params}) == [0, 1, 2]
    for person in (org.auditor, org.team_manager, org.outsider):
        for status in (BreakStatus.GRANTED, BreakStatus.WITHDRAWN):
            for month in (dt.date(2026, 1, 1), dt.date(2026, 3, 1), dt.date(2026, 5, 1)):
                rows = compiled.rows_for(_breaks, person.pk, str(status), month)
                assert rows == list(_breaks(person.pk, str(status), month))
                assert all(type(m) is dt.date for _pk, m, _reason in rows)
    # The auditor's break in March is left out by its reason (the status, used twice).
    assert [
        m
        for _pk, m, _r in compiled.rows_for(_breaks, org.auditor.pk, "granted", dt.date(2026, 3, 1))
    ] == [dt.date(2026, 5, 1)]


def _two_ids(first: int, second: int):
    return Notice.objects.filter(recipient_id=first).exclude(pk=second).values_list("pk")


def test_two_arguments_of_one_kind_are_not_mixed_up(org):
    kept = Notice.objects.create(recipient=org.auditor, subject="Kept", key="kept")
    left = Notice.objects.create(recipient=org.auditor, subject="Left out", key="left")
    assert compiled._build(_two_ids, (int, int)) is not None
    assert compiled.rows_for(_two_ids, org.auditor.pk, left.pk) == [(kept.pk,)]
    assert compiled.rows_for(_two_ids, org.auditor.pk, kept.pk) == [(left.pk,)]
    assert compiled.rows_for(_two_ids, kept.pk, org.auditor.pk) == []


def _derived(person_id: int):
    return Notice.objects.filter(recipient_id=person_id, id__gt=person_id + 1).values_list("pk")


def _unused(person_id: int, subject: str):
    return Notice.objects.filter(recipient_id=person_id).values_list("pk")


def _flat(person_id: int):
    return Notice.objects.filter(recipient_id=person_id).values_list("pk", flat=True)


def _models(person_id: int):
    return Notice.objects.filter(recipient_id=person_id)


def _sliced(person_id: int, limit: int):
    return Notice.objects.filter(recipient_id=person_id).order_by("pk").values_list("pk")[:limit]


@pytest.mark.parametrize(
    "builder, args",
    [
        (_derived, ("person",)),  # a value derived from an argument
        (_unused, ("person", "Hello")),  # an argument the query never uses
        (_flat, ("person",)),  # not tuples
        (_models, ("person",)),  # not tuples
        (_sliced, ("person", 1)),  # an argument that shapes the SQL (LIMIT)
    ],
)
def test_a_query_that_uses_its_arguments_otherwise_is_built_every_time(org, builder, args):
    Notice.objects.create(recipient=org.auditor, subject="Hello", key="hello")
    Notice.objects.create(recipient=org.auditor, subject="Again", key="again")
    args = tuple(org.auditor.pk if a == "person" else a for a in args)
    kinds = tuple(type(a) for a in args)
    assert compiled._build(builder, kinds) is None
    assert compiled.rows_for(builder, *args) == list(builder(*args))


def test_arguments_of_other_kinds_are_built_every_time(org):
    """None, a bool or a datetime has no stand-in; nor has an eleventh whole number."""

    def anything(value):
        return Notice.objects.filter(read_at=value).values_list("pk")

    notice = Notice.objects.create(recipient=org.auditor, subject="Hello")
    assert compiled.rows_for(anything, None) == [(notice.pk,)]
    assert compiled._kind(True) is None
    assert compiled._kind(timezone.now()) is None
    at = timezone.now()
    assert compiled.rows_for(anything, at) == []

    def many(*ids):
        return Notice.objects.filter(recipient_id__in=ids).values_list("pk")

    assert compiled._build(many, (int,) * 11) is None
    assert compiled.rows_for(many, *range(1, 11), org.auditor.pk) == [(notice.pk,)]
    assert compiled._build(many, (int,) * 10) is not None
    assert compiled.rows_for(many, *range(1, 10), org.auditor.pk) == [(notice.pk,)]


def _subjects(person_id: int, *subjects: str):
    return (
        Notice.objects.filter(recipient_id=person_id, subject__in=subjects)
        .order_by("subject")
        .values_list("subject")
    )


@pytest.mark.parametrize("count", [7, 8, 9, 10])
def test_up_to_ten_text_arguments_keep_their_sql(org, count):
    """Seven to ten arguments of one kind (text) each take their own place: the SQL is kept,
    and each request's rows are Django's own."""
    names = [f"Subject {n}" for n in range(count)]
    for name in names:
        Notice.objects.create(recipient=org.auditor, subject=name, key=name)
    Notice.objects.create(recipient=org.auditor, subject="Other", key="other")
    built = compiled._build(_subjects, (int,) + (str,) * count)  # as rows_for builds it
    assert built is not None
    assert sorted({position for position, _how in built.params}) == list(range(count + 1))
    asked = names[1:] + ["Missing"]
    rows = compiled.rows_for(_subjects, org.auditor.pk, *asked)
    assert rows == list(_subjects(org.auditor.pk, *asked)) == [(n,) for n in sorted(names[1:])]
    kinds = (int,) + (str,) * count
    assert compiled._built[(_subjects, compiled.connection.vendor, kinds)] is not None
    assert compiled.rows_for(_subjects, org.team_manager.pk, *names) == []


@compiled.holding(BreakStatus.GRANTED)
def _granted_breaks(person_id: int):
    return BreakRequest.objects.filter(user_id=person_id, status=BreakStatus.GRANTED).values_list(
        "month"
    )


def test_a_declared_constant_is_kept_and_an_undeclared_one_is_not(org):
    BreakRequest.objects.create(user=org.auditor, month=dt.date(2026, 3, 1))
    BreakRequest.objects.create(
        user=org.auditor, month=dt.date(2026, 4, 1), status=BreakStatus.WITHDRAWN
    )
    assert compiled._build(_granted_breaks) is not None
    for person in (org.auditor, org.team_manager):
        rows = compiled.rows_for(_granted_breaks, person.pk)
        assert rows == list(_granted_breaks(person.pk))
    assert compiled.rows_for(_granted_breaks, org.auditor.pk) == [(dt.date(2026, 3, 1),)]

    @compiled.holding(BreakStatus.WITHDRAWN)  # not the constant the query holds
    def other(person_id: int):
        return _granted_breaks(person_id)

    assert compiled._build(other) is None

    @compiled.holding(compiled.NOBODY[1], BreakStatus.GRANTED)  # a stand-in: never declared
    def stand_in(person_id: int):
        return _granted_breaks(person_id)

    assert compiled._build(stand_in) is None

    @compiled.holding(True, BreakStatus.GRANTED)  # not text or a whole number
    def flag(person_id: int):
        return _granted_breaks(person_id)

    assert compiled._build(flag) is None
    assert compiled.rows_for(flag, org.auditor.pk) == [(dt.date(2026, 3, 1),)]


def test_a_query_django_answers_without_asking_is_built_every_time(org):
    def none_of(person_id: int):
        return Notice.objects.filter(recipient_id=person_id).values_list("pk")[0:0]

    Notice.objects.create(recipient=org.auditor, subject="Hello", key="hello")
    assert compiled._build(none_of) is None
    assert compiled.rows_for(none_of, org.auditor.pk) == []


def test_a_subquery_is_kept_once_and_finds_each_records_own_value(org):
    """The access log's case-ID subquery (issue 16): a flat one-column query is kept, and
    run inside another statement it gives what Django's own query gives for each id."""
    from django.db import connection

    from config.access_log import _same, case_of_case_pk
    from tests.audits.factories import CaseFactory

    cases = [CaseFactory(external_id=f"SUB-{n}", team=org.north_team) for n in range(2)]
    compiled._built.clear()
    for case in cases:
        sql, params = compiled.subquery_for(case_of_case_pk, case.pk)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT ({sql})", params)
            assert cursor.fetchone()[0] == case.external_id
    kept = [key for key in compiled._built if key[0] is case_of_case_pk]
    assert len(kept) == 1 and compiled._built[kept[0]] is not None
    # A finder that gives the value itself, not a query, is not kept.
    assert compiled.subquery_for(_same, "SUB-0") is None
    # rows_for still refuses a flat query: its rows would be tuples of one.
    assert compiled._build(case_of_case_pk) is None
