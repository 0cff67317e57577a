"""Administrators change the council's configuration (here, a timescale) in the configuration
screens; other roles cannot open them."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from haven.core.models import Timescale
from tests.e2e.conftest import axe_check

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_administrator_changes_a_timescale(page: Any, administrator: Any, sign_in: Any) -> None:
    sign_in(administrator)
    page.goto("/configuration/")
    axe_check(page)
    page.get_by_role("link", name="Timescales").click()
    axe_check(page)
    page.get_by_role("link", name="Medium-risk multi-agency meeting").click()
    axe_check(page)
    page.get_by_label("Length").fill("3")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    axe_check(page)
    assert Timescale.objects.get(key="medium_risk_meeting").length == 3
