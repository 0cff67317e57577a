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


def child_section(request: Any, person: Any) -> dict[str, Any] | None:
    """The child protection part of the child's page: the current plan and its next review,
    open section 47 enquiries with their conference dates, recent strategy discussions, any
    multi-agency meeting the child waits for; and the links to start each. Five queries."""
    user = request.user
    if person.kind != "child" or not user.has_perm(permissions.VIEW):
        return None
    plans = list(selectors.plans_for_child(user=user, child=person).prefetch_related("reviews")[:5])
    enquiries = list(
        selectors.enquiries_visible(user).filter(child=person).order_by("-start_date")[:5]
    )
    discussions = list(selectors.discussions_about(user=user, child=person)[:5])
    waiting = list(selectors.waiting_list(user=user).filter(child=person))
    return {
        "child": person,
        "current_plan": next((p for p in plans if p.is_current), None),
        "plans": plans,
        "enquiries": enquiries,
        "discussions": discussions,
        "waiting": waiting,
        "can_record": user.has_perm(permissions.RECORD),
        "can_refer": user.has_perm(permissions.REFER),
        "kinds": list(selectors.meeting_kinds_visible(user))
        if user.has_perm(permissions.REFER)
        else [],
    }
