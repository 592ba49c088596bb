"""The sampling frame keeps its counts of every case until a write changes what they count
(issue 16): the frame's data version (`sampling.frame_version`) changes with every
committed write to the cases, a team's service area or an area's name, bulk or raw, and the
page counts again then and only then."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from accounts.models import ServiceArea
from sampling import selectors
from sampling.frame_version import FRAME
from sampling.models import Case, CaseStatus, CaseType, DataVersion

# Committed writes: the triggers act at commit on PostgreSQL.
pytestmark = pytest.mark.django_db(transaction=True)


def _cases(org, n, prefix, **fields):
    Case.objects.bulk_create(
        [
            Case(
                external_id=f"{prefix}{i}",
                team=org.north_team if i % 2 else org.south_team,
                case_type=CaseType.CIN,
                status=CaseStatus.OPEN,
                **fields,
            )
            for i in range(n)
        ]
    )


def _frame():
    overview = selectors.frame_overview()
    return overview["totals"], dict(overview["by_area"]), dict(overview["by_type"])


def _token():
    return DataVersion.objects.filter(name=FRAME).values_list("token", flat=True).first()


def test_the_counts_are_kept_while_nothing_changes(org):
    _cases(org, 5, "A")
    first = selectors._open_case_counts()
    kept = selectors._kept_counts[connection.settings_dict["NAME"]]
    assert kept == (_token(), first)
    # Read again under the same token: the kept rows themselves, not a new count.
    assert selectors._open_case_counts() is kept[1]
    assert _frame()[0]["open"] == 5


def test_every_kind_of_write_to_the_cases_is_counted_at_once(org):
    _cases(org, 4, "A")
    assert _frame()[0] == {"open": 4, "closed": 0, "reopened": 0, "audit_open": 0}
    _cases(org, 2, "B")  # bulk insert
    assert _frame()[0]["open"] == 6
    Case.objects.filter(external_id="A1").update(status=CaseStatus.CLOSED)  # bulk update
    assert _frame()[0] == {"open": 5, "closed": 1, "reopened": 0, "audit_open": 0}
    case = Case.objects.get(external_id="A2")
    case.audit_open = True
    case.save()  # a model's save
    assert _frame()[0]["audit_open"] == 1
    with connection.cursor() as cursor:  # raw SQL
        cursor.execute(
            f"UPDATE {Case._meta.db_table} SET case_type = %s WHERE external_id = %s",
            [CaseType.CP, "A3"],
        )
    assert _frame()[2][CaseType.CP.label] == 1
    Case.objects.filter(external_id__startswith="B").delete()
    assert _frame()[0]["open"] == 3


def test_a_team_moving_area_and_an_area_renamed_are_shown_at_once(org):
    _cases(org, 4, "A")
    assert _frame()[1] == {"North": 2, "South": 2}
    org.south_team.service_area = org.north_team.service_area
    org.south_team.save()
    assert _frame()[1] == {"North": 4}
    ServiceArea.objects.filter(pk=org.north_team.service_area_id).update(name="Northern")
    assert _frame()[1] == {"Northern": 4}


def test_a_change_to_what_the_counts_do_not_read_keeps_them(org):
    _cases(org, 3, "A")
    _frame()
    token = _token()
    Case.objects.filter(external_id="A1").update(legal_status="S31")
    assert _token() == token


def test_a_rolled_back_write_leaves_the_counts_as_they_were(org):
    _cases(org, 3, "A")
    assert _frame()[0]["open"] == 3
    with pytest.raises(RuntimeError), transaction.atomic():
        Case.objects.filter(external_id="A1").update(status=CaseStatus.CLOSED)
        raise RuntimeError
    assert _frame()[0]["open"] == 3
    Case.objects.filter(external_id="A1").update(status=CaseStatus.CLOSED)
    assert _frame()[0]["open"] == 2


def test_a_transaction_changes_the_token_when_it_commits(org):
    _cases(org, 3, "A")
    before = _token()
    with transaction.atomic():
        Case.objects.filter(external_id="A1").update(status=CaseStatus.CLOSED)
        Case.objects.filter(external_id="A2").update(status=CaseStatus.CLOSED)
        # Inside it, the page counts afresh (and keeps nothing): it sees its own writes.
        assert _frame()[0]["open"] == 1
        if connection.vendor == "postgresql":
            assert _token() == before  # deferred to the commit
    assert _token() != before
    assert _frame()[0]["open"] == 1


def test_the_page_shows_a_write_at_once(org, client_for):
    client = client_for(org.qa_officer)
    _cases(org, 3, "A")
    assert (
        'Open</dt><dd class="govuk-summary-list__value">3<'
        in client.get("/sampling/frame/").content.decode()
    )
    Case.objects.filter(external_id="A1").update(status=CaseStatus.CLOSED)
    page = client.get("/sampling/frame/").content.decode()
    assert 'Open</dt><dd class="govuk-summary-list__value">2<' in page
    assert 'Closed</dt><dd class="govuk-summary-list__value">1<' in page
