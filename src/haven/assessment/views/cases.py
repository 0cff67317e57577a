"""Case lists, the team page with caseloads, allocation, the case page, visits and closure."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from haven.accounts.models import User
from haven.assessment import codes, permissions, selectors, services
from haven.assessment.forms import AllocateForm, ClosureDecisionForm, ClosureForm, VisitForm
from haven.assessment.models import Case
from haven.assessment.views.common import (
    add_errors,
    audit_list,
    interruptible,
    open_child,
    posted,
    require,
)
from haven.core import charts
from haven.core.http import AuthenticatedRequest
from haven.frontdoor.models import Episode
from haven.people.views.common import header_context

VIEW = permissions.VIEW
TEAM_PAGE_ROWS = 25
# The periods the team page measures how long services took to start over, in weeks.
SERVICE_PERIODS = (4, 13, 52)
DEFAULT_SERVICE_PERIOD = 13


def _list_context(request: AuthenticatedRequest, rows: list[selectors.CaseRow]) -> dict[str, Any]:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.stage.label] = counts.get(row.stage.label, 0) + 1
    return {"rows": rows, "stage_counts": sorted(counts.items()), "now": timezone.now()}


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def index(request: AuthenticatedRequest) -> HttpResponse:
    """My cases: a social worker's open cases, the next deadline on each, overdue first."""
    user = request.user
    if not user.has_perm(permissions.WORK):
        return redirect("assessment:teams")
    rows = selectors.case_list(user=user, worker=user)
    if not rows and permissions.managed_team_ids(user):
        return redirect("assessment:my-team")
    audit_list(request, child_ids=(row.case.child_id for row in rows), page="my cases")
    return render(
        request,
        "assessment/case_list.html",
        {
            **_list_context(request, rows),
            "title": "My cases",
            "worker": user,
            "own": True,
        },
    )


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def worker_cases(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    """One worker's open cases, for their manager and for readers."""
    worker = get_object_or_404(User.objects.select_related("team"), pk=user_id, is_active=True)
    rows = selectors.case_list(user=request.user, worker=worker)
    audit_list(
        request,
        child_ids=(row.case.child_id for row in rows),
        page="worker's cases",
        worker=worker.pk,
    )
    return render(
        request,
        "assessment/case_list.html",
        {
            **_list_context(request, rows),
            "title": f"{worker.full_name}'s cases",
            "worker": worker,
            "own": worker.pk == request.user.pk,
        },
    )


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def teams(request: AuthenticatedRequest) -> HttpResponse:
    """Every team that holds cases: open cases, referrals waiting, overdue assessments."""
    from django.db.models import Count

    found = list(selectors.teams_with_cases(request.user))
    ids = [team.pk for team in found]
    open_counts = dict(
        Case.objects.open()
        .filter(team_id__in=ids)
        .values_list("team_id")
        .annotate(n=Count("pk"))
        .values_list("team_id", "n")
    )
    waiting = dict(
        Episode.objects.open()
        .filter(receiving_team_id__in=ids, case__isnull=True)
        .values_list("receiving_team_id")
        .annotate(n=Count("pk"))
        .values_list("receiving_team_id", "n")
    )
    overdue = dict(
        selectors.assessments_overdue(user=request.user, team_ids=ids)
        .order_by()
        .values_list("case__team_id")
        .annotate(n=Count("pk"))
        .values_list("case__team_id", "n")
    )
    rows = [
        {
            "team": team,
            "open": open_counts.get(team.pk, 0),
            "waiting": waiting.get(team.pk, 0),
            "overdue": overdue.get(team.pk, 0),
            "mine": team.pk in permissions.team_ids(request.user),
        }
        for team in found
    ]
    return render(request, "assessment/teams.html", {"rows": rows})


def _team_context(request: AuthenticatedRequest, team_id: int) -> dict[str, Any]:
    user = request.user
    team = selectors.team_get(user=user, team_id=team_id)
    ids = [team.pk]
    workers = selectors.workers_in(ids)
    loads = selectors.caseloads(user=user, workers=workers)
    # Long lists show their most urgent rows first; "Show all" lifts the limit.
    limit = None if request.GET.get("show") == "all" else TEAM_PAGE_ROWS

    def first(rows: Any) -> list[Any]:
        rows = selectors.with_total(rows)
        return list(rows[:limit] if limit else rows)

    referrals = selectors.referrals_to_allocate(user=user, team_ids=ids, limit=limit)
    awaiting = first(selectors.assessments_awaiting_authorisation(user=user, team_ids=ids))
    overdue = first(selectors.assessments_overdue(user=user, team_ids=ids))
    closures = first(selectors.closures_pending(user=user, team_ids=ids))
    today = timezone.localdate()
    waiting_services = first(selectors.services_waiting(user=user, team_ids=ids))
    for service in waiting_services:
        service.days_waiting = (today - service.waits_from).days
    weeks = _service_weeks(request)
    start, end = selectors.service_period(weeks, today)
    return {
        "team": team,
        "loads": loads,
        "stage_columns": [stage.label for stage in selectors.STAGE_COLUMNS],
        "totals": [sum(column) for column in zip(*(load.columns for load in loads), strict=True)]
        if loads
        else [],
        "total_cases": sum(load.total for load in loads),
        "referrals": referrals,
        "referral_count": selectors.total_of(referrals),
        "awaiting": awaiting,
        "awaiting_count": selectors.total_of(awaiting),
        "overdue": overdue,
        "overdue_count": selectors.total_of(overdue),
        "closures": closures,
        "closures_count": selectors.total_of(closures),
        "waiting_services": waiting_services,
        "waiting_services_count": selectors.total_of(waiting_services),
        "service_starts": selectors.service_starts(user=user, team_ids=ids, start=start, end=end),
        "service_weeks": weeks,
        "service_periods": [(w, w == weeks) for w in SERVICE_PERIODS],
        "can_allocate": user.has_perm(permissions.ALLOCATE)
        and team.pk in permissions.team_ids(user),
        "can_authorise": user.has_perm(permissions.AUTHORISE)
        and team.pk in permissions.team_ids(user),
        "now": timezone.now(),
    }


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def my_team(request: AuthenticatedRequest) -> HttpResponse:
    """The team page of the user's own team (or the first they manage)."""
    managed = sorted(permissions.managed_team_ids(request.user))
    team_id = managed[0] if managed else request.user.team_id
    if team_id is None:
        return redirect("assessment:teams")
    return redirect("assessment:team", team_id=team_id)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def team(request: AuthenticatedRequest, team_id: int) -> HttpResponse:
    """A manager's team page: each worker's caseload by type, referrals to allocate,
    assessments overdue and awaiting authorisation, closures to approve, services waiting to
    start, and the median time services took to start over a period (``?weeks=``)."""
    context = _team_context(request, team_id)
    audit_list(request, child_ids=_children_on_team_page(context), page="team", team=team_id)
    return render(request, "assessment/team.html", context)


def _service_weeks(request: AuthenticatedRequest) -> int:
    try:
        weeks = int(request.GET.get("weeks", DEFAULT_SERVICE_PERIOD))
    except ValueError:
        return DEFAULT_SERVICE_PERIOD
    return weeks if weeks in SERVICE_PERIODS else DEFAULT_SERVICE_PERIOD


def _children_on_team_page(context: dict[str, Any]) -> list[int | None]:
    """Every child named on the team page: referrals to allocate, assessments awaiting
    authorisation and overdue, closures to approve, services waiting to start."""
    return [
        *(episode.child_id for episode in context["referrals"]),
        *(assessment.child_id for assessment in context["awaiting"]),
        *(assessment.child_id for assessment in context["overdue"]),
        *(closure.case.child_id for closure in context["closures"]),
        *(service.child_id for service in context["waiting_services"]),
    ]


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def team_chart(request: AuthenticatedRequest, team_id: int) -> HttpResponse:
    """The team's caseloads as a chart (an image beside the table of the same numbers)."""
    team = selectors.team_get(user=request.user, team_id=team_id)
    loads = selectors.caseloads(user=request.user, workers=selectors.workers_in([team.pk]))
    rows = [
        {"worker": load.worker.full_name, "cases": count, "type": stage.label}
        for load in loads
        for stage, count in zip(selectors.STAGE_COLUMNS, load.columns, strict=True)
        if count
    ]
    chart = charts.bar_chart(
        rows or [{"worker": "No cases", "cases": 0, "type": "None"}],
        category="worker",
        value="cases",
        category_title="Worker",
        value_title="Open cases",
        colour_by="type",
        alt_text=f"Open cases of each worker in {team.name}, by type",
    )
    response = HttpResponse(chart.svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=60"
    return response


def _worker_choices(user: User, loads: list[selectors.Caseload]) -> list[tuple[str, str]]:
    choices = []
    for load in loads:
        parts = [f"{load.total} open case{'s' if load.total != 1 else ''}"]
        assessing = load.by_stage.get(codes.Stage.ASSESSMENT.value, 0)
        if assessing:
            parts.append(f"{assessing} assessment{'s' if assessing != 1 else ''}")
        if load.overdue_assessments:
            parts.append(f"{load.overdue_assessments} overdue")
        team = f", {load.worker.team.name}" if load.worker.team_id and load.worker.team else ""
        choices.append((str(load.worker.pk), f"{load.worker.full_name}{team}: {', '.join(parts)}"))
    return choices


def _allocate_page(
    request: AuthenticatedRequest, episode: Episode, case: Case | None
) -> HttpResponse:
    user = request.user
    require(request, "assessment.allocate_object", case or episode)
    open_child(request, episode.child, target=case or episode, page="allocate")
    team_ids = sorted(permissions.team_ids(user))
    loads = selectors.caseloads(user=user, workers=selectors.workers_in(team_ids))
    if case is not None and case.worker_id:
        loads = [load for load in loads if load.worker.pk != case.worker_id]
    form = AllocateForm(
        posted(request),
        choices=_worker_choices(user, loads),
        moving=case is not None and case.worker_id is not None,
    )
    if request.method == "POST" and form.is_valid():
        worker = next(
            load.worker for load in loads if str(load.worker.pk) == form.cleaned_data["worker"]
        )
        try:
            done = services.case_allocate(
                actor=request.actor,
                episode=episode,
                worker=worker,
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, f"{episode.child.full_name}'s case is allocated to {worker.full_name}"
            )
            if case is None and episode.receiving_team_id:
                return redirect("assessment:team", team_id=episode.receiving_team_id)
            return redirect(done.get_absolute_url())
    return render(
        request,
        "assessment/allocate.html",
        {
            **header_context(episode.child),
            "episode": episode,
            "case": case,
            "form": form,
            "loads": loads,
            "stage_columns": [stage.label for stage in selectors.STAGE_COLUMNS],
            "first_visit_due_at": case.first_visit_due_at
            if case
            else selectors.referrals_first_visit_due(episode),
        },
    )


@login_required
@permission_required(permissions.ALLOCATE, raise_exception=True)
@require_http_methods(["GET", "POST"])
@interruptible
def allocate(request: AuthenticatedRequest, episode_id: int) -> HttpResponse:
    """Allocate a referral waiting in the team's queue, seeing each worker's caseload."""
    episode = selectors.episode_to_allocate(user=request.user, episode_id=episode_id)
    case = Case.objects.filter(episode=episode).select_related("worker").first()
    if case is not None:
        return redirect("assessment:reallocate", case_id=case.pk)
    return _allocate_page(request, episode, None)


@login_required
@permission_required(permissions.ALLOCATE, raise_exception=True)
@require_http_methods(["GET", "POST"])
@interruptible
def reallocate(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    """Move a case to another worker, saying why; the history is kept."""
    case = selectors.case_get(user=request.user, case_id=case_id)
    if not case.episode.is_open:
        raise Http404("This case is closed")
    return _allocate_page(request, case.episode, case)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
@interruptible
def case(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    """The case: who holds it, its clocks, visits, assessments, plans (child in need and child
    protection), services and closure, with what the user may do next."""
    user = request.user
    found = selectors.case_get(user=user, case_id=case_id)
    open_child(request, found.child, target=found, page="case")
    records = selectors.case_records(user=user, case=found)
    pending = next((c for c in records.closures if c.is_pending), None)
    unfinished = next((a for a in records.assessments if a.authorised_at is None), None)
    current_plan = next((p for p in records.plans if p.end_date is None), None)
    last_authorised = next((a for a in records.assessments if a.authorised_at), None)
    can_work = user.has_perm("assessment.work_on_case_object", found)
    return render(
        request,
        "assessment/case.html",
        {
            **header_context(found.child),
            "case": found,
            "records": records,
            "pending_closure": pending,
            "unfinished": unfinished,
            "current_plan": current_plan,
            "last_authorised": last_authorised,
            "closure_blockers": services.closure_blockers(found) if can_work else [],
            "can_work": can_work,
            "can_assess": can_work and user.has_perm(permissions.WRITE),
            "can_plan": user.has_perm("assessment.manage_plan_object", found),
            "can_propose": user.has_perm("assessment.propose_closure_object", found),
            "can_reallocate": user.has_perm("assessment.allocate_object", found)
            and found.episode.is_open,
            "can_approve": pending is not None
            and user.has_perm("assessment.approve_closure_object", pending),
            "can_authorise": unfinished is not None
            and user.has_perm("assessment.authorise_assessment_object", unfinished),
            "now": timezone.now(),
        },
    )


def _case_for_work(request: AuthenticatedRequest, case_id: int, permission: str) -> Case:
    found = selectors.case_get(user=request.user, case_id=case_id)
    require(request, permission, found)
    return found


@login_required
@permission_required(permissions.WORK, raise_exception=True)
@require_http_methods(["GET", "POST"])
@interruptible
def visit_new(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    """Record a visit: when, where, whether the child was seen and alone, who was there."""
    found = _case_for_work(request, case_id, "assessment.work_on_case_object")
    open_child(request, found.child, target=found, page="visit")
    form = VisitForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_record(
                actor=request.actor,
                case=found,
                data=services.VisitData(
                    visited_at=data["visited_at"],
                    kind=data["kind"],
                    **form.visit_data(),
                    location=data.get("location", ""),
                    present=data.get("present", ""),
                    not_seen_reason=data.get("not_seen_reason", ""),
                    notes=data.get("notes", ""),
                ),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "The visit is recorded")
            return redirect(f"{found.get_absolute_url()}#visits")
    return render(
        request,
        "assessment/form_page.html",
        {
            **header_context(found.child),
            "case": found,
            "form": form,
            "title": "Record a visit",
            "button": "Save the visit",
        },
    )


@login_required
@permission_required(permissions.PROPOSE_CLOSURE, raise_exception=True)
@require_http_methods(["GET", "POST"])
@interruptible
def closure_new(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    """Propose closing the case: the date, the CIN reason, a closing summary."""
    found = _case_for_work(request, case_id, "assessment.propose_closure_object")
    open_child(request, found.child, target=found, page="closure")
    blockers = services.closure_blockers(found)
    last = selectors.latest_authorised_assessment(found)
    suggested = codes.OUTCOME_CLOSURE_REASON.get(codes.Outcome(last.outcome)) if last else None
    form = ClosureForm(
        posted(request),
        initial={"reason": suggested.value if suggested else "", "closed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.closure_propose(
                actor=request.actor,
                case=found,
                closed_on=data["closed_on"],
                reason=data["reason"],
                summary=data["summary"],
            )
        except ValidationError as error:
            add_errors(form, error, aliases={"case": "__all__"})
        else:
            messages.success(request, "Closing the case is proposed: the team manager will decide")
            return redirect(found.get_absolute_url())
    return render(
        request,
        "assessment/closure_form.html",
        {**header_context(found.child), "case": found, "form": form, "blockers": blockers},
    )


@login_required
@permission_required(permissions.APPROVE_CLOSURE, raise_exception=True)
@require_http_methods(["GET", "POST"])
@interruptible
def closure_decide(request: AuthenticatedRequest, closure_id: int) -> HttpResponse:
    """The team manager agrees the case can close (the episode closes) or keeps it open."""
    closure = selectors.closure_get(user=request.user, closure_id=closure_id)
    require(request, "assessment.approve_closure_object", closure)
    found = closure.case
    open_child(request, found.child, target=closure, page="closure-decision")
    form = ClosureDecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.closure_decide(
                actor=request.actor,
                closure=closure,
                approve=approve,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                f"{found.child.full_name}'s case is closed"
                if approve
                else f"{found.child.full_name}'s case stays open",
            )
            return redirect(found.get_absolute_url())
    return render(
        request,
        "assessment/closure_decide.html",
        {**header_context(found.child), "case": found, "closure": closure, "form": form},
    )
