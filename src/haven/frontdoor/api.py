"""Contacts in the API: partner systems refer children (``POST /contacts``, token scope
``contacts:write``, an ``Idempotency-Key`` header so a retry never makes a second contact) and
read the status of their agency's referrals (``GET /contacts/{id}``, ``contacts:read``).
Qualified staff may record a threshold decision (``POST /contacts/{id}/decision``,
``contacts:decide``); anyone else is refused with 403, as in the browser.

The same checks as the browser: the service does the validating.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from ninja import Field, Header, Router, Schema, Status

from haven.accounts.models import Team, User
from haven.api.auth import api_actor, require_scope
from haven.api.reading import open_people
from haven.audit.models import Event
from haven.audit.services import event_record
from haven.frontdoor import codes, harm, permissions, selectors, services
from haven.frontdoor.models import Contact, LevelOfNeed, PartnerSubmission
from haven.frontdoor.services.contacts import children_of
from haven.frontdoor.services.partner import referral_status
from haven.people.models import Person

router = Router(tags=["contacts"])


class NamedPersonIn(Schema):
    name: str = Field(..., min_length=1, max_length=200, description="Full name.")
    date_of_birth: date | None = Field(None, description="Required for children.")


class ReferrerIn(Schema):
    name: str = Field(..., max_length=200)
    role: str = Field(..., max_length=200)
    phone: str = Field(..., max_length=50)
    email: str = Field("", max_length=254)


class ContactIn(Schema):
    children: list[NamedPersonIn] = Field(..., description="The children the concern is about.")
    adults: list[NamedPersonIn] = Field(default_factory=list)
    address: str = Field("", max_length=500)
    concerns: str = Field(..., description="What the referrer is worried about, in words.")
    immediate_risk: bool = Field(..., description="Immediate risk of significant harm.")
    consent: Literal["given", "refused", "not_sought"]
    consent_detail: str = Field("", description="Required when consent was not sought.")
    referrer: ReferrerIn
    source: str = Field(
        "", description="CIN referral source code (1A to 10); defaults from the agency."
    )


class ContactStatusOut(Schema):
    id: int
    reference: str
    received_at: datetime
    status: str = Field(..., description="received, being considered, decided or withdrawn")
    status_label: str
    decided_at: datetime | None
    outcome: str | None


class ErrorOut(Schema):
    detail: str
    errors: list[dict[str, str | None]] = Field(default_factory=list)


class DecisionIn(Schema):
    level_of_need: str = Field(..., description="The key of one of the council's levels of need.")
    outcome: Literal["nfa", "advice", "early_help", "referral", "strategy"]
    rationale: str
    primary_need: str = ""
    receiving_team_id: int | None = None
    referred_child_ids: list[int] = Field(default_factory=list)
    history_weighing: str = ""


class DecisionOut(Schema):
    id: int
    contact_id: int
    outcome: str
    level_of_need: str
    decided_at: datetime
    episode_ids: list[int]


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("Sign in first.")
    return user


def _errors(error: ValidationError) -> dict[str, object]:
    return {
        "detail": "The request is not valid.",
        "errors": [
            {"field": None if name == "__all__" else name, "message": message}
            for name, messages in error.message_dict.items()
            for message in messages
        ],
    }


def _digest(payload: ContactIn) -> str:
    return hashlib.sha256(
        json.dumps(payload.dict(), sort_keys=True, default=str).encode()
    ).hexdigest()


def _people_text(people: list[NamedPersonIn]) -> str:
    return "; ".join(
        f"{p.name.replace(';', ' ')} ({p.date_of_birth:%d/%m/%Y})"
        if p.date_of_birth
        else p.name.replace(";", " ")
        for p in people
    )


def _referral(user: User, contact_id: int) -> Contact:
    return selectors.partner_referral_get(user=user, contact_id=contact_id)


def _open_restricted(request: HttpRequest, people: list[Person], reason: str) -> None:
    """A restricted record is read only with a reason, audited for each restricted person."""
    open_people(request, people, reason)


def _status(contact: Contact) -> ContactStatusOut:
    status = referral_status(contact)
    return ContactStatusOut(id=contact.pk, **status)


# What every endpoint may answer besides its own results: no or a bad token (401), a token
# without the scope or a user without the permission (403), declared so clients see them.
_REFUSALS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut}


@router.post(
    "",
    response={
        201: ContactStatusOut,
        200: ContactStatusOut,
        409: ErrorOut,
        422: ErrorOut,
        **_REFUSALS,
    },
    summary="Refer a child (partner systems)",
)
def create(
    request: HttpRequest,
    payload: ContactIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        description="A unique string (up to 200 characters) for each referral: the same key "
        "again returns the contact already made.",
    ),
) -> Status[object]:
    """Make a contact from a partner agency's referral. Send an ``Idempotency-Key`` header
    (any unique string, up to 200 characters): sending the same key again returns the
    contact already made (200) instead of a second one; the same key with a different body
    is refused (409)."""
    require_scope(request, "contacts:write")
    user = _user(request)
    if not user.has_perm(permissions.REFER):
        raise PermissionDenied("Only partner agency accounts can refer through the API.")
    key = (idempotency_key or "").strip()
    if not key or len(key) > 200:
        return Status(
            422,
            {
                "detail": "Send an Idempotency-Key header (up to 200 characters) with each referral.",
                "errors": [{"field": "Idempotency-Key", "message": "Missing or too long"}],
            },
        )
    digest = _digest(payload)
    earlier = PartnerSubmission.objects.filter(user=user, idempotency_key=key).first()
    if earlier is not None:
        if earlier.request_digest != digest:
            return Status(
                409, {"detail": "This Idempotency-Key was used for a different referral."}
            )
        return Status(200, _status(_referral(user, earlier.contact_id)))
    referral = services.PartnerReferral(
        children=_people_text(payload.children),
        adults=_people_text(payload.adults),
        address=payload.address,
        concern_summary=payload.concerns,
        immediate_risk=payload.immediate_risk,
        consent=payload.consent,
        consent_detail=payload.consent_detail,
        referrer_name=payload.referrer.name,
        referrer_role=payload.referrer.role,
        referrer_phone=payload.referrer.phone,
        referrer_email=payload.referrer.email,
        source=payload.source,
    )
    try:
        with transaction.atomic():
            contact = services.partner_referral_submit(
                actor=api_actor(request), referral=referral, channel=codes.Channel.API
            )
            PartnerSubmission.objects.create(
                user=user, idempotency_key=key, request_digest=digest, contact=contact
            )
    except ValidationError as error:
        return Status(422, _errors(error))
    except IntegrityError:
        earlier = PartnerSubmission.objects.get(user=user, idempotency_key=key)
        return Status(200, _status(_referral(user, earlier.contact_id)))
    return Status(201, _status(_referral(user, contact.pk)))


@router.get(
    "/{contact_id}",
    response={200: ContactStatusOut, 404: ErrorOut, **_REFUSALS},
    summary="A referral's status",
)
def read(request: HttpRequest, contact_id: int) -> ContactStatusOut:
    """A partner reads the status of its own agency's referrals; front door staff read any
    contact's status. Nothing else about the child is given."""
    require_scope(request, "contacts:read")
    user = _user(request)
    if user.has_perm(permissions.VIEW):
        contact = selectors.contact_get(user=user, contact_id=contact_id)
        for link in contact.people.all():
            event_record(
                actor=api_actor(request),
                action=Event.Action.VIEW,
                target=contact,
                child_id=link.person_id,
                detail={"via": "api", "what": "status"},
            )
        return _status(contact)
    if user.has_perm(permissions.REFER):
        return _status(selectors.partner_referral_get(user=user, contact_id=contact_id))
    raise PermissionDenied("You do not have permission to read contacts.")


