"""Working days and working hours in England: statutory timescales are counted in them.

Bank holidays come from the ``holidays`` package (England). Office hours, used for ages
"in working hours", are the council's own (settings ``HAVEN_OFFICE_HOURS``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.utils import timezone


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_bank_holiday(day: date) -> bool:
    return day in _bank_holidays(day.year)


def is_working_day(day: date) -> bool:
    """Monday to Friday, and not an England bank holiday."""
    return day.weekday() < 5 and not is_bank_holiday(day)


def next_working_day(day: date) -> date:
    """The first working day strictly after ``day``."""
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(day: date, count: int) -> date:
    """The date ``count`` working days after ``day`` (a non-working start counts from the next)."""
    if count < 0:
        raise ValueError("count must not be negative")
    for _ in range(count):
        day = next_working_day(day)
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end is not later)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def office_hours() -> tuple[time, time]:
    opens, closes = getattr(settings, "HAVEN_OFFICE_HOURS", ("09:00", "17:00"))
    return time.fromisoformat(opens), time.fromisoformat(closes)


def add_working_days_to_datetime(moment: datetime, count: int) -> datetime:
    """The same time of day ``count`` working days later.

    A moment that falls outside a working day (a Saturday email, a bank-holiday call) starts
    the clock when the office next opens, so it is not given less time than a weekday one.
    """
    local = timezone.localtime(moment, local_tz())
    if not is_working_day(local.date()):
        opens, _ = office_hours()
        start_day = next_working_day(local.date())
        local = datetime.combine(start_day, opens, tzinfo=local.tzinfo)
    due_day = add_working_days(local.date(), count)
    return datetime.combine(due_day, local.timetz().replace(tzinfo=None), tzinfo=local.tzinfo)


def working_hours_between(start: datetime, end: datetime) -> float:
    """Hours of office time on working days between two moments (0 when end is not later)."""
    if end <= start:
        return 0.0
    tz = local_tz()
    start_local = timezone.localtime(start, tz)
    end_local = timezone.localtime(end, tz)
    opens, closes = office_hours()
    total = 0.0
    day = start_local.date()
    while day <= end_local.date():
        if is_working_day(day):
            day_open = datetime.combine(day, opens, tzinfo=tz)
            day_close = datetime.combine(day, closes, tzinfo=tz)
            lo = max(day_open, start_local)
            hi = min(day_close, end_local)
            if hi > lo:
                total += (hi - lo).total_seconds() / 3600
        day += timedelta(days=1)
    return total
