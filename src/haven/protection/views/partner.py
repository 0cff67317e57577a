"""What a partner agency's user sees: the recorded strategy discussions their agency was
invited to, and nothing else. Only the children the record concerns (the name and date of
birth as on the record) and what the record holds; no link to a child's page, chronology or
any other record. They mark their own agency's actions done, with a note. Every view is
audited.

These views reach records only through ``selectors.strategy_discussions_shared_with`` and
its helpers, so a discussion, child or action outside it is a 404 whatever the URL."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from haven.core.http import AuthenticatedRequest
from haven.protection import forms, pdf, permissions, selectors, services
from haven.protection.models import StrategyDiscussion
from haven.protection.views.common import add_errors, audit_list, audit_view
from haven.protection.views.discussions import pdf_response


def _audit(request: AuthenticatedRequest, record: StrategyDiscussion, page: str) -> None:
    audit_view(
        request,
        target=record,
        child_ids=[s.child_id for s in record.subjects.all()],
        page=page,
        extra={"partner_agency": str(request.user.agency or "")},
    )


@login_required
@permission_required(permissions.VIEW_SHARED, raise_exception=True)
@require_GET
def shared_list(request: AuthenticatedRequest) -> HttpResponse:
    """The records shared with the partner's agency, newest first, with their open actions."""
    shared = (
        selectors.strategy_discussions_shared_with(request.user)
        .prefetch_related("subjects", "actions")
        .order_by("-held_at", "-id")
    )
    page = Paginator(shared, 50).get_page(request.GET.get("page"))
    discussions = list(page.object_list)
    audit_list(
        request,
        child_ids=[s.child_id for d in discussions for s in d.subjects.all()],
        page="shared-list",
        extra={
            "partner_agency": str(request.user.agency or ""),
            "discussions": [d.pk for d in discussions],
        },
    )
    return render(
        request,
        "protection/partner/shared_list.html",
        {"discussions": discussions, "page": page, "agency": request.user.agency},
    )


@login_required
@permission_required(permissions.VIEW_SHARED, raise_exception=True)
@require_GET
def shared_discussion(request: AuthenticatedRequest, discussion_id: int) -> HttpResponse:
    record = selectors.shared_discussion_get(user=request.user, discussion_id=discussion_id)
    _audit(request, record, "sd-shared")
    return render(
        request,
        "protection/partner/shared_discussion.html",
        {
            "discussion": record,
            "subjects": list(record.subjects.all()),
            "agencies": list(record.agencies.all()),
            "actions": list(record.actions.all()),
            "agency_id": request.user.agency_id,
            "can_complete": request.user.has_perm(permissions.PARTNER_ACTION),
        },
    )


@login_required
@permission_required(permissions.VIEW_SHARED, raise_exception=True)
@require_GET
def shared_pdf(request: AuthenticatedRequest, discussion_id: int) -> HttpResponse:
    record = selectors.shared_discussion_get(user=request.user, discussion_id=discussion_id)
    body = pdf.discussion_pdf(record, printed_by=request.user, for_partner=True)
    services.discussion_print(actor=request.actor, discussion=record, partner=True)
    return pdf_response(record, body)


@login_required
@permission_required(permissions.PARTNER_ACTION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def shared_action_done(
    request: AuthenticatedRequest, discussion_id: int, action_id: int
) -> HttpResponse:
    """Mark one of the agency's own actions done, with the date and a note."""
    action = selectors.shared_action_get(
        user=request.user, discussion_id=discussion_id, action_id=action_id
    )
    record = action.discussion
    form = forms.ActionDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.discussion_action_complete(
                actor=request.actor,
                action=action,
                done_on=form.cleaned_data["done_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Action marked done. The chair can see it.")
            return redirect("protection:shared-discussion", record.pk)
    if request.method == "GET":
        _audit(request, record, "sd-shared-action")
    return render(
        request,
        "protection/action_done.html",
        {
            "form": form,
            "discussion": record,
            "action": action,
            "back": reverse("protection:shared-discussion", args=[record.pk]),
        },
    )
