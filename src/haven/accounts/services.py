"""Every change to accounts, teams and agencies: audited, in one transaction each."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from haven.accounts.models import Agency, Team, User
from haven.accounts.roles import STAFF_ROLES, Role, role_permissions
from haven.audit.models import Event
from haven.audit.services import change_detail, event_record
from haven.core.actor import Actor

USER_FIELDS = ["full_name", "email", "job_title", "team", "agency", "is_active"]


def _stored(instance: Any, fields: list[str]) -> dict[str, Any]:
    """The values as they are in the database (a ModelForm may already have changed the
    instance in memory while validating)."""
    if instance.pk is None:
        return {}
    stored = type(instance).objects.get(pk=instance.pk)
    return {name: getattr(stored, name) for name in fields}


def _detail_values(detail: dict[str, Any]) -> dict[str, Any]:
    """Model instances in a change become their names, so the audit detail is plain JSON."""
    for change in detail.get("changes", {}).values():
        for side in ("old", "new"):
            value = change[side]
            if hasattr(value, "_meta"):
                change[side] = str(value)
    return detail


def roles_seeing_children() -> list[Role]:
    """The roles that open children's records (hold ``people.view_person``)."""
    return [role for role, perms in role_permissions().items() if "people.view_person" in perms]


def roles_problem(*, actor: Actor, user: User, roles: Iterable[Role | str]) -> str:
    """Why ``actor`` may not give ``user`` these roles, or "" if they may. An administrator
    manages accounts and so keeps no access to children's records (they could otherwise grant
    themselves any); and nobody changes their own roles, so no one widens their own access."""
    wanted = {Role(role) for role in roles}
    if Role.ADMINISTRATOR in wanted:
        seeing = [role.label for role in roles_seeing_children() if role in wanted]
        if seeing:
            return (
                "An administrator cannot also hold a role that opens children's records "
                f"({', '.join(seeing)}): give that work to a separate account"
            )
    own = actor.user is not None and user.pk is not None and actor.user.pk == user.pk
    if own and wanted != set(user.roles):
        return "You cannot change your own roles: ask another administrator"
    return ""


def user_set_roles(*, actor: Actor, user: User, roles: Iterable[Role | str]) -> User:
    """Give ``user`` exactly these roles; administrators also get the configuration screens.
    Refused (``ValidationError`` on ``roles``) when ``roles_problem`` says so."""
    wanted = [Role(role) for role in roles]
    problem = roles_problem(actor=actor, user=user, roles=wanted)
    if problem:
        raise ValidationError({"roles": [problem]})
    with transaction.atomic():
        before = sorted(role.value for role in user.roles)
        user.groups.set(Group.objects.filter(name__in=[role.label for role in wanted]))
        user.is_staff = any(role in STAFF_ROLES for role in wanted) or user.is_superuser
        user.save(update_fields=["is_staff"])
        after = sorted(role.value for role in wanted)
        if before != after:
            event_record(
                actor=actor,
                action=Event.Action.UPDATE,
                target=user,
                detail={"changes": {"roles": {"old": before, "new": after}}},
            )
    return user


