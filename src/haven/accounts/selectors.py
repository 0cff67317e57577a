"""Reading accounts, teams and agencies: only for those who manage them (or themselves)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from haven.accounts.models import Agency, Team, User


def users_visible(*, user: User, search: str = "") -> QuerySet[User]:
    """Every account, for a user manager; nothing otherwise."""
    if not user.has_perm("accounts.manage_users"):
        return User.objects.none()
    users = User.objects.select_related("team", "agency").prefetch_related("groups")
    if search:
        users = users.filter(Q(full_name__icontains=search) | Q(email__icontains=search))
    return users.order_by("full_name")


def user_get_for_management(*, user: User, user_id: int) -> User:
    if not user.has_perm("accounts.manage_users"):
        raise PermissionDenied
    return get_object_or_404(users_visible(user=user), pk=user_id)


def teams_with_counts(*, user: User) -> QuerySet[Team]:
    if not user.has_perm("accounts.manage_teams"):
        return Team.objects.none()
    return (
        Team.objects.select_related("manager")
        .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
        .order_by("name")
    )


def team_get_for_management(*, user: User, team_id: int) -> Team:
    if not user.has_perm("accounts.manage_teams"):
        raise PermissionDenied
    return get_object_or_404(Team, pk=team_id)


def agencies_visible(*, user: User) -> QuerySet[Agency]:
    if not user.has_perm("accounts.manage_agencies"):
        return Agency.objects.none()
    return Agency.objects.annotate(
        user_count=Count("users", filter=Q(users__is_active=True))
    ).order_by("name")


def agency_get_for_management(*, user: User, agency_id: int) -> Agency:
    if not user.has_perm("accounts.manage_agencies"):
        raise PermissionDenied
    return get_object_or_404(Agency, pk=agency_id)
