"""The home page's missing children panel, and the missing episodes part of the child's page."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from haven.core.http import AuthenticatedRequest
from haven.missing import permissions, selectors


def home(request: AuthenticatedRequest) -> dict[str, Any] | None:
    """Children missing now, interviews owed (yours, and overdue), reports to place on file,
    and police notifications whose child is not linked yet. Five counts."""
    user = request.user
    if not selectors.can_view(user):
        return None
    owed = selectors.interviews_owed(user=user)
    return {
        "missing_now": selectors.missing_now(user=user).count(),
        "owed": owed.count(),
        "overdue": owed.filter(due_at__lt=timezone.now()).count(),
        "mine": owed.filter(worker=user).count(),
        "to_file": selectors.interviews_to_file(user=user).count(),
        "to_link": selectors.awaiting_child(user=user).count(),
        "can_record": user.has_perm(permissions.RECORD),
        "can_read_information": user.has_perm(permissions.VIEW_MI),
    }


def child_section(request: Any, person: Any) -> dict[str, Any] | None:
    """The child's missing episodes, newest first, each with its return home interview: due
    (with the time left), offered, declined, done (within 72 hours or late) and on file. One
    query."""
    user = request.user
    if person.kind != "child" or not selectors.can_view(user):
        return None
    episodes = selectors.episodes_of(user=user, child=person)
    return {
        "child": person,
        "episodes": episodes,
        "missing_now": next((e for e in episodes if e.is_open), None),
        "latest_on_file": next(
            (e for e in episodes if e.interview.placed_on_file_at is not None), None
        ),
        "can_record": user.has_perm(permissions.RECORD),
    }
