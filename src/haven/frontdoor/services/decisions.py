"""Threshold decisions: made by a qualified social worker or team manager, reviewed and
changed with the change audited, overseen and countersigned by team managers.

A decision of no further action, advice or early help is refused while the cumulative-harm
pattern is met and the decision maker has not said how the history was weighed; the flags
they saw are stored with the decision. A referral (or a strategy discussion) opens a CIN
episode for each child referred.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from haven.accounts.models import Team
from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core.actor import Actor
from haven.core.calendar import local_tz
from haven.frontdoor import codes, harm, permissions
from haven.frontdoor.models import (
    Contact,
    ContactDecision,
    Episode,
    HarmFlag,
    LevelOfNeed,
    OversightNote,
)
from haven.frontdoor.selectors import receiving_teams
from haven.frontdoor.services.common import names, require
from haven.frontdoor.services.contacts import children_of
from haven.frontdoor.services.drafts import draft_discard
from haven.frontdoor.services.episodes import episode_open, episode_withdraw
from haven.people.models import Person
from haven.people.services import chronology_record

MIN_RATIONALE = 20


@dataclass(frozen=True)
class DecisionInput:
    """What a decision maker decides; shared by the browser form and the API."""

    level_of_need: LevelOfNeed
    outcome: str
    rationale: str
    primary_need: str = ""
    receiving_team: Team | None = None
    referred_children: tuple[Person, ...] = ()
    history_weighing: str = ""


def _validate(contact: Contact, data: DecisionInput, assessment: harm.Assessment) -> None:
    errors: dict[str, list[str]] = {}
    if not data.level_of_need.is_active:
        errors["level_of_need"] = ["Select a level of need from the list"]
    if data.outcome not in codes.Outcome.values:
        errors["outcome"] = ["Select the outcome"]
    if len(data.rationale.strip()) < MIN_RATIONALE:
        errors["rationale"] = [
            f"Enter the reasons for the decision, in at least {MIN_RATIONALE} characters"
        ]
    if data.outcome in codes.REFERRAL_OUTCOMES:
        if data.primary_need not in codes.PrimaryNeed.values:
            errors["primary_need"] = ["Select the primary need"]
        if data.receiving_team is None:
            errors["receiving_team"] = ["Select the team the referral goes to"]
        elif not receiving_teams().filter(pk=data.receiving_team.pk).exists():
            errors["receiving_team"] = [
                "Select a team that takes referrals (assessment, exploitation, missing "
                "children or out of hours)"
            ]
        on_contact = {child.pk for child in children_of(contact)}
        chosen = {child.pk for child in data.referred_children}
        if not chosen:
            errors["referred_children"] = ["Select which children are referred"]
        elif not chosen <= on_contact:
            errors["referred_children"] = ["Select children who are on this contact"]
    if (
        assessment.is_met
        and data.outcome in codes.LOW_OUTCOMES
        and len(data.history_weighing.strip()) < MIN_RATIONALE
    ):
        errors["history_weighing"] = [
            "The history meets the cumulative-harm pattern: say how you weighed it before "
            "deciding on no further action, advice or early help"
        ]
    if errors:
        raise ValidationError(errors)


def _store_flags(decision: ContactDecision, assessment: harm.Assessment) -> list[HarmFlag]:
    return HarmFlag.objects.bulk_create(
        [
            HarmFlag(
                decision=decision,
                contact=decision.contact,
                child=flag.child,
                about=flag.about,
                rule=flag.rule,
                count=flag.count,
                window_months=flag.window_months,
                summary=flag.summary[:300],
            )
            for flag in assessment.flags
        ]
    )


def _create(
    *,
    actor: Actor,
    contact: Contact,
    data: DecisionInput,
    supersedes: ContactDecision | None,
    change_reason: str = "",
) -> ContactDecision:
    if actor.user is None:
        raise PermissionDenied("A decision is made by a person.")
    decision = ContactDecision.objects.create(
        contact=contact,
        level_of_need=data.level_of_need,
        outcome=data.outcome,
        rationale=data.rationale.strip(),
        primary_need=data.primary_need if data.outcome in codes.REFERRAL_OUTCOMES else "",
        receiving_team=data.receiving_team if data.outcome in codes.REFERRAL_OUTCOMES else None,
        history_weighing=data.history_weighing.strip(),
        decided_by=actor.user,
        decided_at=timezone.now(),
        supersedes=supersedes,
        change_reason=change_reason,
    )
    if data.outcome in codes.REFERRAL_OUTCOMES:
        decision.referred_children.set(list(data.referred_children))
    return decision


def _open_episodes(
    *, actor: Actor, contact: Contact, decision: ContactDecision, children: Iterable[Person]
) -> list[Episode]:
    opened = []
    referral_date = timezone.localtime(contact.received_at, local_tz()).date()
    for child in children:
        if Episode.objects.open().filter(child=child).exists():
            continue  # already open: the concern is information for that episode
        opened.append(
            episode_open(
                actor=actor,
                child=child,
                referral_date=referral_date,
                referral_source=contact.source or codes.ReferralSource.UNKNOWN,
                primary_need=decision.primary_need,
                receiving_team=decision.receiving_team,
                contact=contact,
                decision=decision,
                is_urgent=decision.outcome == codes.Outcome.STRATEGY_DISCUSSION,
            )
        )
    return opened


def _summary(decision: ContactDecision) -> str:
    text = f"Threshold decision: {decision.get_outcome_display()} ({decision.level_of_need})"
    return text[:300]


def decision_make(*, actor: Actor, contact: Contact, data: DecisionInput) -> ContactDecision:
    """Make the threshold decision on a complete, open contact. Only a social worker or team
    manager (``frontdoor.decide_contact``); a referral opens an episode for each child
    referred; each child's chronology records the decision."""
    if actor.user is None or not actor.user.has_perm(permissions.DECIDE):
        raise PermissionDenied("Only a social worker or team manager can make this decision.")
    given = contact
    with transaction.atomic():
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        if not actor.user.has_perm("frontdoor.decide_contact_object", contact):
            raise ValidationError({"outcome": ["This contact is not waiting for a decision"]})
        assessment = harm.assess(contact)
        _validate(contact, data, assessment)
        decision = _create(actor=actor, contact=contact, data=data, supersedes=None)
        draft_discard(actor=actor, contact=contact, page="decision")
        flags = _store_flags(decision, assessment)
        contact.decided_at = given.decided_at = decision.decided_at
        contact.save(update_fields=["decided_at", "updated_at"])
        children = children_of(contact)
        episodes = []
        if decision.is_referral:
            episodes = _open_episodes(
                actor=actor, contact=contact, decision=decision, children=data.referred_children
            )
        event_record(
            actor=actor,
            action=Event.Action.CREATE,
            target=decision,
            child_id=children[0].pk if children else None,
            detail={
                "contact": contact.pk,
                "outcome": decision.outcome,
                "level_of_need": decision.level_of_need.key,
                "children": [c.pk for c in children],
                "referred": [c.pk for c in data.referred_children],
                "episodes": [e.pk for e in episodes],
                "flags": [f.summary for f in flags],
                "history_weighed": bool(decision.history_weighing),
                "on_time": decision.decided_at <= contact.due_at,
            },
        )
        for child in children:
            chronology_record(
                actor=actor,
                child=child,
                occurred_at=decision.decided_at,
                kind="contact_decision",
                summary=_summary(decision),
                target=decision,
                url=contact.get_absolute_url(),
            )
    return decision


