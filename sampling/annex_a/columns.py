"""The columns of Annex A Lists 3, 6, 7, 8 and 9 that the frame reads, and how a header
row, a sheet or a file is known to be one of them.

Headers are matched ignoring case, spacing and punctuation (and a trailing space or a
non-breaking space), so "Child Unique ID", "child_unique_id " and "CHILD UNIQUE ID." are
one column. Every list starts with `Child Unique ID, Gender, Ethnicity, Date of Birth,
Age of Child (Years)` and carries `Allocated Team` and `Allocated Worker`; list-specific
columns give the case type and dates. The README lists every accepted column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..models import AnnexList, CaseType
from .cells import squash, text

HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class Column:
    key: str
    heading: str  # the Annex A heading, as the README and the page name it
    aliases: tuple[str, ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        return (squash(self.heading), *(squash(a) for a in self.aliases))


COLUMNS: tuple[Column, ...] = (
    Column("child_id", "Child Unique ID", ("Child ID", "Unique Child ID", "Person ID", "Case ID")),
    Column("gender", "Gender", ("Sex",)),
    Column("ethnicity", "Ethnicity", ("Ethnic Origin",)),
    Column("dob", "Date of Birth", ("DOB", "Birth Date")),
    Column("age", "Age of Child (Years)", ("Age", "Age (Years)", "Age of Child")),
    Column("team", "Allocated Team", ("Team", "Team Name", "Allocated Team Name")),
    Column("worker", "Allocated Worker", ("Worker", "Allocated Social Worker", "Key Worker")),
    Column("pa", "Allocated Personal Advisor", ("Allocated Personal Adviser", "Personal Advisor")),
    Column(
        "disability",
        "Does the Child have a Disability",
        ("Disability", "Disabled", "Child has a Disability"),
    ),
    Column("case_status", "Case Status", ("Status",)),
    Column("referral_date", "Date of Referral", ("Referral Date", "Referral Start Date")),
    Column("referral_nfa", "Referral NFA?", ("Referral NFA", "NFA")),
    Column("cin_start", "CIN Start Date", ("Child in Need Start Date",)),
    Column("cin_end", "CIN Closure Date", ("CIN End Date", "Case Closure Date")),
    Column("cp_start", "Child Protection Plan Start Date", ("CP Plan Start Date",)),
    Column("cp_end", "Child Protection Plan End Date", ("CP Plan End Date",)),
    Column(
        "cla_start",
        "Date Started to be Looked After",
        ("Date Started Looked After", "CLA Start Date", "Date Became Looked After"),
    ),
    Column(
        "cla_end",
        "Date Ceased to be Looked After",
        ("Date Ceased Looked After", "CLA End Date"),
    ),
    Column("legal_status", "Child's Legal Status", ("Legal Status", "Latest Legal Status")),
    Column("eligibility", "Eligibility Category", ("Care Leaver Eligibility",)),
)
BY_KEY = {c.key: c for c in COLUMNS}
_HEADER_INDEX = {alias: c for c in COLUMNS for alias in c.keys}
REQUIRED = ("child_id", "team")


@dataclass(frozen=True)
class ListSpec:
    """What one Annex A list means: its case type, start and end dates, legal status."""

    annex_list: AnnexList
    case_type: CaseType
    start: str | None
    end: str | None
    legal: str | None
    markers: tuple[str, ...]  # columns found only in this list, for recognising it


LISTS: dict[str, ListSpec] = {
    AnnexList.REFERRALS: ListSpec(
        AnnexList.REFERRALS,
        CaseType.CIN,
        "referral_date",
        None,
        "legal_status",
        ("referral_date", "referral_nfa"),
    ),
    AnnexList.CHILDREN_IN_NEED: ListSpec(
        AnnexList.CHILDREN_IN_NEED,
        CaseType.CIN,
        "cin_start",
        "cin_end",
        "legal_status",
        ("cin_start", "cin_end"),
    ),
    AnnexList.CHILD_PROTECTION: ListSpec(
        AnnexList.CHILD_PROTECTION,
        CaseType.CP,
        "cp_start",
        "cp_end",
        "legal_status",
        ("cp_start", "cp_end"),
    ),
    AnnexList.LOOKED_AFTER: ListSpec(
        AnnexList.LOOKED_AFTER,
        CaseType.CLA,
        "cla_start",
        "cla_end",
        "legal_status",
        ("cla_start", "cla_end"),
    ),
    AnnexList.CARE_LEAVERS: ListSpec(
        AnnexList.CARE_LEAVERS,
        CaseType.CARE_LEAVER,
        None,
        None,
        "eligibility",
        ("eligibility", "pa"),
    ),
}

# A child on several lists takes the case type of the most specific (SPEC §2).
LIST_PRECEDENCE: dict[str, int] = {"3": 1, "6": 2, "9": 3, "7": 4, "8": 5}


def accepted_columns() -> list[tuple[str, str]]:
    """Each accepted heading with its other accepted spellings, for the page and README."""
    return [(c.heading, ", ".join(c.aliases)) for c in COLUMNS]


@dataclass
class HeaderMap:
    index: dict[str, int]
    width: int = 0
    used: list[tuple[str, str]] = field(default_factory=list)  # (file heading, meaning)
    ignored: list[str] = field(default_factory=list)


def match_header(cells: list[Any]) -> HeaderMap:
    """Which of the file's columns we read and which we ignore (first match wins)."""
    header = HeaderMap(index={})
    for i, cell in enumerate(cells):
        heading = text(cell)
        if not heading:
            continue
        header.width = i + 1
        column = _HEADER_INDEX.get(squash(heading))
        if column is None or column.key in header.index:
            header.ignored.append(heading)
            continue
        header.index[column.key] = i
        header.used.append((heading, column.heading))
    return header


def is_header(cells: list[Any]) -> bool:
    return any(_HEADER_INDEX.get(squash(text(c))) is BY_KEY["child_id"] for c in cells if c)


def detect_list(header: HeaderMap) -> AnnexList | None:
    """The list a file is, from the columns only one list has (most specific first)."""
    for code in ("8", "7", "9", "6", "3"):
        if any(m in header.index for m in LISTS[code].markers):
            return AnnexList(code)
    return None


_SHEET_NUMBER = re.compile(r"^\s*(?:annex\s*a\W*)?(?:list|l)?[\s_.\-]*(\d{1,2})(?!\d)", re.I)
_SHEET_WORDS = {
    "contacts": 1,
    "earlyhelp": 2,
    "referrals": 3,
    "assessments": 4,
    "section47": 5,
    "childreninneed": 6,
    "childprotection": 7,
    "childrenincare": 8,
    "childrenlookedafter": 8,
    "careleavers": 9,
    "adoption": 10,
    "adopters": 11,
}


def list_number_from_sheet(title: str) -> int | None:
    """The Annex A list number a sheet's name gives ("List 6", "L6", "6 - CIN",
    "Children in need"), or None."""
    match = _SHEET_NUMBER.match(title or "")
    if match:
        number = int(match.group(1))
        return number if 1 <= number <= 11 else None
    key = squash(title)
    for words, number in _SHEET_WORDS.items():
        if key.startswith(words):
            return number
    return None


__all__ = [
    "BY_KEY",
    "COLUMNS",
    "HEADER_SEARCH_ROWS",
    "LISTS",
    "LIST_PRECEDENCE",
    "REQUIRED",
    "Column",
    "HeaderMap",
    "ListSpec",
    "accepted_columns",
    "detect_list",
    "is_header",
    "list_number_from_sheet",
    "match_header",
]
