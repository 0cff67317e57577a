"""Sign-in through the browser's forms, without a browser: passwords, two-factor, demo mode."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from haven.accounts.roles import Role
from haven.audit.models import Event
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short pass", "This password is too short"),
        ("password1234", "This password is too common"),
        ("safeguarding!!", "this one is on our list of common passwords"),
        ("Haven-Haven-2026", "this one is on our list of common passwords"),
    ],
)
def test_passwords_follow_ncsc_guidance(password: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_password(password)
    assert any(message in text for text in caught.value.messages)


def test_three_random_words_are_a_good_password() -> None:
    validate_password("copper kettle meadow")


def test_outside_demo_mode_signing_in_leads_to_two_factor_setup(client, make_user) -> None:
    user = make_user(Role.SOCIAL_WORKER)
    response = client.post(
        reverse("accounts:sign-in"), {"email": user.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two-factor-setup"))
    # Until the code is confirmed, every other page sends the person back to it.
    home = client.get(reverse("core:home"))
    assert home["Location"] == reverse("accounts:two-factor-setup")
    assert Event.objects.filter(action=Event.Action.SIGN_IN, actor=user).exists()


def test_in_demo_mode_demo_users_go_straight_in_and_every_page_says_demo(
    client, make_user, settings
) -> None:
    settings.HAVEN_DEMO_MODE = True
    user = make_user(Role.REFERRAL_AND_ADVICE_OFFICER)
    response = client.post(
        reverse("accounts:sign-in"), {"email": user.email, "password": PASSWORD}, follow=True
    )
    assert response.request["PATH_INFO"] == reverse("core:home")
    assert "DEMO: synthetic data only" in response.content.decode()
    signed_out = client.get(reverse("accounts:signed-out"))
    assert "DEMO: synthetic data only" in signed_out.content.decode()


def test_a_wrong_password_keeps_the_email_and_says_what_to_do(client, make_user) -> None:
    user = make_user(Role.SOCIAL_WORKER)
    response = client.post(reverse("accounts:sign-in"), {"email": user.email, "password": "nope"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a correct email address and password" in page
    assert f'value="{user.email}"' in page
    assert "<title>Error: " in page
    failed = Event.objects.get(action=Event.Action.SIGN_IN_FAILED)
    assert failed.detail["email"] == user.email


def test_the_next_page_is_only_ever_on_this_site(client, make_user, settings) -> None:
    settings.HAVEN_DEMO_MODE = True
    user = make_user(Role.SOCIAL_WORKER)
    response = client.post(
        reverse("accounts:sign-in") + "?next=https://evil.example/",
        {"email": user.email, "password": PASSWORD},
    )
    assert response["Location"] == reverse("core:home")


def test_sign_out_needs_a_post(client, make_user, settings) -> None:
    settings.HAVEN_DEMO_MODE = True
    client.force_login(make_user(Role.SOCIAL_WORKER))
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    response = client.post(reverse("accounts:sign-out"))
    assert response["Location"] == reverse("accounts:signed-out")
    assert client.get(reverse("core:home"))["Location"].startswith(reverse("accounts:sign-in"))


def test_password_reset_sends_a_link_that_lets_the_person_choose_a_password(
    client, make_user, mailoutbox
) -> None:
    user = make_user(Role.SOCIAL_WORKER)
    client.post(reverse("accounts:password-reset"), {"email": user.email})
    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/password-reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.request["PATH_INFO"],
        {"new_password1": "harbour lantern orchard", "new_password2": "harbour lantern orchard"},
    )
    assert done["Location"] == reverse("accounts:password-reset-complete")
    user.refresh_from_db()
    assert user.check_password("harbour lantern orchard")


def test_unknown_addresses_get_the_same_answer(client, mailoutbox) -> None:
    response = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.test"})
    assert response["Location"] == reverse("accounts:password-reset-sent")
    assert mailoutbox == []
