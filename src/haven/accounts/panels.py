"""Home-page panels from accounts: who you are, and for administrators, the organisation."""

from typing import Any

from haven.accounts import selectors
from haven.core.http import AuthenticatedRequest


def profile(request: AuthenticatedRequest) -> dict[str, Any] | None:
    return {"profile_user": request.user}


def administration(request: AuthenticatedRequest) -> dict[str, Any] | None:
    if not request.user.has_perm("accounts.manage_users"):
        return None
    return {
        "user_count": selectors.users_visible(user=request.user).filter(is_active=True).count(),
        "teams": selectors.teams_with_counts(user=request.user),
        "agency_count": selectors.agencies_visible(user=request.user).count(),
    }
