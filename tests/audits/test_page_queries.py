"""The audit pages read the database a fixed number of times, whatever the form's size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories_form import fill_in, started_audit

pytestmark = pytest.mark.django_db


# The task list reads its summary only where it shows it: 9 for the auditor filling it in
# (its counts, answers and history in one query, its history of changes in one, no dispute
# steps or comments to read).
@pytest.mark.parametrize(("form", "most"), [("leeds", 25), ("hillingdon", 25)])
def test_the_task_list_and_a_section_page_use_a_bounded_number_of_queries(
    org, client_for, form, most
):
    audit = fill_in(started_audit(org, form=form, case_type="cla"))
    client = client_for(org.auditor)
    client.get(reverse("audit:task-list", args=[audit.pk]))  # warm the session
    with CaptureQueriesContext(connection) as task_list:
        assert client.get(reverse("audit:task-list", args=[audit.pk])).status_code == 200
    key = audit.answers.first().key
    with CaptureQueriesContext(connection) as section:
        assert client.get(reverse("audit:section", args=[audit.pk, key])).status_code == 200
    revision = audit.answers.get(key=key).revision
    with CaptureQueriesContext(connection) as autosave:
        response = client.post(
            reverse("audit:autosave", args=[audit.pk, key]),
            {"grade": "good", "evidence": "x", "revision": revision},
        )
    assert response.status_code == 200
    assert len(task_list) <= 9
    assert len(section) <= most
    # The session, the user, the audit and one conditional UPDATE (issue 16).
    assert len(autosave) <= 4


def test_the_audit_pages_cost_the_same_queries_for_10_and_1000_other_audits(org, client_for):
    """The task list (with its history of changes), a section and the autosave read the
    same number of times however many audits, answers and changes the authority holds
    (issue 16)."""
    from tests.reporting.test_page_queries import _more_audits

    audit = fill_in(started_audit(org, form="leeds", case_type="cla"))
    key = audit.answers.first().key
    client = client_for(org.auditor)
    urls = [
        reverse("audit:task-list", args=[audit.pk]),
        reverse("audit:section", args=[audit.pk, key]),
    ]
    client.get(urls[0])  # warm the session

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            found.append(len(ctx))
        with CaptureQueriesContext(connection) as ctx:
            revision = audit.answers.get(key=key).revision
            response = client.post(
                reverse("audit:autosave", args=[audit.pk, key]),
                {"grade": "good", "evidence": f"x{revision}", "revision": revision},
            )
            assert response.status_code == 200
        found.append(len(ctx))
        return found

    _more_audits(audit, 9, status=audit.status)
    small = counts()
    _more_audits(audit, 990, status=audit.status)
    for n in range(5):  # its own history grows too
        revision = audit.answers.get(key=key).revision
        client.post(
            reverse("audit:autosave", args=[audit.pk, key]),
            {"grade": "good", "evidence": f"more {n}", "revision": revision},
        )
    assert counts() == small


def test_the_audit_pages_own_queries_are_built_once_a_process(db):
    """The audit pages' and the allocation table's reads take only ids, a key or a month
    (and constants they declare), so their SQL is kept."""
    import datetime as dt

    from accounts import compiled
    from audits.selectors import allocation as allocation_selectors
    from audits.selectors import audit as audit_selectors
    from audits.selectors import task_list

    for builder, kinds in [
        (task_list._answer_rows, (int,)),
        (task_list._history_rows, (int,)),
        (task_list._progress_and_answer_rows, (int,)),
        (task_list._progress_answer_and_history_rows, (int,)),
        (task_list._section_answer_rows, (int, str)),
        (audit_selectors._PAGE_AUDIT.rows, (int,)),
        (audit_selectors._PAGE_AUDIT_WITH_PEOPLE.rows, (int,)),
        (audit_selectors._NARROW_AUDIT.rows, (int,)),
        (audit_selectors._SECTION_AUDIT.rows, (int, str)),
        (audit_selectors._PEOPLE.rows, (int,) * audit_selectors._NAMED),
        (allocation_selectors._review_run_rows, (dt.date,)),
        (allocation_selectors._unplaced_rows, (int,)),
        (allocation_selectors._table_slice(25, 50), (int,)),
    ]:
        assert compiled._build(builder, kinds) is not None, builder


def _columns(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_an_audit_read_with_kept_sql_is_the_audit_django_reads(org, django_assert_num_queries):
    """`audit_for` puts the audit, its joins and the people it names together as
    `select_related` would: the same columns, each object where the page looks for it,
    and an empty join (a case without a team) known to be empty without a query."""
    from audits.models import Audit
    from audits.selectors import audit_for
    from audits.selectors.audit import AUDIT_PAGE_JOINS

    audit = fill_in(started_audit(org, form="leeds", case_type="cla"))
    team = org.north_team
    mine = audit_for(user=org.auditor, pk=audit.pk)
    theirs = Audit.objects.select_related(*AUDIT_PAGE_JOINS).get(pk=audit.pk)
    with django_assert_num_queries(0):
        for path in (
            "",
            "allocation",
            "allocation.case",
            "allocation.case.team",
            "allocation.case.team.service_area",
            "allocation.auditor",
            "form_version",
        ):
            a, b = mine, theirs
            for name in filter(None, path.split(".")):
                a, b = getattr(a, name), getattr(b, name)
            assert _columns(a) == _columns(b), path
        case = mine.allocation.case
        assert case.allocated_worker == org.social_worker
        assert case.team.manager == team.manager
        assert case.team.manager.line_manager_id == team.manager.line_manager_id
        if team.manager.line_manager_id:
            assert case.team.manager.line_manager.full_name == team.manager.line_manager.full_name
        assert mine.allocation.audit is mine
    narrow = audit_for(user=org.auditor, pk=audit.pk, narrow=True)
    assert _columns(narrow.allocation.case) == _columns(theirs.allocation.case)

    case.team = None
    case.save()
    alone = audit_for(user=org.auditor, pk=audit.pk)
    with django_assert_num_queries(0):
        assert alone.allocation.case.team is None
    with pytest.raises(Http404):
        audit_for(user=org.auditor, pk=audit.pk + 1000)


def test_a_page_that_names_the_people_reads_the_auditor_with_them(org, django_assert_num_queries):
    """An audit page that names the people around the case reads the auditor with them,
    not in the audit's join (one table fewer to plan: issue 16): two queries, the
    auditor where the page looks, and the audit's query without the people's table."""
    from audits.selectors import audit_for

    audit = fill_in(started_audit(org, form="leeds", case_type="cla"))
    with CaptureQueriesContext(connection) as read:
        mine = audit_for(user=org.auditor, pk=audit.pk)
    assert len(read.captured_queries) == 2
    assert "accounts_user" not in read.captured_queries[0]["sql"]
    with django_assert_num_queries(0):
        assert mine.auditor == org.auditor
        assert mine.allocation.auditor.full_name == org.auditor.full_name
    # A page that names nobody still joins the auditor (its checks read no more).
    with CaptureQueriesContext(connection) as read:
        alone = audit_for(user=org.auditor, pk=audit.pk, people=False)
    assert len(read.captured_queries) == 1
    with django_assert_num_queries(0):
        assert alone.allocation.auditor.full_name == org.auditor.full_name


def test_the_auditors_task_list_counts_its_parts_and_reads_comments_only_when_there_are_any(
    org, client_for
):
    """The counts come in one query; the comments are read (one more) only when there are
    any, and the page shows the same either way."""
    import datetime as dt

    from audits.models import Comment, Conversation, SmartAction

    audit = fill_in(started_audit(org, form="leeds", case_type="cla"))
    client = client_for(org.auditor)
    url = reverse("audit:task-list", args=[audit.pk])
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as bare:
        page = client.get(url).content.decode()
    assert "None yet" in page and "Comments and challenges" not in page
    for what in ("Ring the worker", "Read the plan"):
        SmartAction.objects.create(
            audit=audit,
            what=what,
            who="Worker",
            due_on=dt.date(2026, 12, 1),
            created_by=org.auditor,
        )
    Conversation.objects.create(
        audit=audit, role="worker", on=dt.date(2026, 11, 2), recorded_by=org.auditor
    )
    Comment.objects.create(audit=audit, author=org.team_manager, body="Looks thorough.")
    with CaptureQueriesContext(connection) as full:
        page = client.get(url).content.decode()
    assert "2 actions" in page and "1 recorded" in page
    assert "Comments and challenges" in page and "Looks thorough." in page
    assert org.team_manager.full_name in page
    assert len(full) == len(bare) + 1


def test_the_auditors_task_list_reads_its_answers_and_counts_together_with_or_without_answers(
    org,
):
    """One query gives the answers, the counts and the audit's history (issue 16): an
    audit with no answer yet still has its counts, and each section is not started; once
    answered, each shows its answer; the history is `audit_history`'s, oldest first."""
    from audits.models import SectionAnswer
    from audits.selectors import audit_for, audit_history, task_rows, task_rows_and_progress

    audit = started_audit(org, form="leeds", case_type="cla")
    SectionAnswer.objects.filter(audit=audit).delete()
    audit = audit_for(user=org.auditor, pk=audit.pk)  # as the page reads it
    with CaptureQueriesContext(connection) as ctx:
        rows, progress, history = task_rows_and_progress(audit)
    assert len(ctx) == 1
    assert rows and {r.status for r in rows} == {"not_started"}
    assert (progress.actions, progress.conversations, progress.comments) == (0, 0, 0)
    assert history and history == audit_history(audit)
    filled = audit_for(user=org.auditor, pk=fill_in(audit).pk)
    rows, progress, history = task_rows_and_progress(filled)
    assert rows == task_rows(filled)
    assert {r.status for r in rows} == {"completed"} and progress.views_contacted
    assert history == audit_history(filled)
    assert [e.at for e in history] == sorted(e.at for e in history)


