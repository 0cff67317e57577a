import pytest
from django.urls import reverse

from haven.accounts.models import Team, User
from haven.accounts.roles import Role
from haven.audit.models import Event

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "accounts:user-list",
    "accounts:user-create",
    "accounts:role-list",
    "accounts:team-list",
    "accounts:team-create",
    "accounts:agency-list",
    "accounts:agency-create",
]


@pytest.fixture(autouse=True)
def demo_mode(settings) -> None:
    settings.HAVEN_DEMO_MODE = True  # these tests are about permissions, not two-factor


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_only_administrators_manage_accounts(client, make_user, role) -> None:
    user = make_user(role)
    client.force_login(user)
    for name in ADMIN_PAGES:
        assert client.get(reverse(name)).status_code == 403, name
    assert Event.objects.filter(action=Event.Action.PERMISSION_DENIED, actor=user).count() == len(
        ADMIN_PAGES
    )


def test_administrators_open_every_management_page(client, administrator) -> None:
    client.force_login(administrator)
    for name in ADMIN_PAGES:
        assert client.get(reverse(name)).status_code == 200, name


def test_user_list_takes_a_fixed_number_of_queries(
    client, administrator, make_user, django_assert_max_num_queries
) -> None:
    for n in range(30):
        make_user(
            Role.SOCIAL_WORKER,
            team=Team.objects.get_or_create(name=f"Team {n % 3}", kind="assessment")[0],
        )
    client.force_login(administrator)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("accounts:user-list")).status_code == 200


def test_a_partner_must_belong_to_an_agency_and_hold_no_council_role(client, administrator) -> None:
    client.force_login(administrator)
    response = client.post(
        reverse("accounts:user-create"),
        {
            "full_name": "Pat Police",
            "email": "pat@example.test",
            "roles": [Role.PARTNER.value, Role.SOCIAL_WORKER.value],
            "is_active": "on",
        },
    )
    page = response.content.decode()
    assert "Select the agency this partner works for" in page
    assert "A partner agency user cannot also hold a council role" in page
    assert not User.objects.filter(email="pat@example.test").exists()


def test_changing_roles_is_audited_with_old_and_new_values(
    client, administrator, make_user
) -> None:
    worker = make_user(Role.SOCIAL_WORKER, full_name="Sam Worker")
    client.force_login(administrator)
    response = client.post(
        reverse("accounts:user-edit", args=[worker.pk]),
        {
            "full_name": "Sam Worker",
            "email": worker.email,
            "job_title": "Team manager",
            "roles": [Role.TEAM_MANAGER.value],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.roles == [Role.TEAM_MANAGER]
    changes = [
        e.detail["changes"]
        for e in Event.objects.filter(
            action=Event.Action.UPDATE, object_type="accounts.user", object_id=str(worker.pk)
        )
    ]
    assert {"roles": {"old": ["social-worker"], "new": ["team-manager"]}} in changes
    assert any("job_title" in c for c in changes)


def test_administrator_gets_the_configuration_screens(administrator, make_user) -> None:
    assert administrator.is_staff
    assert not make_user(Role.TEAM_MANAGER).is_staff


def test_teams_get_a_type_and_a_manager(client, administrator, team_manager) -> None:
    client.force_login(administrator)
    response = client.post(
        reverse("accounts:team-create"),
        {
            "name": "Assessment West",
            "kind": "assessment",
            "manager": team_manager.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    team = Team.objects.get(name="Assessment West")
    assert (team.kind, team.manager) == ("assessment", team_manager)
    assert Event.objects.filter(action=Event.Action.CREATE, object_type="accounts.team").exists()


def test_every_role_gets_a_home_page_for_it(client, make_user) -> None:
    for role in Role:
        user = make_user(role, full_name=f"Test {role.label}")
        client.force_login(user)
        page = client.get(reverse("core:home")).content.decode()
        assert role.label in page, role
        assert ("Your organisation" in page) is (role == Role.ADMINISTRATOR), role
