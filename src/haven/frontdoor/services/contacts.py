"""Recording contacts: start one, fill it in page by page, link the people, complete it,
assign it, gather information from other agencies, or withdraw it.

Every service is one transaction with its audit event. Completing a contact writes "contact
received" into each child's chronology at the time the concern arrived.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from haven.accounts.models import Team, User
from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core import timescales
from haven.core.actor import Actor
from haven.frontdoor import codes, permissions
from haven.frontdoor.models import (
    ConcernCategory,
    Contact,
    ContactPerson,
    InformationRequest,
)
from haven.frontdoor.services.common import default_team, names, plain, require
from haven.people import codes as people_codes
from haven.people.models import Person
from haven.people.services import chronology_record

# The fields contact_update may change, page by page.
CONTACT_FIELDS = [
    "channel",
    "received_at",
    "source",
    "referrer_name",
    "referrer_role",
    "referrer_organisation",
    "referrer_phone",
    "referrer_email",
    "concern_summary",
    "concern_categories",
    "immediate_risk",
    "immediate_risk_detail",
    "consent",
    "consent_detail",
]
# Only while the contact is being recorded: the clock and the route it came by.
_BEFORE_COMPLETION_ONLY = {"channel", "received_at"}


def contact_due_at(*, received_at: datetime, urgent: bool) -> datetime:
    """When the threshold decision is due: one working day from the concern arriving, or at
    once when there is immediate risk of significant harm (the council's timescales)."""
    key = "urgent_contact_decision" if urgent else "contact_decision"
    return timescales.due_at(key, received_at)


def _check_received_at(received_at: datetime) -> None:
    if received_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError(
            {"received_at": ["The time the concern arrived must be now or in the past"]}
        )


def contact_start(
    *,
    actor: Actor,
    channel: str,
    received_at: datetime,
    team: Team | None = None,
    assign_to_recorder: bool = True,
    referrer: dict[str, str] | None = None,
    source: str = "",
    referrer_agency: Any = None,
    is_domestic_abuse: bool = False,
    concern_summary: str = "",
    immediate_risk: bool | None = None,
) -> Contact:
    """Open a contact: the clock starts at ``received_at`` (when the concern arrived, not
    when it is typed) and ``due_at`` is set now. A member of staff recording it is its owner
    until they finish; the question pages fill in the rest."""
    if channel not in codes.Channel.values:
        raise ValidationError({"channel": ["Select how the concern arrived"]})
    _check_received_at(received_at)
    if source and source not in codes.ReferralSource.values:
        raise ValidationError({"source": ["Select the referral source from the list"]})
    user = actor.user
    with transaction.atomic():
        contact = Contact(
            channel=channel,
            received_at=received_at,
            created_by=user,
            team=team or default_team(user),
            due_at=contact_due_at(received_at=received_at, urgent=bool(immediate_risk)),
            source=source,
            referrer_agency=referrer_agency,
            is_domestic_abuse=is_domestic_abuse,
            concern_summary=concern_summary,
            immediate_risk=immediate_risk,
        )
        for name, value in (referrer or {}).items():
            setattr(contact, f"referrer_{name}", (value or "").strip())
        if user is not None and assign_to_recorder and user.has_perm(permissions.RECORD):
            contact.assigned_to = user
            contact.assigned_at = timezone.now()
        contact.full_clean(exclude=["team", "referrer_agency"])
        contact.save()
        event_record(
            actor=actor,
            action=Event.Action.CREATE,
            target=contact,
            detail={
                "channel": channel,
                "received_at": received_at.isoformat(),
                "due_at": contact.due_at.isoformat(),
            },
        )
    return contact


def _clean_update(contact: Contact, values: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    if "source" in values and values["source"] not in ("", *codes.ReferralSource.values):
        errors["source"] = ["Select the referral source from the list"]
    if "consent" in values:
        consent = values["consent"]
        detail = (values.get("consent_detail", contact.consent_detail) or "").strip()
        if consent not in ("", *codes.Consent.values):
            errors["consent"] = ["Select whether consent was given, refused or not sought"]
        elif consent == codes.Consent.NOT_SOUGHT and not detail:
            errors["consent_detail"] = ["Enter why consent was not sought"]
    if values.get("immediate_risk") is True:
        detail = values.get("immediate_risk_detail", contact.immediate_risk_detail)
        if not (detail or "").strip():
            errors["immediate_risk_detail"] = ["Describe the immediate risk to the child"]
    if "received_at" in values:
        try:
            _check_received_at(values["received_at"])
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)


def contact_update(*, actor: Actor, contact: Contact, data: dict[str, Any]) -> Contact:
    """Change what a contact says (one question page at a time). Saying there is immediate
    risk makes it due at once and tells the duty decision makers straight away, finished or
    not (an officer interrupted after answering "Yes" must not leave an urgent contact nobody
    knows about); they are told once only. Old and new values are audited."""
    unknown = set(data) - set(CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"contact_update cannot change {sorted(unknown)}")
    require(actor, "frontdoor.change_contact_object", contact)
    if contact.completed_at is not None and _BEFORE_COMPLETION_ONLY & set(data):
        raise ValidationError(
            {"received_at": ["The time and route cannot change once the contact is complete"]}
        )
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    _clean_update(contact, values)
    with transaction.atomic():
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        was_urgent = contact.is_urgent
        changes: dict[str, dict[str, Any]] = {}
        categories = values.pop("concern_categories", None)
        for name, value in values.items():
            old = getattr(contact, name)
            if old != value:
                changes[name] = {"old": plain(old), "new": plain(value)}
                setattr(contact, name, value)
        if categories is not None:
            old_ids = set(contact.concern_categories.values_list("pk", flat=True))
            new = list(
                ConcernCategory.objects.filter(pk__in=[getattr(c, "pk", c) for c in categories])
            )
            if old_ids != {c.pk for c in new}:
                changes["concern_categories"] = {
                    "old": sorted(old_ids),
                    "new": sorted(c.pk for c in new),
                }
                contact.concern_categories.set(new)
        if not changes:
            return contact
        if {"received_at", "immediate_risk"} & set(changes):
            due = contact_due_at(received_at=contact.received_at, urgent=contact.is_urgent)
            if due != contact.due_at:
                changes["due_at"] = {"old": plain(contact.due_at), "new": plain(due)}
                contact.due_at = due
        contact.is_domestic_abuse = _is_domestic_abuse(contact)
        contact.full_clean(exclude=["team", "referrer_agency"])
        contact.save()
        event_record(
            actor=actor,
            action=Event.Action.UPDATE,
            target=contact,
            detail={"changes": changes},
        )
        if contact.is_urgent and not was_urgent:
            _notify_urgent(contact)
    return contact


def _is_domestic_abuse(contact: Contact) -> bool:
    police = getattr(contact, "police_notification", None) if contact.pk else None
    if police is not None and police.is_domestic_abuse:
        return True
    return contact.concern_categories.filter(marks_domestic_abuse=True).exists()


def _person_label(person: Person) -> str:
    return person.full_name


def contact_person_add(
    *,
    actor: Actor,
    contact: Contact,
    person: Person,
    role: str | None = None,
) -> ContactPerson:
    """Put a person on the contact (a child it is about, or an adult). Added to a contact
    already complete, a child gets the "contact received" chronology entry too."""
    require(actor, "frontdoor.change_contact_object", contact)
    role = role or (
        codes.PersonRole.CHILD
        if person.kind == people_codes.PersonKind.CHILD
        else codes.PersonRole.ADULT
    )
    if role not in codes.PersonRole.values:
        raise ValidationError({"role": ["Select whether this is a child or an adult"]})
    if contact.people.filter(person=person).exists():
        raise ValidationError({"person": [f"{person.full_name} is already on this contact"]})
    with transaction.atomic():
        link = ContactPerson.objects.create(
            contact=contact, person=person, role=role, added_by=actor.user
        )
        event_record(
            actor=actor,
            action=Event.Action.CREATE,
            target=link,
            child_id=person.pk,
            detail={"contact": contact.pk, "person": person.pk, "role": role},
        )
        if contact.completed_at is not None and role == codes.PersonRole.CHILD:
            _chronology_received(actor=actor, contact=contact, children=[person])
    return link


def contact_mention_add(
    *,
    actor: Actor,
    contact: Contact,
    role: str,
    given_name: str,
    given_date_of_birth: Any = None,
    given_details: str = "",
) -> ContactPerson:
    """Someone named by the source (an email, a police notification, a partner's form)
    whose record is not linked yet; someone at the front door links them in triage."""
    with transaction.atomic():
        link = ContactPerson.objects.create(
            contact=contact,
            role=role,
            given_name=given_name.strip()[:200],
            given_date_of_birth=given_date_of_birth,
            given_details=given_details.strip()[:500],
            added_by=actor.user,
        )
        event_record(
            actor=actor,
            action=Event.Action.CREATE,
            target=link,
            detail={"contact": contact.pk, "given_name": link.given_name, "role": role},
        )
    return link


def contact_person_link(*, actor: Actor, link: ContactPerson, person: Person) -> ContactPerson:
    """Link a person named by the source to their record (found, or created first)."""
    contact = link.contact
    require(actor, "frontdoor.change_contact_object", contact)
    if contact.people.filter(person=person).exclude(pk=link.pk).exists():
        raise ValidationError({"person": [f"{person.full_name} is already on this contact"]})
    with transaction.atomic():
        link.person = person
        if person.kind == people_codes.PersonKind.CHILD:
            link.role = codes.PersonRole.CHILD
        link.save(update_fields=["person", "role"])
        event_record(
            actor=actor,
            action=Event.Action.UPDATE,
            target=link,
            child_id=person.pk,
            detail={"contact": contact.pk, "linked_to": person.pk, "given_name": link.given_name},
        )
        if contact.completed_at is not None and link.role == codes.PersonRole.CHILD:
            _chronology_received(actor=actor, contact=contact, children=[person])
    return link


def contact_person_remove(*, actor: Actor, link: ContactPerson) -> None:
    """Take someone off a contact (added by mistake). Audited; a complete contact keeps at
    least one child."""
    contact = link.contact
    require(actor, "frontdoor.change_contact_object", contact)
    if (
        contact.completed_at is not None
        and link.role == codes.PersonRole.CHILD
        and contact.people.filter(role=codes.PersonRole.CHILD, person__isnull=False)
        .exclude(pk=link.pk)
        .count()
        == 0
    ):
        raise ValidationError({"person": ["A contact must be about at least one child"]})
    with transaction.atomic():
        event_record(
            actor=actor,
            action=Event.Action.DELETE,
            target=link,
            child_id=link.person_id,
            detail={"contact": contact.pk, "person": link.person_id, "given_name": link.given_name},
        )
        link.delete()


def completion_problems(contact: Contact) -> dict[str, str]:
    """What still stops the contact being complete, by the question page that fixes it."""
    problems: dict[str, str] = {}
    people = list(contact.people.all())
    if not any(p.person_id and p.role == codes.PersonRole.CHILD for p in people):
        problems["people"] = "Add at least one child the concern is about"
    elif any(p.person_id is None for p in people):
        problems["people"] = "Link or remove everyone named before finishing"
    if not contact.source:
        problems["source"] = "Select the referral source"
    if not contact.concern_summary.strip():
        problems["concern_summary"] = "Enter what the concerns are"
    if contact.immediate_risk is None:
        problems["immediate_risk"] = "Say whether there is immediate risk of significant harm"
    if not contact.consent:
        problems["consent"] = "Say whether parental consent was given, refused or not sought"
    elif contact.consent == codes.Consent.NOT_SOUGHT and not contact.consent_detail.strip():
        problems["consent_detail"] = "Enter why consent was not sought"
    return problems


def contact_complete(*, actor: Actor, contact: Contact) -> Contact:
    """Finish recording (or triaging) a contact: everything the decision needs is there. Each
    child's chronology gets "contact received" at the time the concern arrived; an urgent
    contact goes to the duty decision makers at once (unless they were told when "Yes" was
    answered)."""
    require(actor, "frontdoor.change_contact_object", contact)
    with transaction.atomic():
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        if contact.completed_at is not None:
            return contact
        problems = completion_problems(contact)
        if problems:
            raise ValidationError({name: [message] for name, message in problems.items()})
        contact.completed_at = timezone.now()
        contact.completed_by = actor.user
        contact.save(update_fields=["completed_at", "completed_by", "updated_at"])
        children = children_of(contact)
        event_record(
            actor=actor,
            action=Event.Action.UPDATE,
            target=contact,
            child_id=children[0].pk if children else None,
            detail={
                "completed": True,
                "children": [child.pk for child in children],
                "urgent": contact.is_urgent,
            },
        )
        _chronology_received(actor=actor, contact=contact, children=children)
        if contact.is_urgent:
            _notify_urgent(contact)
    return contact


def received_summary(contact: Contact) -> str:
    source = contact.get_source_display() if contact.source else "an unknown source"
    categories = names(c.name.lower() for c in contact.concern_categories.all())
    summary = f"Contact by {contact.get_channel_display().lower()} from {source}"
    if categories:
        summary += f": {categories}"
    if contact.is_urgent:
        summary += " (immediate risk)"
    return summary


def _chronology_received(*, actor: Actor, contact: Contact, children: Sequence[Person]) -> None:
    summary = received_summary(contact)
    for child in children:
        chronology_record(
            actor=actor,
            child=child,
            occurred_at=contact.received_at,
            kind="contact_received",
            summary=summary,
            target=contact,
            url=contact.get_absolute_url(),
        )


def urgent_recipients(contact: Contact) -> list[User]:
    """The duty decision makers for an urgent contact: the active social workers and team
    managers in the contact's front door team, and its manager."""
    if contact.team is None:
        return []
    people = User.objects.filter(
        team=contact.team,
        is_active=True,
        groups__permissions__codename="decide_contact",
        groups__permissions__content_type__app_label="frontdoor",
    ).distinct()
    found = list(people)
    manager = contact.team.manager
    if manager is not None and manager.is_active and manager not in found:
        found.append(manager)
    return found


def _notify_urgent(contact: Contact) -> None:
    """Email the duty decision makers after the transaction commits (the queues already put
    urgent contacts first and in red), once per contact however often "Yes" is answered:
    ``urgent_notified_at`` records that they were told. Called inside the caller's
    transaction."""
    if contact.urgent_notified_at is not None:
        return
    recipients = [user.email for user in urgent_recipients(contact)]
    if not recipients:
        return
    contact.urgent_notified_at = timezone.now()
    Contact.objects.filter(pk=contact.pk).update(urgent_notified_at=contact.urgent_notified_at)
    base = getattr(settings, "HAVEN_BASE_URL", "http://127.0.0.1:8000")
    link = f"{base}{reverse('frontdoor:decide', args=[contact.pk])}"
    body = (
        f"Contact {contact.reference} says there is immediate risk of significant harm to a "
        f"child. It needs a decision now.\n\nOpen it: {link}\n\nThis email holds no details "
        f"of the child; sign in to {settings.HAVEN_SERVICE_NAME} to read them."
    )
    transaction.on_commit(
        lambda: send_mail(
            f"Urgent contact {contact.reference}: immediate risk", body, None, recipients
        )
    )


def contact_assign(*, actor: Actor, contact: Contact, assignee: User | None) -> Contact:
    """Give a contact to a worker (or to nobody). Anyone who records contacts may take an
    unassigned one for themselves; assigning others needs ``frontdoor.assign_contact``."""
    user = actor.user
    if user is not None:
        taking = assignee is not None and assignee.pk == user.pk and contact.assigned_to_id is None
        if not taking:
            require(actor, permissions.ASSIGN)
        require(actor, permissions.RECORD)
    if not contact.is_open:
        raise ValidationError({"assignee": ["This contact has been decided or withdrawn"]})
    if assignee is not None and (
        not assignee.is_active or not assignee.has_perm(permissions.RECORD)
    ):
        raise ValidationError({"assignee": ["Select someone who works on contacts"]})
    with transaction.atomic():
        before = contact.assigned_to
        if (before.pk if before else None) == (assignee.pk if assignee else None):
            return contact
        contact.assigned_to = assignee
        contact.assigned_at = timezone.now() if assignee else None
        contact.save(update_fields=["assigned_to", "assigned_at", "updated_at"])
        event_record(
            actor=actor,
            action=Event.Action.UPDATE,
            target=contact,
            detail={
                "changes": {
                    "assigned_to": {
                        "old": before.email if before else None,
                        "new": assignee.email if assignee else None,
                    }
                }
            },
        )
    return contact


def contact_withdraw(*, actor: Actor, contact: Contact, reason: str) -> Contact:
    """Close a contact without a threshold decision (a duplicate, one started in error, an
    email that is not about a child). Only a decision maker, or the person who started an
    unfinished one; the reason is kept and audited."""
    contact = Contact.objects.get(pk=contact.pk)
    require(actor, "frontdoor.withdraw_contact_object", contact)
    reason = reason.strip()
    if len(reason) < 10:
        raise ValidationError({"reason": ["Enter why, in at least 10 characters"]})
    with transaction.atomic():
        contact.withdrawn_at = timezone.now()
        contact.withdrawn_by = actor.user
        contact.withdrawn_reason = reason
        contact.save(
            update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason", "updated_at"]
        )
        event_record(
            actor=actor,
            action=Event.Action.UPDATE,
            target=contact,
            reason=reason,
            detail={"withdrawn": True},
        )
    return contact


def information_request_add(
    *,
    actor: Actor,
    contact: Contact,
    agency_kind: str,
    agency_name: str,
    question: str,
    asked_of: str = "",
    requested_at: datetime | None = None,
) -> InformationRequest:
    """Record a request for information to another agency. While any is unanswered the
    contact is "awaiting information" (its deadline does not move)."""
    require(actor, "frontdoor.change_contact_object", contact)
    errors: dict[str, list[str]] = {}
    if agency_kind not in codes.AgencyKind.values:
        errors["agency_kind"] = ["Select which kind of agency was asked"]
    if not agency_name.strip():
        errors["agency_name"] = ["Enter which organisation or service was asked"]
    if not question.strip():
        errors["question"] = ["Enter what was asked"]
    requested_at = requested_at or timezone.now()
    if requested_at > timezone.now() + timedelta(minutes=5):
        errors["requested_at"] = ["The time it was asked must be now or in the past"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        request = InformationRequest.objects.create(
            contact=contact,
            agency_kind=agency_kind,
            agency_name=agency_name.strip(),
            asked_of=asked_of.strip(),
            question=question.strip(),
            requested_at=requested_at,
            requested_by=actor.user,
        )
        event_record(
            actor=actor,
            action=Event.Action.CREATE,
            target=request,
            detail={"contact": contact.pk, "agency": request.agency_name},
        )
    return request


def information_request_answer(
    *,
    actor: Actor,
    request: InformationRequest,
    response: str,
    answered_at: datetime | None = None,
) -> InformationRequest:
    """Record what came back and when. An answer may arrive after the decision or after the
    contact was closed: it is still recorded on the contact (audited for each child on it),
    needing only the right to record contacts."""
    require(actor, "frontdoor.answer_information_object", request.contact)
    if request.answered_at is not None:
        raise ValidationError({"response": ["This request has already been answered"]})
    errors: dict[str, list[str]] = {}
    if not response.strip():
        errors["response"] = ["Enter what came back"]
    answered_at = answered_at or timezone.now()
    if answered_at > timezone.now() + timedelta(minutes=5):
        errors["answered_at"] = ["The time of the answer must be now or in the past"]
    elif answered_at < request.requested_at:
        errors["answered_at"] = ["The answer cannot come before the question was asked"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        request.response = response.strip()
        request.answered_at = answered_at
        request.answer_recorded_by = actor.user
        request.save(update_fields=["response", "answered_at", "answer_recorded_by"])
        contact = request.contact
        children: list[Person | None] = list(children_of(contact)) or [None]
        for child in children:
            event_record(
                actor=actor,
                action=Event.Action.UPDATE,
                target=request,
                child_id=child.pk if child is not None else None,
                detail={
                    "contact": request.contact_id,
                    "answered_at": answered_at.isoformat(),
                    "after_decision": not contact.is_open,
                },
            )
    return request


def children_of(contact: Contact) -> list[Person]:
    """The linked children on a contact, in the order they were added."""
    return [
        link.person
        for link in contact.people.select_related("person").filter(
            role=codes.PersonRole.CHILD, person__isnull=False
        )
        if link.person is not None
    ]


def people_ids(links: Iterable[ContactPerson]) -> list[int]:
    return [link.person_id for link in links if link.person_id is not None]
