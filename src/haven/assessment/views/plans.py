"""Child in need plans (start, review, end) and services (agreed, started, ended)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from haven.assessment import permissions, selectors, services
from haven.assessment.forms import (
    PlanEndForm,
    PlanReviewForm,
    PlanStartForm,
    ServiceDateForm,
    ServiceForm,
)
from haven.assessment.models import CinPlan
from haven.assessment.views.common import add_errors, interruptible, open_child, posted, require
from haven.core.http import AuthenticatedRequest
from haven.people.views.common import header_context


@login_required
@permission_required(permissions.PLAN, raise_exception=True)
@require_http_methods(["GET", "POST"])
@interruptible
def plan_start(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    """Start a child in need plan, from what the assessment said needs to happen."""
    case = selectors.case_get(user=request.user, case_id=case_id)
    require(request, "assessment.manage_plan_object", case)
    open_child(request, case.child, target=case, page="plan-start")
    assessment = selectors.latest_authorised_assessment(case)
    form = PlanStartForm(
        posted(request),
        initial={
            "start_date": timezone.localdate(),
            "needs_to_happen": assessment.needs_to_happen if assessment else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.cin_plan_start(
                actor=request.actor,
                case=case,
                start_date=form.cleaned_data["start_date"],
                needs_to_happen=form.cleaned_data["needs_to_happen"],
                assessment=assessment,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "The child in need plan has started")
            return redirect(plan.get_absolute_url())
    return render(
        request,
        "assessment/form_page.html",
        {
            **header_context(case.child),
            "case": case,
            "form": form,
            "title": "Start a child in need plan",
            "intro": "The first review is set for you when the plan starts.",
            "button": "Start the plan",
        },
    )


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
@require_GET
@interruptible
def plan(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    """A child in need plan: what needs to happen, its reviews, the services under it."""
    found = selectors.plan_get(user=request.user, plan_id=plan_id)
    open_child(request, found.child, target=found, page="cin-plan")
    reviews = list(found.reviews.all())
    return render(
        request,
        "assessment/plan.html",
        {
            **header_context(found.child),
            "plan": found,
            "case": found.case,
            "reviews": reviews,
            "due_review": next((r for r in reviews if r.held_on is None), None),
            "services": list(found.services.all()),
            "can_manage": found.is_current
            and request.user.has_perm("assessment.manage_plan_object", found),
        },
    )


def _current_plan(request: AuthenticatedRequest, plan_id: int, page: str) -> CinPlan:
    found = selectors.plan_get(user=request.user, plan_id=plan_id)
    require(request, "assessment.manage_plan_object", found)
    if not found.is_current:
        raise Http404("This plan has ended")
    open_child(request, found.child, target=found, page=page)
    return found


@login_required
@permission_required(permissions.PLAN, raise_exception=True)
@require_http_methods(["GET", "POST"])
@interruptible
def plan_review(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    """Record the plan's review; the next is set, or the plan ends."""
    found = _current_plan(request, plan_id, "cin-plan-review")
    form = PlanReviewForm(posted(request), initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.cin_plan_review_record(
                actor=request.actor,
                plan=found,
                held_on=data["held_on"],
                outcome=data["outcome"],
                notes=data["notes"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "The review is recorded")
            return redirect(found.get_absolute_url())
    return render(
        request,
        "assessment/form_page.html",
        {
            **header_context(found.child),
            "case": found.case,
            "form": form,
            "title": "Record the plan review",
            "back": found.get_absolute_url(),
            "button": "Save the review",
        },
    )


@login_required
@permission_required(permissions.PLAN, raise_exception=True)
@require_http_methods(["GET", "POST"])
@interruptible
def plan_end(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    """End the plan outside a review."""
    found = _current_plan(request, plan_id, "cin-plan-end")
    form = PlanEndForm(posted(request), initial={"end_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.cin_plan_end(
                actor=request.actor,
                plan=found,
                end_date=form.cleaned_data["end_date"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "The child in need plan has ended")
            return redirect(found.get_absolute_url())
    return render(
        request,
        "assessment/form_page.html",
        {
            **header_context(found.child),
            "case": found.case,
            "form": form,
            "title": "End the child in need plan",
            "back": found.get_absolute_url(),
            "button": "End the plan",
            "warning": True,
        },
    )


@login_required
@permission_required(permissions.PLAN, raise_exception=True)
@require_http_methods(["GET", "POST"])
@interruptible
def service_new(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    """Record a service agreed for the child or family (started, or still to start)."""
    case = selectors.case_get(user=request.user, case_id=case_id)
    require(request, "assessment.manage_plan_object", case)
    open_child(request, case.child, target=case, page="service-new")
    form = ServiceForm(
        posted(request),
        types=selectors.service_types(),
        initial={"agreed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        current = case.plans.filter(end_date__isnull=True).first()
        try:
            services.service_add(
                actor=request.actor,
                case=case,
                service_type=data["service_type"],
                provider=data["provider"],
                agreed_on=data["agreed_on"],
                start_date=data.get("start_date"),
                notes=data.get("notes", ""),
                plan=current,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "The service is recorded")
            return redirect(f"{case.get_absolute_url()}#services")
    return render(
        request,
        "assessment/form_page.html",
        {
            **header_context(case.child),
            "case": case,
            "form": form,
            "title": "Record a service",
            "intro": "Record a service when it is agreed, even if it has not started: the wait "
            "until it starts is measured.",
            "button": "Save the service",
        },
    )


@login_required
@permission_required(permissions.PLAN, raise_exception=True)
@require_http_methods(["GET", "POST"])
@interruptible
def service_change(request: AuthenticatedRequest, service_id: int, change: str) -> HttpResponse:
    """A waiting service has started, or a running one has ended."""
    service = selectors.service_get(user=request.user, service_id=service_id)
    require(request, "assessment.manage_plan_object", service.case)
    if change not in ("start", "end"):
        raise Http404("No such change")
    open_child(request, service.child, target=service, page=f"service-{change}")
    starting = change == "start"
    form = ServiceDateForm(
        posted(request),
        label="Date the service started" if starting else "Date the service ended",
        required_message="Enter the date the service started"
        if starting
        else "Enter the date the service ended",
        initial={"day": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["day"]
        try:
            if starting:
                services.service_start(actor=request.actor, service=service, start_date=day)
            else:
                services.service_end(actor=request.actor, service=service, end_date=day)
        except ValidationError as error:
            add_errors(form, error, aliases={"start_date": "day", "end_date": "day"})
        else:
            messages.success(
                request, f"{service.service_type.name} has {'started' if starting else 'ended'}"
            )
            return redirect(f"{service.case.get_absolute_url()}#services")
    return render(
        request,
        "assessment/form_page.html",
        {
            **header_context(service.child),
            "case": service.case,
            "form": form,
            "title": f"{service.service_type.name} from {service.provider}",
            "intro": f"Agreed on {service.agreed_on:%-d %B %Y}.",
            "button": "Save",
        },
    )
