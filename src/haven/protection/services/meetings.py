"""Multi-agency meetings: referring children to a meeting's waiting list, scheduling them,
and recording the meeting (who attended; for each child, the outcome and actions).

The target date for a referral comes from the meeting kind's timescale rule for the risk
level (``MeetingKind.timescale_key_for``), stored when the child is referred. These services
serve every meeting kind: the exploitation app calls the same ones for MASE.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from haven.accounts.models import Agency
from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core import timescales
from haven.core.actor import Actor
from haven.people.models import Person
from haven.people.services import chronology_record
from haven.protection import codes, permissions
from haven.protection.models import (
    Meeting,
    MeetingAction,
    MeetingAttendee,
    MeetingConsideration,
    MeetingKind,
    MeetingReferral,
    StrategyDiscussion,
)
from haven.protection.services.common import (
    Errors,
    audit_children,
    check_text,
    local_date,
    plain,
    raise_if,
    require,
)
from haven.protection.services.discussions import ActionInput, _validate_action

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.frontdoor.models import Episode


def meeting_referral_add(
    *,
    actor: Actor,
    kind: MeetingKind,
    child: Person,
    risk_level: str,
    reason: str,
    referred_at: datetime | None = None,
    discussion: StrategyDiscussion | None = None,
    episode: Episode | None = None,
    check_permission: bool = True,
) -> MeetingReferral:
    """Put a child on a meeting's waiting list at a risk level, with the target date from the
    kind's rule for that level. A child waits once per kind of meeting."""
    if check_permission:
        require(actor, permissions.REFER)
    referred_at = referred_at or timezone.now()
    errors: Errors = {}
    if not kind.is_active:
        errors["kind"] = ["Select a meeting that is in use"]
    key = kind.timescale_key_for(risk_level)
    if risk_level not in codes.RiskLevel.values or key is None:
        levels = ", ".join(codes.RiskLevel(level).label.lower() for level in kind.risk_levels)
        errors["risk_level"] = [f"Select the risk level: this meeting considers {levels} risk"]
    if child.kind != "child":
        errors["child"] = ["Select a child"]
    check_text(errors, "reason", reason, "Enter why the child is referred")
    if referred_at > timezone.now() + timedelta(minutes=5):
        errors["referred_at"] = ["The date referred must be today or in the past"]
    raise_if(errors)
    if key is None:  # checked above
        raise ValueError("unchecked input")
    with transaction.atomic():
        if MeetingReferral.objects.filter(
            kind=kind, child=child, considered_at__isnull=True, withdrawn_at__isnull=True
        ).exists():
            raise ValidationError(
                {"child": [f"{child.full_name} is already waiting for this meeting"]}
            )
        referral = MeetingReferral.objects.create(
            kind=kind,
            child=child,
            episode=episode,
            discussion=discussion,
            risk_level=risk_level,
            reason=reason.strip(),
            referred_at=referred_at,
            referred_by=actor.user,
            due_at=timescales.due_at(key, referred_at),
        )
        event_record(
            actor=actor,
            action=Event.Action.CREATE,
            target=referral,
            child_id=child.pk,
            detail={
                "kind": kind.key,
                "risk_level": risk_level,
                "due_at": plain(referral.due_at),
                "discussion": discussion.pk if discussion else None,
            },
        )
        chronology_record(
            actor=actor,
            child=child,
            occurred_at=referred_at,
            kind="meeting_referred",
            summary=(
                f"Referred to the {kind.name.lower()} ({codes.RiskLevel(risk_level).label.lower()}"
                f" risk); to be considered by {referral.target_date:%d %B %Y}"
            ),
            target=referral,
        )
    return referral


def meeting_referral_withdraw(
    *, actor: Actor, referral: MeetingReferral, reason: str
) -> MeetingReferral:
    """Take a child off the waiting list (the risk changed, a strategy discussion was held)."""
    require(actor, permissions.MANAGE_MEETING)
    errors: Errors = {}
    if not referral.is_waiting:
        errors["reason"] = ["This child is no longer waiting"]
    check_text(errors, "reason", reason, "Enter why the child no longer needs the meeting")
    raise_if(errors)
    with transaction.atomic():
        referral.withdrawn_at = timezone.now()
        referral.withdrawn_reason = reason.strip()
        referral.withdrawn_by = actor.user
        referral.meeting = None
        referral.save(update_fields=["withdrawn_at", "withdrawn_reason", "withdrawn_by", "meeting"])
        event_record(
            actor=actor,
            action=Event.Action.UPDATE,
            target=referral,
            child_id=referral.child_id,
            reason=reason,
            detail={"withdrawn": True},
        )
    return referral


