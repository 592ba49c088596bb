"""A sample as rows for CSV and XLSX: case ID, stratum, weight and what later apps add.

The audits app adds the allocated auditors without sampling importing it: it registers a
column with `register_column("Auditors", values)` (in its AppConfig.ready), where
`values(sample)` returns {SampleCase id: text} in one query.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import IO

from .models import Sample
from .selectors import sample_cases

ColumnValues = Callable[[Sample], dict[int, str]]
_COLUMNS: dict[str, ColumnValues] = {}


def register_column(heading: str, values: ColumnValues) -> None:
    _COLUMNS[heading] = values


HEADINGS = ("Case ID", "Stratum", "Weight", "Case type", "Team", "Service area")


def rows(sample: Sample) -> Iterator[list]:
    extra = {heading: values(sample) for heading, values in _COLUMNS.items()}
    yield [*HEADINGS, *extra]
    for entry in sample_cases(sample=sample):
        case = entry.case
        yield [
            case.external_id,
            entry.stratum,
            round(entry.weight, 4),
            case.get_case_type_display(),
            case.team.name if case.team else "",
            case.team.service_area.name if case.team else "",
            *(values.get(entry.pk, "") for values in extra.values()),
        ]


def write_csv(sample: Sample, out: IO[str]) -> None:
    writer = csv.writer(out)
    for row in rows(sample):
        writer.writerow(row)


def xlsx_bytes(sample: Sample) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title="Sample")
    for row in rows(sample):
        sheet.append(row)
    strata = book.create_sheet(title="Strata")
    strata.append(["Stratum", "Frame cases (N_h)", "Eligible", "Drawn (n_h)", "Weight"])
    for row in sample.strata_table:
        strata.append([row["stratum"], row["frame"], row["eligible"], row["size"], row["weight"]])
    about = book.create_sheet(title="Method")
    for label, value in (
        ("Sample", str(sample)),
        ("Status", sample.get_status_display()),
        ("Seed", sample.seed),
        ("Method", sample.method),
        ("Frame cases", sample.frame_size),
        *((f"Excluded: {key}", n) for key, n in sample.exclusions.items()),
    ):
        about.append([label, value])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
