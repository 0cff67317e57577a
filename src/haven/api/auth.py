"""How API callers prove who they are: a signed-in browser session (with two-factor done),
or a bearer token held by a partner system."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from haven.api.models import ApiToken, token_digest
from haven.core.actor import Actor
from haven.core.http import two_factor_verified


class SessionAuth(APIKeyCookie):
    """The browser's session: the same person, the same two-factor rule as the web pages."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not user.is_authenticated:
            return None
        if not settings.HAVEN_DEMO_MODE and not two_factor_verified(user):
            return None
        request.api_token = None  # type: ignore[attr-defined]
        return user


class TokenAuth(HttpBearer):
    """``Authorization: Bearer hvn_...``: a partner system's token, acting as its user."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user")
            .filter(digest=token_digest(token), revoked_at__isnull=True)
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        found.mark_used()
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


def require_scope(request: HttpRequest, scope: str) -> None:
    """A token must carry ``scope``; a signed-in person's session is limited by role alone."""
    token: ApiToken | None = getattr(request, "api_token", None)
    if token is not None and not token.has_scope(scope):
        raise PermissionDenied(f"This token does not have the {scope} scope.")


def api_actor(request: HttpRequest) -> Actor:
    """The Actor for services called from the API (token callers are named by their token)."""
    base = Actor.from_request(request)
    token: ApiToken | None = getattr(request, "api_token", None)
    if token is not None:
        return Actor(
            user=base.user,
            ip_address=base.ip_address,
            user_agent=f"api-token:{token.prefix} {base.user_agent}"[:500],
        )
    return base
