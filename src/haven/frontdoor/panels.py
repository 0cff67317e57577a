"""Home-page panels from the front door: for staff, their work and the ways in; for partners,
the referral form and their agency's referrals."""

from __future__ import annotations

from typing import Any

from haven.core.http import AuthenticatedRequest
from haven.frontdoor import permissions, selectors


def front_door(request: AuthenticatedRequest) -> dict[str, Any] | None:
    user = request.user
    if not user.has_perm(permissions.VIEW):
        return None
    return {
        **selectors.queue_counts(user),
        "can_record": user.has_perm(permissions.RECORD),
        "can_decide": user.has_perm(permissions.DECIDE),
        "can_import": user.has_perm(permissions.IMPORT_POLICE),
        "can_report": user.has_perm(permissions.VIEW_REPORT),
        "quarantined": selectors.quarantined_emails(user).count()
        if user.has_perm(permissions.RECORD)
        else 0,
        "police_problems": selectors.police_problems(user).count()
        if user.has_perm(permissions.IMPORT_POLICE)
        else 0,
    }


def partner(request: AuthenticatedRequest) -> dict[str, Any] | None:
    user = request.user
    if not user.has_perm(permissions.REFER):
        return None
    referrals = selectors.partner_referrals(user)
    return {"referral_count": referrals.count(), "agency": user.agency}
