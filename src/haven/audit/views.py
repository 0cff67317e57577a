import csv
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from haven.audit import selectors
from haven.audit.forms import EventFilterForm
from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core.exports import csv_safe
from haven.core.http import AuthenticatedRequest

PAGE_SIZE = 50


def _filtered(request: AuthenticatedRequest) -> tuple[EventFilterForm, Any]:
    form = EventFilterForm(request.GET or None, object_types=selectors.object_types_recorded())
    filters = form.to_filter() if form.is_valid() else selectors.EventFilter()
    return form, selectors.events_search(user=request.user, filters=filters)


@login_required
@permission_required("audit.view_audit_log", raise_exception=True)
def events(request: AuthenticatedRequest) -> HttpResponse:
    """Who looked at a record, what a person looked at, in a date range."""
    form, found = _filtered(request)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # read before this search is itself recorded
    # Looking through the audit log is itself recorded: what was asked, and which page.
    event_record(
        actor=request.actor,
        action=Event.Action.SEARCH,
        object_type="audit.event",
        child_id=form.cleaned_data.get("child_id") if form.is_valid() else None,
        detail={"filters": _filters(request), "page": page.number},
    )
    return render(request, "audit/events.html", {"form": form, "page": page})


def _filters(request: AuthenticatedRequest) -> dict[str, str]:
    return {key: str(value) for key, value in request.GET.items() if key != "page" and value}


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
@permission_required("audit.export_audit_log", raise_exception=True)
def events_export(request: AuthenticatedRequest) -> StreamingHttpResponse:
    """The same filtered events as CSV. The export itself is audited."""
    _form, found = _filtered(request)
    event_record(
        actor=request.actor,
        action=Event.Action.EXPORT,
        object_type="audit.event",
        detail={"filters": request.GET.dict()},
    )
    writer = csv.writer(_Echo())
    header = [
        "id",
        "occurred_at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "child_id",
        "ip_address",
        "user_agent",
        "reason",
        "hash",
    ]

    def rows() -> Any:
        yield writer.writerow(header)
        for event in found.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    csv_safe(value)
                    for value in (
                        event.id,
                        timezone.localtime(event.occurred_at).isoformat(),
                        event.actor_label,
                        event.action,
                        event.object_type,
                        event.object_id,
                        event.child_id or "",
                        event.ip_address or "",
                        event.user_agent,
                        event.reason,
                        event.hash,
                    )
                ]
            )

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(rows(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
