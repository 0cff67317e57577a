"""Helpers the protection services share."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.utils import timezone

from haven.audit.services import event_record
from haven.core.actor import Actor
from haven.core.calendar import local_tz

Errors = dict[str, list[str]]


def require(actor: Actor, permission: str, obj: Any = None) -> None:
    """Defence in depth: a service refuses an actor without the permission, whatever the view
    checked. The system actor (the simulator, imports) passes."""
    if actor.user is None:
        return
    user = actor.user
    allowed = user.has_perm(permission, obj) if obj is not None else user.has_perm(permission)
    if not allowed:
        raise PermissionDenied(f"You do not have permission to do this ({permission}).")


def raise_if(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def plain(value: Any) -> Any:
    """A value as plain JSON for an audit event's detail."""
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [plain(v) for v in value]
    return value


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment, local_tz()).date()


def day_moment(day: date, at: time = time(17, 0)) -> datetime:
    """A date as a moment in the council's time zone (the end of its office day)."""
    return datetime.combine(day, at, tzinfo=local_tz())


def audit_children(
    *,
    actor: Actor,
    action: str,
    target: Model,
    child_ids: Iterable[int],
    detail: dict[str, Any] | None = None,
    reason: str = "",
) -> None:
    """One audit event per child the record concerns, so "who saw or changed this child's
    records" finds every one of them."""
    ids: list[int | None] = list(dict.fromkeys(child_ids)) or [None]
    for child_id in ids:
        event_record(
            actor=actor,
            action=action,
            target=target,
            child_id=child_id,
            detail=detail or {},
            reason=reason,
        )


def check_text(errors: Errors, field: str, value: str, message: str, minimum: int = 1) -> None:
    if len((value or "").strip()) < minimum:
        errors.setdefault(field, []).append(message)
