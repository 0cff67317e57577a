from __future__ import annotations

from collections.abc import Callable

import pytest

from haven.accounts.models import Agency, Team, User
from haven.accounts.roles import Role
from tests.factories.accounts import AgencyFactory, TeamFactory


@pytest.fixture
def assessment_team(make_user: Callable[..., User]) -> Team:
    team = TeamFactory(name="Assessment North", kind=Team.Kind.ASSESSMENT)
    team.manager = make_user(
        Role.TEAM_MANAGER, email="chair@example.test", full_name="Morgan Price", team=team
    )
    team.save()
    return team


@pytest.fixture
def worker(make_user: Callable[..., User], assessment_team: Team) -> User:
    return make_user(
        Role.SOCIAL_WORKER, email="sam@example.test", full_name="Sam Okafor", team=assessment_team
    )


@pytest.fixture
def chair(assessment_team: Team) -> User:
    assert assessment_team.manager is not None
    return assessment_team.manager


@pytest.fixture
def edt(make_user: Callable[..., User]) -> User:
    return make_user(
        Role.OUT_OF_HOURS_WORKER,
        email="edt@example.test",
        team=TeamFactory(name="Emergency Duty Team", kind=Team.Kind.OUT_OF_HOURS),
    )


@pytest.fixture
def police_user(make_user: Callable[..., User]) -> User:
    return make_user(
        Role.PARTNER,
        email="dc.reid@police.example.test",
        full_name="Pat Reid",
        agency=AgencyFactory(name="Haven Police", kind=Agency.Kind.POLICE),
    )


@pytest.fixture
def health_user(make_user: Callable[..., User]) -> User:
    return make_user(
        Role.PARTNER,
        email="nurse@health.example.test",
        agency=AgencyFactory(name="Haven Community Health Trust", kind=Agency.Kind.HEALTH),
    )


@pytest.fixture
def other_police_user(make_user: Callable[..., User]) -> User:
    return make_user(
        Role.PARTNER,
        email="other@police.example.test",
        agency=AgencyFactory(name="Another Police Force", kind=Agency.Kind.POLICE),
    )
