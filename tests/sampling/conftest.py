"""Synthetic Annex A lists for the sampling tests, in Ofsted's published layout (see
annex_layout.py): no real child, name or ID."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from .annex_layout import LAYOUT, SHEET_NAMES, START

AS_OF = dt.date(2026, 11, 2)


def headers(code: str | int) -> list[str]:
    return list(LAYOUT[int(code)])


def child(code: str | int, n: int, **cells) -> dict:
    """A synthetic child on list `code`, in Annex A's lettered codes: ID C<n>, in North
    Family Support with Sky Worker by default."""
    code = int(code)
    row = {
        "Child Unique ID": f"C{n:05d}",
        "Gender": "b) Female" if n % 2 else "a) Male",
        "Ethnicity": "a) WBRI",
        "Date of Birth": "14/03/2018",
        "Age of Child (Years)": "8",
        "Does the Child have a Disability": "b) No",
        "Allocated Team": "North Family Support",
        "Allocated Worker": "Sky Worker",
    }
    if code in START:
        row[START[code]] = "01/06/2026"
    if code == 3:
        row["Referral NFA?"] = "b) No"
        row["Referral Source"] = "e) 2A: Schools"
    if code == 6:
        row["Case Status"] = "c) Child in need plan"
        row["Primary Need Code"] = "N1 - Abuse or neglect"
    if code == 7:
        row["Initial Category of Abuse"] = "a) Neglect"
    if code == 8:
        row["Child's Legal Status"] = "C2: Full care order"
        row["Placement Type"] = "f) U6: Foster placement - not FFA"
    if code == 9:
        row["Eligibility Category"] = "b) Former relevant child"
        row["Date of Birth"] = "01/01/2006"
        row["Age of Child (Years)"] = "20"
        row["Allocated Personal Advisor"] = "Sky Worker"
    row.update(cells)
    return row


def write_csv(
    path: Path, header: list[str], rows: list[dict], encoding: str = "utf-8", delimiter=","
) -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        writer = csv.writer(fh, delimiter=delimiter)
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


def write_workbook(path: Path, lists: dict[int, list[dict]], names=SHEET_NAMES) -> Path:
    """A workbook of all eleven lists, a sheet each in the published order; lists not
    given have a header and no rows."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for number in range(1, 12):
        sheet = book.create_sheet(names[number])
        sheet.append(LAYOUT[number])
        for row in lists.get(number, []):
            sheet.append([row.get(h, "") for h in LAYOUT[number]])
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
