"""Writing the audit trail. Every read and change of a child's data, every sign-in and every
refusal comes through ``event_record``."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from haven.audit import chain
from haven.audit.models import Event
from haven.core.actor import Actor

# Any number will do, as long as nothing else in Haven takes the same advisory lock.
_CHAIN_LOCK_KEY = 0x4A7E11


def _lock_chain() -> None:
    """Serialise appends so each event links to the one truly before it.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: the connection opens transactions
    with BEGIN IMMEDIATE (see settings), which already holds the only write lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def _object_ref(target: models.Model | None, object_type: str, object_id: str) -> tuple[str, str]:
    if target is not None:
        return target._meta.label_lower, str(target.pk)
    return object_type, object_id


def event_record(
    *,
    actor: Actor,
    action: Event.Action | str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    child_id: int | None = None,
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> Event:
    """Append one event to the chain, in the caller's transaction when there is one.

    ``target`` names the record (or give ``object_type`` and ``object_id``); ``child_id`` the
    child it concerns, so "who looked at this child" finds it; ``reason`` what the person gave
    when asked; ``detail`` any other facts, as plain JSON (old and new values of a change).
    """
    obj_type, obj_id = _object_ref(target, object_type, str(object_id))
    clean_detail = json.loads(json.dumps(detail or {}, cls=DjangoJSONEncoder))
    ip = Event._meta.get_field("ip_address").to_python(actor.ip_address) or None
    user = actor.user
    fields: dict[str, Any] = {
        "occurred_at": timezone.now(),
        "actor_id": user.pk if user is not None else None,
        "actor_label": actor.label[:254],
        "action": str(action),
        "object_type": obj_type[:100],
        "object_id": obj_id[:64],
        "child_id": child_id,
        "ip_address": ip,
        "user_agent": actor.user_agent[:500],
        "reason": reason,
        "detail": clean_detail,
    }
    with transaction.atomic():
        _lock_chain()
        prev_hash = Event.objects.order_by("-id").values_list("hash", flat=True).first()
        prev_hash = prev_hash or chain.GENESIS
        own_hash = chain.event_hash(prev_hash=prev_hash, **fields)
        return Event.objects.create(prev_hash=prev_hash, hash=own_hash, **fields)


def children_listed(
    *,
    actor: Actor,
    object_type: str,
    child_ids: Iterable[int | None],
    detail: dict[str, Any] | None = None,
) -> Event | None:
    """A page or an API answer listed children: one VIEW event naming them all (a list is not
    a record, so not one event per child), found by "who looked at this child". Nothing is
    written for an empty list."""
    ids = sorted({child_id for child_id in child_ids if child_id is not None})
    if not ids:
        return None
    return event_record(
        actor=actor,
        action=Event.Action.VIEW,
        object_type=object_type,
        detail={**(detail or {}), "children": ids},
    )


def change_detail(
    instance: models.Model, before: dict[str, Any], fields: list[str]
) -> dict[str, Any]:
    """Old and new values of the named fields, for an UPDATE event's ``detail``."""
    changes = {}
    for name in fields:
        new = getattr(instance, name)
        old = before.get(name)
        if old != new:
            changes[name] = {"old": old, "new": new}
    return {"changes": changes}
