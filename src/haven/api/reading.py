"""Reading children's records through the API, under the browser's rules: a restricted
record is opened only with a reason, and every read is audited (one event per child for a
record, one event naming every child for a list)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest

from haven.api.auth import api_actor
from haven.audit.models import Event
from haven.audit.services import children_listed, event_record
from haven.people.models import Person
from haven.people.services import restricted_access_record

REASON_MIN_LENGTH = 10


def open_people(request: HttpRequest, people: Iterable[Person | None], reason: str) -> None:
    """Refuse unless every restricted person among ``people`` is opened with a reason of at
    least ten characters; each restricted one's opening is recorded with that reason."""
    restricted = [person for person in people if person is not None and person.is_restricted]
    if not restricted:
        return
    if len(reason.strip()) < REASON_MIN_LENGTH:
        raise PermissionDenied(
            "A record this reads is restricted: give a reason (at least "
            f"{REASON_MIN_LENGTH} characters) in the 'reason' parameter."
        )
    actor = api_actor(request)
    for person in restricted:
        restricted_access_record(actor=actor, person=person, reason=reason)


def record_read(
    request: HttpRequest, *, target: Model, child_ids: Iterable[int | None], **detail: object
) -> None:
    """``target`` was read through the API: one event for each child it concerns (one with
    no child when it concerns none)."""
    ids = list(dict.fromkeys(child_ids)) or [None]
    actor = api_actor(request)
    for child_id in ids:
        event_record(
            actor=actor,
            action=Event.Action.VIEW,
            target=target,
            child_id=child_id,
            detail={"via": "api", **detail},
        )


def record_list(
    request: HttpRequest, *, object_type: str, child_ids: Iterable[int | None], **detail: object
) -> None:
    """A list naming children was answered: one event naming them all (none when empty)."""
    children_listed(
        actor=api_actor(request),
        object_type=object_type,
        child_ids=child_ids,
        detail={"via": "api", **detail},
    )
