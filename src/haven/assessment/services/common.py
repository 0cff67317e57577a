"""Helpers the assessment services share. ``require`` and ``plain`` are the front door's (one
rule for defence in depth across apps)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone

from haven.audit.services import event_record
from haven.core.actor import Actor
from haven.core.calendar import local_tz
from haven.frontdoor.services.common import plain, require

__all__ = ["Errors", "audit", "day_moment", "local_date", "plain", "raise_if", "require"]

Errors = dict[str, list[str]]


def raise_if(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment, local_tz()).date()


def day_moment(day: date, at: time = time(17, 0)) -> datetime:
    """A date as a moment in the council's time zone (the end of its office day)."""
    return datetime.combine(day, at, tzinfo=local_tz())


def audit(
    *,
    actor: Actor,
    action: str,
    target: Model,
    child_id: int,
    detail: dict[str, Any] | None = None,
    reason: str = "",
) -> None:
    event_record(
        actor=actor,
        action=action,
        target=target,
        child_id=child_id,
        detail={key: plain(value) for key, value in (detail or {}).items()},
        reason=reason,
    )
