"""Allocation and assessment in the API: read a worker's or team's open cases, one case with
its allocations, visits, assessments, plans and their reviews, services and closure proposals
with the manager's approval, and one assessment with its factors and the manager's decisions. Staff who read children's records only; tokens need the scope
``assessment:read``. Field names follow the Standard Safeguarding Dataset (``cina_``,
``cinf_``, ``cinp_``, ``cinv_``, ``invo_``) where it has them.

Every read of a case or assessment is audited against the child; a restricted child's record
needs a ``reason`` (at least 10 characters), audited like the reason given in the browser.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router, Schema

from haven.accounts.models import User
from haven.api.auth import api_actor, require_scope
from haven.api.reading import open_people, record_read
from haven.assessment import codes, permissions, selectors
from haven.assessment.models import Assessment, Case
from haven.audit.models import Event
from haven.audit.services import event_record
from haven.people.models import Person

router = Router(tags=["assessment"])
SCOPE = "assessment:read"


class CaseSummaryOut(Schema):
    id: int
    reference: str
    referral_id: int
    child_id: int
    child_la_id: str
    child_name: str
    stage: str
    referral_date: date
    is_rereferral: bool
    is_urgent: bool
    worker_id: int | None
    team_id: int | None
    next_due_at: datetime | None
    next_due: str
    last_visit_at: datetime | None


class AllocationOut(Schema):
    invo_professional_id: int
    invo_professional_team: int | None
    invo_involvement_start_date: datetime
    invo_involvement_end_date: datetime | None
    invo_worker_change_reason: str


class VisitOut(Schema):
    cinv_cin_visit_id: int
    cinv_cin_visit_date: datetime
    kind: str
    cinv_cin_visit_seen: bool
    cinv_cin_visit_seen_alone: bool | None
    cinv_cin_visit_bedroom: bool | None
    not_seen_reason: str
    location: str  # where, in words
    present: str  # who else was there


class AssessmentSummaryOut(Schema):
    cina_assessment_id: int
    cina_assessment_start_date: date
    cina_assessment_auth_date: datetime | None
    due_at: datetime
    status: str
    outcome: str
    cinf_assessment_factors_json: list[str]


class PlanReviewOut(Schema):
    due_date: date
    held_on: date | None
    outcome: str
    notes: str
    recorded_by: str
    recorded_at: datetime | None


class PlanOut(Schema):
    cinp_cin_plan_id: int
    cinp_cin_plan_start_date: date
    cinp_cin_plan_end_date: date | None
    next_review_due: date | None
    reviews: list[PlanReviewOut]  # each review, the next one due included


class ClosureOut(Schema):
    """A proposal to close the case and the team manager's decision on it."""

    id: int
    cine_close_date: date
    cine_close_reason: str
    summary: str
    proposed_by: str
    proposed_at: datetime
    approved: bool | None  # None while it waits for the manager
    decided_by: str
    decided_at: datetime | None
    manager_comment: str


class ServiceOut(Schema):
    id: int
    service_type: str
    provider: str
    agreed_on: date
    start_date: date | None
    end_date: date | None


class CaseOut(CaseSummaryOut):
    referral_at: datetime
    allocated_at: datetime | None
    first_visit_due_at: datetime
    first_seen_at: datetime | None
    closed_on: date | None
    closure_reason: str
    allocations: list[AllocationOut]
    visits: list[VisitOut]
    assessments: list[AssessmentSummaryOut]
    cin_plans: list[PlanOut]
    services: list[ServiceOut]
    closures: list[ClosureOut]  # newest first


class ReviewOut(Schema):
    decision: str
    comments: str
    decided_by: str
    decided_at: datetime


class AssessmentOut(AssessmentSummaryOut):
    case_id: int
    cina_referral_id: int
    cina_person_id: int
    cina_assessment_worker_id: int | None
    cina_assessment_team: int | None
    cina_assessment_child_seen: bool | None
    cina_assessment_outcome_nfa: bool
    cina_assessment_outcome_json: dict[str, bool]
    worries: str
    working_well: str
    needs_to_happen: str
    scale: int | None
    scale_given_by: str
    child_voice: str
    analysis: str
    submitted_at: datetime | None
    reviews: list[ReviewOut]


