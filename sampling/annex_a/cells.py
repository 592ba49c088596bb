"""One cell of an exported list, as spreadsheets and case management systems write it.

Pure functions: text cleaned of non-breaking and zero-width spaces, spreadsheet error
values (`#N/A`, `#REF!`…) and formulas told apart from values, IDs stored as numbers,
dates as Excel writes them or as text, and ages the spreadsheet computed.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

# What a spreadsheet writes when a formula fails, and what a formula looks like in a CSV
# (a workbook keeps the formula's last value, which is read instead).
ERROR_VALUES = frozenset(
    {"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#SPILL!", "#CALC!"}
)
_SPACES = str.maketrans({"\xa0": " ", "\u2007": " ", "\u202f": " ", "\u200b": "", "\ufeff": ""})
_WHITESPACE = re.compile(r"\s+")
_WHOLE_FLOAT = re.compile(r"^\d+\.0+$")
_SCIENTIFIC = re.compile(r"^\d(?:\.\d+)?[eE]\+\d{1,2}$")


def squash(text: object) -> str:
    """Lower case, letters and digits only: how headers, codes and names are compared."""
    return "".join(ch for ch in str(text or "").lower() if ch.isalnum())


def text(value: Any) -> str:
    """A cell as clean text: numbers that are whole without their `.0`, spaces made plain
    and single, nothing either side."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return _WHITESPACE.sub(" ", str(value).translate(_SPACES)).strip()


def is_error(value: str) -> bool:
    """A spreadsheet error value (`#N/A`) or a formula written out as text (`=H2+5`)."""
    return value.upper() in ERROR_VALUES or (value.startswith("=") and len(value) > 1)


def identifier(value: Any) -> str:
    """A child's ID: a number the spreadsheet stored as one (9212044, 9212044.0, or
    9.212044E+06) is the same ID as the text 9212044."""
    cleaned = text(value)
    if _WHOLE_FLOAT.match(cleaned):
        return cleaned.split(".", 1)[0]
    if _SCIENTIFIC.match(cleaned):
        number = float(cleaned)
        if number.is_integer():
            return str(int(number))
    return cleaned


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


def _excel_serial(number: float) -> dt.date:
    # 1 is 1 January 1900; anything before 1900 or after 2100 is not a date on a list.
    if 1 <= number < 73051:
        return _EXCEL_EPOCH + dt.timedelta(days=int(number))
    raise ValueError


def parse_date(value: Any) -> dt.date | None:
    """A date as the lists write it: 02/11/2026, 2/11/2026, 2026-11-02, 2 Nov 2026,
    02-Nov-2026, with or without a midnight time, or a spreadsheet date (a date cell or
    its serial number). None for a blank cell; ValueError for anything else."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _excel_serial(value)
    cleaned = text(value)
    if not cleaned:
        return None
    if len(cleaned) > 10 and cleaned[10] in " T":
        cleaned = cleaned[:10]  # a date and a midnight time
    if len(cleaned) == 10 and cleaned[4] == "-" and cleaned[7] == "-":
        return dt.date.fromisoformat(cleaned)
    if cleaned.isdigit() and len(cleaned) == 5:
        return _excel_serial(int(cleaned))
    parts = re.split(r"[\s/.\-]+", cleaned)
    if len(parts) == 3:
        day, month, year = parts
        number = int(month) if month.isdigit() else _MONTHS.get(month.lower(), 0)
        if day.isdigit() and year.isdigit() and len(year) == 4 and number:
            return dt.date(int(year), number, int(day))
    raise ValueError


OLDEST_AGE = 25  # care leavers are supported to 25; an older age is a slip


def parse_age(value: Any) -> int | None:
    """An age in whole years: a spreadsheet's computed 6.138… is 6 (rounded down, as a
    birthday counts). None for a blank cell; ValueError for anything that cannot be an
    age on a list (not a number, under -1 or over 25)."""
    cleaned = text(value)
    if not cleaned:
        return None
    number = float(cleaned)
    if not -1 <= number <= OLDEST_AGE:
        raise ValueError
    return int(number // 1)


__all__ = [
    "ERROR_VALUES",
    "identifier",
    "is_error",
    "parse_age",
    "parse_date",
    "squash",
    "text",
]
