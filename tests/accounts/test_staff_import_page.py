"""The staff list upload page for QA staff and administrators (issue 2)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User

from .test_staff_import import GOOD, HEADER

pytestmark = pytest.mark.django_db


def upload(client, name: str, content: bytes):
    return client.post(
        reverse("accounts:staff-import"), {"file": SimpleUploadedFile(name, content)}
    )


def test_qa_staff_upload_a_staff_list_and_see_what_changed(org, client_for):
    new_people = GOOD.replace("@example.test", "@new.test")
    response = upload(client_for(org.qa_officer), "staff.csv", new_people.encode())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Staff list imported" in page
    assert "5 created, 0 updated, 0 unchanged" in page
    assert User.objects.filter(email="tm@new.test").exists()


def test_a_bad_row_is_shown_in_the_error_summary_and_nothing_is_imported(org, client_for):
    before = User.objects.count()
    response = upload(
        client_for(org.admin), "staff.csv", (HEADER + "a@example.test,Ada,Wizard,,,,no\n").encode()
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "Line 2, column “role”" in page
    assert "Nothing was imported" in page
    assert User.objects.count() == before


def test_a_file_that_is_not_csv_or_xlsx_is_refused(org, client_for):
    response = upload(client_for(org.qa_officer), "staff.pdf", b"%PDF-1.4")
    assert "The selected file must be a CSV file or an Excel .xlsx." in response.content.decode()


def test_a_damaged_workbook_is_refused_with_a_clear_message(org, client_for):
    response = upload(client_for(org.qa_officer), "staff.xlsx", b"PK\x03\x04")
    assert response.status_code == 400
    assert "The workbook cannot be opened" in response.content.decode()
