"""Section 47 enquiries, initial child protection conferences, child protection plans and
their review conferences.

The enquiry opens when a strategy discussion decides on one (``section47_open``, called by
``strategy_discussion_complete``), with its conference due 15 working days from the
discussion (the council's ``initial_conference`` rule), stored when it opens. Concluding it
says whether concerns were substantiated and whether an initial conference is needed; the
conference's outcome may start a plan, whose first review is due 3 months later
(``first_review_conference``) and each later one 6 months after the last
(``review_conference``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core import calendar, timescales
from haven.core.actor import Actor
from haven.frontdoor.models import Episode
from haven.people.models import Person
from haven.people.services import chronology_record
from haven.protection import codes, permissions
from haven.protection.models import (
    ChildProtectionPlan,
    DiscussionChild,
    InitialConference,
    PlanReview,
    Section47Enquiry,
    StrategyDiscussion,
)
from haven.protection.services.common import (
    Errors,
    check_text,
    day_moment,
    local_date,
    plain,
    raise_if,
    require,
)


def conference_due_at(held_at: datetime, rule: timescales.Rule | None = None) -> datetime:
    """When the initial conference is due: by the end of the target date, 15 working days
    (the council's ``initial_conference`` rule) after the day of the strategy discussion.

    The days are counted from the discussion's own date, so for a discussion held on a
    Saturday or a bank holiday the next working day is day 1 (Saturday 7 March 2026 gives
    Friday 27 March); the core rule would first move the start to the next opening time and
    give a day more. The deadline is the end of the target date, not the discussion's time
    of day, so the queue does not turn red while the target date is still running."""
    rule = rule or timescales.rule_get("initial_conference")
    if rule.unit == "working_days":
        target = calendar.add_working_days(local_date(held_at), rule.length)
    else:
        target = local_date(timescales.apply_rule(rule, held_at))
    return datetime.combine(target, time(23, 59, 59), tzinfo=calendar.local_tz())


def section47_open(
    *, actor: Actor, discussion: StrategyDiscussion, subject: DiscussionChild
) -> Section47Enquiry:
    """Open a section 47 enquiry for one child of a recorded strategy discussion. Its start is
    the discussion's date; the initial conference is due 15 working days after the
    discussion (worked out from the council's rule and stored now)."""
    with transaction.atomic():
        enquiry = Section47Enquiry.objects.create(
            child=subject.child,
            discussion=discussion,
            episode=subject.episode,
            is_joint=discussion.decision == codes.Decision.JOINT_S47,
            start_date=local_date(discussion.held_at),
            conference_due_at=conference_due_at(discussion.held_at),
            team=discussion.team,
            worker=allocated_worker(child=subject.child, episode=subject.episode),
        )
        event_record(
            actor=actor,
            action=Event.Action.CREATE,
            target=enquiry,
            child_id=subject.child_id,
            detail={
                "discussion": discussion.pk,
                "joint": enquiry.is_joint,
                "conference_due_at": plain(enquiry.conference_due_at),
                "worker": plain(enquiry.worker),
            },
        )
        chronology_record(
            actor=actor,
            child=subject.child,
            occurred_at=discussion.held_at,
            kind="section47_started",
            summary=(
                f"{'Joint' if enquiry.is_joint else 'Single-agency'} section 47 enquiry started; "
                f"initial conference due by {local_date(enquiry.conference_due_at):%d %B %Y}"
            ),
            target=enquiry,
            url=enquiry.get_absolute_url(),
        )
    return enquiry


def allocated_worker(*, child: Person, episode: Episode | None) -> User | None:
    """The child's allocated social worker, where the assessment app holds the case: the
    worker of the episode's case, else of the child's open case allocated most recently.
    None when the case is not allocated (or the assessment app is not installed)."""
    if not apps.is_installed("haven.assessment"):
        return None
    case_model = apps.get_model("assessment", "Case")
    cases = case_model.objects.open().filter(
        child=child, worker__isnull=False, worker__is_active=True
    )
    if episode is not None:
        found = cases.filter(episode=episode).select_related("worker").first()
        if found is not None:
            return found.worker
    found = cases.select_related("worker").order_by("-allocated_at", "-id").first()
    return found.worker if found is not None else None


def section47_assign(*, actor: Actor, enquiry: Section47Enquiry, worker: object) -> None:
    """A manager names the social worker leading the enquiry. The enquiry's conference not
    yet held and the current plan it started follow, so each reaches that worker's My work."""
    require(actor, permissions.CHAIR)
    if (
        not isinstance(worker, User)
        or not worker.is_active
        or not worker.has_perm(permissions.RECORD_CP)
    ):
        raise ValidationError({"worker": ["Select a social worker"]})
    conference = InitialConference.objects.filter(enquiry=enquiry).first()
    plan = (
        ChildProtectionPlan.objects.filter(conference=conference, end_date__isnull=True).first()
        if conference is not None
        else None
    )
    with transaction.atomic():
        before = plain(enquiry.worker)
        enquiry.worker = worker
        enquiry.save(update_fields=["worker"])
        followed: list[str] = []
        if conference is not None and conference.held_on is None:
            conference.worker = worker
            conference.save(update_fields=["worker"])
            followed.append("conference")
        if plan is not None:
            plan.worker = worker
            plan.save(update_fields=["worker"])
            followed.append("plan")
        event_record(
            actor=actor,
            action=Event.Action.UPDATE,
            target=enquiry,
            child_id=enquiry.child_id,
            detail={"worker": {"old": before, "new": plain(worker)}, "also": followed},
        )
        chronology_record(
            actor=actor,
            child=enquiry.child,
            occurred_at=timezone.now(),
            kind="section47_worker",
            summary=f"{worker.full_name} is the social worker for the section 47 enquiry",
            target=enquiry,
            url=enquiry.get_absolute_url(),
        )


@dataclass(frozen=True)
class EnquiryOutcome:
    end_date: date | None
    concerns_substantiated: bool | None
    conference_needed: bool | None
    outcome_detail: str


def section47_conclude(
    *, actor: Actor, enquiry: Section47Enquiry, data: EnquiryOutcome
) -> Section47Enquiry:
    """Conclude an enquiry: were concerns substantiated, is an initial child protection
    conference needed. A conference needed is set up with its target date, the one the
    enquiry has carried since the strategy discussion."""
    require(actor, permissions.RECORD_CP)
    errors: Errors = {}
    if not enquiry.is_open:
        errors["end_date"] = ["This enquiry has already been concluded"]
    if data.end_date is None:
        errors["end_date"] = ["Enter the date the enquiry concluded"]
    elif data.end_date > timezone.localdate():
        errors["end_date"] = ["The date the enquiry concluded must be today or in the past"]
    elif data.end_date < enquiry.start_date:
        errors["end_date"] = ["The enquiry cannot conclude before it started"]
    if data.concerns_substantiated is None:
        errors["concerns_substantiated"] = ["Select whether the concerns were substantiated"]
    if data.conference_needed is None:
        errors["conference_needed"] = [
            "Select whether an initial child protection conference is needed"
        ]
    check_text(errors, "outcome_detail", data.outcome_detail, "Enter what the enquiry found")
    raise_if(errors)
    user = actor.user
    with transaction.atomic():
        enquiry.end_date = data.end_date
        enquiry.concerns_substantiated = data.concerns_substantiated
        enquiry.conference_needed = data.conference_needed
        enquiry.outcome_detail = data.outcome_detail.strip()
        enquiry.completed_by = user
        enquiry.completed_by_team = user.team if user is not None else None
        enquiry.concluded_at = timezone.now()
        enquiry.save()
        if data.conference_needed:
            InitialConference.objects.create(
                enquiry=enquiry,
                child=enquiry.child,
                episode=enquiry.episode,
                target_date=local_date(enquiry.conference_due_at),
                due_at=enquiry.conference_due_at,
                team=enquiry.team,
                worker=enquiry.worker,
            )
        event_record(
            actor=actor,
            action=Event.Action.UPDATE,
            target=enquiry,
            child_id=enquiry.child_id,
            detail={
                "end_date": plain(data.end_date),
                "substantiated": data.concerns_substantiated,
                "conference_needed": data.conference_needed,
            },
        )
        chronology_record(
            actor=actor,
            child=enquiry.child,
            occurred_at=data.end_date,  # type: ignore[arg-type]
            kind="section47_concluded",
            summary=(
                "Section 47 enquiry concluded: concerns "
                f"{'substantiated' if data.concerns_substantiated else 'not substantiated'}; "
                + (
                    "initial child protection conference needed"
                    if data.conference_needed
                    else "no conference needed"
                )
            ),
            target=enquiry,
            url=enquiry.get_absolute_url(),
        )
    return enquiry


@dataclass(frozen=True)
class ConferenceOutcome:
    held_on: date | None
    plan_needed: bool | None
    category: str = ""
    chair_name: str = ""
    outcome_detail: str = ""


def _first_review(plan: ChildProtectionPlan) -> PlanReview:
    due = timescales.due_at("first_review_conference", day_moment(plan.start_date))
    return PlanReview.objects.create(
        plan=plan,
        child=plan.child,
        is_first=True,
        due_date=local_date(due),
        due_at=due,
    )


def conference_record(
    *, actor: Actor, conference: InitialConference, data: ConferenceOutcome
) -> InitialConference:
    """Record the initial conference: when it was held and whether the child needs a child
    protection plan, with the initial category of abuse (NEG, PHY, SAB, EMO or MUL). A plan
    starts on the conference day, its first review due 3 months later."""
    require(actor, permissions.RECORD_CP)
    errors: Errors = {}
    if conference.held_on is not None:
        errors["held_on"] = ["This conference has already been recorded"]
    earliest = conference.enquiry.start_date if conference.enquiry is not None else None
    if data.held_on is None:
        errors["held_on"] = ["Enter the date the conference was held"]
    elif data.held_on > timezone.localdate():
        errors["held_on"] = ["The date of the conference must be today or in the past"]
    elif earliest is not None and data.held_on < earliest:
        errors["held_on"] = ["The conference cannot be before the section 47 enquiry started"]
    if data.plan_needed is None:
        errors["plan_needed"] = ["Select whether the child needs a child protection plan"]
    if data.plan_needed and data.category not in codes.CategoryOfAbuse.values:
        errors["category"] = ["Select the initial category of abuse"]
    if (
        data.plan_needed
        and ChildProtectionPlan.objects.filter(
            child=conference.child, end_date__isnull=True
        ).exists()
    ):
        errors["plan_needed"] = ["This child already has a current child protection plan"]
    raise_if(errors)
    if data.held_on is None:  # checked above
        raise ValueError("unchecked input")
    with transaction.atomic():
        conference.held_on = data.held_on
        conference.plan_needed = data.plan_needed
        conference.category = data.category if data.plan_needed else ""
        conference.chair_name = data.chair_name.strip()
        conference.outcome_detail = data.outcome_detail.strip()
        conference.recorded_by = actor.user
        conference.recorded_at = timezone.now()
        conference.save()
        event_record(
            actor=actor,
            action=Event.Action.UPDATE,
            target=conference,
            child_id=conference.child_id,
            detail={
                "held_on": plain(data.held_on),
                "plan": data.plan_needed,
                "category": conference.category,
                "within_timescale": conference.within_timescale,
            },
        )
        outcome = (
            f"child protection plan, {codes.CategoryOfAbuse(data.category).label.lower()}"
            if data.plan_needed
            else "no child protection plan"
        )
        chronology_record(
            actor=actor,
            child=conference.child,
            occurred_at=data.held_on,
            kind="conference_held",
            summary=f"Initial child protection conference: {outcome}",
            target=conference,
            url=conference.get_absolute_url(),
        )
        if data.plan_needed:
            plan = ChildProtectionPlan.objects.create(
                child=conference.child,
                conference=conference,
                episode=conference.episode,
                start_date=data.held_on,
                initial_category=data.category,
                latest_category=data.category,
                team=conference.team,
                worker=conference.worker,
            )
            review = _first_review(plan)
            event_record(
                actor=actor,
                action=Event.Action.CREATE,
                target=plan,
                child_id=plan.child_id,
                detail={"category": data.category, "first_review_due": plain(review.due_date)},
            )
            chronology_record(
                actor=actor,
                child=plan.child,
                occurred_at=data.held_on,
                kind="cp_plan_started",
                summary=(
                    f"Child protection plan started ({codes.CategoryOfAbuse(data.category).label.lower()});"
                    f" first review due by {review.due_date:%d %B %Y}"
                ),
                target=plan,
                url=plan.get_absolute_url(),
            )
    return conference


@dataclass(frozen=True)
class ReviewOutcome:
    held_on: date | None
    continue_plan: bool | None
    category: str = ""
    quorate: bool | None = None
    notes: str = ""


def plan_review_record(*, actor: Actor, review: PlanReview, data: ReviewOutcome) -> PlanReview:
    """Record a review conference. A plan that continues gets its next review due 6 months
    after this one, and a changed category becomes its latest; a plan that does not continue
    ends on the review's date."""
    require(actor, permissions.RECORD_CP)
    plan = review.plan
    errors: Errors = {}
    if review.held_on is not None:
        errors["held_on"] = ["This review has already been recorded"]
    if data.held_on is None:
        errors["held_on"] = ["Enter the date the review conference was held"]
    elif data.held_on > timezone.localdate():
        errors["held_on"] = ["The date of the review must be today or in the past"]
    elif data.held_on < plan.start_date:
        errors["held_on"] = ["The review cannot be before the plan started"]
    if data.continue_plan is None:
        errors["continue_plan"] = ["Select whether the child protection plan continues"]
    if data.category and data.category not in codes.CategoryOfAbuse.values:
        errors["category"] = ["Select a category of abuse from the list"]
    raise_if(errors)
    if data.held_on is None:  # checked above
        raise ValueError("unchecked input")
    with transaction.atomic():
        review.held_on = data.held_on
        review.continue_plan = data.continue_plan
        review.category = data.category
        review.quorate = data.quorate
        review.notes = data.notes.strip()
        review.recorded_by = actor.user
        review.recorded_at = timezone.now()
        review.save()
        if data.category and data.category != plan.latest_category:
            plan.latest_category = data.category
            plan.save(update_fields=["latest_category"])
        event_record(
            actor=actor,
            action=Event.Action.UPDATE,
            target=review,
            child_id=plan.child_id,
            detail={
                "held_on": plain(data.held_on),
                "continue": data.continue_plan,
                "category": data.category,
                "within_timescale": review.within_timescale,
            },
        )
        chronology_record(
            actor=actor,
            child=plan.child,
            occurred_at=data.held_on,
            kind="cp_review_held",
            summary="Review child protection conference: "
            + ("plan continues" if data.continue_plan else "plan ends"),
            target=plan,
            url=plan.get_absolute_url(),
        )
        if data.continue_plan:
            due = timescales.due_at("review_conference", day_moment(data.held_on))
            PlanReview.objects.create(
                plan=plan, child=plan.child, due_date=local_date(due), due_at=due
            )
        else:
            _end(
                actor=actor, plan=plan, end_date=data.held_on, reason="Ended at a review conference"
            )
    return review


def _end(*, actor: Actor, plan: ChildProtectionPlan, end_date: date, reason: str) -> None:
    plan.end_date = end_date
    plan.end_reason = reason
    plan.save(update_fields=["end_date", "end_reason"])
    plan.reviews.filter(held_on__isnull=True).delete()
    event_record(
        actor=actor,
        action=Event.Action.UPDATE,
        target=plan,
        child_id=plan.child_id,
        detail={"end_date": plain(end_date), "reason": reason},
    )
    chronology_record(
        actor=actor,
        child=plan.child,
        occurred_at=end_date,
        kind="cp_plan_ended",
        summary=f"Child protection plan ended: {reason}",
        target=plan,
        url=plan.get_absolute_url(),
    )


def plan_end(
    *, actor: Actor, plan: ChildProtectionPlan, end_date: date | None, reason: str
) -> ChildProtectionPlan:
    """End a plan outside a review (the child moved to another area, or died)."""
    require(actor, permissions.RECORD_CP)
    errors: Errors = {}
    if not plan.is_current:
        errors["end_date"] = ["This plan has already ended"]
    if end_date is None:
        errors["end_date"] = ["Enter the date the plan ended"]
    elif end_date > timezone.localdate():
        errors["end_date"] = ["The end date must be today or in the past"]
    elif end_date < plan.start_date:
        errors["end_date"] = ["The plan cannot end before it started"]
    check_text(errors, "reason", reason, "Enter why the plan ended")
    raise_if(errors)
    if end_date is None:  # checked above
        raise ValueError("unchecked input")
    with transaction.atomic():
        _end(actor=actor, plan=plan, end_date=end_date, reason=reason.strip())
    return plan
