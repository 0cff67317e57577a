"""Writing, submitting, returning and authorising child and family assessments.

An assessment starts as a draft (``assessment_start``), due 45 working days from its clock's
start: the referral for the case's first assessment (as the DfE measures it), its own start date
for any later one in the same case. It sits beside the child's last authorised assessment when there is one. Its parts are saved as the
worker types (``assessment_save``, called by each question page and its autosave) and can be
copied from the previous assessment. ``assessment_submit`` sends it for authorisation when
every part is complete; the team manager authorises it (``assessment_authorise``, the
authorisation date kept) or returns it with comments (``assessment_return``).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from haven.assessment import codes, parts, timescales
from haven.assessment.models import (
    Assessment,
    AssessmentFactor,
    AssessmentReview,
    Case,
    Visit,
)
from haven.assessment.services.common import Errors, add, audit, raise_if, require
from haven.audit.models import Event
from haven.core.actor import Actor
from haven.core.calendar import local_tz
from haven.people.services import chronology_record


def assessment_start(*, actor: Actor, case: Case, start_date: date) -> Assessment:
    """Start the case's child and family assessment on ``start_date``. One unfinished
    assessment per case; the child's last authorised assessment is kept beside it. The first
    assessment in the case is due 45 working days from the referral; a later one (after the
    first was authorised) from its own start, so it is not overdue the day it begins."""
    require(actor, "assessment.work_on_case_object", case)
    require(actor, "assessment.write_assessment")
    errors: Errors = {}
    if start_date > timezone.localdate():
        add(errors, "start_date", "The start date must be today or in the past")
    elif start_date < case.episode.referral_date:
        add(errors, "start_date", "The assessment cannot start before the referral")
    if Assessment.objects.filter(case=case, authorised_at__isnull=True).exists():
        add(errors, "start_date", "This case already has an assessment in progress")
    raise_if(errors)
    previous = (
        Assessment.objects.filter(child_id=case.child_id, authorised_at__isnull=False)
        .order_by("-authorised_at")
        .first()
    )
    first_in_case = not Assessment.objects.filter(case=case).exists()
    clock_start = case.referral_at if first_in_case else timescales.day_opens(start_date)
    with transaction.atomic():
        assessment = Assessment.objects.create(
            case=case,
            child_id=case.child_id,
            team_id=case.team_id,
            worker=case.worker or actor.user,
            start_date=start_date,
            due_at=timescales.assessment_due(clock_start),
            previous=previous,
            created_by=actor.user,
        )
        audit(
            actor=actor,
            action=Event.Action.CREATE,
            target=assessment,
            child_id=case.child_id,
            detail={
                "start_date": start_date,
                "due_at": assessment.due_at,
                "due_from": "referral" if first_in_case else "start",
                "previous": previous.pk if previous else None,
            },
        )
        chronology_record(
            actor=actor,
            child=case.child,
            occurred_at=start_date,
            kind="assessment_started",
            summary="Child and family assessment started"
            + (" (a reassessment)" if previous else ""),
            target=assessment,
            url=assessment.get_absolute_url(),
        )
    return assessment


def _factors_of(assessment: Assessment) -> list[str]:
    return list(
        AssessmentFactor.objects.filter(assessment=assessment).values_list("code", flat=True)
    )


def _draft_errors(values: dict[str, Any], factors: list[str]) -> Errors:
    errors: Errors = {}
    scale = values.get("scale")
    if "scale" in values and scale is not None and not (0 <= int(scale) <= 10):
        add(errors, "scale", "The score must be a whole number from 0 to 10")
    if "outcome" in values and values["outcome"] and values["outcome"] not in codes.Outcome.values:
        add(errors, "outcome", "Select the outcome of the assessment")
    if "factors" in values:
        problem = parts.factor_problem(factors)
        if problem:
            add(errors, "factors", problem)
    return errors


def assessment_save(*, actor: Actor, assessment: Assessment, values: dict[str, Any]) -> Assessment:
    """Save some parts of a draft: any of ``parts.DRAFT_FIELDS``. Text is kept as typed; the
    scale must be 0 to 10; factors must be CIN codes, with 21 only on its own."""
    require(actor, "assessment.edit_assessment_object", assessment)
    unknown = set(values) - set(parts.DRAFT_FIELDS)
    if unknown:
        raise ValueError(f"not assessment fields: {sorted(unknown)}")
    factors = [str(code) for code in values.get("factors") or []]
    raise_if(_draft_errors(values, factors))
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if not locked.is_editable:
            raise ValidationError({"assessment": ["This assessment has been submitted"]})
        changed = []
        for name, value in values.items():
            if name == "factors":
                continue
            clean = value.strip() if isinstance(value, str) else value
            if name in parts.TEXT_FIELDS or name == "outcome":
                clean = clean or ""
            if getattr(assessment, name) != clean:
                setattr(assessment, name, clean)
                changed.append(name)
        if "factors" in values:
            have = set(_factors_of(assessment))
            wanted = set(factors)
            if have != wanted:
                AssessmentFactor.objects.filter(assessment=assessment).exclude(
                    code__in=wanted
                ).delete()
                AssessmentFactor.objects.bulk_create(
                    [AssessmentFactor(assessment=assessment, code=c) for c in sorted(wanted - have)]
                )
                changed.append("factors")
        if not changed:
            return assessment
        assessment.saved_at = timezone.now()
        assessment.save(update_fields=[n for n in changed if n != "factors"] + ["saved_at"])
        # The text is the child's record: the audit names what changed, not the words.
        audit(
            actor=actor,
            action=Event.Action.UPDATE,
            target=assessment,
            child_id=assessment.child_id,
            detail={"draft": True, "changed": changed},
        )
    return assessment


def assessment_copy_previous(*, actor: Actor, assessment: Assessment, part_key: str) -> Assessment:
    """Copy one part's answers from the child's previous authorised assessment."""
    previous = assessment.previous
    if previous is None:
        raise ValidationError({"assessment": ["There is no previous assessment to copy from"]})
    part = parts.PARTS_BY_KEY[part_key]
    values = part.values(previous, _factors_of(previous))
    return assessment_save(actor=actor, assessment=assessment, values=values)


def _assessment_period_start(assessment: Assessment) -> datetime:
    """Visits count towards an assessment from the referral, or from the authorisation of the
    case's previous assessment when this is a second one."""
    earlier = (
        Assessment.objects.filter(case_id=assessment.case_id, authorised_at__isnull=False)
        .exclude(pk=assessment.pk)
        .order_by("-authorised_at")
        .values_list("authorised_at", flat=True)
        .first()
    )
    referral_day = timezone.localtime(assessment.case.referral_at, local_tz()).date()
    return earlier or datetime.combine(referral_day, time.min, tzinfo=local_tz())


