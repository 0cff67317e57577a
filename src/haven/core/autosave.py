"""The server side of `static/haven/autosave.js`: drafts saved as the worker types.

The script posts the form to its own URL with the header `X-Haven-Autosave: 1`. A view
asks `is_autosave(request)` and answers with `autosave_response(errors)`: JSON saying
whether the draft was saved, when, and what could not be read yet (such as half a date).
"""

from __future__ import annotations

from django.forms import BaseForm
from django.http import HttpRequest, JsonResponse
from django.utils import timezone

from haven.core.calendar import local_tz

AUTOSAVE_HEADER = "HTTP_X_HAVEN_AUTOSAVE"


def is_autosave(request: HttpRequest) -> bool:
    return request.method == "POST" and request.META.get(AUTOSAVE_HEADER) == "1"


def autosave_response(
    errors: dict[str, list[str]] | None = None, *, status: int = 0
) -> JsonResponse:
    """200 with the time saved, or 422 (nothing saved) with the messages by field."""
    saved_at = timezone.localtime(timezone.now(), local_tz())
    return JsonResponse(
        {"saved": not errors, "saved_at": f"{saved_at:%H:%M}", "errors": errors or {}},
        status=status or (422 if errors else 200),
    )


def form_errors(form: BaseForm) -> dict[str, list[str]]:
    """A bound, invalid form's messages by field, for ``autosave_response``."""
    return {
        field: [str(message) for message in messages] for field, messages in form.errors.items()
    }
