"""Checking one row of a list: what it says about the case, what refuses the file, and
what is merely awkward.

- A **refusal** (a `RowError`) stops the whole file: a blank or unreadable ID, a date that
  cannot be a date in a column the frame needs (start, end, birth), a start date after the
  list's date, a row with more cells than the header.
- A **note** keeps the row: a code outside Annex A's list (stored as not recorded), an
  age that cannot be one, a team or worker cell that is blank or a spreadsheet error value
  (`#N/A`): such a case waits in Match the names and is left out of draws until its team
  is known.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from accounts.errors import RowError

from ..models import AgeBand, AnnexList, CaseType, Gender
from .cells import identifier, is_error, parse_age, parse_date, squash, text
from .codes import (
    CASE_STATUS,
    CLOSED,
    ELIGIBILITY,
    ETHNICITY,
    GENDER,
    LEGAL_STATUS,
    YES_NO,
    YES_NO_UNKNOWN,
    CodeList,
    NotInList,
)
from .columns import BY_KEY, HeaderMap, ListSpec

MAX_ID = 64
MAX_TEAM = 120
MAX_WORKER = 150
_NO_WORKER = {"unallocated", "none", "notallocated", "na", "tba", "vacant"}

WAITS = "the case waits in Match the names and is left out of draws until its team is known"


@dataclass(frozen=True)
class Note:
    """An awkward value that was imported all the same."""

    line: int
    column: str  # the Annex A heading
    reason: str  # the same words for every value noted for the same reason
    value: str


@dataclass(frozen=True)
class ParsedRow:
    line: int
    external_id: str
    is_open: bool
    case_type: str
    team: str
    team_key: str
    worker: str
    legal_status: str
    opened_on: dt.date | None
    closed_on: dt.date | None  # the row's own closure, end or ceased date
    age_band: str
    gender: str
    ethnicity: str
    disability: bool | None


def age_band(*, dob: dt.date | None, age: int | None, as_of: dt.date) -> str:
    """The age band on the list's day, from the date of birth (which wins) or the age."""
    if dob is not None:
        if dob > as_of:
            return AgeBand.UNBORN
        age = as_of.year - dob.year - ((as_of.month, as_of.day) < (dob.month, dob.day))
    if age is None:
        return AgeBand.UNKNOWN
    if age < 0:
        return AgeBand.UNBORN
    for limit, band in (
        (1, AgeBand.UNDER_1),
        (5, AgeBand.AGE_1_4),
        (10, AgeBand.AGE_5_9),
        (16, AgeBand.AGE_10_15),
        (18, AgeBand.AGE_16_17),
    ):
        if age < limit:
            return band
    return AgeBand.AGE_18_PLUS


def is_blank(cells: list) -> bool:
    return not any(text(c) for c in cells)


