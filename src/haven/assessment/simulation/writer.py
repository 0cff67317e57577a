"""Writing a simulated year of cases in bulk: cases, assessments and plans first (their keys are
needed), then everything that points at them, the episodes closed, and the chronology."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from haven.assessment.models import (
    Allocation,
    Assessment,
    AssessmentFactor,
    AssessmentReview,
    Case,
    CinPlan,
    CinPlanReview,
    Closure,
    Service,
    ServiceType,
    Visit,
)
from haven.demo.simulation import ReportingYear, SimulationContext
from haven.frontdoor.models import Episode

TARGETS = {
    "case_allocated": ("assessment.case", "case"),
    "visit": ("assessment.case", "case"),
    "closure_proposed": ("assessment.case", "case"),
    "episode_closed": ("frontdoor.episode", "episode"),
    "assessment_started": ("assessment.assessment", "assessment"),
    "assessment_submitted": ("assessment.assessment", "assessment"),
    "assessment_returned": ("assessment.assessment", "assessment"),
    "assessment_authorised": ("assessment.assessment", "assessment"),
    "cin_plan_started": ("assessment.cinplan", "plan"),
    "cin_plan_reviewed": ("assessment.cinplan", "plan"),
    "cin_plan_ended": ("assessment.cinplan", "plan"),
    "service_started": ("assessment.case", "case"),
}


def write(ctx: SimulationContext, rows: Any, year: ReportingYear) -> dict[str, int]:
    cases = ctx.bulk_create(Case, rows.cases)
    for assessment in rows.assessments:
        assessment.case = cases[assessment._case_index]
    assessments = ctx.bulk_create(Assessment, rows.assessments)
    latest_assessment: dict[int, Assessment] = {a._case_index: a for a in assessments}
    for plan in rows.plans:
        plan.case = cases[plan._case_index]
        plan.assessment = assessments[plan._assessment_index]
    plans = ctx.bulk_create(CinPlan, rows.plans)
    latest_plan: dict[int, CinPlan] = {p._case_index: p for p in plans}
    ctx.insert_rows(
        Allocation,
        ["case", "worker", "team", "started_at", "ended_at", "change_reason", "allocated_by"],
        [(cases[i].pk, *rest) for i, *rest in rows.allocations],
    )
    ctx.insert_rows(
        Visit,
        ["case", "child", "visited_at", "kind", "location", "child_seen", "seen_alone",
         "bedroom_seen", "not_seen_reason", "present", "notes", "worker", "recorded_by",
         "recorded_at"],
        [(cases[i].pk, *rest) for i, *rest in rows.visits],
    )  # fmt: skip
    ctx.insert_rows(
        AssessmentFactor,
        ["assessment", "code"],
        [(assessments[i].pk, code) for i, chosen in rows.factors for code in chosen],
    )
    ctx.insert_rows(
        AssessmentReview,
        ["assessment", "decision", "comments", "decided_by", "decided_at"],
        [(assessments[i].pk, d, c, who.pk, at) for i, d, c, who, at in rows.reviews],
    )
    ctx.insert_rows(
        CinPlanReview,
        ["plan", "due_date", "due_at", "held_on", "outcome", "notes", "recorded_at"],
        [
            (plans[i].pk, due, due_at, held, outcome, notes, due_at if held else None)
            for i, due, due_at, held, outcome, notes in rows.plan_reviews
        ],
    )
    types = dict(ServiceType.objects.values_list("key", "pk"))
    ctx.insert_rows(
        Service,
        ["case", "child", "plan", "service_type", "provider", "agreed_on", "start_date",
         "end_date", "notes", "recorded_at"],
        [
            (cases[i].pk, cases[i].child_id, plans[p].pk if p is not None else None, types[key],
             provider, agreed, started, ended, "", timezone.now())
            for i, p, key, provider, agreed, started, ended in rows.services
        ],
    )  # fmt: skip
    ctx.insert_rows(
        Closure,
        ["case", "closed_on", "reason", "summary", "proposed_by", "proposed_at", "decided_by",
         "decided_at", "approved", "manager_comment"],
        [
            (cases[i].pk, closed_on, reason, "The work is done; the family know who to call.",
             worker.pk, proposed, manager.pk if manager else None, decided,
             True if decided else None, "")
            for i, closed_on, reason, worker, proposed, decided, manager in rows.closures
        ],
    )  # fmt: skip
    closing = {
        cases[i].episode_id: (closed_on, reason, at, who)
        for i, closed_on, reason, at, who in rows.closed
    }
    episodes = list(Episode.objects.filter(pk__in=list(closing)))
    for episode in episodes:
        closed_on, reason, at, who = closing[episode.pk]
        episode.closed_on, episode.closure_reason = closed_on, reason
        episode.closed_at, episode.closed_by = at, who
    Episode.objects.bulk_update(
        episodes, ["closed_on", "closure_reason", "closed_at", "closed_by"], batch_size=2000
    )
    ctx.insert_chronology(list(_chronology(rows, cases, latest_assessment, latest_plan)))
    return {
        "cases": len(cases),
        "visits": len(rows.visits),
        "assessments": len(assessments),
        "authorised": sum(1 for a in assessments if a.authorised_at),
        "authorised within 45 working days": sum(
            1 for a in assessments if a.authorised_at and a.authorised_at <= a.due_at
        ),
        "child in need plans": len(plans),
        "services": len(rows.services),
        "closed": len(rows.closed),
    }


def _chronology(
    rows: Any,
    cases: list[Case],
    assessments: dict[int, Assessment],
    plans: dict[int, CinPlan],
) -> Any:
    for index, when, kind, summary, actor in rows.chronology:
        case = cases[index]
        target_type, which = TARGETS.get(kind, ("assessment.case", "case"))
        target: Any = {
            "case": case,
            "episode": None,
            "assessment": assessments.get(index),
            "plan": plans.get(index),
        }[which]
        if which == "episode":
            target_id, url = str(case.episode_id), reverse("assessment:case", args=[case.pk])
        elif target is None:
            target_id, url = str(case.pk), reverse("assessment:case", args=[case.pk])
        else:
            target_id, url = str(target.pk), target.get_absolute_url()
        yield (
            case.child_id, when, kind, summary, actor.pk if actor else None,
            actor.full_name if actor else "Haven", target_type, target_id, url, when,
        )  # fmt: skip
