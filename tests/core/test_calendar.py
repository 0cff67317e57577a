from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from haven.core import calendar

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 12, 24), True),  # Thursday
        (date(2026, 12, 25), False),  # Christmas Day
        (date(2026, 12, 26), False),  # Saturday
        (date(2026, 12, 28), False),  # Boxing Day, substitute Monday
        (date(2026, 12, 29), True),
        (date(2027, 3, 26), False),  # Good Friday
        (date(2027, 3, 29), False),  # Easter Monday
        (date(2027, 3, 30), True),
    ],
)
def test_working_days_skip_weekends_and_england_bank_holidays(day: date, working: bool) -> None:
    assert calendar.is_working_day(day) is working


def test_adding_working_days_across_christmas() -> None:
    assert calendar.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)
    assert calendar.add_working_days(date(2026, 12, 24), 2) == date(2026, 12, 30)
    assert calendar.add_working_days(date(2026, 12, 24), 0) == date(2026, 12, 24)


def test_working_days_between_counts_only_working_days_after_the_start() -> None:
    assert calendar.working_days_between(date(2026, 12, 24), date(2026, 12, 31)) == 3
    assert calendar.working_days_between(date(2026, 12, 31), date(2026, 12, 24)) == 0


def test_a_weekend_moment_starts_the_clock_when_the_office_opens() -> None:
    saturday = datetime(2026, 11, 28, 10, 30, tzinfo=LONDON)
    due = calendar.add_working_days_to_datetime(saturday, 1)
    assert due == datetime(2026, 12, 1, 9, 0, tzinfo=LONDON)  # Monday 09:00 + 1 working day


def test_a_weekday_moment_keeps_its_time_of_day_across_a_bank_holiday() -> None:
    thursday = datetime(2026, 12, 24, 15, 45, tzinfo=LONDON)
    due = calendar.add_working_days_to_datetime(thursday, 1)
    assert due == datetime(2026, 12, 29, 15, 45, tzinfo=LONDON)


def test_working_hours_count_office_hours_on_working_days_only() -> None:
    # Thursday 24 Dec 15:00 to Tuesday 29 Dec 11:00: 2 hours on Thursday, 2 on Tuesday.
    start = datetime(2026, 12, 24, 15, 0, tzinfo=LONDON)
    end = datetime(2026, 12, 29, 11, 0, tzinfo=LONDON)
    assert calendar.working_hours_between(start, end) == pytest.approx(4.0)
    assert calendar.working_hours_between(end, start) == 0.0


def test_working_hours_ignore_time_outside_the_office() -> None:
    evening = datetime(2026, 11, 25, 19, 0, tzinfo=LONDON)
    next_morning = datetime(2026, 11, 26, 8, 0, tzinfo=LONDON)
    assert calendar.working_hours_between(evening, next_morning) == 0.0
