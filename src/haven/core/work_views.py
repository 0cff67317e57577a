"""My work and Team work: every section the user's roles give them, as plain tables."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from haven.core import worklists
from haven.core.http import AuthenticatedRequest


def _page(request: AuthenticatedRequest, scope: str) -> HttpResponse:
    groups = worklists.build(request, scope)
    total = sum(s.total for g in groups for s in g.sections)
    overdue = sum(s.overdue for g in groups for s in g.sections)
    return render(
        request,
        "core/work_queue.html",
        {
            "scope": scope,
            "groups": groups,
            "total": total,
            "overdue": overdue,
            "title": "My work" if scope == worklists.MINE else "Team work",
        },
    )


@login_required
@require_GET
def my_work(request: AuthenticatedRequest) -> HttpResponse:
    """What is assigned to me, overdue first, in every area I work in."""
    return _page(request, worklists.MINE)


@login_required
@require_GET
def team_work(request: AuthenticatedRequest) -> HttpResponse:
    """Everything open in my teams (and the teams I manage), overdue first."""
    return _page(request, worklists.TEAM)
