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


def _invite(administrator, email: str = "new.worker@example.test") -> User:
    from haven.accounts.services import user_create
    from tests.conftest import actor_for

    return user_create(
        actor=actor_for(administrator),
        email=email,
        full_name="New Worker",
        roles=[Role.SOCIAL_WORKER],
    )


def _link_path(body: str) -> str:
    link = next(line for line in body.splitlines() if "/password-reset/" in line)
    return link.strip().split("testserver", 1)[1]


def test_invitations_link_to_the_configured_address(
    administrator, mailoutbox, settings, django_capture_on_commit_callbacks
) -> None:
    settings.HAVEN_BASE_URL = "https://haven.council.example.test"
    with django_capture_on_commit_callbacks(execute=True):
        _invite(administrator)
    assert len(mailoutbox) == 1
    assert "https://haven.council.example.test/account/password-reset/" in mailoutbox[0].body


def test_an_invited_person_can_use_forgotten_password(
    client, administrator, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invited = _invite(administrator)
    mailoutbox.clear()
    assert not invited.has_usable_password()
    client.post(reverse("accounts:password-reset"), {"email": "New.Worker@example.test"})
    assert len(mailoutbox) == 1
    form_page = client.get(_link_path(mailoutbox[0].body), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    password = "harbour lantern orchard"
    client.post(
        form_page.request["PATH_INFO"], {"new_password1": password, "new_password2": password}
    )
    invited.refresh_from_db()
    assert invited.check_password(password)


def test_forgotten_password_ignores_inactive_and_single_sign_on_accounts(
    client, make_user, mailoutbox
) -> None:
    from django.utils import timezone

    inactive = make_user(Role.SOCIAL_WORKER, is_active=False)
    single_sign_on = make_user(Role.SOCIAL_WORKER, last_login=timezone.now())
    single_sign_on.set_unusable_password()
    single_sign_on.save()
    for account in (inactive, single_sign_on):
        client.post(reverse("accounts:password-reset"), {"email": account.email})
    assert mailoutbox == []


def test_an_administrator_resends_an_invitation(
    client, administrator, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invited = _invite(administrator)
    mailoutbox.clear()
    client.force_login(administrator)
    page = client.get(reverse("accounts:user-edit", args=[invited.pk])).content.decode()
    assert "Resend invitation" in page
    url = reverse("accounts:user-invitation-resend", args=[invited.pk])
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response["Location"] == reverse("accounts:user-edit", args=[invited.pk])
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [invited.email]
    assert Event.objects.filter(
        actor=administrator, object_id=str(invited.pk), detail__invitation="resent"
    ).exists()


def test_no_invitation_once_a_password_is_chosen(
    client, administrator, social_worker, mailoutbox
) -> None:
    client.force_login(administrator)
    page = client.get(reverse("accounts:user-edit", args=[social_worker.pk])).content.decode()
    assert "Resend invitation" not in page
    response = client.post(
        reverse("accounts:user-invitation-resend", args=[social_worker.pk]), follow=True
    )
    assert "has already chosen a password" in response.content.decode()
    assert mailoutbox == []


def test_only_administrators_resend_invitations(client, social_worker, team_manager) -> None:
    client.force_login(team_manager)
    url = reverse("accounts:user-invitation-resend", args=[social_worker.pk])
    assert client.post(url).status_code == 403


@pytest.mark.parametrize("other", [Role.SOCIAL_WORKER, Role.QUALITY_AUDITOR, Role.SENIOR_LEADER])
def test_an_administrator_role_cannot_be_combined_with_one_that_sees_children(
    client, administrator, other
) -> None:
    client.force_login(administrator)
    response = client.post(
        reverse("accounts:user-create"),
        {
            "full_name": "Dual Role",
            "email": "dual@example.test",
            "roles": [Role.ADMINISTRATOR.value, other.value],
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "cannot also hold a role that opens children" in response.content.decode()
    assert not User.objects.filter(email="dual@example.test").exists()


def test_an_administrator_cannot_change_their_own_roles(client, administrator) -> None:
    client.force_login(administrator)
    url = reverse("accounts:user-edit", args=[administrator.pk])
    page = client.get(url).content.decode()
    assert "You cannot change your own roles" in page
    client.post(
        url,
        {
            "full_name": administrator.full_name,
            "email": administrator.email,
            "roles": [Role.SOCIAL_WORKER.value],
            "is_active": "on",
        },
    )
    administrator.refresh_from_db()
    assert administrator.roles == [Role.ADMINISTRATOR]


def test_the_role_rules_hold_in_the_service_too(administrator, social_worker) -> None:
    from django.core.exceptions import ValidationError

    from haven.accounts.services import user_set_roles
    from tests.conftest import actor_for

    with pytest.raises(ValidationError, match="own roles"):
        user_set_roles(
            actor=actor_for(administrator), user=administrator, roles=[Role.SOCIAL_WORKER]
        )
    with pytest.raises(ValidationError, match="cannot also hold"):
        user_set_roles(
            actor=actor_for(administrator),
            user=social_worker,
            roles=[Role.ADMINISTRATOR, Role.SOCIAL_WORKER],
        )
    user_set_roles(actor=actor_for(administrator), user=social_worker, roles=[Role.TEAM_MANAGER])
    assert social_worker.roles == [Role.TEAM_MANAGER]


def test_an_administrator_resets_someones_two_factor_sign_in(
    client, administrator, social_worker
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=social_worker, name="Old phone", confirmed=True)
    client.force_login(administrator)
    edit = reverse("accounts:user-edit", args=[social_worker.pk])
    assert "Reset two-factor sign-in" in client.get(edit).content.decode()
    url = reverse("accounts:user-two-factor-reset", args=[social_worker.pk])
    assert client.get(url).status_code == 405
    assert client.post(url)["Location"] == edit
    assert not TOTPDevice.objects.filter(user=social_worker).exists()
    assert Event.objects.filter(
        actor=administrator, object_id=str(social_worker.pk), detail__two_factor="reset"
    ).exists()
    assert "has not linked an authenticator app yet" in client.get(edit).content.decode()


def test_nobody_resets_their_own_two_factor_or_anyone_elses_without_the_role(
    client, administrator, team_manager
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=administrator, name="Phone", confirmed=True)
    client.force_login(administrator)
    own = reverse("accounts:user-two-factor-reset", args=[administrator.pk])
    response = client.post(own, follow=True)
    assert "cannot reset your own two-factor" in response.content.decode()
    assert TOTPDevice.objects.filter(user=administrator).exists()
    client.force_login(team_manager)
    assert client.post(own).status_code == 403
    assert TOTPDevice.objects.filter(user=administrator).exists()