class RowReader:
    """Checks one row at a time against the list's columns; collects nothing itself."""

    def __init__(self, *, header: HeaderMap, spec: ListSpec, as_of: dt.date):
        self.header = header
        self.spec = spec
        self.as_of = as_of
        self._heading = {key: c.heading for key, c in BY_KEY.items()}

    def _cell(self, cells: list, key: str | None) -> Any:
        i = self.header.index.get(key) if key else None
        if i is None or i >= len(cells):
            return None
        return cells[i]

    def read(self, line: int, cells: list) -> tuple[ParsedRow | None, list[RowError], list[Note]]:
        errors: list[RowError] = []
        notes: list[Note] = []
        h = self._heading

        def refuse(key: str, message: str) -> None:
            errors.append(RowError(line, h.get(key, key), message))

        def note(key: str, reason: str, value: str) -> None:
            notes.append(Note(line, h.get(key, key), reason, value))

        def date_of(key: str | None) -> dt.date | None:
            if key is None:
                return None
            value = self._cell(cells, key)
            try:
                return parse_date(value)
            except (ValueError, TypeError, OverflowError):
                refuse(key, f"“{text(value)}” is not a date. Write dates like 02/11/2026.")
                return None

        def coded(key: str | None, code_list: CodeList) -> Any:
            raw = text(self._cell(cells, key)) if key else ""
            try:
                return code_list.read(raw)
            except NotInList:
                note(key, f"Not in Annex A's {code_list.name} list: stored as not recorded.", raw)
                return code_list.blank

        raw_id = self._cell(cells, "child_id")
        external_id = identifier(raw_id)
        if not external_id:
            refuse("child_id", "Enter the child's unique ID.")
        elif is_error(external_id):
            refuse("child_id", f"“{external_id}” is not an ID (a spreadsheet error value).")
        elif len(external_id) > MAX_ID:
            refuse("child_id", f"The ID is longer than {MAX_ID} characters.")

        team = text(self._cell(cells, "team"))
        if not team:
            note("team", f"Blank: {WAITS}.", "")
        elif is_error(team):
            note("team", f"A spreadsheet error value, not a team: {WAITS}.", team)
            team = ""
        elif len(team) > MAX_TEAM:
            note("team", f"Longer than {MAX_TEAM} characters: {WAITS}.", team[:40] + "…")
            team = ""
        worker = text(self._cell(cells, "worker")) or text(self._cell(cells, "pa"))
        worker_key = "worker" if "worker" in self.header.index else "pa"
        if is_error(worker):
            note(worker_key, "A spreadsheet error value, not a name: no worker recorded.", worker)
            worker = ""
        elif not worker and worker_key in self.header.index:
            note(worker_key, "Blank: no worker recorded.", "")
        elif squash(worker) in _NO_WORKER:
            worker = ""
        elif len(worker) > MAX_WORKER:
            note(worker_key, f"Longer than {MAX_WORKER} characters: no worker recorded.", worker)
            worker = ""

        gender = coded("gender", GENDER)
        disability = coded("disability", YES_NO_UNKNOWN)
        ethnicity = coded("ethnicity", ETHNICITY)
        legal = ""
        if self.spec.legal == "eligibility":
            legal = coded("eligibility", ELIGIBILITY)
        if not legal and "legal_status" in self.header.index:
            legal = coded("legal_status", LEGAL_STATUS)

        raw_age = text(self._cell(cells, "age"))
        age = None
        try:
            age = parse_age("" if is_error(raw_age) else raw_age)
        except ValueError:
            note("age", "Not an age in years: left out (the date of birth gives the age).", raw_age)
        dob = date_of("dob")
        start = date_of(self.spec.start)
        end = date_of(self.spec.end)
        if start and start > self.as_of:
            refuse(
                self.spec.start, f"The start date is after the list's date ({self.as_of:%d/%m/%Y})."
            )
        if start and end and end < start:
            note(
                self.spec.end,
                "Before the start date: the episode is taken to have ended then.",
                text(self._cell(cells, self.spec.end)),
            )
        if len(cells) > self.header.width and any(text(c) for c in cells[self.header.width :]):
            refuse(
                "", "The row has more cells than the header has columns; look for a stray comma."
            )

        case_type = self.spec.case_type
        closed = end is not None and end <= self.as_of
        if (
            self.spec.annex_list == AnnexList.CHILDREN_IN_NEED
            and "case_status" in self.header.index
        ):
            status = coded("case_status", CASE_STATUS)
            if status == CLOSED:
                closed = True
            elif status:
                case_type = status
        if self.spec.annex_list == AnnexList.REFERRALS and "referral_nfa" in self.header.index:
            closed = closed or coded("referral_nfa", YES_NO) is True

        if errors:
            return None, errors, notes
        return (
            ParsedRow(
                line=line,
                external_id=external_id,
                is_open=not closed,
                case_type=CaseType(case_type),
                team=team,
                team_key=squash(team)[:MAX_TEAM],
                worker=worker,
                legal_status=str(legal or ""),
                opened_on=start,
                closed_on=end if closed and end and end <= self.as_of else None,
                age_band=age_band(dob=dob, age=age, as_of=self.as_of),
                gender=Gender(gender),
                ethnicity=str(ethnicity or ""),
                disability=disability,
            ),
            [],
            notes,
        )


__all__ = ["MAX_ID", "Note", "ParsedRow", "RowReader", "age_band", "is_blank"]