def assessment_submit(*, actor: Actor, assessment: Assessment) -> Assessment:
    """Send a complete assessment to the team manager for authorisation. Whether the child was
    seen during the assessment (``cina_assessment_child_seen``) comes from the visits."""
    require(actor, "assessment.edit_assessment_object", assessment)
    factors = _factors_of(assessment)
    errors: Errors = {}
    for part in parts.missing_parts(assessment, factors):
        problem = parts.factor_problem(factors) if part.key == "factors" else None
        add(errors, part.key, problem or part.missing)
    raise_if(errors)
    now = timezone.now()
    seen = Visit.objects.filter(
        case_id=assessment.case_id,
        child_seen=True,
        visited_at__gte=_assessment_period_start(assessment),
        visited_at__lte=now,
    ).exists()
    with transaction.atomic():
        assessment.child_seen = seen
        assessment.submitted_at = now
        assessment.submitted_by = actor.user
        assessment.save(update_fields=["child_seen", "submitted_at", "submitted_by"])
        audit(
            actor=actor,
            action=Event.Action.UPDATE,
            target=assessment,
            child_id=assessment.child_id,
            detail={"submitted": True, "child_seen": seen, "outcome": assessment.outcome},
        )
        chronology_record(
            actor=actor,
            child=assessment.child,
            occurred_at=now,
            kind="assessment_submitted",
            summary="Assessment submitted for authorisation: "
            + codes.Outcome(assessment.outcome).label.lower(),
            target=assessment,
            url=assessment.get_absolute_url(),
        )
    return assessment


def _review(
    *, actor: Actor, assessment: Assessment, decision: str, comments: str
) -> AssessmentReview:
    require(actor, "assessment.authorise_assessment_object", assessment)
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.submitted_at is None or locked.authorised_at is not None:
        raise ValidationError({"decision": ["This assessment is not waiting for authorisation"]})
    return AssessmentReview.objects.create(
        assessment=assessment,
        decision=decision,
        comments=comments.strip(),
        decided_by=actor.user,
        decided_at=timezone.now(),
    )


def assessment_return(*, actor: Actor, assessment: Assessment, comments: str) -> Assessment:
    """The manager returns the assessment to the worker, saying what to change."""
    if not comments.strip():
        raise ValidationError({"comments": ["Enter what needs to change before you return it"]})
    with transaction.atomic():
        review = _review(
            actor=actor,
            assessment=assessment,
            decision=codes.ReviewDecision.RETURNED,
            comments=comments,
        )
        assessment.submitted_at = None
        assessment.submitted_by = None
        assessment.returned_at = review.decided_at
        assessment.save(update_fields=["submitted_at", "submitted_by", "returned_at"])
        audit(
            actor=actor,
            action=Event.Action.UPDATE,
            target=assessment,
            child_id=assessment.child_id,
            detail={"returned": True},
        )
        chronology_record(
            actor=actor,
            child=assessment.child,
            occurred_at=review.decided_at,
            kind="assessment_returned",
            summary=f"Assessment returned by the manager: {comments.strip()[:200]}",
            target=assessment,
            url=assessment.get_absolute_url(),
        )
    return assessment


def assessment_authorise(*, actor: Actor, assessment: Assessment, comments: str = "") -> Assessment:
    """The manager authorises the assessment; the authorisation date is kept."""
    with transaction.atomic():
        review = _review(
            actor=actor,
            assessment=assessment,
            decision=codes.ReviewDecision.AUTHORISED,
            comments=comments,
        )
        assessment.authorised_at = review.decided_at
        assessment.authorised_by = actor.user
        assessment.save(update_fields=["authorised_at", "authorised_by"])
        in_time = assessment.authorised_at <= assessment.due_at
        audit(
            actor=actor,
            action=Event.Action.UPDATE,
            target=assessment,
            child_id=assessment.child_id,
            detail={"authorised": True, "within_timescale": in_time},
        )
        chronology_record(
            actor=actor,
            child=assessment.child,
            occurred_at=review.decided_at,
            kind="assessment_authorised",
            summary="Assessment authorised: "
            + codes.Outcome(assessment.outcome).label.lower()
            + ("" if in_time else " (after the 45 working days)"),
            target=assessment,
            url=assessment.get_absolute_url(),
        )
    return assessment
