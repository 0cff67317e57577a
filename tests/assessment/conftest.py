"""Fixtures for allocation and assessment: a front door, an assessment team with its manager
and two social workers, another team, and referrals made through the front door's services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from haven.accounts.models import Team, User
from haven.accounts.roles import Role
from haven.core.actor import Actor
from haven.core.calendar import local_tz
from haven.frontdoor import codes as frontdoor_codes
from haven.frontdoor import services as frontdoor
from haven.frontdoor.models import Episode, LevelOfNeed
from haven.people.models import Person
from tests.conftest import actor_for
from tests.factories.accounts import TeamFactory
from tests.factories.frontdoor import category
from tests.factories.people import PersonFactory


@pytest.fixture
def front_door(db: None) -> Team:
    return TeamFactory(name="Front door", kind=Team.Kind.FRONT_DOOR)


@pytest.fixture
def team(db: None) -> Team:
    return TeamFactory(name="Assessment North", kind=Team.Kind.ASSESSMENT)


@pytest.fixture
def other_team(db: None) -> Team:
    return TeamFactory(name="Assessment South", kind=Team.Kind.ASSESSMENT)


@pytest.fixture
def rao(make_user: Callable[..., User], front_door: Team) -> User:
    return make_user(
        Role.REFERRAL_AND_ADVICE_OFFICER,
        email="rao@example.test",
        full_name="Rani Rao",
        team=front_door,
    )


@pytest.fixture
def manager(make_user: Callable[..., User], team: Team) -> User:
    user = make_user(
        Role.TEAM_MANAGER, email="manager@example.test", full_name="Morgan Price", team=team
    )
    team.manager = user
    team.save()
    return user


@pytest.fixture
def worker(make_user: Callable[..., User], team: Team) -> User:
    return make_user(Role.SOCIAL_WORKER, email="sw@example.test", full_name="Sam Okafor", team=team)


@pytest.fixture
def worker2(make_user: Callable[..., User], team: Team) -> User:
    return make_user(
        Role.SOCIAL_WORKER, email="sw2@example.test", full_name="Priya Shah", team=team
    )


@pytest.fixture
def other_manager(make_user: Callable[..., User], other_team: Team) -> User:
    user = make_user(
        Role.TEAM_MANAGER, email="manager2@example.test", full_name="Olu Bakare", team=other_team
    )
    other_team.manager = user
    other_team.save()
    return user


@pytest.fixture
def other_worker(make_user: Callable[..., User], other_team: Team) -> User:
    return make_user(
        Role.SOCIAL_WORKER, email="sw3@example.test", full_name="Tom Reyes", team=other_team
    )


@pytest.fixture
def child(db: None) -> Person:
    return PersonFactory(first_name="Amy", last_name="Carter", sex="F")


def refer(
    *,
    rao: User,
    decider: User,
    children: list[Person],
    team: Team,
    received_at: datetime | None = None,
    urgent: bool = False,
) -> list[Episode]:
    """A phone contact recorded and referred for assessment through the front door's own
    services, as the front door's pages do: one episode per child."""
    rao_actor = actor_for(rao)
    contact = frontdoor.contact_start(
        actor=rao_actor,
        channel=frontdoor_codes.Channel.PHONE,
        received_at=received_at or timezone.now() - timedelta(minutes=30),
    )
    for person in children:
        frontdoor.contact_person_add(actor=rao_actor, contact=contact, person=person)
    frontdoor.contact_update(
        actor=rao_actor,
        contact=contact,
        data={
            "source": frontdoor_codes.ReferralSource.SCHOOLS,
            "referrer_name": "Dana Teacher",
            "referrer_organisation": "Harbour Primary School",
            "concern_categories": [category("neglect")],
            "concern_summary": "Arrives hungry and unwashed most days.",
            "immediate_risk": urgent,
            "immediate_risk_detail": "Left alone overnight" if urgent else "",
            "consent": frontdoor_codes.Consent.GIVEN,
        },
    )
    contact = frontdoor.contact_complete(actor=rao_actor, contact=contact)
    outcome = (
        frontdoor_codes.Outcome.STRATEGY_DISCUSSION if urgent else frontdoor_codes.Outcome.REFERRAL
    )
    frontdoor.decision_make(
        actor=actor_for(decider),
        contact=contact,
        data=frontdoor.DecisionInput(
            level_of_need=LevelOfNeed.objects.get(key="complex-significant"),
            outcome=outcome,
            rationale="Chronic neglect; a statutory assessment is needed now.",
            primary_need=frontdoor_codes.PrimaryNeed.ABUSE_OR_NEGLECT,
            receiving_team=team,
            referred_children=tuple(children),
        ),
    )
    return list(Episode.objects.filter(contact=contact).order_by("pk"))


@pytest.fixture
def referral(rao: User, manager: User, team: Team, child: Person) -> Episode:
    """Amy Carter, referred to Assessment North half an hour ago."""
    return refer(rao=rao, decider=manager, children=[child], team=team)[0]


@pytest.fixture
def manager_actor(manager: User) -> Actor:
    return actor_for(manager)


@pytest.fixture
def worker_actor(worker: User) -> Actor:
    return actor_for(worker)


def local(*args: Any) -> datetime:
    return datetime(*args, tzinfo=local_tz())
