"""The home page's and the worktray's rows, built in Python (issue 16): each shows what the
template showed, escaped, with the same addresses as `reverse()`."""

from __future__ import annotations

import datetime as dt
import json

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from remediation.display import worktray_rows
from reporting import home_rows

# The levels of a form version's overall scale, as the lists read them (JSON text).
LEVELS = json.dumps([{"value": "good", "label": "Good <for now>"}])
TODAY = dt.date(2026, 3, 10)


def test_audit_rows_escape_and_link_to_the_task_list():
    graded, ungraded = home_rows.audit_rows(
        [
            (7, "C<1>", "Ann & Bo", "good", LEVELS, "shared"),
            (8, "C2", None, "", LEVELS, "with_team_manager"),
        ]
    )
    assert f'href="{reverse("audit:task-list", args=[7])}"' in graded
    assert "C&lt;1&gt;" in graded and "Ann &amp; Bo" in graded
    assert "Good &lt;for now&gt;" in graded and "Shared for comment" in graded
    assert "Not graded yet" in ungraded and "With team manager" in ungraded


def test_allocation_rows_say_how_far_each_has_got():
    due, late, started = home_rows.allocation_rows(
        [
            (1, "A1", TODAY, "allocated", None),
            (2, "A2", TODAY - dt.timedelta(days=1), "allocated", None),
            (3, "A<3>", TODAY, "allocated", timezone.now()),
        ],
        today=TODAY,
    )
    assert f'href="{reverse("audits:allocation", args=[1])}"' in due
    assert 'govuk-tag--blue">Allocated' in due and "10 March 2026" in due
    assert 'govuk-tag--red">Overdue' in late
    assert "In progress" in started and "A&lt;3&gt;" in started


def test_case_rows_quote_the_case_id_as_reverse_does():
    """As `{% url %}` in a template: reversed, then escaped."""
    (row,) = home_rows.case_rows([("AB 1&2", "cin", None)])
    assert f'href="{escape(reverse("reporting:case", args=["AB 1&2"]))}"' in row
    assert 'href="/cases/AB%201&amp;2/"' in row


def test_notice_rows_escape_the_subject():
    (row,) = home_rows.notice_rows([(5, "<b>Hi</b>", timezone.now())])
    assert f'href="{reverse("accounts:notice-open", args=[5])}"' in row
    assert "&lt;b&gt;Hi&lt;/b&gt;" in row


def test_fixed_addresses_are_the_reversed_ones():
    assert home_rows.HOME_URLS["reporting_half_year_reports"] == reverse(
        "reporting:half-year-reports"
    )


def test_worktray_rows_escape_and_offer_sign_off_only_when_fulfilled():
    columns = {
        "due_on": TODAY,
        "what": "Visit <now>",
        "received_on": TODAY,
        "carried": False,
        "case": "C1",
        "team": "Team & co",
        "owner_id": 1,
        "owner": "Tess",
        "worker_id": 2,
        "worker": "Wes",
        "audit_id": 9,
    }
    fulfilled, open_ = worktray_rows(
        [
            (11, "fulfilled", *columns.values()),
            (12, "open", *columns.values()),
        ],
        auditors={9: "Aud <i>"},
        today=TODAY,
        may_sign_off=True,
    )
    assert 'id="sign-off-11"' in fulfilled and "sign-off-12" not in open_
    assert "Visit &lt;now&gt;" in fulfilled and "Team &amp; co" in fulfilled
    assert "Aud &lt;i&gt;, 10 March 2026" in fulfilled and ">Wes<" in fulfilled
    assert f'href="{reverse("remediation:detail", args=[12])}"' in open_
