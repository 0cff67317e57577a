import pytest
from django.contrib.auth.models import Group

from haven.accounts.roles import ROLE_DESCRIPTIONS, Role, role_permissions, sync_roles

pytestmark = pytest.mark.django_db


def test_every_role_has_a_group_and_a_description() -> None:
    names = set(Group.objects.values_list("name", flat=True))
    assert {role.label for role in Role} <= names
    assert set(ROLE_DESCRIPTIONS) == set(Role)


def test_groups_hold_exactly_what_the_code_grants() -> None:
    granted = role_permissions()
    for role in Role:
        group = Group.objects.get(name=role.label)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == granted[role], role


def test_a_permission_added_by_hand_is_removed_by_the_next_sync() -> None:
    from django.contrib.auth.models import Permission

    rao = Group.objects.get(name=Role.REFERRAL_AND_ADVICE_OFFICER.label)
    rao.permissions.add(Permission.objects.get(codename="manage_users"))
    sync_roles()
    assert not rao.permissions.filter(codename="manage_users").exists()


def test_the_administrator_manages_accounts_and_nothing_about_children() -> None:
    admin = role_permissions()[Role.ADMINISTRATOR]
    assert {"accounts.manage_users", "accounts.manage_teams", "accounts.manage_agencies"} <= admin
    child_apps = {"people", "frontdoor", "protection", "assessment", "exploitation", "missing"}
    assert not {p for p in admin if p.split(".")[0] in child_apps}


def test_the_senior_leader_changes_nothing() -> None:
    leader = role_permissions()[Role.SENIOR_LEADER]
    verbs = ("add_", "change_", "delete_", "manage_", "decide_", "merge_", "authorise_")
    assert not [p for p in leader if p.split(".")[1].startswith(verbs)]
