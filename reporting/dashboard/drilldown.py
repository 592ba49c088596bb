"""The lists behind the dashboard's figures: read-only, in reporting, each filtered by the
reader's scope and the dashboard's filters as well as the figure's own (a state, a grade, a
month, an auditor, a theme), so a list never shows more than the figure counted, nor anything
the reader may not see. A case ID links to the case page only where the reader may open it.

Each list is one page of 50 rows: a count and one query, whatever the size of the data.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Case as Choose
from django.db.models import CharField, Q, Value, When
from django.urls import reverse

from accounts.models import User
from audits.models import QAOutcome
from remediation import access as remediation_access

from . import actions as actions_module
from . import completion, quality, safeguarding
from .filters import Filters, parse_month
from .learning import finished_audits
from .scope import ReaderScope, is_qa
from .tables import Column, Table

PAGE_SIZE = 50
KINDS = {
    "allocations": "Audits allocated",
    "audits": "Graded audits",
    "actions": "Remedial actions",
    "learning": "Learning log",
    "concerns": "Safeguarding concerns",
    "pathways": "Inadequate pathways",
    "qa-checks": "QA checks",
}
_KEY = re.compile(r"^[a-z0-9_]{1,60}$")


class BadList(ValueError):
    """A list or parameter that does not exist: the view answers 404."""


@dataclass
class DrillList:
    kind: str
    title: str
    table: Table
    page: object  # the Paginator's page
    described: list[str]


class CaseLinks:
    """Which case pages the reader may open (reporting.case_reads.may_view_case, worked out
    once for the whole list)."""

    def __init__(self, user: User):
        self.user = user
        self.all = is_qa(user) or user.has_perm("accounts.quality_assure")
        self.teams = set()
        if not self.all:
            self.teams = set(remediation_access.managed_team_ids(user)) | set(
                remediation_access.overseen_team_ids(user)
            )

    def href(self, external_id: str, team_id: int | None, worker_id: int | None) -> str | None:
        if self.all or team_id in self.teams or worker_id == self.user.pk:
            return reverse("reporting:case", args=[external_id])
        return None


def _months(filters: Filters, params) -> list[dt.date]:
    if params.get("twelve_months"):
        return list(filters.trend_months)
    text = params.get("in_month")
    if not text:
        return list(filters.months)
    month = parse_month(text)
    if month is None:
        raise BadList("in_month")
    return [month]


def _choice(params, name: str, allowed) -> str:
    value = params.get(name) or ""
    if value and value not in allowed:
        raise BadList(name)
    return value


def _id(params, name: str) -> int | None:
    text = params.get(name)
    if not text:
        return None
    try:
        return int(text)
    except ValueError as error:
        raise BadList(name) from error


def _state_label(states: dict[str, Q], labels: dict[str, str]) -> Choose:
    return Choose(
        *[When(q, then=Value(labels[key])) for key, q in states.items() if key in labels],
        default=Value(""),
        output_field=CharField(),
    )


def build_list(
    *, kind: str, user: User, scope: ReaderScope, filters: Filters, params, today: dt.date
) -> tuple[str, list[str], Table, object]:
    """(title, what it is filtered by, the table's columns and a queryset of row dicts,
    a function turning a row into (values, links))."""
    links = CaseLinks(user)
    months = _months(filters, params)
    said = []
    if params.get("in_month"):
        said.append(f"{months[0]:%B %Y}")
    if kind == "allocations":
        states = completion.state_q(today)
        state = _choice(params, "state", [*states, "not_on_time"])
        qs = completion.allocations(scope=scope, filters=filters, months=months)
        if state == "not_on_time":
            qs = qs.filter(completion.not_on_time_q(today))
            said.append("not finished on time")
        elif state:
            qs = qs.filter(states[state])
            said.append(completion.STATE_LABELS[state].lower())
        auditor = _id(params, "auditor")
        if auditor:
            qs = qs.filter(auditor_id=auditor)
        qs = qs.annotate(state=_state_label(states, completion.STATE_LABELS)).order_by(
            "period", "case__external_id", "pk"
        )
        columns = [
            Column("case", "Case ID", "text"),
            Column("month", "Month", "text"),
            Column("auditor", "Auditor", "text"),
            Column("team", "Team", "text"),
            Column("deadline", "Deadline", "text"),
            Column("state", "Where it stands", "text"),
        ]
        rows = qs.values(
            "case__external_id",
            "case__team_id",
            "case__allocated_worker_id",
            "case__team__name",
            "period",
            "auditor__full_name",
            "deadline",
            "state",
        )

        def make(r):
            return [
                r["case__external_id"],
                f"{r['period']:%B %Y}",
                r["auditor__full_name"],
                r["case__team__name"] or "",
                f"{r['deadline']:%d %b %Y}" if r["deadline"] else "",
                r["state"],
            ], r

    elif kind == "audits":
        overall, sections = quality.overall_scope()
        grades = dict(overall.levels)
        grade = _choice(params, "grade", [*grades, "good_or_better"])
        qs = quality.sampled_audits(months).filter(
            scope.case_q("allocation__case__"), filters.case_q("allocation__case__")
        )
        qs = qs.annotate(grade=quality.standing_grade())
        if grade == "good_or_better":
            qs = qs.filter(grade__in=quality.good_values(overall))
            said.append(f"{grades.get('good', 'Good')} or better")
        elif grade:
            qs = qs.filter(grade=grade)
            said.append(grades[grade])
        section = params.get("section") or ""
        if section:
            known = {s.key: s for s in sections}
            section_grade = params.get("section_grade") or ""
            if section not in known or not _KEY.match(section):
                raise BadList("section")
            if section_grade not in dict(known[section].levels):
                raise BadList("section_grade")
            qs = qs.filter(
                Q(
                    allocation__pair_group__isnull=True,
                    answers__key=section,
                    answers__grade=section_grade,
                )
                | Q(**{f"consensus__grades__{section}": section_grade})
            )
            said.append(f"{known[section].title}: {dict(known[section].levels)[section_grade]}")
        qs = qs.order_by("allocation__period", "allocation__case__external_id", "pk")
        columns = [
            Column("case", "Case ID", "text"),
            Column("month", "Month", "text"),
            Column("team", "Team", "text"),
            Column("case_type", "Case type", "text"),
            Column("auditor", "Auditor", "text"),
            Column("grade", "Overall grade", "text"),
        ]
        rows = qs.values(
            "allocation__case__external_id",
            "allocation__case__team_id",
            "allocation__case__allocated_worker_id",
            "allocation__case__team__name",
            "allocation__case__case_type",
            "allocation__period",
            "allocation__auditor__full_name",
            "grade",
        )
        from sampling.models import CaseType

        def make(r):
            return [
                r["allocation__case__external_id"],
                f"{r['allocation__period']:%B %Y}",
                r["allocation__case__team__name"] or "",
                CaseType(r["allocation__case__case_type"]).label,
                r["allocation__auditor__full_name"],
                grades.get(r["grade"], r["grade"]),
            ], {
                "case__external_id": r["allocation__case__external_id"],
                "case__team_id": r["allocation__case__team_id"],
                "case__allocated_worker_id": r["allocation__case__allocated_worker_id"],
            }

    elif kind == "actions":
        states = actions_module.state_q(today)
        labels = {**actions_module.STATE_LABELS, **actions_module.EXTRA}
        state = _choice(params, "state", list(states))
        qs = actions_module.actions(scope=scope, filters=filters)
        if params.get("in_month"):
            qs = qs.filter(created_on__year=months[0].year, created_on__month=months[0].month)
        if state:
            qs = qs.filter(states[state])
            said.append(labels[state].lower())
        qs = qs.order_by("due_on", "pk")
        columns = [
            Column("case", "Case ID", "text"),
            Column("what", "Action", "text"),
            Column("team", "Team", "text"),
            Column("raised", "Raised", "text"),
            Column("due", "Due", "text"),
            Column("status", "Status", "text"),
            Column("done", "Done on", "text"),
        ]
        rows = qs.values(
            "case__external_id",
            "case__allocated_worker_id",
            "team_id",
            "team__name",
            "what",
            "created_on",
            "due_on",
            "status",
            "fulfilled_on",
        )
        from remediation.models import ActionStatus

        def make(r):
            what = r["what"] if len(r["what"]) <= 120 else r["what"][:119] + "…"
            return [
                r["case__external_id"],
                what,
                r["team__name"],
                f"{r['created_on']:%d %b %Y}",
                f"{r['due_on']:%d %b %Y}",
                ActionStatus(r["status"]).label,
                f"{r['fulfilled_on']:%d %b %Y}" if r["fulfilled_on"] else "",
            ], {**r, "case__team_id": r["team_id"]}

    elif kind == "learning":
        qs = finished_audits(scope=scope, filters=filters, months=months)
        theme = _id(params, "theme")
        if theme:
            qs = qs.filter(themes__id=theme)
        written = _choice(params, "written", ["strengths", "learning"])
        words = (params.get("q") or "").strip()[:100]
        text_field = written or "learning"
        qs = qs.exclude(**{text_field: ""})
        if words:
            qs = qs.filter(**{f"{text_field}__icontains": words})
            said.append(f"with the words “{words}”")
        qs = qs.order_by("-allocation__period", "allocation__case__external_id", "pk")
        columns = [
            Column("case", "Case ID", "text"),
            Column("month", "Month", "text"),
            Column("team", "Team", "text"),
            Column("text", "Strengths" if written == "strengths" else "Learning", "text"),
        ]
        rows = qs.values(
            "allocation__case__external_id",
            "allocation__case__team_id",
            "allocation__case__allocated_worker_id",
            "allocation__case__team__name",
            "allocation__period",
            text_field,
        ).distinct()

        def make(r):
            return [
                r["allocation__case__external_id"],
                f"{r['allocation__period']:%B %Y}",
                r["allocation__case__team__name"] or "",
                r[text_field],
            ], {
                "case__external_id": r["allocation__case__external_id"],
                "case__team_id": r["allocation__case__team_id"],
                "case__allocated_worker_id": r["allocation__case__allocated_worker_id"],
            }

    elif kind == "concerns":
        qs = safeguarding.concerns(scope=scope, filters=filters)
        if params.get("in_month"):
            qs = qs.filter(raised_at__year=months[0].year, raised_at__month=months[0].month)
        qs = qs.order_by("raised_at", "pk")
        columns = [
            Column("case", "Case ID", "text"),
            Column("raised", "Raised on", "text"),
            Column("team", "Team", "text"),
            Column("by", "Raised by", "text"),
        ]
        rows = qs.values(
            "audit__allocation__case__external_id",
            "audit__allocation__case__team_id",
            "audit__allocation__case__allocated_worker_id",
            "audit__allocation__case__team__name",
            "raised_at",
            "raised_by__full_name",
        )

        def make(r):
            return [
                r["audit__allocation__case__external_id"],
                f"{r['raised_at']:%d %b %Y}",
                r["audit__allocation__case__team__name"] or "",
                r["raised_by__full_name"],
            ], {
                "case__external_id": r["audit__allocation__case__external_id"],
                "case__team_id": r["audit__allocation__case__team_id"],
                "case__allocated_worker_id": r["audit__allocation__case__allocated_worker_id"],
            }

    elif kind == "pathways":
        states = safeguarding.pathway_q(today, filters)
        state = _choice(params, "state", list(states))
        qs = safeguarding.pathways(scope=scope, filters=filters)
        if state:
            qs = qs.filter(states[state])
            labels = {c.key: c.label for c in safeguarding.PATHWAY_COLUMNS}
            said.append(labels[state].lower())
        else:
            qs = qs.filter(status="open")
        qs = qs.order_by("graded_on", "pk")
        columns = [
            Column("case", "Case ID", "text"),
            Column("team", "Team", "text"),
            Column("graded", "Graded inadequate on", "text"),
            Column("cycle", "Cycle"),
            Column("review", "Review due", "text"),
            Column("reaudit", "Re-audit due", "text"),
            Column("status", "Status", "text"),
        ]
        rows = qs.values(
            "case__external_id",
            "case__team_id",
            "case__allocated_worker_id",
            "case__team__name",
            "graded_on",
            "cycle",
            "review_due",
            "reaudit_due",
            "status",
        )
        from audits.models import PathwayStatus

        def make(r):
            return [
                r["case__external_id"],
                r["case__team__name"] or "",
                f"{r['graded_on']:%d %b %Y}",
                r["cycle"],
                f"{r['review_due']:%d %b %Y}",
                f"{r['reaudit_due']:%d %b %Y}",
                PathwayStatus(r["status"]).label,
            ], r

    elif kind == "qa-checks":
        from .consistency import qa_checks

        outcome = _choice(params, "outcome", QAOutcome.values)
        qs = qa_checks(scope=scope, filters=filters).filter(audit__allocation__period__in=months)
        if outcome:
            qs = qs.filter(outcome=outcome)
            said.append(QAOutcome(outcome).label.lower())
        qs = qs.order_by("at", "pk")
        columns = [
            Column("case", "Case ID", "text"),
            Column("month", "Month", "text"),
            Column("auditor", "Auditor", "text"),
            Column("by", "Checked by", "text"),
            Column("at", "Checked on", "text"),
            Column("outcome", "Outcome", "text"),
        ]
        rows = qs.values(
            "audit__allocation__case__external_id",
            "audit__allocation__case__team_id",
            "audit__allocation__case__allocated_worker_id",
            "audit__allocation__period",
            "audit__allocation__auditor__full_name",
            "by__full_name",
            "at",
            "outcome",
        )

        def make(r):
            return [
                r["audit__allocation__case__external_id"],
                f"{r['audit__allocation__period']:%B %Y}",
                r["audit__allocation__auditor__full_name"],
                r["by__full_name"],
                f"{r['at']:%d %b %Y}",
                QAOutcome(r["outcome"]).label,
            ], {
                "case__external_id": r["audit__allocation__case__external_id"],
                "case__team_id": r["audit__allocation__case__team_id"],
                "case__allocated_worker_id": r["audit__allocation__case__allocated_worker_id"],
            }

    else:
        raise BadList(kind)
    table = Table(key=f"list-{kind}", caption=KINDS[kind], columns=columns)

    def to_row(r):
        values, facts = make(r)
        href = links.href(
            facts["case__external_id"],
            facts.get("case__team_id"),
            facts.get("case__allocated_worker_id"),
        )
        return values, [href] + [None] * (len(values) - 1)

    return KINDS[kind], said, table, (rows, to_row)


def drill_list(
    *,
    kind: str,
    user: User,
    scope: ReaderScope,
    filters: Filters,
    params,
    today: dt.date,
    page: str | int = 1,
    everything: bool = False,
) -> DrillList:
    """One page of the list (or every row, for a download)."""
    title, said, table, (rows, to_row) = build_list(
        kind=kind, user=user, scope=scope, filters=filters, params=params, today=today
    )
    if everything:
        for r in rows:
            values, links = to_row(r)
            table.add(values, links)
        return DrillList(kind, title, table, None, said)
    paginator = Paginator(rows, PAGE_SIZE)
    current = paginator.get_page(page)
    for r in current.object_list:
        values, links = to_row(r)
        table.add(values, links)
    return DrillList(kind, title, table, current, said)
