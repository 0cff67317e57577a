"""Referrals from partner agencies, by the GOV.UK form or their own systems through the API.

Both go through ``partner_referral_submit``: the same checks, the same contact. A partner
cannot see the council's records of people, so the children and adults they name are kept as
given and someone at the front door links them in triage. A partner sees only the status of
their own agency's referrals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from haven.accounts.models import Agency
from haven.core.actor import Actor
from haven.frontdoor import codes, permissions, police
from haven.frontdoor.models import Contact
from haven.frontdoor.services.contacts import (
    _notify_urgent,
    contact_mention_add,
    contact_start,
)

SOURCE_FOR_AGENCY = {
    Agency.Kind.POLICE: codes.ReferralSource.POLICE,
    Agency.Kind.HEALTH: codes.ReferralSource.HEALTH_OTHER,
    Agency.Kind.EDUCATION: codes.ReferralSource.SCHOOLS,
    Agency.Kind.OTHER: codes.ReferralSource.OTHER,
}


@dataclass(frozen=True)
class PartnerReferral:
    """What a partner tells us; the form and the API both build one."""

    children: str
    concern_summary: str
    immediate_risk: bool
    consent: str
    referrer_name: str
    referrer_role: str
    referrer_phone: str
    adults: str = ""
    address: str = ""
    consent_detail: str = ""
    referrer_email: str = ""
    source: str = ""


def named_children(text: str) -> tuple[list[police.NamedPerson], list[str]]:
    """The children a partner names, each with a date of birth, or what is wrong."""
    children, problems = police.parse_people(text, what="Children")
    if problems:
        return children, problems
    if not children:
        return children, ["Enter the children's names and dates of birth"]
    if any(child.date_of_birth is None for child in children):
        return children, ["Give each child's date of birth in brackets, like (03/04/2015)"]
    return children, []


def check(referral: PartnerReferral) -> tuple[list[police.NamedPerson], list[police.NamedPerson]]:
    """The named children and adults, or ``ValidationError`` naming each problem."""
    errors: dict[str, list[str]] = {}
    children, problems = named_children(referral.children)
    if problems:
        errors["children"] = problems
    adults, problems = police.parse_people(referral.adults, what="Adults")
    if problems:
        errors["adults"] = problems
    if not referral.concern_summary.strip():
        errors["concern_summary"] = ["Enter what you are worried about"]
    if referral.consent not in codes.Consent.values:
        errors["consent"] = ["Select whether consent was given, refused or not sought"]
    elif referral.consent == codes.Consent.NOT_SOUGHT and not referral.consent_detail.strip():
        errors["consent_detail"] = ["Enter why consent was not sought"]
    for name, message in (
        ("referrer_name", "Enter your name"),
        ("referrer_role", "Enter your role"),
        ("referrer_phone", "Enter a phone number to reach you"),
    ):
        if not getattr(referral, name).strip():
            errors[name] = [message]
    if referral.source and referral.source not in codes.ReferralSource.values:
        errors["source"] = ["The referral source must be a children in need census code"]
    if errors:
        raise ValidationError(errors)
    return children, adults


def partner_referral_submit(
    *, actor: Actor, referral: PartnerReferral, channel: str = codes.Channel.PARTNER_FORM
) -> Contact:
    """Make a contact from a partner's referral, received now, needing triage. Urgent ones go
    to the duty decision makers at once."""
    user = actor.user
    if user is None or not user.has_perm(permissions.REFER):
        raise PermissionDenied("Only partner agency users can refer through this route.")
    agency = getattr(user, "agency", None)
    if agency is None:
        raise PermissionDenied("Your account is not linked to a partner agency.")
    children, adults = check(referral)
    source = referral.source or SOURCE_FOR_AGENCY.get(agency.kind, codes.ReferralSource.OTHER)
    with transaction.atomic():
        contact = contact_start(
            actor=actor,
            channel=channel,
            received_at=timezone.now(),
            assign_to_recorder=False,
            source=source,
            referrer={
                "name": referral.referrer_name,
                "role": referral.referrer_role,
                "organisation": agency.name,
                "phone": referral.referrer_phone,
                "email": referral.referrer_email or user.email,
            },
            referrer_agency=agency,
            concern_summary=referral.concern_summary.strip(),
            immediate_risk=referral.immediate_risk,
        )
        contact.consent = referral.consent
        contact.consent_detail = referral.consent_detail.strip()
        if referral.immediate_risk:
            contact.immediate_risk_detail = "Referrer says a child is at immediate risk."
        contact.save(update_fields=["consent", "consent_detail", "immediate_risk_detail"])
        for role, people in ((codes.PersonRole.CHILD, children), (codes.PersonRole.ADULT, adults)):
            for named in people:
                contact_mention_add(
                    actor=actor,
                    contact=contact,
                    role=role,
                    given_name=named.name,
                    given_date_of_birth=named.date_of_birth,
                    given_details=referral.address,
                )
        if contact.is_urgent:
            _notify_urgent(contact)
    return contact


def referral_status(contact: Contact) -> dict[str, Any]:
    """What a partner may know about their referral: where it is, and the outcome in a word."""
    status = codes.Status(getattr(contact, "status", "") or codes.Status.NEEDS_TRIAGE)
    decisions = getattr(contact, "current_decisions", None)
    if decisions is None:
        decisions = list(contact.decisions.filter(is_current=True))
    decision = decisions[0] if decisions else None
    if status == codes.Status.DECIDED and decision is not None:
        label = f"Decision made: {decision.get_outcome_display().lower()}"
    elif status == codes.Status.WITHDRAWN:
        label = "Closed without a decision (for example, a duplicate of another referral)"
    else:
        label = "Being considered"
    return {
        "reference": contact.reference,
        "received_at": contact.received_at,
        "status": status.value if status != codes.Status.NEEDS_TRIAGE else "received",
        "status_label": label,
        "decided_at": contact.decided_at,
        "outcome": decision.outcome if decision is not None else None,
    }
