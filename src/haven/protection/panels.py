"""The home page's child protection panel: what needs doing now, with links."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from haven.protection import permissions, selectors


def home(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    if user.has_perm(permissions.VIEW_SHARED) and not user.has_perm(permissions.VIEW):
        shared = selectors.strategy_discussions_shared_with(user)  # type: ignore[arg-type]
        open_own = (
            shared.filter(
                actions__owner_agency_id=user.agency_id,  # type: ignore[union-attr]
                actions__done_on__isnull=True,
            )
            .distinct()
            .count()
        )
        return {"partner": True, "shared": shared.count(), "open_own": open_own}
    if not user.has_perm(permissions.VIEW):
        return None
    today = timezone.localdate()
    actions = selectors.discussion_actions_open(user=user, scope=selectors.MINE)  # type: ignore[arg-type]
    return {
        "partner": False,
        "can_record": user.has_perm(permissions.RECORD),
        "to_hold": selectors.decisions_awaiting_discussion(user).count(),  # type: ignore[arg-type]
        "overdue_actions": actions.filter(due_on__lt=today).count(),
        "open_actions": actions.count(),
    }
