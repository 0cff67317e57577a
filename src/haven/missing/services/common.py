"""Helpers the missing-children services share: permission checks, errors in words, the
deadline of a return home interview, and the audit event's plain values."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.utils import timezone

from haven.core import timescales
from haven.core.actor import Actor

Errors = dict[str, list[str]]

# A moment may be typed a few minutes ahead of the server's clock without being "the future".
CLOCK_SLACK = timedelta(minutes=5)


def require(actor: Actor, permission: str, obj: Any = None) -> None:
    """Defence in depth: a service refuses an actor without the permission, whatever the view
    checked. The system actor (police imports by command, the simulator) passes."""
    user = actor.user
    if user is None:
        return
    allowed = user.has_perm(permission, obj) if obj is not None else user.has_perm(permission)
    if not allowed:
        raise PermissionDenied(f"You do not have permission to do this ({permission}).")


def raise_if(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def check_text(errors: Errors, field: str, value: str | None, message: str) -> None:
    if not (value or "").strip():
        add(errors, field, message)


def check_past(errors: Errors, field: str, value: datetime | None, thing: str) -> None:
    if value is not None and value > timezone.now() + CLOCK_SLACK:
        add(errors, field, f"{thing} must be in the past")


def interview_due_at(returned_at: datetime) -> datetime:
    """When the return home interview is due: the council's ``return_home_interview`` rule
    (72 hours by default) from the child's return."""
    return timescales.due_at("return_home_interview", returned_at)


def actor_name(actor: Actor) -> str:
    user = actor.user
    return (user.full_name if user is not None else actor.label)[:200]


def plain(value: Any) -> Any:
    """A value as plain JSON for an audit event's detail."""
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def changes(instance: Model, before: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """Old and new values of the fields that changed, for an UPDATE event."""
    found = {}
    for name in fields:
        old, new = before.get(name), getattr(instance, name)
        if old != new:
            found[name] = {"old": plain(old), "new": plain(new)}
    return found
