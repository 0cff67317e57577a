"""My work and Team work in the browser: the front door's lists, overdue first, filters kept
in the address, assigning to me and reassigning. Every page visited is checked with axe."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from haven.accounts.models import Team
from haven.accounts.roles import Role
from tests.e2e.conftest import axe_check
from tests.factories.accounts import TeamFactory
from tests.factories.frontdoor import ContactFactory
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
LONDON = ZoneInfo("Europe/London")


def test_team_work_filters_and_assignment(page: Any, sign_in: Any, make_user: Any) -> None:
    team = TeamFactory(name="Front door team", kind=Team.Kind.FRONT_DOOR)
    rao = make_user(
        Role.REFERRAL_AND_ADVICE_OFFICER,
        email="rao.q@example.test",
        full_name="Rani Rao",
        team=team,
    )
    manager = make_user(
        Role.TEAM_MANAGER, email="tm.q@example.test", full_name="Morgan Price", team=team
    )
    now = datetime.now(tz=LONDON)
    late = ContactFactory(
        team=team,
        channel="email",
        children=[PersonFactory(first_name="Lola", last_name="Late")],
        received_at=now - timedelta(days=3),
        due_at=now - timedelta(days=2),
    )
    police = ContactFactory(
        team=team,
        channel="police",
        is_domestic_abuse=True,
        children=[PersonFactory(first_name="Dara", last_name="Abbott")],
    )
    ContactFactory(
        team=team, completed_at=None, children=[PersonFactory(first_name="Tia", last_name="Triage")]
    )

    sign_in(rao)
    page.goto("/work/team/")
    axe_check(page)
    first = page.locator('[data-section="frontdoor-decision"] tbody tr').first
    expect(first).to_contain_text(late.reference)
    expect(first).to_contain_text("Overdue")
    expect(page.locator('[data-section="frontdoor-triage"]')).to_contain_text("Tia Triage")

    page.get_by_text("Filter front door").click()
    page.get_by_label("Only domestic abuse").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"frontdoor-domestic_abuse=on"))
    expect(page.locator('[data-section="frontdoor-decision"]')).to_contain_text("Dara Abbott")
    expect(page.locator('[data-section="frontdoor-decision"]')).not_to_contain_text("Lola Late")
    axe_check(page)
    page.get_by_role("button", name=f"Assign to me {police.reference}").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is assigned to you")
    axe_check(page)
    page.goto("/work/")
    expect(page.locator('[data-section="frontdoor-decision"]')).to_contain_text(police.reference)
    axe_check(page)

    page.context.clear_cookies()
    sign_in(manager)
    page.goto("/work/team/")
    axe_check(page)
    page.get_by_role("link", name=f"Reassign {police.reference}").click()
    axe_check(page)
    page.get_by_label("Morgan Price").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "now assigned to Morgan Price"
    )
    axe_check(page)
    police.refresh_from_db()
    assert police.assigned_to == manager
