"""Browser tests: Playwright driving Debian's chromium against a live Haven.

Every page a test visits must pass axe (WCAG 2.2 A and AA): call ``axe_check(page)`` after
each navigation. The ``page`` fixture fails the test at teardown if it visited a page that
was never checked, so no journey can skip its accessibility check.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from importlib import import_module
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

from haven.accounts.middleware import LAST_SEEN_KEY
from haven.accounts.models import User
from tests.conftest import restore_serialized_contents

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        message = f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {message}")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


class AxeTracker:
    """Remembers the pages visited and the pages checked, by path."""

    def __init__(self) -> None:
        self.visited: list[str] = []
        self.checked: set[str] = set()

    def visit(self, url: str) -> None:
        path = urlparse(url).path
        if path and path not in self.visited:
            self.visited.append(path)


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    # Before this test's teardown flushes the database, so that the flush keeps the seeded
    # rows for the next test to restore (see tests/conftest.py).
    restore_serialized_contents()
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(15_000)
    new_page = context.new_page()
    tracker = AxeTracker()
    new_page.on(
        "framenavigated",
        lambda frame: tracker.visit(frame.url) if frame == new_page.main_frame else None,
    )
    new_page.axe_tracker = tracker
    errors: list[str] = []
    new_page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    new_page.console_errors = errors
    yield new_page
    context.close()
    unchecked = [path for path in tracker.visited if path not in tracker.checked]
    assert not unchecked, f"pages visited without an accessibility check: {unchecked}"


def axe_check(page: Any) -> None:
    """Fail on any WCAG 2.2 A or AA violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state("load")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    page.axe_tracker.checked.add(urlparse(page.url).path)
    assert results.violations_count == 0, (
        f"accessibility violations on {page.url}:\n{results.generate_report()}"
    )


def session_cookie_for(user: User, live_server_url: str) -> dict[str, Any]:
    """A signed-in session (with two-factor confirmed) as a browser cookie."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Test app", defaults={"confirmed": True}
    )
    engine = import_module(settings.SESSION_ENGINE)
    session = engine.SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "haven.accounts.backends.RolePermissionBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[LAST_SEEN_KEY] = time.time()
    session.save()
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": session.session_key,
        "url": live_server_url,
    }


@pytest.fixture
def sign_in(page: Any, live_server: Any) -> Callable[[User], Any]:
    """``sign_in(user)`` makes ``page`` that user's, without going through the sign-in form."""

    def do(user: User) -> Any:
        page.context.add_cookies([session_cookie_for(user, live_server.url)])
        return page

    return do
