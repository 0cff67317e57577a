"""Child in need plans, their reviews, and services.

``cin_plan_start`` starts a plan and sets its first review (rule ``cin_plan_review``);
``cin_plan_review_record`` records a review and sets the next, or ends the plan;
``cin_plan_end`` ends it. ``service_add``, ``service_start`` and ``service_end`` record what the
child and family receive and when it began, so the wait can be measured.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from haven.assessment import codes, timescales
from haven.assessment.models import Assessment, Case, CinPlan, CinPlanReview, Service, ServiceType
from haven.assessment.services.common import Errors, add, audit, raise_if, require
from haven.audit.models import Event
from haven.core.actor import Actor
from haven.people.services import chronology_record


def _check_day(errors: Errors, field: str, day: date | None, case: Case, what: str) -> None:
    if day is None:
        add(errors, field, f"Enter the {what}")
    elif day > timezone.localdate():
        add(errors, field, f"The {what} must be today or in the past")
    elif day < case.episode.referral_date:
        add(errors, field, f"The {what} cannot be before the referral")


def _schedule_review(plan: CinPlan, after: date) -> CinPlanReview:
    due_date, due = timescales.plan_review_due(after)
    return CinPlanReview.objects.create(plan=plan, due_date=due_date, due_at=due)


def cin_plan_start(
    *,
    actor: Actor,
    case: Case,
    start_date: date,
    needs_to_happen: str,
    assessment: Assessment | None = None,
) -> CinPlan:
    """Start a child in need plan (one current plan per case) and set its first review."""
    require(actor, "assessment.manage_plan_object", case)
    errors: Errors = {}
    _check_day(errors, "start_date", start_date, case, "plan's start date")
    if not needs_to_happen.strip():
        add(errors, "needs_to_happen", "Enter what needs to happen, and who will do it")
    if CinPlan.objects.filter(case=case, end_date__isnull=True).exists():
        add(errors, "start_date", "This case already has a current child in need plan")
    raise_if(errors)
    with transaction.atomic():
        plan = CinPlan.objects.create(
            case=case,
            child_id=case.child_id,
            assessment=assessment,
            start_date=start_date,
            needs_to_happen=needs_to_happen.strip(),
            team_id=case.team_id,
            worker=case.worker,
            created_by=actor.user,
        )
        review = _schedule_review(plan, start_date)
        audit(
            actor=actor,
            action=Event.Action.CREATE,
            target=plan,
            child_id=case.child_id,
            detail={"start_date": start_date, "first_review_due": review.due_date},
        )
        chronology_record(
            actor=actor,
            child=case.child,
            occurred_at=start_date,
            kind="cin_plan_started",
            summary=f"Child in need plan started; first review due {review.due_date:%-d %B %Y}",
            target=plan,
            url=plan.get_absolute_url(),
        )
    return plan


def cin_plan_review_record(
    *, actor: Actor, plan: CinPlan, held_on: date, outcome: str, notes: str
) -> CinPlanReview:
    """Record the plan's due review: held when, what was decided. Continuing sets the next
    review from the day it was held; ending ends the plan on that day."""
    require(actor, "assessment.manage_plan_object", plan)
    errors: Errors = {}
    _check_day(errors, "held_on", held_on, plan.case, "review date")
    if held_on and held_on < plan.start_date:
        add(errors, "held_on", "The review cannot be before the plan started")
    if outcome not in codes.PlanReviewOutcome.values:
        add(errors, "outcome", "Select what the review decided")
    if not notes.strip():
        add(errors, "notes", "Enter what the review found and agreed")
    if plan.end_date is not None:
        add(errors, "held_on", "This plan has ended")
    raise_if(errors)
    with transaction.atomic():
        review = (
            CinPlanReview.objects.select_for_update()
            .filter(plan=plan, held_on__isnull=True)
            .first()
        )
        if review is None:
            review = CinPlanReview(plan=plan, due_date=held_on, due_at=timezone.now())
        review.held_on = held_on
        review.outcome = outcome
        review.notes = notes.strip()
        review.recorded_by = actor.user
        review.recorded_at = timezone.now()
        review.save()
        ending = outcome == codes.PlanReviewOutcome.END
        if ending:
            plan.end_date = held_on
            plan.end_reason = notes.strip()
            plan.save(update_fields=["end_date", "end_reason"])
        else:
            following = _schedule_review(plan, held_on)
        audit(
            actor=actor,
            action=Event.Action.UPDATE,
            target=plan,
            child_id=plan.child_id,
            detail={"review_held_on": held_on, "outcome": outcome, "ended": ending},
        )
        label = codes.PlanReviewOutcome(outcome).label.lower()
        chronology_record(
            actor=actor,
            child=plan.child,
            occurred_at=held_on,
            kind="cin_plan_ended" if ending else "cin_plan_reviewed",
            summary=f"Child in need plan reviewed: {label}"
            + ("" if ending else f"; next review due {following.due_date:%-d %B %Y}"),
            target=plan,
            url=plan.get_absolute_url(),
        )
    return review


def cin_plan_end(*, actor: Actor, plan: CinPlan, end_date: date, reason: str) -> CinPlan:
    """End a current plan outside a review (the case is escalating, the family moved...)."""
    require(actor, "assessment.manage_plan_object", plan)
    errors: Errors = {}
    _check_day(errors, "end_date", end_date, plan.case, "end date")
    if end_date and end_date < plan.start_date:
        add(errors, "end_date", "The plan cannot end before it started")
    if not reason.strip():
        add(errors, "reason", "Enter why the plan is ending")
    if plan.end_date is not None:
        add(errors, "end_date", "This plan has already ended")
    raise_if(errors)
    with transaction.atomic():
        plan.end_date = end_date
        plan.end_reason = reason.strip()
        plan.save(update_fields=["end_date", "end_reason"])
        # The review that was due will not happen: it was a date in the diary, not a record.
        CinPlanReview.objects.filter(plan=plan, held_on__isnull=True).delete()
        audit(
            actor=actor,
            action=Event.Action.UPDATE,
            target=plan,
            child_id=plan.child_id,
            detail={"end_date": end_date, "reason": reason.strip()},
        )
        chronology_record(
            actor=actor,
            child=plan.child,
            occurred_at=end_date,
            kind="cin_plan_ended",
            summary=f"Child in need plan ended: {reason.strip()[:200]}",
            target=plan,
            url=plan.get_absolute_url(),
        )
    return plan


def service_add(
    *,
    actor: Actor,
    case: Case,
    service_type: ServiceType,
    provider: str,
    agreed_on: date,
    start_date: date | None = None,
    notes: str = "",
    plan: CinPlan | None = None,
) -> Service:
    """Record a service agreed for the child or family, started now or still to start."""
    require(actor, "assessment.manage_plan_object", case)
    errors: Errors = {}
    if not service_type.is_active:
        add(errors, "service_type", "Choose a kind of service the council still offers")
    if not provider.strip():
        add(errors, "provider", "Enter who provides the service")
    _check_day(errors, "agreed_on", agreed_on, case, "date the service was agreed")
    if start_date is not None:
        if start_date > timezone.localdate():
            add(errors, "start_date", "The start date must be today or in the past")
        elif agreed_on and start_date < agreed_on:
            add(errors, "start_date", "The service cannot start before it was agreed")
    if plan is not None and plan.case_id != case.pk:
        raise ValidationError({"plan": ["That plan belongs to another case"]})
    raise_if(errors)
    with transaction.atomic():
        service = Service.objects.create(
            case=case,
            child_id=case.child_id,
            plan=plan,
            service_type=service_type,
            provider=provider.strip(),
            agreed_on=agreed_on,
            start_date=start_date,
            notes=notes.strip(),
            recorded_by=actor.user,
            recorded_at=timezone.now(),
        )
        audit(
            actor=actor,
            action=Event.Action.CREATE,
            target=service,
            child_id=case.child_id,
            detail={
                "type": service_type.key,
                "provider": provider.strip(),
                "agreed_on": agreed_on,
                "start_date": start_date,
            },
        )
        chronology_record(
            actor=actor,
            child=case.child,
            occurred_at=start_date or agreed_on,
            kind="service_started" if start_date else "service_agreed",
            summary=f"{service_type.name} from {provider.strip()}: "
            + ("started" if start_date else "agreed, waiting to start"),
            target=service,
            url=f"{case.get_absolute_url()}#services",
        )
    return service


def service_start(*, actor: Actor, service: Service, start_date: date) -> Service:
    """A waiting service has started."""
    require(actor, "assessment.manage_plan_object", service.case)
    errors: Errors = {}
    if service.start_date is not None:
        add(errors, "start_date", "This service has already started")
    elif start_date > timezone.localdate():
        add(errors, "start_date", "The start date must be today or in the past")
    elif start_date < service.agreed_on:
        add(errors, "start_date", "The service cannot start before it was agreed")
    raise_if(errors)
    with transaction.atomic():
        service.start_date = start_date
        service.save(update_fields=["start_date"])
        audit(
            actor=actor,
            action=Event.Action.UPDATE,
            target=service,
            child_id=service.child_id,
            detail={"start_date": start_date},
        )
        waited = (start_date - service.agreed_on).days
        chronology_record(
            actor=actor,
            child=service.child,
            occurred_at=start_date,
            kind="service_started",
            summary=f"{service.service_type.name} from {service.provider}: started after "
            f"{waited} day{'s' if waited != 1 else ''}",
            target=service,
            url=f"{service.case.get_absolute_url()}#services",
        )
    return service


def service_end(*, actor: Actor, service: Service, end_date: date) -> Service:
    """A service has ended."""
    require(actor, "assessment.manage_plan_object", service.case)
    errors: Errors = {}
    if service.start_date is None:
        add(errors, "end_date", "Record when the service started before it ends")
    elif service.end_date is not None:
        add(errors, "end_date", "This service has already ended")
    elif end_date > timezone.localdate():
        add(errors, "end_date", "The end date must be today or in the past")
    elif end_date < service.start_date:
        add(errors, "end_date", "The service cannot end before it started")
    raise_if(errors)
    with transaction.atomic():
        service.end_date = end_date
        service.save(update_fields=["end_date"])
        audit(
            actor=actor,
            action=Event.Action.UPDATE,
            target=service,
            child_id=service.child_id,
            detail={"end_date": end_date},
        )
        chronology_record(
            actor=actor,
            child=service.child,
            occurred_at=end_date,
            kind="service_ended",
            summary=f"{service.service_type.name} from {service.provider}: ended",
            target=service,
            url=f"{service.case.get_absolute_url()}#services",
        )
    return service