class CaseListParams(Schema):
    worker: int | None = None
    team: int | None = None


def _user(request: HttpRequest) -> User:
    require_scope(request, SCOPE)
    user = request.user
    if not isinstance(user, User) or not user.has_perm(permissions.VIEW):
        raise PermissionDenied("You do not have permission to read cases.")
    return user


def _open(request: HttpRequest, child: Person, target: Case | Assessment, reason: str) -> None:
    open_people(request, [child], reason)
    record_read(request, target=target, child_ids=[child.pk])


def _summary(row: selectors.CaseRow) -> dict[str, object]:
    case = row.case
    return {
        "id": case.pk,
        "reference": case.reference,
        "referral_id": case.episode_id,
        "child_id": case.child_id,
        "child_la_id": case.child.la_id,
        "child_name": case.child.full_name,
        "stage": row.stage.value,
        "referral_date": case.episode.referral_date,
        "is_rereferral": case.episode.is_rereferral,
        "is_urgent": case.episode.is_urgent,
        "worker_id": case.worker_id,
        "team_id": case.team_id,
        "next_due_at": row.next_due_at,
        "next_due": row.next_due_label,
        "last_visit_at": getattr(case, "last_visit_at", None),
    }


def _assessment_summary(assessment: Assessment) -> dict[str, object]:
    return {
        "cina_assessment_id": assessment.pk,
        "cina_assessment_start_date": assessment.start_date,
        "cina_assessment_auth_date": assessment.authorised_at,
        "due_at": assessment.due_at,
        "status": assessment.status.value,
        "outcome": assessment.outcome,
        "cinf_assessment_factors_json": selectors.factor_codes(assessment),
    }


@router.get("/cases", response=list[CaseSummaryOut], summary="Open cases")
def case_list(request: HttpRequest, params: Query[CaseListParams]) -> list[CaseSummaryOut]:
    """Open cases, next deadline first: the caller's own by default, another worker's
    (``worker``), or a team's (``team``). Children are named, so the list is audited as a
    search."""
    user = _user(request)
    if params.team is not None:
        rows = selectors.case_list(user=user, team_ids=[params.team])
    else:
        worker = User.objects.filter(pk=params.worker or user.pk).first()
        rows = selectors.case_list(user=user, worker=worker) if worker else []
    event_record(
        actor=api_actor(request),
        action=Event.Action.SEARCH,
        object_type="assessment.case",
        detail={
            "via": "api",
            "worker": params.worker,
            "team": params.team,
            "results": [row.case.pk for row in rows],
        },
    )
    return [CaseSummaryOut(**_summary(row)) for row in rows]  # type: ignore[arg-type]


