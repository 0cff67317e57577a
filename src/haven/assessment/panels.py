"""The home-page panel and the child's-page section from allocation and assessment."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from haven.assessment import permissions, selectors
from haven.assessment.models import Assessment, Case, Closure
from haven.core.http import AuthenticatedRequest
from haven.frontdoor.models import Episode
from haven.people.models import Person


def home(request: AuthenticatedRequest) -> dict[str, Any] | None:
    """For those who hold cases: their own; for managers: what waits for them. Four queries."""
    user = request.user
    if not user.has_perm(permissions.VIEW) or not user.has_perm(permissions.WORK):
        return None
    now = timezone.now()
    mine = Case.objects.open().filter(worker=user)
    team_ids = sorted(permissions.team_ids(user))
    context: dict[str, Any] = {
        "open": mine.count(),
        "assessments_overdue": Assessment.objects.unfinished()
        .filter(case__in=mine, due_at__lt=now, submitted_at__isnull=True)
        .count(),
        "team_ids": team_ids,
        "is_manager": user.has_perm(permissions.ALLOCATE),
    }
    if context["is_manager"]:
        context["to_allocate"] = (
            Episode.objects.open().filter(receiving_team_id__in=team_ids, case__isnull=True).count()
        )
        context["to_authorise"] = (
            Assessment.objects.awaiting_authorisation().filter(case__team_id__in=team_ids).count()
        )
        context["closures"] = Closure.objects.filter(
            decided_at__isnull=True, case__team_id__in=team_ids
        ).count()
    return context


def child_section(request: AuthenticatedRequest, person: Person) -> dict[str, Any] | None:
    """The child's cases on their page: who holds the open one, the re-referral mark, the
    assessments, plans (child in need and child protection) and services. A fixed number of
    queries."""
    user = request.user
    if person.kind != "child" or not user.has_perm(permissions.VIEW):
        return None
    cases = selectors.cases_of_child(user=user, child=person)
    waiting = (
        Episode.objects.open()
        .filter(child=person, case__isnull=True)
        .select_related("receiving_team")
        .first()
    )
    if not cases and waiting is None:
        return None
    current = next((c for c in cases if c.episode.is_open), None)
    records = selectors.case_records(user=user, case=current) if current else None
    return {
        "cases": cases,
        "current": current,
        "records": records,
        "waiting": waiting,
        "can_allocate": waiting is not None
        and user.has_perm("assessment.allocate_object", waiting),
    }
