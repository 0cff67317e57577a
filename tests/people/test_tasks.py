"""The nightly duplicate check: scheduled in code, and refreshing the review list."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from haven.core import scheduling
from haven.core.models import ScheduledRun
from haven.people import duplicates
from haven.people.models import DuplicateCandidate
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _schedule() -> scheduling.Schedule:
    return next(s for s in scheduling.schedules() if s.name == "people-find-duplicates")


def test_find_duplicates_is_scheduled_every_night() -> None:
    schedule = _schedule()
    assert schedule.task == "haven.people.tasks.find_duplicates"
    assert schedule.times is not None
    assert schedule.times() == (time(2, 0),)
    assert not schedule.working_days_only  # weekends and bank holidays too
    sunday = datetime(2026, 11, 29, 2, 5, tzinfo=LONDON)
    assert schedule.latest_slot(sunday) == datetime(2026, 11, 29, 2, 0, tzinfo=LONDON)


def test_the_time_is_configurable(settings) -> None:
    settings.HAVEN_FIND_DUPLICATES_AT = "23:30"
    times = _schedule().times
    assert times is not None
    assert times() == (time(23, 30),)


def test_the_scheduled_run_refreshes_the_review_list(monkeypatch) -> None:
    first, second = PersonFactory(), PersonFactory()
    low, high = sorted([first.pk, second.pk])
    monkeypatch.setattr(
        duplicates,
        "find_pairs",
        lambda **_: [duplicates.FoundPair(low, high, 0.97, 12.0)],
    )
    monkeypatch.setattr(scheduling, "_schedules", {"people-find-duplicates": _schedule()})
    night = datetime(2026, 11, 26, 2, 1, tzinfo=LONDON)
    assert scheduling.run_due(night) == ["people-find-duplicates"]
    assert ScheduledRun.objects.filter(schedule="people-find-duplicates").count() == 1
    pair = DuplicateCandidate.objects.get()
    assert (pair.person_a_id, pair.person_b_id) == (low, high)