@router.get("/cases/{case_id}", response=CaseOut, summary="A case")
def case_read(request: HttpRequest, case_id: int, reason: str = "") -> CaseOut:
    """One case: who has held it, the clocks from the referral, visits (where, who was there),
    assessments, child in need plans with their reviews, services, and each proposal to close
    it with the manager's decision."""
    user = _user(request)
    case = selectors.case_get(user=user, case_id=case_id)
    _open(request, case.child, case, reason)
    row = selectors.case_row(selectors.with_progress(Case.objects.filter(pk=case.pk), user).get())
    records = selectors.case_records(user=user, case=case)
    return CaseOut(
        **_summary(row),  # type: ignore[arg-type]
        referral_at=case.referral_at,
        allocated_at=case.allocated_at,
        first_visit_due_at=case.first_visit_due_at,
        first_seen_at=case.first_seen_at,
        closed_on=case.episode.closed_on,
        closure_reason=case.episode.closure_reason,
        allocations=[
            AllocationOut(
                invo_professional_id=a.worker_id,
                invo_professional_team=a.team_id,
                invo_involvement_start_date=a.started_at,
                invo_involvement_end_date=a.ended_at,
                invo_worker_change_reason=a.change_reason,
            )
            for a in records.allocations
        ],
        visits=[
            VisitOut(
                cinv_cin_visit_id=v.pk,
                cinv_cin_visit_date=v.visited_at,
                kind=v.kind,
                cinv_cin_visit_seen=v.child_seen,
                cinv_cin_visit_seen_alone=v.seen_alone,
                cinv_cin_visit_bedroom=v.bedroom_seen,
                not_seen_reason=v.not_seen_reason,
                location=v.location,
                present=v.present,
            )
            for v in records.visits
        ],
        assessments=[
            AssessmentSummaryOut(**_assessment_summary(a))  # type: ignore[arg-type]
            for a in records.assessments
        ],
        cin_plans=[
            PlanOut(
                cinp_cin_plan_id=p.pk,
                cinp_cin_plan_start_date=p.start_date,
                cinp_cin_plan_end_date=p.end_date,
                next_review_due=next(
                    (r.due_date for r in p.reviews.all() if r.held_on is None), None
                ),
                reviews=[
                    PlanReviewOut(
                        due_date=r.due_date,
                        held_on=r.held_on,
                        outcome=r.outcome,
                        notes=r.notes,
                        recorded_by=r.recorded_by.full_name if r.recorded_by else "",
                        recorded_at=r.recorded_at,
                    )
                    for r in p.reviews.all()
                ],
            )
            for p in records.plans
        ],
        services=[
            ServiceOut(
                id=s.pk,
                service_type=s.service_type.key,
                provider=s.provider,
                agreed_on=s.agreed_on,
                start_date=s.start_date,
                end_date=s.end_date,
            )
            for s in records.services
        ],
        closures=[
            ClosureOut(
                id=c.pk,
                cine_close_date=c.closed_on,
                cine_close_reason=c.reason,
                summary=c.summary,
                proposed_by=c.proposed_by.full_name if c.proposed_by else "",
                proposed_at=c.proposed_at,
                approved=c.approved,
                decided_by=c.decided_by.full_name if c.decided_by else "",
                decided_at=c.decided_at,
                manager_comment=c.manager_comment,
            )
            for c in records.closures
        ],
    )


@router.get("/assessments/{assessment_id}", response=AssessmentOut, summary="An assessment")
def assessment_read(request: HttpRequest, assessment_id: int, reason: str = "") -> AssessmentOut:
    """One child and family assessment: its parts, factors (CIN codes), outcome and the
    manager's decisions."""
    user = _user(request)
    assessment = selectors.assessment_get(user=user, assessment_id=assessment_id)
    _open(request, assessment.child, assessment, reason)
    flag = (
        codes.OUTCOME_SSD_FLAGS.get(codes.Outcome(assessment.outcome))
        if assessment.outcome
        else None
    )
    return AssessmentOut(
        **_assessment_summary(assessment),  # type: ignore[arg-type]
        case_id=assessment.case_id,
        cina_referral_id=assessment.case.episode_id,
        cina_person_id=assessment.child_id,
        cina_assessment_worker_id=assessment.worker_id,
        cina_assessment_team=assessment.team_id,
        cina_assessment_child_seen=assessment.child_seen,
        cina_assessment_outcome_nfa=assessment.outcome == codes.Outcome.NO_FURTHER_ACTION,
        cina_assessment_outcome_json={flag: True} if flag else {},
        worries=assessment.worries,
        working_well=assessment.working_well,
        needs_to_happen=assessment.needs_to_happen,
        scale=assessment.scale,
        scale_given_by=assessment.scale_given_by,
        child_voice=assessment.child_voice,
        analysis=assessment.analysis,
        submitted_at=assessment.submitted_at,
        reviews=[
            ReviewOut(
                decision=r.decision,
                comments=r.comments,
                decided_by=r.decided_by.full_name if r.decided_by else "",
                decided_at=r.decided_at,
            )
            for r in assessment.reviews.all()
        ],
    )


ROUTES = [("/assessment", router)]
