"""The front door's own page: the ways in, and where things stand."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import render

from haven.core.http import AuthenticatedRequest
from haven.frontdoor import panels, permissions


@login_required
@permission_required(permissions.VIEW, raise_exception=True)
def index(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "frontdoor/index.html", panels.front_door(request) or {})