def decision_change(
    *, actor: Actor, decision: ContactDecision, data: DecisionInput, reason: str
) -> ContactDecision:
    """Review a decision and change it. The old one is kept (superseded), the change and its
    reason are audited, episodes follow the new decision (opened for children now referred,
    withdrawn for children no longer referred), and the chronology records the change."""
    if actor.user is None or not actor.user.has_perm(permissions.DECIDE):
        raise PermissionDenied("Only a social worker or team manager can change a decision.")
    if len(reason.strip()) < 10:
        raise ValidationError({"change_reason": ["Enter why the decision is changing"]})
    with transaction.atomic():
        decision = ContactDecision.objects.select_for_update().get(pk=decision.pk)
        if not decision.is_current:
            raise ValidationError({"outcome": ["This decision has already been changed"]})
        contact = decision.contact
        assessment = harm.assess(contact)
        _validate(contact, data, assessment)
        before = {
            "outcome": decision.outcome,
            "level_of_need": decision.level_of_need.key,
            "primary_need": decision.primary_need,
            "receiving_team": str(decision.receiving_team or ""),
            "referred": sorted(decision.referred_children.values_list("pk", flat=True)),
        }
        decision.is_current = False
        decision.save(update_fields=["is_current"])
        new = _create(
            actor=actor,
            contact=contact,
            data=data,
            supersedes=decision,
            change_reason=reason.strip(),
        )
        flags = _store_flags(new, assessment)
        draft_discard(actor=actor, contact=contact, page="change")
        now_referred = {c.pk for c in data.referred_children} if new.is_referral else set()
        withdrawn = []
        for episode in Episode.objects.open().filter(contact=contact):
            if episode.child_id not in now_referred:
                episode_withdraw(
                    actor=actor, episode=episode, reason=f"Decision changed: {reason.strip()}"
                )
                withdrawn.append(episode.pk)
            else:
                episode.decision = new
                episode.primary_need = new.primary_need
                episode.receiving_team = new.receiving_team
                episode.save(update_fields=["decision", "primary_need", "receiving_team"])
        opened = []
        if new.is_referral:
            already = set(
                Episode.objects.open().filter(contact=contact).values_list("child_id", flat=True)
            )
            opened = _open_episodes(
                actor=actor,
                contact=contact,
                decision=new,
                children=[c for c in data.referred_children if c.pk not in already],
            )
        after = {
            "outcome": new.outcome,
            "level_of_need": new.level_of_need.key,
            "primary_need": new.primary_need,
            "receiving_team": str(new.receiving_team or ""),
            "referred": sorted(now_referred),
        }
        children = children_of(contact)
        event_record(
            actor=actor,
            action=Event.Action.UPDATE,
            target=new,
            child_id=children[0].pk if children else None,
            reason=reason.strip(),
            detail={
                "contact": contact.pk,
                "supersedes": decision.pk,
                "changes": {
                    k: {"old": before[k], "new": after[k]} for k in before if before[k] != after[k]
                },
                "episodes_opened": [e.pk for e in opened],
                "episodes_withdrawn": withdrawn,
                "flags": [f.summary for f in flags],
            },
        )
        for child in children:
            chronology_record(
                actor=actor,
                child=child,
                occurred_at=new.decided_at,
                kind="contact_decision_changed",
                summary=f"Decision changed to {new.get_outcome_display()} ({new.level_of_need})"[
                    :300
                ],
                target=new,
                url=contact.get_absolute_url(),
            )
    return new


