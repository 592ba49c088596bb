from __future__ import annotations

import datetime as dt


class MonthConverter:
    """A month in a URL as YYYY-MM, given to the view as its first day."""

    regex = r"\d{4}-\d{2}"

    def to_python(self, value: str) -> dt.date:
        year, month = value.split("-")
        try:
            return dt.date(int(year), int(month), 1)
        except ValueError as exc:
            raise ValueError(value) from exc

    def to_url(self, value: dt.date | str) -> str:
        return value if isinstance(value, str) else f"{value:%Y-%m}"