def test_a_section_page_reads_its_saved_answer_with_the_audit(org, client_for):
    """One query reads the audit and the section's answer (issue 16): the page shows the
    saved revision, grade and evidence, and an unanswered section shows 0 and blanks."""
    from audits.form_presets import sections_for
    from audits.models import SectionAnswer
    from audits.services import section_save

    audit = started_audit(org, form="leeds", case_type="cla")
    keys = [s["key"] for s in sections_for(audit.definition, audit.case.case_type)]
    answered, unanswered = keys[0], keys[1]
    SectionAnswer.objects.filter(audit=audit, key=unanswered).delete()
    revision = getattr(
        SectionAnswer.objects.filter(audit=audit, key=answered).first(), "revision", 0
    )
    section_save(
        audit=audit,
        key=answered,
        grade="",
        evidence="Seen & noted",
        revision=revision,
        by=org.auditor,
    )
    client = client_for(org.auditor)
    url = reverse("audit:section", args=[audit.pk, answered])
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url).content.decode()
    assert not [q for q in ctx.captured_queries if 'FROM "audits_sectionanswer"' in q["sql"]]
    assert f'name="revision" value="{revision + 1}"' in page
    assert "Seen &amp; noted</textarea>" in page
    empty = client.get(reverse("audit:section", args=[audit.pk, unanswered])).content.decode()
    assert 'name="revision" value="0"' in empty
    assert '"id_evidence-hint"></textarea>' in empty


