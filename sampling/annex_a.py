"""Reading Ofsted Annex A case lists as councils export them (LCS, Mosaic, Eclipse, …).

Pure parsing: file kinds, header matching, value parsing and the checks on one row. It
touches no database; `sampling.services.frame` streams a file through it.

Headers are matched ignoring case, spacing and punctuation, so "Child Unique ID",
"child_unique_id" and "CHILD UNIQUE ID." are one column. Every list starts with
`Child Unique ID, Gender, Ethnicity, Date of Birth, Age of Child (Years)` and carries
`Allocated Team` and `Allocated Worker`; list-specific columns give the case type and
dates. The README lists every accepted column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accounts.errors import RowError

from .models import AgeBand, AnnexList, CaseType, Gender

HEADER_SEARCH_ROWS = 10
MAX_ID = 64
MAX_TEAM = 120
MAX_WORKER = 150
MAX_TEXT = 80


def squash(text: object) -> str:
    """Lower case, letters and digits only: how headers and names are compared."""
    return "".join(ch for ch in str(text or "").lower() if ch.isalnum())


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
    Column("cin_start", "CIN Start Date", ("Child in Need Start Date",)),
    Column("cin_end", "CIN Closure Date", ("CIN End Date", "Case Closure Date")),
    Column("cp_start", "CP Plan Start Date", ("Child Protection Plan Start Date",)),
    Column("cp_end", "CP Plan End Date", ("Child Protection Plan End Date",)),
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
    Column("legal_status", "Legal Status", ("Latest Legal Status",)),
    Column("eligibility", "Eligibility Category", ("Care Leaver Eligibility",)),
)
_BY_KEY = {c.key: c for c in COLUMNS}
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
        AnnexList.REFERRALS, CaseType.CIN, "referral_date", None, "legal_status", ("referral_date",)
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
        text = str(cell).strip() if cell is not None else ""
        if not text:
            continue
        header.width = i + 1
        column = _HEADER_INDEX.get(squash(text))
        if column is None or column.key in header.index:
            header.ignored.append(text)
            continue
        header.index[column.key] = i
        header.used.append((text, column.heading))
    return header


def is_header(cells: list[Any]) -> bool:
    return any(_HEADER_INDEX.get(squash(c)) is _BY_KEY["child_id"] for c in cells if c)


def detect_list(header: HeaderMap) -> AnnexList | None:
    """The list a file is, from the columns only one list has (most specific first)."""
    for code in ("8", "7", "9", "6", "3"):
        if any(m in header.index for m in LISTS[code].markers):
            return AnnexList(code)
    return None


# Files -----------------------------------------------------------------------------------


class FileKind:
    CSV = "csv"
    XLSX = "xlsx"


def sniff_kind(path: Path, name: str) -> tuple[str | None, str]:
    """The kind of file (csv or xlsx) from its name and first bytes, or a refusal."""
    with path.open("rb") as fh:
        head = fh.read(8192)
    lower = name.lower()
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return None, "The file is an old Excel workbook (.xls). Save it as .xlsx or CSV."
    if lower.endswith(".xlsx") or lower.endswith(".xlsm"):
        if not head.startswith(b"PK\x03\x04"):
            return None, "The file is named .xlsx but is not an Excel workbook."
        return FileKind.XLSX, ""
    if lower.endswith(".csv") or lower.endswith(".txt"):
        if head.startswith(b"PK\x03\x04"):
            return None, "The file is named .csv but is an Excel workbook. Name it .xlsx."
        if b"\x00" in head:
            return None, "The file is not text. Export the list as CSV or XLSX."
        return FileKind.CSV, ""
    return None, "The file must be a CSV or an Excel workbook (.xlsx)."


def _csv_encoding(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(65536)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the 64 KB boundary is not an encoding problem.
        if exc.start < len(head) - 4:
            return "cp1252"
    return "utf-8-sig"


def read_rows(path: Path, kind: str, annex_list: str | None = None) -> Iterator[tuple[int, list]]:
    """Every row of the file as (line number, cells), streamed: memory stays flat."""
    if kind == FileKind.XLSX:
        yield from _xlsx_rows(path, annex_list)
        return
    encoding = _csv_encoding(path)
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        first_line = text.readline()
        text.seek(0)
        # Some exports from European-locale spreadsheets separate with semicolons.
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        reader = csv.reader(text, delimiter=delimiter)
        try:
            for cells in reader:
                yield reader.line_num, cells
        except UnicodeDecodeError:
            raise _EncodingError(reader.line_num + 1) from None
        except csv.Error as exc:
            raise _EncodingError(reader.line_num, str(exc)) from None


def estimate_rows(path: Path, kind: str) -> int:
    """About how many rows the file has, for the progress bar."""
    if kind == FileKind.XLSX:
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True)
        try:
            return max(0, (wb.worksheets[0].max_row or 0) - 1)
        finally:
            wb.close()
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(65536)
    lines = head.count(b"\n") or 1
    return max(1, int(size / (len(head) / lines)) - 1) if head else 0


class _EncodingError(Exception):
    def __init__(self, line: int, detail: str = ""):
        self.line = line
        self.detail = detail


EncodingError = _EncodingError


def _xlsx_rows(path: Path, annex_list: str | None) -> Iterator[tuple[int, list]]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = wb.worksheets[0]
        if annex_list and len(wb.worksheets) > 1:
            # A workbook of every list: take the sheet named after the list asked for.
            for ws in wb.worksheets:
                if squash(ws.title) in (f"list{annex_list}", f"l{annex_list}", annex_list):
                    sheet = ws
                    break
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(row)
    finally:
        wb.close()


# Values ----------------------------------------------------------------------------------

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(value: Any) -> dt.date | None:
    """A date as the lists write it: 02/11/2026, 2026-11-02, 2 Nov 2026, 02-Nov-2026, or a
    spreadsheet date. Raises ValueError for anything else."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 200000:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueError
    text = str(value).strip()
    if not text:
        return None
    if len(text) > 10 and text[10] in " T":
        text = text[:10]  # a date and a midnight time
    if len(text) == 10 and text[2] in "/-." and text[5] == text[2] and text[:2].isdigit():
        return dt.date(int(text[6:]), int(text[3:5]), int(text[:2]))
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        return dt.date.fromisoformat(text)
    parts = text.replace("-", " ").replace("/", " ").replace(".", " ").split()
    if len(parts) == 3:
        day, month, year = parts
        number = int(month) if month.isdigit() else _MONTHS.get(month.lower(), 0)
        if day.isdigit() and year.isdigit() and len(year) == 4 and number:
            return dt.date(int(year), number, int(day))
    raise ValueError


