"""Emails carry no child-identifying detail beyond the case ID and a link (issue 14).

Every template in templates/emails is rendered with a probe for each variable that records
every value written into the email; none may write a child's details (age band, gender,
ethnicity, disability, legal status, dates) or the free text people write about a child
(an action's wording, a concern, a comment, reasons and notes, evidence). Those are shown
on the page the link opens, to the people who may see it, and the opening is logged."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template.loader import render_to_string

EMAILS = Path(__file__).resolve().parent.parent / "templates" / "emails"

# Child's details and free text about a child.
FORBIDDEN = {
    "age_band",
    "gender",
    "ethnicity",
    "disability",
    "legal_status",
    "opened_on",
    "date_of_birth",
    "get_age_band_display",
    "get_gender_display",
    "get_case_type_display",
    "what",
    "concern",
    "action_taken",
    "body",
    "evidence",
    "strengths",
    "learning",
    "reason",
    "reasons",
    "note",
    "position",
    "resolution",
    "actions_decision",
    "message",
    "errors",
    "team_source",
    "worker_source",
}
# A few are about staff, not children: a pool member's own reason for a month's break;
# how many rows of an imported list had errors (the count only).
ALLOWED = {"break-requested": {"reason"}, "frame-imported": {"errors"}}


DATE_PARTS = {
    "year",
    "month",
    "day",
    "hour",
    "minute",
    "second",
    "tzinfo",
    "weekday",
    "isoweekday",
    "utcoffset",
    "timetuple",
    "toordinal",
}


class Probe:
    """Stands for any value: records the path of each one written into the email."""

    def __init__(self, path: str, log: set[str]):
        self._path, self._log = path, log

    def __getattr__(self, name: str):
        # Not a date: the |date filter then prints nothing.
        if name.startswith("__") or name in DATE_PARTS:
            raise AttributeError(name)
        return Probe(f"{self._path}.{name}", self._log)

    def __getitem__(self, key):
        raise KeyError(key)

    def __iter__(self):
        return iter([Probe(f"{self._path}[]", self._log)])

    def __len__(self) -> int:
        return 1

    def __str__(self) -> str:
        # What is written into the email is what counts, not what an {% if %} looks at.
        self._log.add(self._path)
        return "x"


def _templates():
    return sorted(p.name for p in EMAILS.iterdir() if p.name != "base-body.html")


def test_every_email_template_is_checked():
    assert len(_templates()) > 100


@pytest.mark.parametrize("name", _templates())
def test_an_email_names_no_child_beyond_the_case_id(name):
    log: set[str] = set()
    names = {
        line.split("{{")[1].split("}}")[0].split("|")[0].strip().split(".")[0]
        for line in (EMAILS / name).read_text().split("{{")[1:]
        for line in ["{{" + line]
    }
    context = {n: Probe(n, log) for n in names if n.isidentifier()}
    context.update(uid="MQ", token="set-by-django")  # the reset link's parts
    text = render_to_string(f"emails/{name}", context)
    assert text.strip()
    template = name.rsplit("-", 1)[0]
    allowed = ALLOWED.get(template.replace("-body", "").replace("-subject", ""), set())
    read = {path.split(".")[-1].split("[")[0] for path in log}
    assert read & FORBIDDEN - allowed == set(), name


def test_the_safeguarding_email_does_not_carry_the_concern_itself(
    org, django_capture_on_commit_callbacks
):
    from django.core import mail

    from audits.services import safeguarding_raise
    from tests.audits.factories_form import started_audit

    audit = started_audit(org)
    with django_capture_on_commit_callbacks(execute=True):
        safeguarding_raise(
            audit=audit,
            concern="Concern text naming Child Example at 1 Test Street",
            action_taken="Rang the duty desk about Child Example",
            by=org.auditor,
        )
    assert mail.outbox
    for message in mail.outbox:
        assert "Child Example" not in message.body
        assert audit.case.external_id in message.body
