"""Drafts of the front door's long forms (the threshold decision, a change of decision, a
manager's oversight), saved as the user types by ``static/haven/autosave.js`` so nothing
typed is lost. A draft belongs to its author, is kept on the contact and is removed by the
service that records the form (``draft_discard`` inside its transaction).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core.actor import Actor
from haven.frontdoor.models import Contact, ContactDraft
from haven.frontdoor.services.common import require

# The rule a page's draft needs (the same as submitting it), and the fields it may keep.
_PAGES: dict[str, tuple[str, tuple[str, ...]]] = {
    ContactDraft.Page.DECISION: (
        "frontdoor.decide_contact_object",
        (
            "level_of_need",
            "outcome",
            "primary_need",
            "receiving_team",
            "referred_children",
            "rationale",
            "history_weighing",
        ),
    ),
    ContactDraft.Page.CHANGE: (
        "frontdoor.review_decision_object",
        (
            "level_of_need",
            "outcome",
            "primary_need",
            "receiving_team",
            "referred_children",
            "rationale",
            "history_weighing",
            "change_reason",
        ),
    ),
    ContactDraft.Page.OVERSIGHT: ("frontdoor.oversee_contact_object", ("kind", "text")),
}
MAX_CHARS = 20_000


def draft_save(*, actor: Actor, contact: Contact, page: str, data: dict[str, Any]) -> ContactDraft:
    """Keep what the user has typed on ``page`` (only that page's fields, each cut to a safe
    length). Needs the right to submit the page; audited without the text."""
    if page not in _PAGES:
        raise ValidationError({"page": ["Not a page with drafts"]})
    rule, fields = _PAGES[page]
    require(actor, rule, contact)
    if actor.user is None:
        raise PermissionDenied("A draft belongs to a person.")
    kept: dict[str, Any] = {}
    for name in fields:
        value = data.get(name)
        if isinstance(value, list):
            kept[name] = [str(v)[:50] for v in value][:50]
        elif value is not None:
            kept[name] = str(value)[:MAX_CHARS]
    with transaction.atomic():
        draft, created = ContactDraft.objects.update_or_create(
            contact=contact,
            author=actor.user,
            page=page,
            defaults={"data": kept, "saved_at": timezone.now()},
        )
        event_record(
            actor=actor,
            action=Event.Action.CREATE if created else Event.Action.UPDATE,
            target=draft,
            detail={"contact": contact.pk, "page": page, "fields": sorted(kept)},
        )
    return draft


def draft_discard(*, actor: Actor, contact: Contact, page: str) -> None:
    """The form was submitted: its draft (if any) is no longer needed."""
    if actor.user is not None:
        ContactDraft.objects.filter(contact=contact, author=actor.user, page=page).delete()
