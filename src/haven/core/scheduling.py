"""Schedules declared in code: which task runs when.

Apps call ``register(Schedule(...))`` from ``AppConfig.ready()``. ``haven worker`` runs the
scheduler beside the task worker; each due slot is claimed by inserting a ``ScheduledRun``
row (unique per schedule and slot), so a slot runs once even with several workers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from haven.core import calendar

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Schedule:
    """Run ``task`` (a dotted path to a ``django.tasks`` task) at fixed local times,
    or every ``every_minutes`` minutes."""

    name: str
    task: str
    times: Callable[[], tuple[time, ...]] | None = None
    every_minutes: int | None = None
    working_days_only: bool = False
    description: str = ""
    kwargs: dict[str, object] = field(default_factory=dict)

    def latest_slot(self, now: datetime) -> datetime | None:
        """The most recent slot at or before ``now`` (within the last day), if any."""
        local = timezone.localtime(now, calendar.local_tz())
        if self.every_minutes:
            minutes = (local.hour * 60 + local.minute) // self.every_minutes * self.every_minutes
            return local.replace(hour=minutes // 60, minute=minutes % 60, second=0, microsecond=0)
        if self.times is None:
            return None
        candidates = []
        for day_offset in (0, 1):
            day = local.date() - timedelta(days=day_offset)
            if self.working_days_only and not calendar.is_working_day(day):
                continue
            for at in self.times():
                slot = datetime.combine(day, at, tzinfo=local.tzinfo)
                if slot <= local:
                    candidates.append(slot)
        return max(candidates) if candidates else None


_schedules: dict[str, Schedule] = {}


def register(schedule: Schedule) -> None:
    _schedules[schedule.name] = schedule


def schedules() -> list[Schedule]:
    return sorted(_schedules.values(), key=lambda s: s.name)


def run_due(now: datetime | None = None, *, grace: timedelta = timedelta(hours=2)) -> list[str]:
    """Enqueue every schedule whose latest slot has not run. Slots older than ``grace``
    (the worker was down overnight) are skipped rather than run late in a burst.
    Returns the names enqueued."""
    from haven.core.models import ScheduledRun

    now = now or timezone.now()
    enqueued = []
    for schedule in schedules():
        slot = schedule.latest_slot(now)
        if slot is None or now - slot > grace:
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(schedule=schedule.name, slot=slot)
                result = import_string(schedule.task).enqueue(**schedule.kwargs)
                run.task_result_id = str(getattr(result, "id", ""))[:64]
                run.save(update_fields=["task_result_id"])
        except IntegrityError:
            continue  # another scheduler claimed this slot
        logger.info("scheduled %s for %s", schedule.name, slot)
        enqueued.append(schedule.name)
    return enqueued