_GENDERS = {
    Gender.MALE: {"m", "male", "1", "boy", "man"},
    Gender.FEMALE: {"f", "female", "2", "girl", "woman"},
    Gender.OTHER: {"o", "other", "9", "indeterminate", "notstated", "notspecified", "x"},
    Gender.UNKNOWN: {"", "u", "0", "unknown", "notknown", "unborn", "notrecorded"},
}
_GENDER_LOOKUP = {word: g for g, words in _GENDERS.items() for word in words}
_YES = {"yes", "y", "true", "1", "disabled"}
_NO = {"no", "n", "false", "0", "notdisabled", "none"}
_UNKNOWN = {"", "unknown", "notknown", "notrecorded", "u"}
_NO_WORKER = {"", "unallocated", "none", "notallocated", "na", "tba", "vacant"}


def parse_gender(value: Any) -> Gender:
    gender = _GENDER_LOOKUP.get(squash(value))
    if gender is None:
        raise ValueError
    return gender


def parse_disability(value: Any) -> bool | None:
    key = squash(value)
    if key in _YES:
        return True
    if key in _NO:
        return False
    if key in _UNKNOWN:
        return None
    raise ValueError


def parse_age(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = float(str(value).strip())
    if not -1 <= number <= 30 or number != int(number):  # the range first: inf, nan
        raise ValueError
    return int(number)


def age_band(*, dob: dt.date | None, age: int | None, as_of: dt.date) -> str:
    """The age band on the list's day, from the date of birth or else the age given."""
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


def case_type_from_status(default: CaseType, status: str) -> CaseType:
    """List 6's Case Status can say the child is on a plan or looked after."""
    key = squash(status)
    if not key:
        return default
    for words, case_type in (
        (("protection", "cpp", "cpplan"), CaseType.CP),
        (("lookedafter", "cla", "incare"), CaseType.CLA),
        (("leaver",), CaseType.CARE_LEAVER),
        (("disab", "cwd"), CaseType.CWD),
        (("earlyhelp",), CaseType.EARLY_HELP),
    ):
        if any(w in key for w in words):
            return case_type
    return default


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# Rows ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedRow:
    line: int
    external_id: str
    is_open: bool
    case_type: str
    team: str
    worker: str
    legal_status: str
    opened_on: dt.date | None
    age_band: str
    gender: str
    ethnicity: str
    disability: bool | None


class RowReader:
    """Checks one row at a time against the list's columns; collects nothing itself."""

    def __init__(self, *, header: HeaderMap, spec: ListSpec, as_of: dt.date):
        self.header = header
        self.spec = spec
        self.as_of = as_of
        self._heading = {key: c.heading for key, c in _BY_KEY.items()}

    def _cell(self, cells: list, key: str) -> Any:
        i = self.header.index.get(key)
        if i is None or i >= len(cells):
            return None
        return cells[i]

    def read(self, line: int, cells: list) -> tuple[ParsedRow | None, list[RowError]]:
        errors: list[RowError] = []
        h = self._heading

        def err(key: str, message: str) -> None:
            errors.append(RowError(line, h.get(key, key), message))

        def date_of(key: str | None) -> dt.date | None:
            if key is None:
                return None
            value = self._cell(cells, key)
            try:
                return parse_date(value)
            except (ValueError, TypeError):
                err(key, f"“{_text(value)}” is not a date. Write dates like 02/11/2026.")
                return None

        external_id = _text(self._cell(cells, "child_id"))
        if not external_id:
            err("child_id", "Enter the child's unique ID.")
        elif len(external_id) > MAX_ID:
            err("child_id", f"The ID is longer than {MAX_ID} characters.")

        team = _text(self._cell(cells, "team"))
        if not team:
            err("team", "Enter the allocated team; every case on the list belongs to one.")
        elif len(team) > MAX_TEAM:
            err("team", f"The team name is longer than {MAX_TEAM} characters.")
        worker = _text(self._cell(cells, "worker")) or _text(self._cell(cells, "pa"))
        if squash(worker) in _NO_WORKER:
            worker = ""
        if len(worker) > MAX_WORKER:
            err("worker", f"The worker's name is longer than {MAX_WORKER} characters.")

        gender = Gender.UNKNOWN
        raw = self._cell(cells, "gender")
        try:
            gender = parse_gender(raw)
        except ValueError:
            err("gender", f"“{_text(raw)}” is not a gender. Use Male, Female, Other or Unknown.")
        raw = self._cell(cells, "disability")
        disability = None
        try:
            disability = parse_disability(raw)
        except ValueError:
            err("disability", f"“{_text(raw)}” is not yes, no or unknown.")
        raw = self._cell(cells, "age")
        age = None
        try:
            age = parse_age(raw)
        except (ValueError, TypeError):
            err("age", f"“{_text(raw)}” is not an age in whole years.")
        dob = date_of("dob")
        start = date_of(self.spec.start)
        end = date_of(self.spec.end)
        if start and start > self.as_of:
            err(
                self.spec.start, f"The start date is after the list's date ({self.as_of:%d/%m/%Y})."
            )
        if start and end and end < start:
            err(self.spec.end, "The end date is before the start date.")
        ethnicity = _text(self._cell(cells, "ethnicity"))
        if len(ethnicity) > MAX_TEXT:
            err("ethnicity", f"The ethnicity is longer than {MAX_TEXT} characters.")
        legal = _text(self._cell(cells, self.spec.legal)) if self.spec.legal else ""
        if not legal and self.spec.legal != "legal_status":
            legal = _text(self._cell(cells, "legal_status"))
        if len(legal) > MAX_TEXT:
            err(self.spec.legal or "legal_status", f"Longer than {MAX_TEXT} characters.")
        if len(cells) > self.header.width and any(_text(c) for c in cells[self.header.width :]):
            err("", "The row has more cells than the header has columns; look for a stray comma.")

        if errors:
            return None, errors
        status = _text(self._cell(cells, "case_status"))
        closed = "closed" in status.lower() or (end is not None and end <= self.as_of)
        return (
            ParsedRow(
                line=line,
                external_id=external_id,
                is_open=not closed,
                case_type=case_type_from_status(self.spec.case_type, status)
                if self.spec.annex_list == AnnexList.CHILDREN_IN_NEED
                else self.spec.case_type,
                team=team,
                worker=worker,
                legal_status=legal,
                opened_on=start,
                age_band=age_band(dob=dob, age=age, as_of=self.as_of),
                gender=gender,
                ethnicity=ethnicity,
                disability=disability,
            ),
            [],
        )


def is_blank(cells: list) -> bool:
    return not any(_text(c) for c in cells)


__all__ = [
    "COLUMNS",
    "LISTS",
    "LIST_PRECEDENCE",
    "EncodingError",
    "FileKind",
    "HeaderMap",
    "ParsedRow",
    "RowReader",
    "accepted_columns",
    "age_band",
    "detect_list",
    "is_blank",
    "is_header",
    "match_header",
    "parse_date",
    "read_rows",
    "sniff_kind",
    "squash",
]
