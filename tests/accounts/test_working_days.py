"""The working-day calendar: weekends, England's bank holidays and closure days
(SPEC §2 "Working day"; Bury 6.4 and 9.3 count deadlines in working days)."""

import datetime as dt
from pathlib import Path

from accounts import working_days

D = dt.date


def test_a_weekday_that_is_no_holiday_is_a_working_day():
    assert working_days.is_working_day(D(2026, 11, 2))


def test_saturday_and_sunday_are_not_working_days():
    assert not working_days.is_working_day(D(2026, 11, 7))
    assert not working_days.is_working_day(D(2026, 11, 8))


def test_adding_one_working_day_to_friday_gives_monday():
    assert working_days.add(D(2026, 11, 6), 1) == D(2026, 11, 9)


def test_adding_days_skips_christmas_boxing_day_and_the_substitute_day():
    """2026: Christmas is a Friday, Boxing Day a Saturday, so Monday 28th is a bank
    holiday in its place."""
    assert working_days.add(D(2026, 12, 24), 1) == D(2026, 12, 29)
    assert working_days.count(D(2026, 12, 24), D(2026, 12, 31)) == 3


def test_adding_days_skips_new_years_day():
    # 31 December 2026 is a Thursday; 1 January 2027 is a bank holiday.
    assert working_days.add(D(2026, 12, 31), 1) == D(2027, 1, 4)


def test_adding_days_skips_good_friday_and_easter_monday():
    # Easter 2027: Good Friday 26 March, Easter Monday 29 March.
    assert working_days.add(D(2027, 3, 25), 1) == D(2027, 3, 30)
    assert not working_days.is_working_day(D(2027, 3, 26))
    assert not working_days.is_working_day(D(2027, 3, 29))


def test_the_authoritys_closure_day_is_not_a_working_day():
    closures = {D(2026, 12, 29)}
    assert not working_days.is_working_day(D(2026, 12, 29), closures)
    assert working_days.add(D(2026, 12, 24), 1, closures) == D(2026, 12, 30)


def test_twenty_working_days_from_allocation_on_the_first_of_december_2026():
    """Bury 6.4: an audit is completed within 20 working days. From Tuesday 1 December
    2026 the Christmas bank holidays (Friday 25th, Monday 28th) push it to the 31st."""
    assert working_days.add(D(2026, 12, 1), 20) == D(2026, 12, 31)
    assert working_days.add(D(2026, 12, 2), 20) == D(2027, 1, 4)


def test_twenty_five_working_days_across_easter():
    """Bury 9.3: remedial actions within 25 working days."""
    start = D(2027, 3, 15)
    due = working_days.add(start, 25)
    assert working_days.count(start, due) == 25
    assert due == D(2027, 4, 21)


def test_count_backwards_is_negative_and_add_negative_goes_back():
    assert working_days.count(D(2026, 11, 9), D(2026, 11, 6)) == -1
    assert working_days.add(D(2026, 11, 9), -1) == D(2026, 11, 6)


def test_adding_zero_moves_a_weekend_to_the_next_working_day():
    assert working_days.add(D(2026, 11, 7), 0) == D(2026, 11, 9)
    assert working_days.add(D(2026, 11, 9), 0) == D(2026, 11, 9)


def test_first_working_day_of_a_month_skips_a_bank_holiday():
    """P&Q 1 and Bradford 2: allocation happens on the first working day of the month."""
    assert working_days.first_working_day(2027, 1) == D(2027, 1, 4)
    assert working_days.first_working_day(2026, 11) == D(2026, 11, 2)


def test_last_working_day_and_last_calendar_day_of_a_month():
    assert working_days.last_day_of_month(2027, 2) == D(2027, 2, 28)
    assert working_days.last_working_day(2026, 12) == D(2026, 12, 31)
    assert working_days.last_working_day(2027, 1) == D(2027, 1, 29)


def test_adding_months_keeps_the_day_within_the_month_across_years_and_leap_days():
    """The re-audit window counts calendar months: "a re-audit within 2 months" (P&Q 25-26)."""
    assert working_days.add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert working_days.add_months(D(2028, 3, 31), -1) == D(2028, 2, 29)
    assert working_days.add_months(D(2026, 11, 15), 3) == D(2027, 2, 15)
    assert working_days.add_months(D(2027, 1, 10), -12) == D(2026, 1, 10)
    assert working_days.add_months(D(2026, 5, 31), 0) == D(2026, 5, 31)


def test_the_calendar_module_imports_nothing_of_the_project_or_django():
    source = Path(working_days.__file__).read_text()
    imports = [line for line in source.splitlines() if line.startswith(("import", "from"))]
    assert not [
        line for line in imports if "django" in line or "from ." in line or "accounts" in line
    ]
