"""The foundation's other pages, each checked for accessibility: refusals, missing pages,
password reset, the audit log, teams, agencies and roles."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from haven.accounts.roles import Role
from haven.audit.models import Event
from tests.e2e.conftest import axe_check

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_refused_page_explains_itself_and_is_audited(
    page: Any, make_user: Any, sign_in: Any
) -> None:
    rao = make_user(Role.REFERRAL_AND_ADVICE_OFFICER, email="rao.denied@example.test")
    sign_in(rao)
    response = page.goto("/account/users/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="You cannot see this page")).to_be_visible()
    axe_check(page)
    assert Event.objects.filter(
        action=Event.Action.PERMISSION_DENIED, actor=rao, object_id="/account/users/"
    ).exists()

    response = page.goto("/no/such/page/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    axe_check(page)


def test_forgotten_password_journey(page: Any, make_user: Any, mailoutbox: Any) -> None:
    user = make_user(Role.SOCIAL_WORKER, email="forgetful@example.test")
    page.goto("/account/sign-in/")
    axe_check(page)
    page.get_by_role("link", name="I have forgotten my password").click()
    axe_check(page)
    page.get_by_role("button", name="Send the link").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your email address")
    axe_check(page)
    page.get_by_label("Email address").fill(user.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    axe_check(page)

    link = re.search(r"http://\S+/password-reset/\S+/", mailoutbox[0].body)
    assert link is not None
    page.goto(link.group(0))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    axe_check(page)
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("Confirm new password").fill("short")
    page.get_by_role("button", name="Save password").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("too short")
    axe_check(page)
    page.get_by_label("New password", exact=True).fill("willow beacon saffron")
    page.get_by_label("Confirm new password").fill("willow beacon saffron")
    page.get_by_role("button", name="Save password").click()
    expect(page.get_by_role("heading", name="Password saved")).to_be_visible()
    axe_check(page)
    user.refresh_from_db()
    assert user.check_password("willow beacon saffron")


def test_an_auditor_finds_who_looked_at_a_record_and_exports_it(
    page: Any, auditor: Any, make_user: Any, sign_in: Any
) -> None:
    from haven.audit.services import event_record
    from tests.conftest import actor_for

    worker = make_user(Role.SOCIAL_WORKER, full_name="Wendy Walker")
    event_record(
        actor=actor_for(worker),
        action=Event.Action.VIEW,
        object_type="people.person",
        object_id="301",
        child_id=301,
    )
    sign_in(auditor)
    page.goto("/")
    axe_check(page)
    page.get_by_role("link", name="Audit log").click()
    axe_check(page)
    page.get_by_label("Child", exact=True).fill("301")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("table")).to_contain_text("Wendy Walker")
    expect(page.locator("caption")).to_contain_text("1 event")
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Export these events as CSV").click()
    assert "Wendy Walker" not in download.value.path().read_text()  # the CSV names by email
    assert worker.email in download.value.path().read_text()


def test_an_administrator_manages_teams_agencies_and_reads_the_roles(
    page: Any, administrator: Any, team_manager: Any, sign_in: Any
) -> None:
    sign_in(administrator)
    page.goto("/account/teams/")
    axe_check(page)
    page.get_by_role("button", name="Add a team").click()
    axe_check(page)
    page.get_by_label("Team name").fill("Exploitation Hub")
    page.get_by_label("Exploitation").check()
    page.get_by_label("Team manager").select_option(label=team_manager.full_name)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("table")).to_contain_text("Exploitation Hub")
    axe_check(page)

    page.goto("/account/agencies/")
    axe_check(page)
    page.get_by_role("button", name="Add an agency").click()
    axe_check(page)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the agency's name")
    axe_check(page)
    page.get_by_label("Agency name").fill("Haven Police")
    page.get_by_label("Police").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("table")).to_contain_text("Haven Police")
    axe_check(page)

    page.goto("/account/roles/")
    expect(page.get_by_role("heading", name="Referral and advice officer")).to_be_visible()
    axe_check(page)
