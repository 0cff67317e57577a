"""Fixtures shared by every test: one signed-in user per role, and an Actor for services."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from haven.accounts.models import Agency, User
from haven.accounts.roles import Role
from haven.core.actor import Actor
from tests.factories.accounts import AgencyFactory, TeamFactory, UserFactory


class HavenClient(Client):
    """The test client, whose ``force_login`` also completes two-factor sign-in, as every
    real session outside demo mode must."""

    def force_login(self, user: User, backend: str | None = None) -> None:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        super().force_login(user, backend)
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="Test app", defaults={"confirmed": True}
        )
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


@pytest.fixture
def client() -> HavenClient:
    return HavenClient()


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    """``make_user(Role.SOCIAL_WORKER, team=..., agency=...)``"""

    def make(role: Role | None = None, **kwargs: object) -> User:
        if role == Role.PARTNER and "agency" not in kwargs:
            kwargs["agency"] = AgencyFactory(name="Haven Police", kind=Agency.Kind.POLICE)
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def rao(make_user: Callable[..., User]) -> User:
    return make_user(
        Role.REFERRAL_AND_ADVICE_OFFICER,
        email="rao@example.test",
        team=TeamFactory(name="Front door"),
    )


@pytest.fixture
def social_worker(make_user: Callable[..., User]) -> User:
    return make_user(Role.SOCIAL_WORKER, email="sw@example.test")


@pytest.fixture
def team_manager(make_user: Callable[..., User]) -> User:
    return make_user(Role.TEAM_MANAGER, email="manager@example.test")


@pytest.fixture
def partner(make_user: Callable[..., User]) -> User:
    return make_user(Role.PARTNER, email="police@example.test")


@pytest.fixture
def auditor(make_user: Callable[..., User]) -> User:
    return make_user(Role.QUALITY_AUDITOR, email="auditor@example.test")


@pytest.fixture
def administrator(make_user: Callable[..., User]) -> User:
    return make_user(Role.ADMINISTRATOR, email="admin@example.test")


@pytest.fixture
def senior_leader(make_user: Callable[..., User]) -> User:
    return make_user(Role.SENIOR_LEADER, email="leader@example.test")


@pytest.fixture
def system_actor() -> Actor:
    return Actor.system("tests")


def chain_lock_queries() -> int:
    """The extra query each audit event costs on PostgreSQL, where appending to the chain takes
    an advisory lock first (SQLite's write lock needs none): for tests that pin query counts."""
    from django.db import connection

    return 1 if connection.vendor == "postgresql" else 0


def actor_for(user: User) -> Actor:
    return Actor(user=user, ip_address="127.0.0.1", user_agent="pytest")


SERIALIZED_CONTENTS: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None) -> None:
    """Keep each test database's serialized contents (the rows the data migrations made),
    which transactional tests with ``serialized_rollback`` restore after each flush.

    Django keeps them on the connection object, and connections are per context: once
    Playwright's sync API has started, test code runs in another context with new
    connection objects that lack them, so the browser tests re-attach them
    (``restore_serialized_contents``)."""
    from django.db import connections

    for alias in connections:
        contents = getattr(connections[alias], "_test_serialized_contents", None)
        if contents is not None:
            SERIALIZED_CONTENTS[alias] = contents


def restore_serialized_contents() -> None:
    from django.db import connections

    for alias, contents in SERIALIZED_CONTENTS.items():
        if not hasattr(connections[alias], "_test_serialized_contents"):
            connections[alias]._test_serialized_contents = contents  # type: ignore[attr-defined]
