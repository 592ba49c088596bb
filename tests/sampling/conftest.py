"""Synthetic Annex A lists for the sampling tests: no real child, name or ID."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

COMMON = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)"]
SPECIFIC = {
    "3": ["Date of Referral", "Referral NFA?"],
    "6": ["CIN Start Date", "Case Status", "Does the Child have a Disability", "CIN Closure Date"],
    "7": ["CP Plan Start Date", "Category of Abuse", "CP Plan End Date"],
    "8": ["Date Started to be Looked After", "Legal Status", "Placement Type"],
    "9": ["Eligibility Category", "Allocated Personal Advisor"],
}
START = {
    "3": "Date of Referral",
    "6": "CIN Start Date",
    "7": "CP Plan Start Date",
    "8": "Date Started to be Looked After",
}
TAIL = ["Allocated Team", "Allocated Worker"]
AS_OF = dt.date(2026, 11, 2)


def headers(code: str) -> list[str]:
    return COMMON + SPECIFIC[code] + TAIL


def child(code: str, n: int, **cells) -> dict:
    """A synthetic child on list `code`: ID C<n>, in North Family Support by default."""
    row = {
        "Child Unique ID": f"C{n:05d}",
        "Gender": "Female" if n % 2 else "Male",
        "Ethnicity": "WBRI",
        "Date of Birth": "14/03/2018",
        "Age of Child (Years)": "8",
        "Allocated Team": "North Family Support",
        "Allocated Worker": "Sky Worker",
    }
    if code in START:
        row[START[code]] = "01/06/2026"
    if code == "6":
        row["Case Status"] = "Open"
        row["Does the Child have a Disability"] = "No"
    if code == "8":
        row["Legal Status"] = "C2 Full care order"
    if code == "9":
        row["Eligibility Category"] = "Former relevant"
        row["Date of Birth"] = "01/01/2006"
        row["Age of Child (Years)"] = "20"
    row.update(cells)
    return row


def write_csv(path: Path, header: list[str], rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(h, "") for h in header])
    return path


def write_xlsx(path: Path, header: list[str], rows: list[dict], title_rows: int = 0) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for _ in range(title_rows):
        sheet.append(["Annex A: synthetic list for tests"])
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(h, "") for h in header])
    book.save(path)
    return path


@pytest.fixture
def annex(tmp_path):
    """Write a synthetic Annex A list: annex(code, rows, fmt="csv", name=None, header=None)."""

    def write(
        code: str,
        rows: list[dict],
        fmt: str = "csv",
        name: str | None = None,
        header: list[str] | None = None,
    ) -> Path:
        header = header or headers(code)
        path = tmp_path / (name or f"list{code}-{len(list(tmp_path.iterdir()))}.{fmt}")
        if fmt == "xlsx":
            return write_xlsx(path, header, rows)
        return write_csv(path, header, rows)

    return write


@pytest.fixture
def frame_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def imported(org, frame_media):
    """Import a list file at once: imported(path, as_of=AS_OF, annex_list=None, complete=True)."""
    from sampling.services import frame_import_file

    def run(path: Path, as_of: dt.date = AS_OF, annex_list: str | None = None, complete=True):
        return frame_import_file(path=path, as_of=as_of, annex_list=annex_list, complete=complete)

    return run
