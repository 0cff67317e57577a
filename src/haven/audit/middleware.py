from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core.actor import Actor


class PermissionDeniedAuditMiddleware:
    """Every refusal (a view raising PermissionDenied) is recorded before the 403 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, PermissionDenied):
            actor = getattr(request, "actor", None) or Actor.from_request(request)
            event_record(
                actor=actor,
                action=Event.Action.PERMISSION_DENIED,
                object_type="page",
                object_id=request.path[:64],
                detail={"method": request.method, "path": request.path},
            )
