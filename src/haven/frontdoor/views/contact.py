"""The contact page and what is done from it: information requests, assignment, withdrawal,
and the original email and its attachments."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from haven.accounts.models import User
from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core.http import AuthenticatedRequest
from haven.frontdoor import codes, permissions, selectors, services
from haven.frontdoor.forms import (
    AssignForm,
    InformationAnswerForm,
    InformationRequestForm,
    ReasonForm,
)
from haven.frontdoor.models import EmailAttachment
from haven.frontdoor.views.common import (
    form_errors_from,
    interruptible,
    open_contact,
    require_object,
    safe_next,
)


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
@interruptible
def contact(request: AuthenticatedRequest, contact_id: int) -> HttpResponse:
    """Everything about one contact: who, from whom, the concerns, the original email or
    police notification, information gathered, the decision and its oversight."""
    found = open_contact(request, contact_id, audit="contact")
    record = selectors.contact_record(found)
    user = request.user
    status = selectors.status_of(found)
    return render(
        request,
        "frontdoor/contact.html",
        {
            "contact": found,
            "record": record,
            "status": status,
            "status_colour": codes.STATUS_COLOURS[status],
            "children": [p for p in found.people.all() if p.role == codes.PersonRole.CHILD],
            "adults": [p for p in found.people.all() if p.role == codes.PersonRole.ADULT],
            "categories": list(found.concern_categories.all()),
            "can_change": user.has_perm("frontdoor.change_contact_object", found),
            "can_answer": user.has_perm("frontdoor.answer_information_object", found),
            "can_decide": user.has_perm("frontdoor.decide_contact_object", found),
            "can_review": user.has_perm("frontdoor.review_decision_object", found),
            "can_oversee": user.has_perm("frontdoor.oversee_contact_object", found),
            "can_withdraw": user.has_perm("frontdoor.withdraw_contact_object", found),
            "can_assign": user.has_perm(permissions.ASSIGN) and found.is_open,
            "can_take": user.has_perm(permissions.RECORD)
            and found.is_open
            and found.assigned_to_id is None,
        },
    )


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_http_methods(["GET", "POST"])
@interruptible
def information_new(request: AuthenticatedRequest, contact_id: int) -> HttpResponse:
    """Record a request for information to another agency."""
    found = open_contact(request, contact_id)
    require_object(request, "frontdoor.change_contact_object", found)
    form = InformationRequestForm(
        request.POST or None,
        initial={"requested_at": timezone.localtime().replace(second=0, microsecond=0)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.information_request_add(
                actor=request.actor, contact=found, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, f"Request to {form.cleaned_data['agency_name']} recorded")
            return redirect(found.get_absolute_url() + "#information")
    return render(request, "frontdoor/information_form.html", {"contact": found, "form": form})


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_http_methods(["GET", "POST"])
@interruptible
def information_answer(
    request: AuthenticatedRequest, contact_id: int, request_id: int
) -> HttpResponse:
    """Record what came back from an agency, and when: also once the contact is decided or
    closed, because answers come late."""
    found = open_contact(request, contact_id, audit="information answer")
    require_object(request, "frontdoor.answer_information_object", found)
    asked = get_object_or_404(found.information, pk=request_id, answered_at__isnull=True)
    form = InformationAnswerForm(
        request.POST or None,
        initial={"answered_at": timezone.localtime().replace(second=0, microsecond=0)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.information_request_answer(
                actor=request.actor, request=asked, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, f"Answer from {asked.agency_name} recorded")
            return redirect(found.get_absolute_url() + "#information")
    return render(
        request,
        "frontdoor/information_answer.html",
        {"contact": found, "form": form, "asked": asked},
    )


@login_required
@permission_required(permissions.RECORD, raise_exception=True)
@require_POST
def take(request: AuthenticatedRequest, contact_id: int) -> HttpResponse:
    """Assign an unassigned contact to myself (from a queue or the contact page)."""
    found = selectors.contact_get(user=request.user, contact_id=contact_id)
    try:
        services.contact_assign(actor=request.actor, contact=found, assignee=request.user)
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    else:
        messages.success(request, f"{found.reference} is assigned to you")
    return redirect(
        safe_next(request, request.META.get("HTTP_REFERER") or found.get_absolute_url())
    )


@login_required
@permission_required(permissions.ASSIGN, raise_exception=True)
@require_http_methods(["GET", "POST"])
@interruptible
def assign(request: AuthenticatedRequest, contact_id: int) -> HttpResponse:
    """Assign or reassign a contact to a worker in the team."""
    found = open_contact(request, contact_id)
    if not found.is_open:
        raise PermissionDenied
    workers = selectors.queue_workers(request.user)
    if found.assigned_to is not None and found.assigned_to not in workers:
        workers = [found.assigned_to, *workers]
    current = str(found.assigned_to_id) if found.assigned_to_id else "none"
    form = AssignForm(request.POST or None, workers=workers, initial={"assignee": current})
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["assignee"]
        assignee = None if choice == "none" else User.objects.get(pk=int(choice))
        try:
            services.contact_assign(actor=request.actor, contact=found, assignee=assignee)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            who = assignee.full_name if assignee else "nobody"
            messages.success(request, f"{found.reference} is now assigned to {who}")
            return redirect(safe_next(request, found.get_absolute_url()))
    return render(
        request,
        "frontdoor/assign.html",
        {"contact": found, "form": form, "next": safe_next(request, "")},
    )


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
@require_http_methods(["GET", "POST"])
@interruptible
def withdraw(request: AuthenticatedRequest, contact_id: int) -> HttpResponse:
    """Close a contact without a decision: a duplicate, one started in error, an email that
    is not about a child. The reason is kept."""
    found = open_contact(request, contact_id)
    require_object(request, "frontdoor.withdraw_contact_object", found)
    form = ReasonForm(request.POST or None)
    form.fields["reason"].label = "Why is this contact being closed without a decision?"
    form.fields[
        "reason"
    ].help_text = (
        "For example, a duplicate of contact C000123, or an email that is not about a child."
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_withdraw(
                actor=request.actor, contact=found, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, f"{found.reference} has been closed without a decision")
            return redirect(found.get_absolute_url())
    return render(request, "frontdoor/withdraw.html", {"contact": found, "form": form})


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
def email_original(request: AuthenticatedRequest, email_id: int) -> HttpResponseBase:
    """The original message as it arrived (an .eml or .msg file). Audited."""
    email = selectors.email_get(user=request.user, email_id=email_id)
    _audit_file(request, email, email.contact_id, "original")
    extension = "msg" if (email.raw.name or "").endswith(".msg") else "eml"
    return _file(
        email.raw,
        f"{email.contact.reference if email.contact else 'email'}.{extension}",
        "application/octet-stream",
    )


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
def attachment(request: AuthenticatedRequest, attachment_id: int) -> HttpResponseBase:
    """A kept attachment, downloaded (never shown inline). Audited."""
    found = EmailAttachment.objects.select_related("email").filter(pk=attachment_id).first()
    if found is None or not found.is_kept or not found.file:
        raise Http404("No such attachment")
    selectors.email_get(user=request.user, email_id=found.email_id)
    _audit_file(request, found, found.email.contact_id, "attachment")
    return _file(found.file, found.filename, found.content_type or "application/octet-stream")


def _audit_file(
    request: AuthenticatedRequest, target: Any, contact_id: int | None, what: str
) -> None:
    children: list[int | None] = [None]
    if contact_id:
        children = [
            pid
            for pid in selectors.contacts_visible(request.user)
            .filter(pk=contact_id)
            .values_list("people__person_id", flat=True)
            if pid
        ] or [None]
    for child_id in children:
        event_record(
            actor=request.actor,
            action=Event.Action.EXPORT,
            target=target,
            child_id=child_id,
            detail={"download": what},
        )


def _file(field: Any, filename: str, content_type: str) -> FileResponse:
    handle = field.open("rb")
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
