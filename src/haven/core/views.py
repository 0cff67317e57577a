from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from haven.core import home as home_panels
from haven.core.http import AuthenticatedRequest


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    """Each role's home page: the panels that have something for this user."""
    return render(request, "core/home.html", {"panels": home_panels.panels_for(request)})


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    return redirect(static("dist/assets/images/favicon.ico"))


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For the load balancer: the process answers and the database is reachable."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors here: the failure may be in one of them or in the database.
    from django.template import loader

    template = loader.get_template("errors/500.html").template  # type: ignore[attr-defined]
    return HttpResponse(template.render(_plain_context(request)), status=500)


def _plain_context(request: HttpRequest) -> Any:
    from django.conf import settings
    from django.template import Context

    return Context(
        {"council_name": settings.HAVEN_COUNCIL_NAME, "service_name": settings.HAVEN_SERVICE_NAME}
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/csrf.html", status=403)
