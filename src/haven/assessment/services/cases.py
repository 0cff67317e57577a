"""Allocating referrals, recording visits, and closing cases.

A referral (a front door ``Episode``) waits in its receiving team's queue until the team
manager allocates it: ``case_allocate`` opens the ``Case`` (storing the first-visit deadline)
the first time, and moves it between workers after that, keeping the history. ``visit_record``
records a visit and, the first time the child is seen, when. ``closure_propose`` and
``closure_decide`` close the episode once a manager agrees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.assessment import codes, permissions, timescales
from haven.assessment.models import Allocation, Assessment, Case, CinPlan, Closure, Visit
from haven.assessment.services.common import Errors, add, audit, local_date, raise_if, require
from haven.audit.models import Event
from haven.core.actor import Actor
from haven.frontdoor.models import Episode
from haven.frontdoor.services import episode_close
from haven.people.services import chronology_record


def _case_open(*, episode: Episode, team_id: int | None, now: datetime) -> Case:
    """The case for an episode: its clocks start at the referral and are stored now."""
    received_at = episode.contact.received_at if episode.contact_id and episode.contact else None
    referral_at = timescales.referral_moment(episode.referral_date, received_at)
    return Case.objects.create(
        episode=episode,
        child_id=episode.child_id,
        team_id=team_id,
        referral_at=referral_at,
        first_visit_due_at=timescales.first_visit_due(referral_at, urgent=episode.is_urgent),
    )


def _check_worker(actor: Actor, worker: User, errors: Errors) -> None:
    if not worker.is_active or not worker.has_perm(permissions.WORK):
        add(errors, "worker", f"{worker} cannot hold cases: choose a social worker")
        return
    if actor.user is not None and worker.team_id not in permissions.team_ids(actor.user):
        add(errors, "worker", f"{worker} is not in a team you manage")


def case_allocate(
    *,
    actor: Actor,
    episode: Episode,
    worker: User,
    reason: str = "",
    at: datetime | None = None,
) -> Case:
    """Allocate a referral, or move a case, to ``worker`` (in the worker's team, or the
    receiving team when the worker has none). Moving a case needs a reason; the history of
    who held it is kept. The first allocation opens the case and its first-visit clock."""
    now = at or timezone.now()
    existing = Case.objects.filter(episode=episode).first()
    require(actor, "assessment.allocate_object", existing or episode)
    errors: Errors = {}
    if not episode.is_open:
        add(errors, "episode", "This referral is closed: it cannot be allocated")
    _check_worker(actor, worker, errors)
    if existing is not None and existing.worker_id == worker.pk:
        add(errors, "worker", f"The case is already allocated to {worker}")
    if existing is not None and existing.worker_id is not None and not reason.strip():
        add(errors, "reason", "Enter why the case is moving to another worker")
    raise_if(errors)
    team_id = worker.team_id or episode.receiving_team_id
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(episode=episode).first()
        first = case is None
        if case is None:
            case = _case_open(episode=episode, team_id=team_id, now=now)
        previous_worker = case.worker
        Allocation.objects.filter(case=case, ended_at__isnull=True).update(ended_at=now)
        Allocation.objects.create(
            case=case,
            worker=worker,
            team_id=team_id,
            started_at=now,
            change_reason=reason.strip()[:300],
            allocated_by=actor.user,
        )
        case.worker = worker
        case.team_id = team_id
        if case.allocated_at is None:
            case.allocated_at = now
        case.save(update_fields=["worker", "team", "allocated_at"])
        audit(
            actor=actor,
            action=Event.Action.CREATE if first else Event.Action.UPDATE,
            target=case,
            child_id=case.child_id,
            detail={
                "worker": worker,
                "team": case.team_id,
                "previous_worker": previous_worker,
                "reason": reason.strip(),
                "first_visit_due_at": case.first_visit_due_at,
            },
        )
        team = worker.team.name if worker.team_id and worker.team else "their team"
        summary = (
            f"Allocated to {worker.full_name} ({team})"
            if first
            else f"Moved from {previous_worker or 'no one'} to {worker.full_name}: {reason.strip()}"
        )
        chronology_record(
            actor=actor,
            child=episode.child,
            occurred_at=now,
            kind="case_allocated",
            summary=summary,
            target=case,
            url=case.get_absolute_url(),
        )
    return case


@dataclass(frozen=True)
class VisitData:
    visited_at: datetime
    kind: str
    child_seen: bool
    seen_alone: bool | None = None
    bedroom_seen: bool | None = None
    location: str = ""
    present: str = ""
    not_seen_reason: str = ""
    notes: str = ""
    worker: User | None = None


def visit_record(*, actor: Actor, case: Case, data: VisitData) -> Visit:
    """Record a visit to the child. Seen or not, and if seen whether alone; a child not seen
    needs the reason. The first time the child is seen sets ``first_seen_at``."""
    require(actor, "assessment.work_on_case_object", case)
    errors: Errors = {}
    if data.kind not in codes.VisitKind.values:
        add(errors, "kind", "Select where the visit was")
    if data.visited_at > timezone.now() + timedelta(minutes=5):
        add(errors, "visited_at", "The visit must be in the past")
    elif local_date(data.visited_at) < case.episode.referral_date:
        add(errors, "visited_at", "The visit cannot be before the referral")
    if data.child_seen and data.seen_alone is None:
        add(errors, "seen_alone", "Select whether the child was seen alone")
    if not data.child_seen and not data.not_seen_reason.strip():
        add(errors, "not_seen_reason", "Enter why the child was not seen")
    raise_if(errors)
    with transaction.atomic():
        visit = Visit.objects.create(
            case=case,
            child_id=case.child_id,
            visited_at=data.visited_at,
            kind=data.kind,
            location=data.location.strip(),
            child_seen=data.child_seen,
            seen_alone=data.seen_alone if data.child_seen else None,
            bedroom_seen=data.bedroom_seen if data.child_seen else None,
            not_seen_reason="" if data.child_seen else data.not_seen_reason.strip(),
            present=data.present.strip(),
            notes=data.notes.strip(),
            worker=data.worker or actor.user,
            recorded_by=actor.user,
            recorded_at=timezone.now(),
        )
        first_seen = False
        if data.child_seen and (case.first_seen_at is None or data.visited_at < case.first_seen_at):
            first_seen = case.first_seen_at is None
            Case.objects.filter(pk=case.pk).update(first_seen_at=data.visited_at)
            case.first_seen_at = data.visited_at
        audit(
            actor=actor,
            action=Event.Action.CREATE,
            target=visit,
            child_id=case.child_id,
            detail={
                "visited_at": data.visited_at,
                "kind": data.kind,
                "child_seen": data.child_seen,
                "seen_alone": visit.seen_alone,
                "first_seen": first_seen,
            },
        )
        chronology_record(
            actor=actor,
            child=case.child,
            occurred_at=data.visited_at,
            kind="visit",
            summary=visit_summary(visit, child_name=case.child.first_name),
            target=visit,
            url=f"{case.get_absolute_url()}#visit-{visit.pk}",
        )
    return visit


def visit_summary(visit: Visit, *, child_name: str) -> str:
    where = visit.get_kind_display()
    if visit.child_seen:
        alone = "seen alone" if visit.seen_alone else "seen, not alone"
        bedroom = ", bedroom seen" if visit.bedroom_seen else ""
        return f"{where}: {child_name} {alone}{bedroom}"
    return f"{where}: {child_name} not seen ({visit.not_seen_reason[:120]})"


def closure_blockers(case: Case) -> list[str]:
    """What must be finished before a case can close (one query each)."""
    from haven.protection.selectors import current_plan_for

    found = []
    if Assessment.objects.filter(case=case, authorised_at__isnull=True).exists():
        found.append("Finish the assessment: it must be authorised before the case closes")
    if CinPlan.objects.filter(case=case, end_date__isnull=True).exists():
        found.append("End the child in need plan before proposing to close the case")
    if current_plan_for(case.child) is not None:
        found.append(
            f"{case.child.first_name} is on a child protection plan: it must end before "
            "the case closes"
        )
    return found


def closure_propose(
    *, actor: Actor, case: Case, closed_on: date, reason: str, summary: str
) -> Closure:
    """A social worker proposes closing the case on ``closed_on`` for a CIN reason (RC1 to
    RC9). Nothing may be left running: an unauthorised assessment, a current child in need or
    child protection plan."""
    require(actor, "assessment.propose_closure_object", case)
    errors: Errors = {}
    if reason not in codes.ClosureReason.values:
        add(errors, "reason", "Select the reason for closing the case")
    if closed_on > timezone.localdate():
        add(errors, "closed_on", "The closure date must be today or in the past")
    elif closed_on < case.episode.referral_date:
        add(errors, "closed_on", "The closure date cannot be before the referral")
    if not summary.strip():
        add(errors, "summary", "Enter why the case can close and what happens next")
    if Closure.objects.filter(case=case, decided_at__isnull=True).exists():
        add(errors, "case", "Closing this case has already been proposed")
    for blocker in closure_blockers(case):
        add(errors, "case", blocker)
    raise_if(errors)
    with transaction.atomic():
        closure = Closure.objects.create(
            case=case,
            closed_on=closed_on,
            reason=reason,
            summary=summary.strip(),
            proposed_by=actor.user,
            proposed_at=timezone.now(),
        )
        audit(
            actor=actor,
            action=Event.Action.CREATE,
            target=closure,
            child_id=case.child_id,
            detail={"closed_on": closed_on, "reason": reason},
        )
        chronology_record(
            actor=actor,
            child=case.child,
            occurred_at=timezone.now(),
            kind="closure_proposed",
            summary=f"Closure proposed: {codes.ClosureReason(reason).label}",
            target=closure,
            url=case.get_absolute_url(),
        )
    return closure


def closure_decide(*, actor: Actor, closure: Closure, approve: bool, comment: str = "") -> Closure:
    """The team manager approves closing the case (the episode closes, the allocation ends)
    or does not, saying why."""
    require(actor, "assessment.approve_closure_object", closure)
    case = closure.case
    errors: Errors = {}
    if not approve and not comment.strip():
        add(errors, "comment", "Enter why the case should stay open")
    if approve:
        for blocker in closure_blockers(case):
            add(errors, "decision", blocker)
    raise_if(errors)
    now = timezone.now()
    with transaction.atomic():
        locked = Closure.objects.select_for_update().get(pk=closure.pk)
        if not locked.is_pending:
            raise ValidationError({"decision": ["This proposal has already been decided"]})
        closure.decided_by = actor.user
        closure.decided_at = now
        closure.approved = approve
        closure.manager_comment = comment.strip()
        closure.save(update_fields=["decided_by", "decided_at", "approved", "manager_comment"])
        audit(
            actor=actor,
            action=Event.Action.UPDATE,
            target=closure,
            child_id=case.child_id,
            detail={"approved": approve, "comment": comment.strip()},
        )
        if approve:
            episode_close(
                actor=actor,
                episode=case.episode,
                closed_on=closure.closed_on,
                reason=closure.reason,
            )
            Allocation.objects.filter(case=case, ended_at__isnull=True).update(ended_at=now)
        else:
            chronology_record(
                actor=actor,
                child=case.child,
                occurred_at=now,
                kind="closure_declined",
                summary=f"Closure not agreed: {comment.strip()[:200]}",
                target=closure,
                url=case.get_absolute_url(),
            )
    return closure
