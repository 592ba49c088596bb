"""The working-day calendar: Monday to Friday, less England's bank holidays and the
authority's own closure days.

A pure module: it imports nothing of this project's and no Django, so every app may use it.
Callers pass the closure days (from the policy) as a collection of dates.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Collection, Iterator
from functools import lru_cache

import holidays

_ONE_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def bank_holidays(year: int) -> dict[dt.date, str]:
    """England's bank holidays in a year, with their names."""
    return dict(sorted(holidays.country_holidays("GB", subdiv="ENG", years=year).items()))


def is_working_day(day: dt.date, closures: Collection[dt.date] = ()) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year) and day not in closures


def add(start: dt.date, n: int, closures: Collection[dt.date] = ()) -> dt.date:
    """The date n working days after `start` (before it, for negative n).

    `start` itself is not counted: add(Friday, 1) is the next Monday. With n == 0 the
    answer is `start` if it is a working day, else the next working day.
    """
    day = start
    if n == 0:
        while not is_working_day(day, closures):
            day += _ONE_DAY
        return day
    step = _ONE_DAY if n > 0 else -_ONE_DAY
    remaining = abs(n)
    while remaining:
        day += step
        if is_working_day(day, closures):
            remaining -= 1
    return day


def count(start: dt.date, end: dt.date, closures: Collection[dt.date] = ()) -> int:
    """Working days after `start` up to and including `end` (negative if end < start)."""
    if end < start:
        return -count(end, start, closures)
    return sum(1 for day in _days(start + _ONE_DAY, end) if is_working_day(day, closures))


def first_working_day(year: int, month: int, closures: Collection[dt.date] = ()) -> dt.date:
    return add(dt.date(year, month, 1), 0, closures)


def last_working_day(year: int, month: int, closures: Collection[dt.date] = ()) -> dt.date:
    day = last_day_of_month(year, month)
    while not is_working_day(day, closures):
        day -= _ONE_DAY
    return day


def last_day_of_month(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day <= end:
        yield day
        day += _ONE_DAY


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months on (or back), kept within the month: 31 January
    and one month is the last day of February."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, last_day_of_month(year, month + 1).day))
