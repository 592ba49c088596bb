"""Importing the staff list: people, roles, teams, line managers and the audit pool
(issue 2; SPEC §1 and §4). A bad row names its line and column and nothing is imported."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from accounts.errors import ImportRejected
from accounts.models import Persona, Role, ServiceArea, Team, User
from accounts.services import staff_import

pytestmark = pytest.mark.django_db

HEADER = "email,full_name,role,team,service_area,line_manager_email,in_audit_pool\n"
GOOD = HEADER + (
    "hos@example.test,Hana Head,Head of Service,,North,,yes\n"
    "sm@example.test,Sol Manager,Service Delivery Manager,,North,hos@example.test,yes\n"
    "tm@example.test,Tam Manager,Team Manager,North Family Support,North,sm@example.test,yes\n"
    "sw@example.test,Sky Worker,Social Worker,North Family Support,North,tm@example.test,no\n"
    "qa@example.test,Quin Assure,QA officer,,North,hos@example.test,Y\n"
)


def run(text: str):
    return staff_import(stream=io.BytesIO(text.encode("utf-8")))


def rejected(text: str) -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        run(text)
    return [str(e) for e in caught.value.errors]


def test_a_good_file_creates_people_teams_areas_and_line_managers():
    result = run(GOOD)
    assert (result.created, result.updated, result.unchanged) == (5, 0, 0)
    assert result.teams_created == ["North Family Support"]
    assert result.areas_created == ["North"]
    tm = User.objects.get(email="tm@example.test")
    assert tm.role == Role.TEAM_MANAGER
    assert tm.line_manager.email == "sm@example.test"
    assert Team.objects.get(name="North Family Support").manager == tm
    assert ServiceArea.objects.get(name="North").head_of_service.email == "hos@example.test"
    assert User.objects.get(email="sm@example.test").role == Role.SERVICE_MANAGER


def test_imported_people_get_the_persona_groups_of_their_role_and_pool_membership():
    run(GOOD)
    tm = User.objects.get(email="tm@example.test")
    assert tm.personas() == {Persona.TEAM_MANAGER.value, Persona.AUDITOR.value}
    sw = User.objects.get(email="sw@example.test")
    assert sw.personas() == {Persona.SOCIAL_WORKER.value}
    assert sw.has_perm("accounts.view_own_cases")
    assert not sw.has_perm("accounts.conduct_audits")
    assert User.objects.get(email="qa@example.test").has_perm("accounts.manage_sampling")


def test_imported_people_cannot_sign_in_until_given_a_password():
    run(GOOD)
    assert not User.objects.get(email="sw@example.test").has_usable_password()


def test_importing_the_same_file_twice_changes_nothing():
    run(GOOD)
    before = list(User.objects.order_by("email").values())
    result = run(GOOD)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 5)
    assert not result.changed
    assert list(User.objects.order_by("email").values()) == before


def test_a_changed_row_updates_the_person_and_their_groups():
    run(GOOD)
    result = run(
        GOOD.replace(
            "Sky Worker,Social Worker,North Family Support,North,tm@example.test,no",
            "Sky Worker,Social Worker,North Family Support,North,tm@example.test,yes",
        )
    )
    assert (result.created, result.updated, result.unchanged) == (0, 1, 4)
    assert User.objects.get(email="sw@example.test").has_persona(Persona.AUDITOR)


def test_headers_match_regardless_of_case_spacing_and_order():
    text = (
        "Full Name , E-mail,ROLE,In Audit Pool,Service Area,Team,Line Manager Email\n"
        "Ada Ashdown,ada@example.test,social worker,no,North,Team A,\n"
    )
    text = text.replace("E-mail", "Email")
    result = run(text)
    assert result.created == 1
    assert User.objects.get(email="ada@example.test").team.name == "Team A"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("not-an-email,Ada,Social Worker,,,,no", "Line 7, column “email”: “not-an-email” is not"),
        (",Ada,Social Worker,,,,no", "Line 7, column “email”: Enter an email address."),
        ("a@example.test,,Social Worker,,,,no", "Line 7, column “full_name”"),
        ("a@example.test,Ada,Wizard,,,,no", "Line 7, column “role”: “Wizard” is not a role"),
        ("a@example.test,Ada,Social Worker,Team A,,,no", "Line 7, column “service_area”"),
        (
            "a@example.test,Ada,Social Worker,,,a@example.test,no",
            "Line 7, column “line_manager_email”: A person cannot be their own line manager.",
        ),
        (
            "a@example.test,Ada,Social Worker,,,ghost@example.test,no",
            "Line 7, column “line_manager_email”: ghost@example.test is neither",
        ),
        ("a@example.test,Ada,Social Worker,,,,maybe", "Line 7, column “in_audit_pool”"),
    ],
)
def test_each_kind_of_bad_row_names_its_line_and_column_and_imports_nothing(row, expected):
    errors = rejected(GOOD + row + "\n")
    assert any(e.startswith(expected) for e in errors), errors
    assert User.objects.count() == 0
    assert Team.objects.count() == 0
    assert ServiceArea.objects.count() == 0


def test_a_duplicate_email_names_both_lines():
    errors = rejected(
        HEADER + "a@example.test,Ada,Social Worker,,,,no\n"
        "A@example.test,Ada Two,Social Worker,,,,no\n"
    )
    assert errors == ["Line 3, column “email”: a@example.test is also on line 2."]


def test_a_team_in_two_service_areas_is_refused():
    errors = rejected(
        HEADER + "a@example.test,Ada,Social Worker,Team A,North,,no\n"
        "b@example.test,Bo,Social Worker,Team A,South,,no\n"
    )
    assert errors == ["Line 3, column “service_area”: Team A is in North on line 2, not South."]


def test_a_loop_of_line_managers_is_refused():
    errors = rejected(
        HEADER + "a@example.test,Ada,Team Manager,,,b@example.test,no\n"
        "b@example.test,Bo,Service Manager,,,a@example.test,no\n"
    )
    assert len(errors) == 2
    assert all("loop back" in e for e in errors)


def test_a_file_missing_a_required_column_is_refused_at_the_header():
    errors = rejected("email,full_name\na@example.test,Ada\n")
    assert errors == ["Line 1, column “role”: The header has no “role” column."]


def test_a_file_that_is_not_utf8_is_refused():
    with pytest.raises(ImportRejected) as caught:
        staff_import(stream=io.BytesIO(HEADER.encode() + "é,Ada\n".encode("latin-1")))
    assert "not UTF-8" in str(caught.value.errors[0])


def test_one_bad_row_among_good_ones_imports_nothing():
    errors = rejected(GOOD + "x@example.test,Xan,Wizard,,,,no\n")
    assert len(errors) == 1
    assert errors[0].startswith("Line 7, column “role”")
    assert User.objects.count() == 0


def test_the_import_staff_command_imports_a_file(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text(GOOD)
    out = io.StringIO()
    call_command("import_staff", str(path), stdout=out)
    assert "5 created, 0 updated, 0 unchanged" in out.getvalue()


def test_the_import_staff_command_reports_every_bad_row_and_fails(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text(HEADER + "a@example.test,Ada,Wizard,,,,no\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_staff", str(path), stderr=err)
    assert "Line 2, column “role”" in err.getvalue()
    assert User.objects.count() == 0