def user_create(
    *,
    actor: Actor,
    email: str,
    full_name: str,
    roles: Iterable[Role | str],
    job_title: str = "",
    team: Team | None = None,
    agency: Agency | None = None,
    password: str | None = None,
    send_invitation: bool = True,
) -> User:
    """A new account. Without a password, the person is emailed a link to choose one."""
    with transaction.atomic():
        user = User(
            email=email.strip().lower(),
            full_name=full_name.strip(),
            job_title=job_title.strip(),
            team=team,
            agency=agency,
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean()
        user.save()
        event_record(
            actor=actor,
            action=Event.Action.CREATE,
            target=user,
            detail={"email": user.email, "full_name": user.full_name},
        )
        user_set_roles(actor=actor, user=user, roles=roles)
    if send_invitation and not password:
        transaction.on_commit(lambda: user_send_invitation(user=user))
    return user


def user_update(
    *, actor: Actor, user: User, data: dict[str, Any], roles: Iterable[Role | str] | None = None
) -> User:
    """Change an account's details (and roles, when given); the old and new values are audited."""
    with transaction.atomic():
        before = _stored(user, USER_FIELDS)
        for name in USER_FIELDS:
            if name in data:
                setattr(user, name, data[name])
        user.full_clean()
        user.save()
        detail = _detail_values(change_detail(user, before, USER_FIELDS))
        if detail["changes"]:
            event_record(actor=actor, action=Event.Action.UPDATE, target=user, detail=detail)
        if roles is not None:
            user_set_roles(actor=actor, user=user, roles=roles)
    return user


def user_send_invitation(*, user: User) -> None:
    """Email a link to choose a password (the password-reset link, worded as a welcome)."""
    path = reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    base = settings.HAVEN_BASE_URL
    body = render_to_string(
        "accounts/email/invitation.txt",
        {
            "user": user,
            "link": f"{base}{path}",
            "service_name": settings.HAVEN_SERVICE_NAME,
            "council_name": settings.HAVEN_COUNCIL_NAME,
        },
    )
    send_mail(f"Your {settings.HAVEN_SERVICE_NAME} account", body, None, [user.email])


def user_invitation_resend(*, actor: Actor, user: User) -> None:
    """Send a new invitation to someone who has not yet chosen a password (the first was lost
    or has expired). Refused once they have one: they use "forgotten password" instead."""
    if user.has_usable_password():
        raise ValidationError(
            f"{user.full_name} has already chosen a password. They can use "
            "\u201cforgotten your password\u201d on the sign-in page to choose a new one"
        )
    if not user.is_active:
        raise ValidationError(f"{user.full_name}'s account is not active: make it active first")
    with transaction.atomic():
        event_record(
            actor=actor,
            action=Event.Action.UPDATE,
            target=user,
            detail={"invitation": "resent", "email": user.email},
        )
        transaction.on_commit(lambda: user_send_invitation(user=user))


def user_two_factor_reset(*, actor: Actor, user: User) -> int:
    """Remove the person's authenticator app (a lost or replaced phone): at their next sign-in
    they link a new one, and sessions proved with the old one ask for a code again. Nobody
    resets their own. Audited; returns how many devices were removed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if actor.user is not None and actor.user.pk == user.pk:
        raise ValidationError(
            "You cannot reset your own two-factor sign-in: ask another administrator"
        )
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        event_record(
            actor=actor,
            action=Event.Action.UPDATE,
            target=user,
            detail={"two_factor": "reset", "devices_removed": removed},
        )
    return removed


TEAM_FIELDS = ["name", "kind", "manager", "is_active"]


def team_save(*, actor: Actor, team: Team | None = None, data: dict[str, Any]) -> Team:
    """Create a team, or change one; the change is audited."""
    with transaction.atomic():
        creating = team is None
        team = team or Team()
        before = _stored(team, TEAM_FIELDS)
        for name in TEAM_FIELDS:
            if name in data:
                setattr(team, name, data[name])
        team.full_clean()
        team.save()
        if creating:
            event_record(
                actor=actor,
                action=Event.Action.CREATE,
                target=team,
                detail={"name": team.name, "kind": team.kind},
            )
        else:
            detail = _detail_values(change_detail(team, before, TEAM_FIELDS))
            if detail["changes"]:
                event_record(actor=actor, action=Event.Action.UPDATE, target=team, detail=detail)
    return team


AGENCY_FIELDS = ["name", "kind", "is_active"]


def agency_save(*, actor: Actor, agency: Agency | None = None, data: dict[str, Any]) -> Agency:
    """Create a partner agency, or change one; the change is audited."""
    with transaction.atomic():
        creating = agency is None
        agency = agency or Agency()
        before = _stored(agency, AGENCY_FIELDS)
        for name in AGENCY_FIELDS:
            if name in data:
                setattr(agency, name, data[name])
        agency.full_clean()
        agency.save()
        if creating:
            event_record(
                actor=actor,
                action=Event.Action.CREATE,
                target=agency,
                detail={"name": agency.name, "kind": agency.kind},
            )
        else:
            detail = _detail_values(change_detail(agency, before, AGENCY_FIELDS))
            if detail["changes"]:
                event_record(actor=actor, action=Event.Action.UPDATE, target=agency, detail=detail)
    return agency
