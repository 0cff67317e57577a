"""Fixtures for missing children: a missing children team with a worker, a CSE coordinator,
an analyst, and a child who goes missing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from haven.accounts.models import Team, User
from haven.accounts.roles import Role
from haven.core.actor import Actor
from haven.people.models import Person
from tests.conftest import actor_for
from tests.factories.accounts import TeamFactory
from tests.factories.people import PersonFactory


@pytest.fixture
def missing_team(db: None) -> Team:
    return TeamFactory(name="Missing Children Team", kind=Team.Kind.MISSING)


@pytest.fixture
def missing_worker(make_user: Callable[..., User], missing_team: Team) -> User:
    return make_user(
        Role.MISSING_CHILDREN_WORKER,
        email="milo@example.test",
        full_name="Milo Grant",
        team=missing_team,
    )


@pytest.fixture
def cse_coordinator(make_user: Callable[..., User]) -> User:
    return make_user(Role.CSE_COORDINATOR, email="cse@example.test", full_name="Chloe Evans")


@pytest.fixture
def analyst(make_user: Callable[..., User]) -> User:
    return make_user(Role.PERFORMANCE_ANALYST, email="analyst@example.test", full_name="Ana Lind")


@pytest.fixture
def worker_actor(missing_worker: User) -> Actor:
    return actor_for(missing_worker)


@pytest.fixture
def child(db: None) -> Person:
    return PersonFactory(
        first_name="Jade", last_name="Okoro", sex="F", date_of_birth=date(2010, 6, 14)
    )
