"""Fixtures for the front door: a front door team with an RAO, a social worker and a manager
in it, and two siblings with their relationships."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from haven.accounts.models import Team, User
from haven.accounts.roles import Role
from haven.core.actor import Actor
from haven.people.models import Person
from haven.people.services import relationship_add
from tests.conftest import actor_for
from tests.factories.accounts import TeamFactory
from tests.factories.people import PersonFactory


@pytest.fixture
def front_door(db: None) -> Team:
    return TeamFactory(name="Front door", kind=Team.Kind.FRONT_DOOR)


@pytest.fixture
def assessment_team(db: None) -> Team:
    return TeamFactory(name="Assessment North", kind=Team.Kind.ASSESSMENT)


@pytest.fixture
def rao(make_user: Callable[..., User], front_door: Team) -> User:
    return make_user(
        Role.REFERRAL_AND_ADVICE_OFFICER,
        email="rao@example.test",
        full_name="Rani Rao",
        team=front_door,
    )


@pytest.fixture
def social_worker(make_user: Callable[..., User], front_door: Team) -> User:
    return make_user(
        Role.SOCIAL_WORKER, email="sw@example.test", full_name="Sam Okafor", team=front_door
    )


@pytest.fixture
def team_manager(make_user: Callable[..., User], front_door: Team) -> User:
    manager = make_user(
        Role.TEAM_MANAGER, email="manager@example.test", full_name="Morgan Price", team=front_door
    )
    front_door.manager = manager
    front_door.save()
    return manager


@pytest.fixture
def rao_actor(rao: User) -> Actor:
    return actor_for(rao)


@pytest.fixture
def sw_actor(social_worker: User) -> Actor:
    return actor_for(social_worker)


@pytest.fixture
def siblings(db: None, social_worker: User) -> tuple[Person, Person]:
    """Amy and Ben Carter, sister and brother, living together."""
    amy = PersonFactory(
        first_name="Amy", last_name="Carter", sex="F", date_of_birth=date(2015, 4, 3)
    )
    ben = PersonFactory(
        first_name="Ben", last_name="Carter", sex="M", date_of_birth=date(2018, 9, 30)
    )
    relationship_add(
        actor=actor_for(social_worker), person=amy, relative=ben, kind="sibling", lives_with=True
    )
    return amy, ben
