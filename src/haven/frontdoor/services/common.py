"""Helpers the front-door services share."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model

from haven.accounts.models import Team
from haven.core.actor import Actor


def plain(value: Any) -> Any:
    """A value as plain JSON for an audit event's detail."""
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [plain(v) for v in value]
    return value


def require(actor: Actor, permission: str, obj: Any = None) -> None:
    """Defence in depth: a service refuses an actor without the permission, whatever the
    caller checked. The system actor (scheduled work, imports by command) passes."""
    if actor.user is None:
        return
    user = actor.user
    allowed = user.has_perm(permission, obj) if obj is not None else user.has_perm(permission)
    if not allowed:
        raise PermissionDenied(f"You do not have permission to do this ({permission}).")


def default_team(user: Any = None) -> Team | None:
    """The front door team a new contact belongs to: the recorder's own when it is a front
    door team, otherwise the council's first active front door team."""
    team = getattr(user, "team", None)
    if team is not None and team.kind == Team.Kind.FRONT_DOOR and team.is_active:
        return team
    return Team.objects.filter(kind=Team.Kind.FRONT_DOOR, is_active=True).order_by("pk").first()


def names(values: Iterable[Any]) -> str:
    items = [str(v) for v in values]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
