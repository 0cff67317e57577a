from typing import Any

from django.conf import settings
from django.http import HttpRequest

from haven.core import navigation


def haven(request: HttpRequest) -> dict[str, Any]:
    """What the base template needs on every page: the council, demo mode, navigation."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "council_name": settings.HAVEN_COUNCIL_NAME,
        "service_name": settings.HAVEN_SERVICE_NAME,
        "phase": settings.HAVEN_PHASE,
        "demo_mode": settings.HAVEN_DEMO_MODE,
        "idle_timeout_seconds": settings.HAVEN_IDLE_TIMEOUT_SECONDS,
        "idle_warning_seconds": settings.HAVEN_IDLE_WARNING_SECONDS,
        "navigation": navigation.items_for(request) if signed_in else [],
    }
