"""Reading the audit trail: for those allowed to, filtered as the auditor's page asks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from haven.accounts.models import User
from haven.audit.models import Event
from haven.core.calendar import local_tz


@dataclass(frozen=True)
class EventFilter:
    object_type: str = ""
    object_id: str = ""
    child_id: int | None = None
    actor: User | None = None
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None


def events_search(*, user: User, filters: EventFilter) -> QuerySet[Event]:
    """Events matching the filters, newest first. Only audit-log readers may look."""
    if not user.has_perm("audit.view_audit_log"):
        raise PermissionDenied
    events = Event.objects.select_related("actor").order_by("-id")
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    if filters.object_id:
        events = events.filter(object_id=filters.object_id)
    if filters.child_id is not None:
        events = events.filter(child_id=filters.child_id)
    if filters.actor is not None:
        events = events.filter(actor=filters.actor)
    if filters.action:
        events = events.filter(action=filters.action)
    tz = local_tz()
    if filters.date_from:
        events = events.filter(
            occurred_at__gte=datetime.combine(filters.date_from, time.min, tzinfo=tz)
        )
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time.min, tzinfo=tz)
        events = events.filter(occurred_at__lt=end)
    return events


def object_types_recorded() -> list[str]:
    return list(Event.objects.order_by().values_list("object_type", flat=True).distinct())