@dataclass(frozen=True)
class MeetingInput:
    scheduled_for: datetime | None
    method: str
    location: str = ""
    chair: User | None = None


def meeting_create(*, actor: Actor, kind: MeetingKind, data: MeetingInput) -> Meeting:
    """Plan a meeting of this kind."""
    require(actor, permissions.MANAGE_MEETING)
    errors: Errors = {}
    if data.scheduled_for is None:
        errors["scheduled_for"] = ["Enter when the meeting is"]
    if data.method not in codes.Method.values:
        errors["method"] = ["Select how the meeting takes place"]
    raise_if(errors)
    if data.scheduled_for is None:  # checked above
        raise ValueError("unchecked input")
    with transaction.atomic():
        meeting = Meeting.objects.create(
            kind=kind,
            scheduled_for=data.scheduled_for,
            method=data.method,
            location=data.location.strip(),
            chair=data.chair,
            created_by=actor.user,
        )
        event_record(
            actor=actor,
            action=Event.Action.CREATE,
            target=meeting,
            detail={"kind": kind.key, "scheduled_for": plain(data.scheduled_for)},
        )
    return meeting


def meeting_schedule_children(
    *, actor: Actor, meeting: Meeting, referrals: Sequence[MeetingReferral]
) -> list[MeetingReferral]:
    """Schedule waiting children for a planned meeting (the date scheduled)."""
    require(actor, permissions.MANAGE_MEETING)
    errors: Errors = {}
    if meeting.is_recorded or meeting.cancelled_at is not None:
        errors["referrals"] = ["Children can only be added to a meeting that is still to happen"]
    if not referrals:
        errors["referrals"] = ["Select the children to consider at this meeting"]
    for referral in referrals:
        if referral.kind_id != meeting.kind_id or not referral.is_waiting:
            errors["referrals"] = ["Select children who are waiting for this kind of meeting"]
    raise_if(errors)
    now = timezone.now()
    with transaction.atomic():
        for referral in referrals:
            referral.meeting = meeting
            referral.scheduled_at = now
            referral.save(update_fields=["meeting", "scheduled_at"])
            event_record(
                actor=actor,
                action=Event.Action.UPDATE,
                target=referral,
                child_id=referral.child_id,
                detail={"scheduled_for": plain(meeting.scheduled_for), "meeting": meeting.pk},
            )
    return list(referrals)


@dataclass(frozen=True)
class AttendeeInput:
    name: str
    role: str
    organisation: str = ""
    agency: Agency | None = None
    attendance: str = codes.Attendance.ATTENDED


def meeting_attendee_add(*, actor: Actor, meeting: Meeting, data: AttendeeInput) -> MeetingAttendee:
    """Someone at the meeting, or who sent apologies."""
    require(actor, permissions.MANAGE_MEETING)
    errors: Errors = {}
    check_text(errors, "name", data.name, "Enter the attendee's name")
    if data.role not in codes.AgencyRole.values:
        errors["role"] = ["Select the agency the attendee is from"]
    if data.attendance not in [a.value for a in codes.INVITED]:
        errors["attendance"] = ["Select whether they attended"]
    raise_if(errors)
    with transaction.atomic():
        attendee = MeetingAttendee.objects.create(
            meeting=meeting,
            name=data.name.strip(),
            role=data.role,
            organisation=data.organisation.strip(),
            agency=data.agency,
            attendance=data.attendance,
        )
        event_record(
            actor=actor,
            action=Event.Action.UPDATE,
            target=meeting,
            detail={"attendee": attendee.name, "role": data.role, "attendance": data.attendance},
        )
    return attendee


@dataclass(frozen=True)
class ConsiderationInput:
    risk_level: str
    outcome: str
    discussion_summary: str
    actions: tuple[ActionInput, ...] = ()


