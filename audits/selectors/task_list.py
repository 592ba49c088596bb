"""Reads for the task list and the section pages: each section's answer, the audit's
history and the auditor's counts, each with SQL built once a process
(`accounts.compiled`), as they run on every view of those pages (issue 16)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    DateTimeField,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)

from accounts.compiled import rows_for

from .. import lifecycle
from ..form_presets import sections_for
from ..models import (
    Audit,
    AuditEvent,
    ChildFamilyViews,
    Comment,
    Conversation,
    Moderation,
    SectionAnswer,
    SectionStatus,
    SmartAction,
)


@dataclass
class TaskRow:
    key: str
    title: str
    status: str
    status_label: str
    grade: str
    grade_label: str
    evidence: str
    revision: int


def _answer_rows(audit_id: int) -> QuerySet:
    """An audit's answers, unordered (one answer a section; the default order, by audit,
    would join the audits to sort by their creation)."""
    return (
        SectionAnswer.objects.filter(audit_id=audit_id)
        .order_by()
        .values_list("key", "status", "grade", "evidence", "revision")
    )


def _answers(audit: Audit) -> dict[str, tuple]:
    """The audit's answers by section: prefetched where a list read them, else read with
    SQL built once a process (`accounts.compiled`)."""
    if "answers" in getattr(audit, "_prefetched_objects_cache", {}):
        return {a.key: (a.status, a.grade, a.evidence, a.revision) for a in audit.answers.all()}
    return {key: rest for key, *rest in rows_for(_answer_rows, audit.pk)}


def _section_answer_rows(audit_id: int, key: str) -> QuerySet:
    return (
        # One answer a section: ordered by id, not by the default (by audit, which would
        # join the audits to sort by their creation).
        SectionAnswer.objects.filter(audit_id=audit_id, key=key)
        .order_by("pk")
        .values_list("revision", "grade", "evidence")[:1]
    )


def section_answer(audit: Audit, key: str) -> dict[str, Any]:
    """A section's saved revision, grade and evidence (nothing saved: 0 and blanks), read
    with SQL built once a process (`accounts.compiled`), or as `audit_for` read it with
    the audit (`section=`)."""
    read = getattr(audit, "section_answer_read", None)
    if read is not None and read[0] == key:
        found = [read[1]] if read[1][0] is not None else []
    else:
        found = rows_for(_section_answer_rows, audit.pk, key)
    revision, grade, evidence = found[0] if found else (0, "", "")
    return {"revision": revision, "grade": grade, "evidence": evidence}


_STATUS_LABELS = dict(SectionStatus.choices)


def task_rows(audit: Audit, answers: dict[str, tuple] | None = None) -> list[TaskRow]:
    """Each section that applies to the case, with its status, grade and evidence (from
    `answers` by section, where the page read them already)."""
    definition = audit.definition
    if answers is None:
        answers = _answers(audit)
    rows = []
    for section in sections_for(definition, audit.case.case_type):
        status, grade, evidence, revision = answers.get(
            section["key"], (SectionStatus.NOT_STARTED.value, "", "", 0)
        )
        rows.append(
            TaskRow(
                key=section["key"],
                title=section["title"],
                status=status,
                status_label=_STATUS_LABELS[status],
                grade=grade,
                grade_label=grade_label(definition, section["scale"], grade),
                evidence=evidence,
                revision=revision,
            )
        )
    return rows


@dataclass(frozen=True)
class HistoryRow:
    """One move of an audit as its task list shows it."""

    at: Any
    to_status: str
    to_status_label: str
    why: str
    by_id: int | None
    by_name: str | None


# The columns of an event that the task list's history shows (`_history_row`).
_HISTORY_COLUMNS = ("at", "to_status", "why", "by_id", "by__full_name")


def _history_rows(audit_id: int) -> QuerySet:
    return (
        AuditEvent.objects.filter(audit_id=audit_id)
        .order_by(*AuditEvent._meta.ordering)
        .values_list(*_HISTORY_COLUMNS)
    )


_LIFECYCLE_LABELS = dict(lifecycle.CHOICES)


def _history_row(at, status, why, by_id, by_name) -> HistoryRow:
    return HistoryRow(at, status, _LIFECYCLE_LABELS.get(status, status), why, by_id, by_name)


def audit_history(audit: Audit) -> list[HistoryRow]:
    """The audit's moves, oldest first: only the columns the task list shows, with SQL
    built once a process (`accounts.compiled`)."""
    return [_history_row(*row) for row in rows_for(_history_rows, audit.pk)]


@dataclass(frozen=True)
class Progress:
    """What the auditor's task list counts besides the sections: whether the child and
    family's views say who was contacted, how many actions and conversations, and whether
    there are any dispute steps or comments to read."""

    views_contacted: str
    actions: int
    conversations: int
    moderations: int
    comments: int


def _count(model) -> Subquery:
    return Subquery(
        model.objects.filter(audit_id=OuterRef("pk"))
        .order_by()
        .values("audit_id")
        .annotate(n=Count("pk"))
        .values("n")
    )


def _progress_columns() -> tuple:
    return (
        Subquery(ChildFamilyViews.objects.filter(audit_id=OuterRef("pk")).values("contacted")[:1]),
        _count(SmartAction),
        _count(Conversation),
        _count(Moderation),
        _count(Comment),
    )


_PROGRESS_WIDTH = len(_progress_columns())


def _progress_and_answer_rows(audit_id: int) -> QuerySet:
    """The auditor's progress (`Progress`) joined to the audit's answers: a row an
    answer, each with the same counts, or one row without an answer (its columns empty);
    after them, empty columns where `_progress_answer_and_history_rows` puts an event's."""
    empty = (
        Value(None, output_field=DateTimeField()),
        Value(None, output_field=CharField()),
        Value(None, output_field=CharField()),
        Value(None, output_field=BigIntegerField()),
        Value(None, output_field=CharField()),
        Value(None, output_field=BigIntegerField()),
    )
    return (
        Audit.objects.filter(pk=audit_id)
        .order_by()
        .values_list(
            *_progress_columns(),
            "answers__key",
            "answers__status",
            "answers__grade",
            "answers__evidence",
            "answers__revision",
            *empty,
        )
    )


