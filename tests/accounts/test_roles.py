import pytest
from django.contrib.auth.models import Group
from django.test import override_settings

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


def _superuser(**kwargs):
    from haven.accounts.models import User

    return User.objects.create_superuser(
        email=kwargs.pop("email", "root@example.test"),
        password="a long and unguessable phrase",
        full_name="Root Account",
        **kwargs,
    )


def test_the_superuser_flag_grants_no_permission(client) -> None:
    """An account made with ``createsuperuser`` can do only what its roles allow: here
    nothing, and no child's page opens for it."""
    from tests.factories.people import PersonFactory

    root = _superuser()
    assert root.is_superuser
    assert not root.has_perm("people.view_person")
    assert not root.has_perm("accounts.manage_users")
    assert not root.has_module_perms("people")
    assert root.get_all_permissions() == set()
    client.force_login(root)
    child = PersonFactory()
    with override_settings(HAVEN_DEMO_MODE=True):  # no two-factor step in the way
        assert client.get(child.get_absolute_url()).status_code == 403


def test_a_superuser_with_the_administrator_role_still_sees_no_child() -> None:
    root = _superuser()
    root.groups.add(Group.objects.get(name=Role.ADMINISTRATOR.label))
    from haven.accounts.models import User

    root = User.objects.get(pk=root.pk)  # fresh permission caches
    assert root.has_perm("accounts.manage_users")
    assert not root.has_perm("people.view_person")
    assert not root.has_perm("people.change_person")


def test_create_administrator_makes_an_administrator_who_is_not_a_superuser(
    mailoutbox, django_capture_on_commit_callbacks
) -> None:
    from django.core.management import call_command

    from haven.accounts.models import User

    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "create_administrator",
            "--email",
            "First.Admin@example.test",
            "--full-name",
            "First Admin",
            "--invite",
        )
    admin = User.objects.get(email="first.admin@example.test")
    assert admin.roles == [Role.ADMINISTRATOR]
    assert not admin.is_superuser
    assert admin.is_staff  # the configuration screens
    assert admin.has_perm("accounts.manage_users")
    assert not admin.has_perm("people.view_person")
    assert len(mailoutbox) == 1


def test_create_administrator_asks_for_a_password_that_meets_the_rules(monkeypatch) -> None:
    import io

    from django.core.management import call_command

    from haven.accounts.models import User

    answers = iter(["password", "password", "harbour lantern orchard", "harbour lantern orchard"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    errors = io.StringIO()
    call_command(
        "create_administrator",
        "--email",
        "admin2@example.test",
        "--full-name",
        "Second Admin",
        stderr=errors,
        stdout=io.StringIO(),
    )
    assert "too short" in errors.getvalue() or "too common" in errors.getvalue()
    admin = User.objects.get(email="admin2@example.test")
    assert admin.check_password("harbour lantern orchard")
    assert admin.roles == [Role.ADMINISTRATOR]
