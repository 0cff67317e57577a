"""The twice-daily workflow report in the browser: any past report, and one made now."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core.http import AuthenticatedRequest
from haven.frontdoor import codes, permissions, selectors, services
from haven.frontdoor.models import ContactPerson


@login_required
@permission_required(permissions.VIEW_REPORT, raise_exception=True)
def reports(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(selectors.reports_visible(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "frontdoor/reports.html", {"page": page})


@login_required
@permission_required(permissions.VIEW_REPORT, raise_exception=True)
def report(request: AuthenticatedRequest, report_id: int) -> HttpResponse:
    """One report as it was made: totals by status, channel and RAG, then every contact."""
    found = selectors.report_get(user=request.user, report_id=report_id)
    rows = list(found.rows.order_by("hours_to_deadline", "id"))
    # Every row names its children, so the read is recorded against them all (one event, as
    # for other lists of children), found through the contacts the rows describe.
    children = sorted(
        set(
            ContactPerson.objects.filter(
                contact_id__in=[row.contact_id for row in rows if row.contact_id],
                role=codes.PersonRole.CHILD,
                person__isnull=False,
            ).values_list("person_id", flat=True)
        )
    )
    event_record(
        actor=request.actor,
        action=Event.Action.VIEW,
        target=found,
        detail={"page": "workflow-report", "contacts": len(rows), "children": children},
    )
    totals = found.totals or {}
    return render(
        request,
        "frontdoor/report.html",
        {
            "report": found,
            "rows": rows,
            "status_totals": [
                (codes.Status(key).label, value) for key, value in totals.get("status", {}).items()
            ],
            "channel_totals": [
                (codes.Channel(key).label, value)
                for key, value in totals.get("channel", {}).items()
            ],
            "rag_totals": totals.get("rag", {}),
            "totals": totals,
            "statuses": dict(codes.Status.choices),
            "channels": dict(codes.Channel.choices),
        },
    )


@login_required
@permission_required(permissions.VIEW_REPORT, raise_exception=True)
@require_POST
def report_now(request: AuthenticatedRequest) -> HttpResponse:
    """Make a report now (between the scheduled ones); it is kept like them, not emailed."""
    made = services.workflow_report_make(actor=request.actor, send=False)
    messages.success(request, "Workflow report made")
    return redirect(made.get_absolute_url())