def _progress_answer_and_history_rows(audit_id: int) -> QuerySet:
    """`_progress_and_answer_rows` and, after them, the audit's events
    (`_history_rows`' columns and the event's id, the progress's and answer's columns
    empty): the auditor's task list in one query (issue 16). Unordered: the events are
    put in order in Python."""
    events = (
        AuditEvent.objects.filter(audit_id=audit_id)
        .order_by()
        .values_list(
            *(Value(None, output_field=CharField()) for _ in range(_PROGRESS_WIDTH)),
            *(Value(None, output_field=CharField()) for _ in range(4)),
            Value(None, output_field=IntegerField()),
            *_HISTORY_COLUMNS,
            "id",
        )
    )
    return _progress_and_answer_rows(audit_id).union(events, all=True).order_by()


def task_rows_and_progress(
    audit: Audit,
) -> tuple[list[TaskRow], Progress, list[HistoryRow]]:
    """`task_rows`, the auditor's `Progress` and the audit's history (`audit_history`) for
    their task list, in one query (SQL built once a process: `accounts.compiled`)."""
    found = rows_for(_progress_answer_and_history_rows, audit.pk)
    answers_width = _PROGRESS_WIDTH + 5
    parts = [row for row in found if row[answers_width] is None]
    events = sorted(
        (row[answers_width:] for row in found if row[answers_width] is not None),
        key=lambda event: (event[0], event[-1]),
    )
    contacted, *counts = parts[0][:_PROGRESS_WIDTH]
    answers = {
        key: rest
        for key, *rest in (row[_PROGRESS_WIDTH:answers_width] for row in parts)
        if key is not None
    }
    history = [_history_row(*event[:-1]) for event in events]
    return (
        task_rows(audit, answers),
        Progress(contacted or "", *(n or 0 for n in counts)),
        history,
    )


def grade_label(definition: dict[str, Any], scale: str, value: str) -> str:
    for level in definition["scales"].get(scale, ()):
        if level["value"] == value:
            return level["label"]
    return ""