def oversight_add(*, actor: Actor, contact: Contact, kind: str, text: str) -> OversightNote:
    """A team manager's oversight note (management direction) on an open or decided contact,
    or their countersignature of its current decision (once per decision, never one's own).
    A note before the decision has no decision; the decision maker sees it."""
    contact = Contact.objects.get(pk=contact.pk)
    require(actor, "frontdoor.oversee_contact_object", contact)
    if kind not in OversightNote.Kind.values:
        raise ValidationError({"kind": ["Select a note or a countersignature"]})
    if len(text.strip()) < 5:
        raise ValidationError({"text": ["Enter your oversight"]})
    if actor.user is None:
        raise PermissionDenied("Oversight is recorded by a person.")
    with transaction.atomic():
        decision = contact.decisions.filter(is_current=True).first()
        if kind == OversightNote.Kind.COUNTERSIGNATURE and decision is None:
            raise ValidationError({"kind": ["There is no decision to countersign yet"]})
        if (
            kind == OversightNote.Kind.COUNTERSIGNATURE
            and decision is not None
            and decision.oversight.filter(kind=kind).exists()
        ):
            raise ValidationError({"kind": ["This decision has already been countersigned"]})
        if (
            kind == OversightNote.Kind.COUNTERSIGNATURE
            and decision is not None
            and (decision.decided_by_id == actor.user.pk)
        ):
            raise ValidationError({"kind": ["Someone else must countersign your own decision"]})
        note = OversightNote.objects.create(
            contact=contact, decision=decision, kind=kind, text=text.strip(), author=actor.user
        )
        draft_discard(actor=actor, contact=contact, page="oversight")
        children = children_of(contact)
        event_record(
            actor=actor,
            action=Event.Action.CREATE,
            target=note,
            child_id=children[0].pk if children else None,
            detail={
                "contact": contact.pk,
                "kind": kind,
                "decision": decision.pk if decision else None,
            },
        )
        label = (
            "Decision countersigned"
            if kind == OversightNote.Kind.COUNTERSIGNATURE
            else ("Manager's oversight recorded")
        )
        for child in children:
            chronology_record(
                actor=actor,
                child=child,
                occurred_at=note.created_at,
                kind="contact_oversight",
                summary=f"{label} by {actor.user.full_name}"[:300],
                target=note,
                url=contact.get_absolute_url(),
            )
    return note


def referred_names(decision: ContactDecision) -> str:
    return names(child.full_name for child in decision.referred_children.all())