def test_the_task_lists_addresses_built_once_are_the_addresses_reverse_gives():
    """The task list's addresses of the audit's pages (`AuditAddresses`, each built once a
    process around the id: issue 16) are those `{% url %}` gave, under any site prefix."""
    import re
    from pathlib import Path

    from django.urls import clear_script_prefix, set_script_prefix

    from audits.views.common import AuditAddresses

    template = Path(__file__).resolve().parents[2] / "templates/audit/task_list.html"
    names = set(re.findall(r"addresses\.([a-z_]+)", template.read_text()))
    assert {"iro", "qa_check", "moderation_decide", "pdf", "word"} <= names
    for prefix in ("/", "/council/"):
        set_script_prefix(prefix)
        try:
            for pk in (7, 20000175):
                addresses = AuditAddresses(pk)
                for name in names:
                    expected = reverse(f"audit:{name.replace('_', '-')}", args=[pk])
                    assert addresses[name] == expected
                    assert expected.startswith(prefix)
        finally:
            clear_script_prefix()


def test_the_allocation_tables_rows_read_the_team_for_the_page_only():
    """The allocation table's page of rows reads each case's team by a subquery (for the
    page's rows only), not by a join that PostgreSQL plans and runs for the whole run
    (issue 16); the SQL is still built once a process."""
    from accounts import compiled
    from audits.selectors import allocation as allocation_selectors

    builder = allocation_selectors._table_slice(0, 25)
    sql = str(builder(1).query)
    assert 'JOIN "accounts_team"' not in sql
    assert '"accounts_team"' in sql
    assert compiled._build(builder, (int,)) is not None
