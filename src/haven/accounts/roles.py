"""Haven's roles. Each is a group whose permissions are declared in code.

Every domain app lists, in ``<app>/permissions.py``, which of its permissions each role holds
(``ROLE_PERMISSIONS``). ``sync_roles()`` gathers them and makes the groups match exactly; a
data migration and every ``migrate`` run it, so the groups never drift from the code.
"""

from __future__ import annotations

import importlib
from collections import defaultdict

from django.db import models


class Role(models.TextChoices):
    REFERRAL_AND_ADVICE_OFFICER = "rao", "Referral and advice officer"
    SOCIAL_WORKER = "social-worker", "Social worker"
    TEAM_MANAGER = "team-manager", "Team manager"
    CSE_COORDINATOR = "cse-coordinator", "CSE coordinator"
    MISSING_CHILDREN_WORKER = "missing-worker", "Missing-children worker"
    OUT_OF_HOURS_WORKER = "out-of-hours", "Out-of-hours worker"
    PARTNER = "partner", "Partner agency user"
    PERFORMANCE_ANALYST = "analyst", "Performance analyst"
    QUALITY_AUDITOR = "auditor", "Quality auditor"
    SENIOR_LEADER = "senior-leader", "Senior leader"
    ADMINISTRATOR = "administrator", "Administrator"


ROLE_DESCRIPTIONS: dict[Role, str] = {
    Role.REFERRAL_AND_ADVICE_OFFICER: "Takes calls, records contacts and gathers information. Cannot make threshold decisions.",
    Role.SOCIAL_WORKER: "Decides on contacts, leads strategy discussions, assesses children and visits them.",
    Role.TEAM_MANAGER: "Oversees decisions, authorises assessments, allocates work and chairs discussions.",
    Role.CSE_COORDINATOR: "Screens and assesses exploitation risk and runs MASE meetings.",
    Role.MISSING_CHILDREN_WORKER: "Records missing episodes and return home interviews.",
    Role.OUT_OF_HOURS_WORKER: "Emergency duty: discussions with police at night and at weekends.",
    Role.PARTNER: "Refers children and sees only the records shared with their agency.",
    Role.PERFORMANCE_ANALYST: "Scorecards, management information and statutory returns.",
    Role.QUALITY_AUDITOR: "Case audits, their findings, and the audit log of who saw what.",
    Role.SENIOR_LEADER: "Reads dashboards and the evidence behind them. Changes nothing.",
    Role.ADMINISTRATOR: "Manages users, teams, agencies and configuration. No access to children's records.",
}

# Roles whose holders open the configuration screens (Django's admin needs is_staff).
STAFF_ROLES = frozenset({Role.ADMINISTRATOR})

# The apps whose permissions.py may grant permissions to roles.
HAVEN_APP_PREFIX = "haven."


def role_permissions() -> dict[Role, set[str]]:
    """Every role's permissions ("app_label.codename"), gathered from the installed apps."""
    from django.apps import apps

    granted: dict[Role, set[str]] = defaultdict(set)
    for config in apps.get_app_configs():
        if not config.name.startswith(HAVEN_APP_PREFIX):
            continue
        try:
            module = importlib.import_module(f"{config.name}.permissions")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.permissions":
                raise
            continue
        for role, perms in getattr(module, "ROLE_PERMISSIONS", {}).items():
            granted[Role(role)].update(perms)
    return {role: granted.get(role, set()) for role in Role}


def sync_roles() -> None:
    """Make each role's group hold exactly the permissions the code grants it."""
    from django.contrib.auth.models import Group, Permission

    for role, perms in role_permissions().items():
        group, _ = Group.objects.get_or_create(name=role.label)
        wanted = []
        for dotted in sorted(perms):
            app_label, codename = dotted.split(".", 1)
            found = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if found is None:
                # Not created yet: the app's own migrations have not run. The post-migrate
                # sync that follows them adds it.
                continue
            wanted.append(found)
        group.permissions.set(wanted)
