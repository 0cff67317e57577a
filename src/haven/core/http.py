"""Typing help for views: a request that has been through authentication and ActorMiddleware."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.core.actor import Actor


class AuthenticatedRequest(HttpRequest):
    """What a view behind ``login_required`` receives: a signed-in user and their Actor."""

    user: User
    actor: Actor


def two_factor_verified(user: Any) -> bool:
    """django-otp adds ``is_verified()`` to the request's user; anything else is unverified."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())
