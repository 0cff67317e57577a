"""Opening, closing and withdrawing a child's CIN episode.

``episode_open`` is called by the threshold decision that refers a child; other apps call
``episode_close`` when the work ends (the assessment that finds no further action, the plan
that ends). Each writes its audit event and a chronology entry.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from haven.accounts.models import Team
from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core.actor import Actor
from haven.frontdoor import codes
from haven.frontdoor.models import Contact, ContactDecision, Episode
from haven.people.models import Person
from haven.people.services import chronology_record


def rereferral_of(child: Person, referral_date: date) -> Episode | None:
    """The child's previous episode when this referral is a re-referral: its referral was
    within the 12 months before this one (the DfE's children in need definition)."""
    previous = (
        Episode.objects.current()
        .filter(child=child, referral_date__lte=referral_date)
        .order_by("-referral_date", "-id")
        .first()
    )
    if previous is None:
        return None
    try:
        year_before = referral_date.replace(year=referral_date.year - 1)
    except ValueError:  # 29 February
        year_before = referral_date.replace(year=referral_date.year - 1, day=28)
    return previous if previous.referral_date > year_before else None


def episode_open(
    *,
    actor: Actor,
    child: Person,
    referral_date: date,
    referral_source: str,
    primary_need: str,
    receiving_team: Team | None,
    contact: Contact | None = None,
    decision: ContactDecision | None = None,
    is_urgent: bool = False,
) -> Episode:
    """Open a CIN episode for a referred child. A child has at most one open episode (a new
    concern about a child already open is information for that episode, not a referral);
    ``is_rereferral`` and ``previous_episode`` are worked out here."""
    errors: dict[str, list[str]] = {}
    if referral_source not in codes.ReferralSource.values:
        errors["referral_source"] = ["Select the referral source"]
    if primary_need not in codes.PrimaryNeed.values:
        errors["primary_need"] = ["Select the primary need"]
    if referral_date > timezone.localdate():
        errors["referral_date"] = ["The referral date must be today or in the past"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if Episode.objects.open().filter(child=child).exists():
            raise ValidationError(
                {"child": [f"{child.full_name} already has an open children in need episode"]}
            )
        previous = (
            Episode.objects.current().filter(child=child).order_by("-referral_date", "-id").first()
        )
        rereferral = rereferral_of(child, referral_date)
        episode = Episode.objects.create(
            child=child,
            contact=contact,
            decision=decision,
            referral_date=referral_date,
            referral_source=referral_source,
            primary_need=primary_need,
            receiving_team=receiving_team,
            is_urgent=is_urgent,
            is_rereferral=rereferral is not None,
            previous_episode=previous,
            opened_at=timezone.now(),
            opened_by=actor.user,
        )
        event_record(
            actor=actor,
            action=Event.Action.CREATE,
            target=episode,
            child_id=child.pk,
            detail={
                "referral_date": referral_date.isoformat(),
                "source": referral_source,
                "primary_need": primary_need,
                "team": str(receiving_team or ""),
                "rereferral": episode.is_rereferral,
                "contact": contact.pk if contact else None,
            },
        )
        summary = f"Referred to {receiving_team or "children's social care"}: " + str(
            codes.PrimaryNeed(primary_need).label
        )
        if episode.is_rereferral:
            summary += " (re-referral within 12 months)"
        chronology_record(
            actor=actor,
            child=child,
            occurred_at=timezone.now(),
            kind="episode_opened",
            summary=summary,
            target=episode,
            url=contact.get_absolute_url() if contact else "",
        )
    return episode


def episode_close(*, actor: Actor, episode: Episode, closed_on: date, reason: str) -> Episode:
    """Close an open episode on ``closed_on`` with a CIN reason for closure (RC1 to RC9).
    Called by the work that ends it (assessment, planning); that caller checks who may."""
    errors: dict[str, list[str]] = {}
    if reason not in codes.ClosureReason.values:
        errors["reason"] = ["Select the reason for closure"]
    if closed_on > timezone.localdate():
        errors["closed_on"] = ["The closure date must be today or in the past"]
    elif closed_on < episode.referral_date:
        errors["closed_on"] = ["The closure date cannot be before the referral date"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        episode = Episode.objects.select_for_update().get(pk=episode.pk)
        if not episode.is_open:
            raise ValidationError({"episode": ["This episode is already closed"]})
        episode.closed_on = closed_on
        episode.closure_reason = reason
        episode.closed_at = timezone.now()
        episode.closed_by = actor.user
        episode.save(update_fields=["closed_on", "closure_reason", "closed_at", "closed_by"])
        event_record(
            actor=actor,
            action=Event.Action.UPDATE,
            target=episode,
            child_id=episode.child_id,
            detail={"closed_on": closed_on.isoformat(), "reason": reason},
        )
        chronology_record(
            actor=actor,
            child=episode.child,
            occurred_at=closed_on,
            kind="episode_closed",
            summary=f"Children in need episode closed: {codes.ClosureReason(reason).label}",
            target=episode,
        )
    return episode


def episode_withdraw(*, actor: Actor, episode: Episode, reason: str) -> Episode:
    """Take back an episode whose opening decision was changed so the child is no longer
    referred. It is kept (for audit) but not counted or returned."""
    with transaction.atomic():
        episode.withdrawn_at = timezone.now()
        episode.withdrawn_reason = reason
        episode.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        event_record(
            actor=actor,
            action=Event.Action.UPDATE,
            target=episode,
            child_id=episode.child_id,
            reason=reason,
            detail={"withdrawn": True},
        )
        chronology_record(
            actor=actor,
            child=episode.child,
            occurred_at=timezone.now(),
            kind="episode_closed",
            summary="Referral withdrawn: the threshold decision was changed",
            target=episode,
        )
    return episode
