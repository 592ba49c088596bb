"""The staff list as an Excel workbook too (issue 10): the same columns and checks as the
CSV, read from the first sheet."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from accounts.errors import ImportRejected
from accounts.models import User
from accounts.services import staff_import

pytestmark = pytest.mark.django_db

COLUMNS = [
    "email",
    "full_name",
    "role",
    "team",
    "service_area",
    "line_manager_email",
    "in_audit_pool",
]


def workbook(rows: list[list]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_a_staff_workbook_creates_the_same_people_as_the_csv():
    result = staff_import(
        stream=workbook(
            [
                ["hos@example.test", "Hana Head", "Head of Service", None, "North", None, "yes"],
                [
                    "tm@example.test",
                    "Tam Manager",
                    "Team Manager",
                    "North Family Support",
                    "North",
                    "hos@example.test",
                    True,
                ],
                [
                    "sw@example.test",
                    "Sky\xa0Worker",
                    "Social Worker",
                    "North Family Support",
                    "North",
                    "tm@example.test",
                    0,
                ],
            ]
        )
    )
    assert result.created == 3 and result.teams_created == ["North Family Support"]
    assert User.objects.get(email="tm@example.test").line_manager.email == "hos@example.test"
    assert User.objects.get(email="tm@example.test").in_audit_pool is True


def test_a_bad_row_of_a_staff_workbook_names_its_line_and_column():
    with pytest.raises(ImportRejected) as caught:
        staff_import(
            stream=workbook([["not-an-email", "A Person", "Social Worker", "", "", "", ""]])
        )
    assert str(caught.value.errors[0]).startswith("Line 2, column “email”")
    assert not User.objects.exists()


def test_a_damaged_workbook_is_refused():
    with pytest.raises(ImportRejected, match="cannot be opened"):
        staff_import(stream=io.BytesIO(b"PK\x03\x04" + b"\x00" * 100))
