"""Section 47 enquiries, initial conferences and child protection plans, for staff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core.http import AuthenticatedRequest
from haven.people.views.common import header_context
from haven.protection import forms, permissions, selectors, services
from haven.protection.models import PlanReview
from haven.protection.views.common import (
    add_errors,
    audit_view,
    record_opened,
    restricted_redirect,
)


@login_required
@permission_required(permissions.VIEW_S47, raise_exception=True)
@require_GET
def enquiry(request: AuthenticatedRequest, enquiry_id: int) -> HttpResponse:
    """A child's section 47 enquiry: started by which discussion, conference target date,
    outcome, and the initial conference and plan that followed."""
    record = selectors.enquiry_get(user=request.user, enquiry_id=enquiry_id)
    redirect_to = restricted_redirect(request, [record.child])
    if redirect_to is not None:
        return redirect_to
    audit_view(request, target=record, child_ids=[record.child_id], page="s47")
    conference = getattr(record, "conference", None)
    return render(
        request,
        "protection/enquiry.html",
        {
            **header_context(record.child),
            "enquiry": record,
            "conference": conference,
            "plan": getattr(conference, "plan", None) if conference else None,
            "can_record": request.user.has_perm(permissions.RECORD_CP),
            "can_assign": request.user.has_perm(permissions.CHAIR),
        },
    )


@login_required
@permission_required(permissions.RECORD_CP, raise_exception=True)
@require_http_methods(["GET", "POST"])
def conclude(request: AuthenticatedRequest, enquiry_id: int) -> HttpResponse:
    record = selectors.enquiry_get(user=request.user, enquiry_id=enquiry_id)
    stop = record_opened(request, target=record, children=[record.child], page="s47-conclude")
    if stop is not None:
        return stop
    form = forms.EnquiryOutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.section47_conclude(
                actor=request.actor,
                enquiry=record,
                data=services.EnquiryOutcome(
                    end_date=data["end_date"],
                    concerns_substantiated=forms.yes_no(data["concerns_substantiated"]),
                    conference_needed=forms.yes_no(data["conference_needed"]),
                    outcome_detail=data["outcome_detail"],
                ),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Section 47 enquiry concluded")
            return redirect(record.get_absolute_url())
    return render(
        request,
        "protection/form_page.html",
        {
            **header_context(record.child),
            "form": form,
            "title": "Conclude the section 47 enquiry",
            "caption": record.reference,
            "back": record.get_absolute_url(),
            "submit": "Save the outcome",
        },
    )


@login_required
@permission_required(permissions.CHAIR, raise_exception=True)
@require_http_methods(["GET", "POST"])
def assign(request: AuthenticatedRequest, enquiry_id: int) -> HttpResponse:
    """A manager names the social worker leading the enquiry (its conference and plan
    follow), from the enquiry's team and the manager's own teams."""
    record = selectors.enquiry_get(user=request.user, enquiry_id=enquiry_id)
    stop = record_opened(request, target=record, children=[record.child], page="s47-worker")
    if stop is not None:
        return stop
    team_ids = selectors.team_ids_of(request.user)
    if record.team_id is not None:
        team_ids.append(record.team_id)
    form = forms.WorkerForm(
        request.POST or None, initial={"worker": record.worker_id}, team_ids=team_ids
    )
    if request.method == "POST" and form.is_valid():
        worker = form.cleaned_data["worker"]
        try:
            services.section47_assign(actor=request.actor, enquiry=record, worker=worker)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"{worker.full_name} is the social worker")
            return redirect(record.get_absolute_url())
    return render(
        request,
        "protection/form_page.html",
        {
            **header_context(record.child),
            "form": form,
            "title": "Assign the social worker",
            "caption": record.reference,
            "back": record.get_absolute_url(),
            "submit": "Assign",
        },
    )


@login_required
@permission_required(permissions.RECORD_CP, raise_exception=True)
@require_http_methods(["GET", "POST"])
def conference(request: AuthenticatedRequest, conference_id: int) -> HttpResponse:
    """Record the initial child protection conference and whether a plan starts."""
    record = selectors.conference_get(user=request.user, conference_id=conference_id)
    stop = record_opened(request, target=record, children=[record.child], page="icpc")
    if stop is not None:
        return stop
    form = forms.ConferenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.conference_record(
                actor=request.actor,
                conference=record,
                data=services.ConferenceOutcome(
                    held_on=data["held_on"],
                    plan_needed=forms.yes_no(data["plan_needed"]),
                    category=data.get("category") or "",
                    chair_name=data.get("chair_name", ""),
                    outcome_detail=data.get("outcome_detail", ""),
                ),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Initial child protection conference recorded")
            return redirect(record.get_absolute_url())
    return render(
        request,
        "protection/form_page.html",
        {
            **header_context(record.child),
            "form": form,
            "title": "Record the initial child protection conference",
            "caption": f"Target date {record.target_date:%-d %B %Y}",
            "back": record.get_absolute_url(),
            "submit": "Save the conference",
        },
    )


@login_required
@permission_required(permissions.VIEW_PLAN, raise_exception=True)
@require_GET
def plans(request: AuthenticatedRequest) -> HttpResponse:
    """Children on a child protection plan now, with their next review conference."""
    current_only = request.GET.get("show") != "all"
    page = Paginator(selectors.plan_list(user=request.user, current_only=current_only), 50)
    shown = page.get_page(request.GET.get("page"))
    rows = list(shown.object_list)
    if rows:
        # One event for the list (the names shown), not one per child: a list is not a record.
        event_record(
            actor=request.actor,
            action=Event.Action.VIEW,
            object_type="protection.childprotectionplan",
            detail={"page": "plans", "children": [p.child_id for p in rows]},
        )
    return render(request, "protection/plans.html", {"page": shown, "current_only": current_only})


@login_required
@permission_required(permissions.VIEW_PLAN, raise_exception=True)
@require_GET
def plan(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    record = selectors.plan_get(user=request.user, plan_id=plan_id)
    redirect_to = restricted_redirect(request, [record.child])
    if redirect_to is not None:
        return redirect_to
    audit_view(request, target=record, child_ids=[record.child_id], page="plan")
    return render(
        request,
        "protection/plan.html",
        {
            **header_context(record.child),
            "plan": record,
            "reviews": list(record.reviews.order_by("due_date")),
            "can_record": request.user.has_perm(permissions.RECORD_CP),
            "can_assign": request.user.has_perm(permissions.CHAIR),
        },
    )


@login_required
@permission_required(permissions.RECORD_CP, raise_exception=True)
@require_http_methods(["GET", "POST"])
def review(request: AuthenticatedRequest, plan_id: int, review_id: int) -> HttpResponse:
    record = selectors.plan_get(user=request.user, plan_id=plan_id)
    due = get_object_or_404(PlanReview, pk=review_id, plan=record)
    stop = record_opened(request, target=due, children=[record.child], page="plan-review")
    if stop is not None:
        return stop
    if due.held_on is not None:
        raise PermissionDenied("This review has already been recorded.")
    form = forms.ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_review_record(
                actor=request.actor,
                review=due,
                data=services.ReviewOutcome(
                    held_on=data["held_on"],
                    continue_plan=forms.yes_no(data["continue_plan"]),
                    category=data.get("category") or "",
                    quorate=forms.yes_no(data.get("quorate")),
                    notes=data.get("notes", ""),
                ),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Review conference recorded")
            return redirect(record.get_absolute_url())
    return render(
        request,
        "protection/form_page.html",
        {
            **header_context(record.child),
            "form": form,
            "title": "Record a review child protection conference",
            "caption": f"Due by {due.due_date:%-d %B %Y}",
            "back": record.get_absolute_url(),
            "submit": "Save the review",
        },
    )


@login_required
@permission_required(permissions.RECORD_CP, raise_exception=True)
@require_http_methods(["GET", "POST"])
def plan_end(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    record = selectors.plan_get(user=request.user, plan_id=plan_id)
    stop = record_opened(request, target=record, children=[record.child], page="plan-end")
    if stop is not None:
        return stop
    form = forms.PlanEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_end(
                actor=request.actor,
                plan=record,
                end_date=form.cleaned_data["end_date"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Child protection plan ended")
            return redirect(record.get_absolute_url())
    return render(
        request,
        "protection/form_page.html",
        {
            **header_context(record.child),
            "form": form,
            "title": "End the child protection plan",
            "caption": "Outside a review conference: for example, the child moved to another area",
            "back": record.get_absolute_url(),
            "submit": "End the plan",
            "warning": True,
        },
    )
