"""This app's sections of "My work" and "Team work": referrals to allocate (for the team's
manager), first visits due, assessments due and overdue, assessments awaiting authorisation
(for managers), child in need plan reviews due, and closures to approve. Each section is one
query whatever the number of rows; deadlines are the ones stored when the records opened."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from haven.assessment import permissions, selectors
from haven.assessment.models import Assessment, Case, CinPlanReview
from haven.core import worklists
from haven.core.worklists import Link, Rows, Section, Tag, WorkRequest, WorkRow

GROUP = "assessment"
GROUP_TITLE = "Allocation and assessment"


def _child(child: Any) -> Link:
    return Link(child.full_name, reverse("people:person", args=[child.pk]))


def _team_ids(work: WorkRequest) -> list[int]:
    return sorted(permissions.team_ids(work.user))


def _scoped_cases(work: WorkRequest, prefix: str = "") -> Q:
    """Mine: cases allocated to me. Team: cases held by my teams."""
    if work.scope == worklists.MINE:
        return Q(**{f"{prefix}worker": work.user})
    return Q(**{f"{prefix}team_id__in": _team_ids(work)})


def allocate_rows(work: WorkRequest) -> list[WorkRow]:
    user = work.user
    rows = []
    for episode in selectors.referrals_to_allocate(user=user):
        tags = []
        if episode.is_urgent:
            tags.append(Tag("Urgent", "red"))
        if episode.is_rereferral:
            tags.append(Tag("Re-referral", "orange"))
        rows.append(
            WorkRow(
                item=Link(
                    f"Referral of {episode.referral_date:%-d %b %Y}",
                    reverse("assessment:allocate", args=[episode.pk]),
                ),
                children=(_child(episode.child),),
                status=Tag("To allocate", "yellow"),
                owner=episode.receiving_team.name if episode.receiving_team else "",
                due_at=episode.first_visit_due_at,  # type: ignore[attr-defined]
                started_at=episode.opened_at,
                tags=tuple(tags),
                detail=f"{episode.get_primary_need_display()}; the first visit is due by then",
                links=(
                    Link(
                        "Allocate",
                        reverse("assessment:allocate", args=[episode.pk]),
                        episode.child.full_name,
                    ),
                ),
            )
        )
    return rows


def _open_cases(work: WorkRequest) -> QuerySet[Case]:
    return selectors.cases_visible(work.user).open().filter(_scoped_cases(work))


def visit_rows(work: WorkRequest) -> list[WorkRow]:
    cases = (
        _open_cases(work)
        .filter(first_seen_at__isnull=True)
        .select_related("child", "worker", "episode")
        .order_by("first_visit_due_at", "pk")
    )
    loaded, total = worklists.most_urgent(cases)
    rows = [
        WorkRow(
            item=Link(f"{case.reference}: see {case.child.first_name}", case.get_absolute_url()),
            children=(_child(case.child),),
            status=Tag("Not seen yet", "orange"),
            owner=case.worker.full_name if case.worker else "",
            due_at=case.first_visit_due_at,
            started_at=case.referral_at,
            tags=(Tag("Urgent", "red"),) if case.episode.is_urgent else (),
            links=(
                Link(
                    "Record a visit",
                    reverse("assessment:visit-new", args=[case.pk]),
                    case.child.full_name,
                ),
            ),
        )
        for case in loaded
    ]
    return Rows(rows, total=total)


def _assessments(work: WorkRequest) -> QuerySet[Assessment]:
    return (
        Assessment.objects.unfinished()
        .filter(case__in=_open_cases(work))
        .select_related("child", "worker", "case")
    )


def assessment_rows(work: WorkRequest) -> list[WorkRow]:
    loaded, total = worklists.most_urgent(
        _assessments(work).filter(submitted_at__isnull=True).order_by("due_at", "pk")
    )
    rows = []
    for assessment in loaded:
        status = assessment.status
        rows.append(
            WorkRow(
                item=Link(f"Assessment {assessment.reference}", assessment.get_absolute_url()),
                children=(_child(assessment.child),),
                status=Tag(status.label, assessment.status_colour),
                owner=assessment.worker.full_name if assessment.worker else "",
                due_at=assessment.due_at,
                started_at=assessment.case.referral_at,
                detail=f"Started {assessment.start_date:%-d %b %Y}",
            )
        )
    return Rows(rows, total=total)


def authorise_rows(work: WorkRequest) -> list[WorkRow]:
    user = work.user
    awaiting = (
        Assessment.objects.awaiting_authorisation()
        .filter(case__team_id__in=_team_ids(work))
        .exclude(Q(worker=user) | Q(submitted_by=user))
        .select_related("child", "worker", "case")
        .order_by("due_at", "pk")
    )
    loaded, total = worklists.most_urgent(awaiting)
    rows = [
        WorkRow(
            item=Link(f"Assessment {assessment.reference}", assessment.get_absolute_url()),
            children=(_child(assessment.child),),
            status=Tag("Awaiting authorisation", "blue"),
            owner=assessment.worker.full_name if assessment.worker else "",
            due_at=assessment.due_at,
            started_at=assessment.case.referral_at,
            detail=f"Submitted {timezone.localtime(assessment.submitted_at):%-d %b %H:%M}"
            if assessment.submitted_at
            else "",
            links=(
                Link(
                    "Authorise or return",
                    reverse("assessment:review", args=[assessment.pk]),
                    assessment.child.full_name,
                ),
            ),
        )
        for assessment in loaded
    ]
    return Rows(rows, total=total)


def review_rows(work: WorkRequest) -> list[WorkRow]:
    reviews = (
        CinPlanReview.objects.filter(held_on__isnull=True, plan__end_date__isnull=True)
        .filter(plan__case__in=_open_cases(work))
        .select_related("plan", "plan__child", "plan__case__worker")
        .order_by("due_at", "pk")
    )
    loaded, total = worklists.most_urgent(reviews)
    rows = [
        WorkRow(
            item=Link("Child in need plan review", review.plan.get_absolute_url()),
            children=(_child(review.plan.child),),
            status=Tag("Review due", "turquoise"),
            owner=review.plan.case.worker.full_name if review.plan.case.worker else "",
            due_at=review.due_at,
            links=(
                Link(
                    "Record the review",
                    reverse("assessment:plan-review", args=[review.plan_id]),
                    review.plan.child.full_name,
                ),
            ),
        )
        for review in loaded
    ]
    return Rows(rows, total=total)


def closure_rows(work: WorkRequest) -> list[WorkRow]:
    pending = selectors.closures_pending(user=work.user, team_ids=_team_ids(work))
    return [
        WorkRow(
            item=Link(
                f"Close {closure.case.reference}",
                reverse("assessment:closure-decide", args=[closure.pk]),
            ),
            children=(_child(closure.case.child),),
            status=Tag("Closure proposed", "grey"),
            owner=closure.proposed_by.full_name if closure.proposed_by else "",
            due_at=None,
            detail=f"{closure.get_reason_display()}, from {closure.closed_on:%-d %b %Y}",
        )
        for closure in pending
    ]


def register() -> None:
    common: dict[str, Any] = {"group": GROUP, "group_title": GROUP_TITLE}
    worklists.register(
        Section(
            key="assessment-allocate",
            title="Referrals to allocate",
            permission=permissions.ALLOCATE,
            rows=allocate_rows,
            order=50,
            description="Referrals waiting in your teams' queues. The first visit is due 5 "
            "working days from the referral, or within 24 hours when urgent.",
            empty_text="No referrals are waiting to be allocated.",
            **common,
        )
    )
    worklists.register(
        Section(
            key="assessment-visits",
            title="First visits due",
            permission=permissions.WORK,
            rows=visit_rows,
            order=51,
            description="Allocated children not yet seen.",
            empty_text="Every allocated child has been seen.",
            **common,
        )
    )
    worklists.register(
        Section(
            key="assessment-due",
            title="Assessments due",
            permission=permissions.WRITE,
            rows=assessment_rows,
            order=52,
            description="Child and family assessments being written or returned for changes, "
            "due 45 working days from the referral.",
            empty_text="No assessments are being written.",
            **common,
        )
    )
    worklists.register(
        Section(
            key="assessment-authorise",
            title="Assessments awaiting authorisation",
            permission=permissions.AUTHORISE,
            rows=authorise_rows,
            order=53,
            description="Submitted by your teams' social workers for you to authorise or "
            "return with comments.",
            empty_text="No assessments are waiting for you.",
            **common,
        )
    )
    worklists.register(
        Section(
            key="assessment-reviews",
            title="Child in need plan reviews due",
            permission=permissions.PLAN,
            rows=review_rows,
            order=54,
            empty_text="No plan reviews are due.",
            **common,
        )
    )
    worklists.register(
        Section(
            key="assessment-closures",
            title="Closures to approve",
            permission=permissions.APPROVE_CLOSURE,
            rows=closure_rows,
            order=55,
            empty_text="No closures are waiting for you.",
            **common,
        )
    )
