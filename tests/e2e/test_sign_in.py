"""Signing in, two-factor, lockout, the idle-timeout warning, signing out."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from haven.accounts.roles import Role
from haven.audit.models import Event
from tests.e2e.conftest import axe_check
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def fill_sign_in(page: Any, email: str, password: str) -> None:
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_first_sign_in_sets_up_two_factor_then_signs_in_with_a_code(
    page: Any, make_user: Any
) -> None:
    user = make_user(Role.SOCIAL_WORKER, email="new.worker@example.test", full_name="Nia Worker")

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/account/sign-in/"))
    axe_check(page)
    fill_sign_in(page, user.email, PASSWORD)

    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    axe_check(page)
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("not right")
    axe_check(page)

    device = TOTPDevice.objects.get(user=user)
    page.wait_for_timeout(1_100)  # django-otp makes you wait a second after a wrong code
    page.get_by_label("Code from your authenticator app").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Hello, Nia")).to_be_visible()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Social worker")
    axe_check(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="You have signed out")).to_be_visible()
    axe_check(page)

    # Second time: the code step, not set-up.
    page.goto("/account/sign-in/")
    fill_sign_in(page, user.email, PASSWORD)
    expect(
        page.get_by_role("heading", name="Enter the code from your authenticator app")
    ).to_be_visible()
    axe_check(page)
    device.refresh_from_db()
    device.last_t = -1  # the set-up code may still be current; let it be used once more
    device.save()
    page.get_by_label("Code from your authenticator app").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Hello, Nia")).to_be_visible()
    assert Event.objects.filter(action=Event.Action.SIGN_IN, actor=user).count() == 2


def test_wrong_password_is_refused_and_repeated_failures_lock_the_account(
    page: Any, make_user: Any, settings: Any
) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    user = make_user(Role.REFERRAL_AND_ADVICE_OFFICER, email="rao.lock@example.test")

    page.goto("/account/sign-in/")
    axe_check(page)
    fill_sign_in(page, user.email, "not the password at all")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter a correct email address and password"
    )
    assert page.title().startswith("Error: ")
    for _ in range(2):
        fill_sign_in(page, user.email, "still not the password")
    expect(page.get_by_role("heading", name="Your account is locked")).to_be_visible()
    axe_check(page)

    # Locked: even the right password does not get in now.
    page.goto("/account/sign-in/")
    fill_sign_in(page, user.email, PASSWORD)
    expect(page.get_by_role("heading", name="Your account is locked")).to_be_visible()
    assert Event.objects.filter(action=Event.Action.SIGN_IN_FAILED).count() >= 3
    assert not Event.objects.filter(action=Event.Action.SIGN_IN, actor=user).exists()


def test_idle_session_warns_then_signs_out(
    page: Any, make_user: Any, sign_in: Any, settings: Any
) -> None:
    settings.HAVEN_IDLE_TIMEOUT_SECONDS = 6
    settings.HAVEN_IDLE_WARNING_SECONDS = 4
    user = make_user(Role.SOCIAL_WORKER, email="idle@example.test", full_name="Ida Idle")
    sign_in(user)

    page.goto("/")
    axe_check(page)
    dialog = page.locator("#haven-timeout-dialog")
    expect(dialog).to_be_visible(timeout=5_000)
    expect(dialog).to_contain_text("You will be signed out soon")
    axe_check(page)

    page.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()

    # Doing nothing this time: the warning comes back and then the session ends.
    expect(page.get_by_role("heading", name="You have been signed out")).to_be_visible(
        timeout=15_000
    )
    axe_check(page)
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/account/sign-in/"))
    axe_check(page)


def test_administrator_creates_a_user_who_is_emailed_a_link(
    page: Any, administrator: Any, sign_in: Any, mailoutbox: Any
) -> None:
    from tests.factories.accounts import TeamFactory

    TeamFactory(name="Assessment North", kind="assessment")
    sign_in(administrator)
    page.goto("/")
    axe_check(page)
    page.get_by_role("link", name="Users").first.click()
    axe_check(page)
    page.get_by_role("button", name="Add a user").click()
    axe_check(page)

    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the person's full name")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select at least one role")
    axe_check(page)

    page.get_by_label("Full name").fill("Tomasz Nowak")
    page.get_by_label("Email address").fill("Tomasz.Nowak@Example.test")
    page.get_by_label("Job title").fill("Senior social worker")
    page.get_by_label("Team", exact=True).select_option(label="Assessment North")
    page.get_by_label("Social worker").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Account created for Tomasz Nowak"
    )
    expect(page.locator("table")).to_contain_text("tomasz.nowak@example.test")
    axe_check(page)

    from haven.accounts.models import User

    created = User.objects.get(email="tomasz.nowak@example.test")
    assert created.roles == [Role.SOCIAL_WORKER]
    assert created.team is not None
    assert created.team.name == "Assessment North"
    assert not created.has_usable_password()
    assert len(mailoutbox) == 1
    assert "/account/password-reset/" in mailoutbox[0].body
    assert Event.objects.filter(
        action=Event.Action.CREATE,
        object_type="accounts.user",
        object_id=str(created.pk),
        actor=administrator,
    ).exists()


def test_administrator_resends_an_invitation_and_resets_two_factor(
    page: Any, administrator: Any, social_worker: Any, sign_in: Any, mailoutbox: Any
) -> None:
    from haven.accounts.services import user_create
    from tests.conftest import actor_for

    invited = user_create(
        actor=actor_for(administrator),
        email="invited@example.test",
        full_name="Ines Invited",
        roles=[Role.SOCIAL_WORKER],
        send_invitation=False,
    )
    TOTPDevice.objects.create(user=social_worker, name="Old phone", confirmed=True)
    sign_in(administrator)
    page.goto(f"/account/users/{invited.pk}/")
    axe_check(page)
    page.get_by_role("button", name="Resend invitation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "A new invitation has been sent to invited@example.test"
    )
    axe_check(page)
    assert len(mailoutbox) == 1

    page.goto(f"/account/users/{social_worker.pk}/")
    axe_check(page)
    page.get_by_role("button", name="Reset two-factor sign-in").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Two-factor sign-in reset")
    expect(page.locator("#two-factor-status")).to_contain_text("has not linked")
    axe_check(page)
    assert not TOTPDevice.objects.filter(user=social_worker).exists()
