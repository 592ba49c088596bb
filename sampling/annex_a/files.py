"""Reading a case list file: CSV (comma or semicolon; UTF-8 with or without a byte order
mark, or Windows-1252) or an Excel workbook, one sheet or one sheet per Annex A list.

Rows are streamed as (line number, cells), so memory stays flat however long the list.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .cells import text
from .columns import HEADER_SEARCH_ROWS, LISTS, detect_list, is_header, list_number_from_sheet
from .columns import match_header as _match_header


class FileKind:
    CSV = "csv"
    XLSX = "xlsx"


class EncodingError(Exception):
    """The file cannot be read as text, or as CSV, from this line on."""

    def __init__(self, line: int, detail: str = ""):
        super().__init__(detail or f"line {line}")
        self.line = line
        self.detail = detail


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


def _csv_rows(path: Path) -> Iterator[tuple[int, list]]:
    encoding = _csv_encoding(path)
    with path.open("rb") as raw:
        stream = io.TextIOWrapper(raw, encoding=encoding, newline="")
        first_line = stream.readline()
        stream.seek(0)
        # Exports from European-locale spreadsheets separate with semicolons.
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        reader = csv.reader(stream, delimiter=delimiter)
        try:
            for cells in reader:
                yield reader.line_num, cells
        except UnicodeDecodeError:
            raise EncodingError(reader.line_num + 1) from None
        except csv.Error as exc:
            raise EncodingError(reader.line_num, str(exc)) from None


def _open_workbook(path: Path):
    import openpyxl

    # data_only: a formula's last computed value, as Excel saved it (None if it never ran).
    return openpyxl.load_workbook(path, read_only=True, data_only=True)


def read_rows(path: Path, kind: str, sheet: str | None = None) -> Iterator[tuple[int, list]]:
    """Every row of the file (or of the named sheet of a workbook; the first sheet if none
    is named) as (line number, cells)."""
    if kind == FileKind.CSV:
        yield from _csv_rows(path)
        return
    book = _open_workbook(path)
    try:
        ws = book[sheet] if sheet else book.worksheets[0]
        for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
            yield number, list(row)
    finally:
        book.close()


def estimate_rows(path: Path, kind: str, sheet: str | None = None) -> int:
    """About how many rows the file (or sheet) has, for the progress bar."""
    if kind == FileKind.XLSX:
        book = _open_workbook(path)
        try:
            ws = book[sheet] if sheet else book.worksheets[0]
            return max(0, (ws.max_row or 0) - 1)
        finally:
            book.close()
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(65536)
    lines = head.count(b"\n") or 1
    return max(1, int(size / (len(head) / lines)) - 1) if head else 0


@dataclass(frozen=True)
class Part:
    """One list to import from a file: a CSV, or one sheet of a workbook."""

    sheet: str | None  # None for a CSV
    annex_list: str | None  # None when neither the name nor the columns tell


@dataclass
class FilePlan:
    parts: list[Part]
    ignored: list[str]  # sheets not imported, each with why
    problem: str = ""  # a refusal of the whole file


def _head_of(ws) -> list[list]:
    rows = []
    for row in ws.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True):
        rows.append(list(row))
    return rows


def plan(path: Path, kind: str, chosen: str | None) -> FilePlan:
    """Which lists the file holds. A CSV is one list. A workbook is one list per sheet
    that is List 3, 6, 7, 8 or 9, known by the sheet's name or, failing that, its columns;
    every other sheet is named as ignored. With a list chosen, only that list is read: its
    sheet by name or columns, else the first sheet."""
    if kind == FileKind.CSV:
        return FilePlan(parts=[Part(None, chosen)], ignored=[])
    book = _open_workbook(path)
    try:
        found: list[tuple[str, str | None, str]] = []  # (sheet, list, why ignored)
        for ws in book.worksheets:
            found.append(_classify(ws.title, _head_of(ws)))
        titles = [ws.title for ws in book.worksheets]
    finally:
        book.close()
    if len(titles) == 1:
        return FilePlan(parts=[Part(titles[0], chosen or found[0][1])], ignored=[])
    if chosen:
        match = [t for t, code, _ in found if code == chosen]
        sheet = match[0] if match else titles[0]
        return FilePlan(
            parts=[Part(sheet, chosen)],
            ignored=[f"{t} (only List {chosen} was asked for)" for t in titles if t != sheet],
        )
    parts: list[Part] = []
    ignored: list[str] = []
    seen: dict[str, str] = {}
    for title, code, why in found:
        if code is None:
            ignored.append(f"{title} ({why})")
            continue
        if code in seen:
            return FilePlan(
                parts=[],
                ignored=[],
                problem=f"The sheets “{seen[code]}” and “{title}” are both List {code}. "
                "Remove one and upload the workbook again.",
            )
        seen[code] = title
        parts.append(Part(title, code))
    if not parts:
        return FilePlan(
            parts=[],
            ignored=ignored,
            problem="No sheet of the workbook is List 3, 6, 7, 8 or 9 (each needs a "
            "“Child Unique ID” column). Name each sheet after its list, e.g. “List 6”.",
        )
    return FilePlan(parts=parts, ignored=ignored)


def _classify(title: str, head: list[list]) -> tuple[str, str | None, str]:
    at = next((i for i, row in enumerate(head) if is_header(row)), None)
    header = _match_header(head[at]) if at is not None else None
    number = list_number_from_sheet(title)
    if number is not None and str(number) not in LISTS:
        return title, None, f"List {number} is not part of the sampling frame"
    if header is None:
        if not any(text(c) for row in head for c in row):
            return title, None, "empty"
        return title, None, "no “Child Unique ID” column"
    if not any(text(c) for row in head[at + 1 :] for c in row):
        # An empty list in a workbook of every list says nothing: it closes nothing.
        return title, None, "no rows"
    if number is not None:
        return title, str(number), ""
    detected = detect_list(header)
    if detected is None:
        return title, None, "its list cannot be told from its name or columns"
    return title, str(detected), ""


__all__ = [
    "EncodingError",
    "FileKind",
    "FilePlan",
    "Part",
    "estimate_rows",
    "plan",
    "read_rows",
    "sniff_kind",
]