def meeting_consider_child(
    *, actor: Actor, meeting: Meeting, referral: MeetingReferral, data: ConsiderationInput
) -> MeetingConsideration:
    """Record what the meeting decided for one child on its waiting list: the risk as it saw
    it, the outcome and the actions. The child's wait ends on the meeting's date. "Consider
    again" puts them back on the list for the next meeting."""
    require(actor, permissions.MANAGE_MEETING)
    errors: Errors = {}
    if referral.kind_id != meeting.kind_id or not referral.is_waiting:
        errors["referral"] = ["Select a child who is waiting for this kind of meeting"]
    if meeting.scheduled_for > timezone.now() + timedelta(minutes=5):
        errors["referral"] = ["Record what was decided once the meeting has taken place"]
    if data.risk_level not in codes.RiskLevel.values:
        errors["risk_level"] = ["Select the risk level the meeting agreed"]
    if data.outcome not in codes.MeetingOutcome.values:
        errors["outcome"] = ["Select the outcome for the child"]
    check_text(
        errors, "discussion_summary", data.discussion_summary, "Enter a summary of the discussion"
    )
    raise_if(errors)
    meeting_day = local_date(meeting.scheduled_for)
    for action in data.actions:
        _validate_action(meeting_day, action)
    with transaction.atomic():
        referral.meeting = meeting
        referral.considered_at = meeting.scheduled_for
        referral.save(update_fields=["meeting", "considered_at"])
        consideration = MeetingConsideration.objects.create(
            meeting=meeting,
            referral=referral,
            child=referral.child,
            risk_level=data.risk_level,
            outcome=data.outcome,
            discussion_summary=data.discussion_summary.strip(),
            recorded_by=actor.user,
        )
        for action in data.actions:
            if action.due_on is None:  # checked above
                raise ValueError("unchecked input")
            MeetingAction.objects.create(
                consideration=consideration,
                description=action.description.strip(),
                owner_role=action.owner_role,
                owner_agency=action.owner_agency,
                owner_name=action.owner_name.strip(),
                owner_user=action.owner_user,
                due_on=action.due_on,
                created_by=actor.user,
            )
        event_record(
            actor=actor,
            action=Event.Action.CREATE,
            target=consideration,
            child_id=referral.child_id,
            detail={
                "meeting": meeting.pk,
                "outcome": data.outcome,
                "risk_level": data.risk_level,
                "days_waiting": referral.days_waiting(),
                "actions": len(data.actions),
            },
        )
        chronology_record(
            actor=actor,
            child=referral.child,
            occurred_at=meeting.scheduled_for,
            kind="meeting_considered",
            summary=(
                f"Considered at the {meeting.kind.name.lower()}: "
                f"{codes.MeetingOutcome(data.outcome).label.lower()}"
            ),
            target=consideration,
            url=meeting.get_absolute_url(),
        )
        if data.outcome == codes.MeetingOutcome.REVIEW:
            meeting_referral_add(
                actor=actor,
                kind=meeting.kind,
                child=referral.child,
                risk_level=data.risk_level
                if meeting.kind.timescale_key_for(data.risk_level)
                else referral.risk_level,
                reason=f"To be considered again: {data.discussion_summary.strip()}",
                referred_at=meeting.scheduled_for,
                episode=referral.episode,
                check_permission=False,
            )
    return consideration


def meeting_complete(*, actor: Actor, meeting: Meeting) -> Meeting:
    """Finish the meeting's record. Children scheduled but not considered go back to the
    waiting list (their wait goes on)."""
    require(actor, permissions.MANAGE_MEETING)
    errors: Errors = {}
    if meeting.is_recorded:
        errors["meeting"] = ["This meeting's record is already finished"]
    if not meeting.attendees.exists():
        errors["attendees"] = ["Add the people who attended the meeting"]
    if not meeting.considerations.exists():
        errors["considerations"] = ["Record the outcome for at least one child"]
    raise_if(errors)
    with transaction.atomic():
        not_reached = list(meeting.referrals.filter(considered_at__isnull=True))
        for referral in not_reached:
            referral.meeting = None
            referral.scheduled_at = None
            referral.save(update_fields=["meeting", "scheduled_at"])
        meeting.recorded_at = timezone.now()
        meeting.recorded_by = actor.user
        meeting.save(update_fields=["recorded_at", "recorded_by"])
        event_record(
            actor=actor,
            action=Event.Action.UPDATE,
            target=meeting,
            detail={"recorded": True, "not_reached": [r.child_id for r in not_reached]},
        )
    return meeting


def meeting_action_complete(
    *, actor: Actor, action: MeetingAction, done_on: object, note: str
) -> MeetingAction:
    """Mark a meeting action done, with the date and a note."""
    from datetime import date

    require(actor, permissions.MANAGE_MEETING)
    errors: Errors = {}
    if action.is_done:
        errors["done_on"] = ["This action is already marked done"]
    if not isinstance(done_on, date):
        errors["done_on"] = ["Enter the date the action was done"]
    elif done_on > timezone.localdate():
        errors["done_on"] = ["The date done must be today or in the past"]
    check_text(errors, "note", note, "Enter a note of what was done")
    raise_if(errors)
    if not isinstance(done_on, date):  # checked above
        raise ValueError("unchecked input")
    with transaction.atomic():
        action.done_on = done_on
        action.done_note = note.strip()
        action.done_by = actor.user
        action.done_recorded_at = timezone.now()
        action.save(update_fields=["done_on", "done_note", "done_by", "done_recorded_at"])
        audit_children(
            actor=actor,
            action=Event.Action.UPDATE,
            target=action,
            child_ids=[action.consideration.child_id],
            detail={"done_on": plain(done_on)},
        )
    return action