@router.post(
    "/{contact_id}/decision",
    response={201: DecisionOut, 404: ErrorOut, 422: ErrorOut, **_REFUSALS},
    summary="Record a threshold decision (qualified staff only)",
)
def decide(
    request: HttpRequest, contact_id: int, payload: DecisionIn, reason: str = ""
) -> Status[object]:
    """The same decision as the browser's, with the same rules: only a social worker or team
    manager; the cumulative-harm pattern needs ``history_weighing`` before no further action,
    advice or early help. When a child on the contact, or a brother or sister whose history
    the decision weighs, has a restricted record, give a ``reason`` (at least 10 characters),
    audited as in the browser; without it the answer is 403."""
    require_scope(request, "contacts:decide")
    user = _user(request)
    if not user.has_perm(permissions.DECIDE):
        raise PermissionDenied("Only a social worker or team manager can make this decision.")
    contact = selectors.contact_get(user=user, contact_id=contact_id)
    _open_restricted(request, harm.assess(contact).people_shown(), reason)
    level = LevelOfNeed.objects.filter(key=payload.level_of_need, is_active=True).first()
    if level is None:
        return Status(
            422,
            {
                "detail": "The request is not valid.",
                "errors": [
                    {"field": "level_of_need", "message": "Not one of the council's levels"}
                ],
            },
        )
    children = children_of(contact)
    team = (
        Team.objects.filter(pk=payload.receiving_team_id).first()
        if payload.receiving_team_id
        else None
    )
    if payload.receiving_team_id and team is None:
        return Status(
            422,
            {
                "detail": "The request is not valid.",
                "errors": [{"field": "receiving_team_id", "message": "No team has this id"}],
            },
        )
    on_contact = {c.pk for c in children}
    strangers = sorted(set(payload.referred_child_ids) - on_contact)
    if strangers:
        return Status(
            422,
            {
                "detail": "The request is not valid.",
                "errors": [
                    {
                        "field": "referred_child_ids",
                        "message": f"Not children on this contact: {strangers}. Give the ids "
                        f"of children on it: {sorted(on_contact)}.",
                    }
                ],
            },
        )
    chosen = set(payload.referred_child_ids) or on_contact
    try:
        decision = services.decision_make(
            actor=api_actor(request),
            contact=contact,
            data=services.DecisionInput(
                level_of_need=level,
                outcome=payload.outcome,
                rationale=payload.rationale,
                primary_need=payload.primary_need,
                receiving_team=team,
                referred_children=tuple(c for c in children if c.pk in chosen),
                history_weighing=payload.history_weighing,
            ),
        )
    except ValidationError as error:
        return Status(422, _errors(error))
    return Status(
        201,
        DecisionOut(
            id=decision.pk,
            contact_id=contact.pk,
            outcome=decision.outcome,
            level_of_need=level.key,
            decided_at=decision.decided_at,
            episode_ids=list(decision.episodes.values_list("pk", flat=True)),
        ),
    )


ROUTES = [("/contacts", router)]
