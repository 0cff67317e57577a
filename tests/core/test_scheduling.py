from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.tasks import task

from haven.core import scheduling
from haven.core.models import ScheduledRun

LONDON = ZoneInfo("Europe/London")
pytestmark = pytest.mark.django_db

RUNS: list[str] = []


@task()
def record_run() -> None:
    RUNS.append("ran")


@pytest.fixture
def twice_daily(monkeypatch: pytest.MonkeyPatch) -> scheduling.Schedule:
    monkeypatch.setattr(scheduling, "_schedules", {})
    RUNS.clear()
    schedule = scheduling.Schedule(
        name="test-report",
        task=f"{__name__}.record_run",
        times=lambda: (time(8, 30), time(13, 30)),
        working_days_only=True,
    )
    scheduling.register(schedule)
    return schedule


def test_a_due_slot_runs_once_however_often_the_scheduler_checks(
    twice_daily: scheduling.Schedule,
) -> None:
    now = datetime(2026, 11, 25, 8, 31, tzinfo=LONDON)  # Wednesday
    assert scheduling.run_due(now) == ["test-report"]
    assert scheduling.run_due(now) == []
    assert RUNS == ["ran"]
    assert ScheduledRun.objects.get().slot == datetime(2026, 11, 25, 8, 30, tzinfo=LONDON)


def test_the_afternoon_slot_is_separate(twice_daily: scheduling.Schedule) -> None:
    scheduling.run_due(datetime(2026, 11, 25, 8, 31, tzinfo=LONDON))
    scheduling.run_due(datetime(2026, 11, 25, 13, 45, tzinfo=LONDON))
    assert RUNS == ["ran", "ran"]


def test_working_day_schedules_skip_bank_holidays(twice_daily: scheduling.Schedule) -> None:
    christmas = datetime(2026, 12, 25, 9, 0, tzinfo=LONDON)
    # The latest slot before Christmas morning is Thursday 13:30, long past the grace period.
    assert scheduling.run_due(christmas) == []
    assert RUNS == []


def test_minute_schedules_take_the_latest_slot(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scheduling, "_schedules", {})
    poll = scheduling.Schedule(name="poll", task=f"{__name__}.record_run", every_minutes=5)
    assert poll.latest_slot(datetime(2026, 11, 25, 10, 7, 30, tzinfo=LONDON)) == datetime(
        2026, 11, 25, 10, 5, tzinfo=LONDON
    )
