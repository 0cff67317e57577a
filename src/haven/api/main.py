"""The REST API, mounted at /api/v1. Each app with an ``api.py`` exposing ``ROUTES`` (a list of
``(prefix, Router)``) is mounted here; the OpenAPI schema is at /api/v1/openapi.json."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from haven.api.auth import SessionAuth, TokenAuth, api_actor
from haven.audit.models import Event
from haven.audit.services import event_record

api = NinjaAPI(
    title="Haven API",
    version="1",
    description=(
        "Haven's API for partner systems and integrations. Every call is permission-checked "
        "and scoped to the caller; every read of a child's record is audited. Tokens carry "
        "scopes; sessions are limited by the person's role."
    ),
    auth=[SessionAuth(), TokenAuth()],
    urls_namespace="api",
    docs_url=None,  # the interactive page loads scripts from a CDN, which our CSP forbids
)


@api.exception_handler(PermissionDenied)
def _permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    event_record(
        actor=api_actor(request),
        action=Event.Action.PERMISSION_DENIED,
        object_type="api",
        object_id=request.path[:64],
        detail={"method": request.method, "path": request.path},
    )
    return api.create_response(
        request, {"detail": str(exc) or "You do not have permission to do this."}, status=403
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": "Sign in, or send a valid API token as 'Authorization: Bearer ...'."},
        status=401,
    )


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "field": ".".join(str(part) for part in error.get("loc", [])[1:]) or None,
            "message": error.get("msg", "Invalid value"),
        }
        for error in exc.errors
    ]
    return api.create_response(
        request, {"detail": "The request is not valid.", "errors": errors}, status=422
    )


for config in apps.get_app_configs():
    if not config.name.startswith("haven.") or config.name == "haven.api":
        continue
    try:
        module = importlib.import_module(f"{config.name}.api")
    except ModuleNotFoundError as error:
        if error.name != f"{config.name}.api":
            raise
        continue
    for prefix, router in getattr(module, "ROUTES", []):
        api.add_router(prefix, router)
