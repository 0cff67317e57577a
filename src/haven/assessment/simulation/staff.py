"""The assessment teams' synthetic staff: enough social workers for caseloads of about 20, in
teams of up to 30, each team with a manager. Existing staff (the demo's) are used first."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from django.contrib.auth.models import Group

from haven.accounts.models import Team, User
from haven.accounts.roles import Role
from haven.assessment.models import Case
from haven.demo import population

TARGET_CASELOAD = 20
TEAM_SIZE = 30
MIN_TEAM = 3  # every assessment team can take referrals
STAFF_DOMAIN = "staff.haven.test"


@dataclass
class Staff:
    teams: list[Team]
    workers: dict[int, list[User]]  # by team
    managers: dict[int, User]  # by team


def _social_workers(team_ids: list[int]) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, team_id__in=team_ids, groups__name=Role.SOCIAL_WORKER.label
        )
        .select_related("team")
        .distinct()
        .order_by("pk")
    )


def _person(rng: random.Random) -> tuple[str, str]:
    ethnicity = population.pick_ethnicity(rng)
    sex = rng.choice("MF")
    return (
        population.pick_first_name(rng, ethnicity, sex),
        population.pick_last_name(rng, ethnicity),
    )


def _make_users(
    rng: random.Random, team: Team, role: Role, *, count: int, start: int, title: str
) -> list[User]:
    made = []
    for n in range(count):
        first, last = _person(rng)
        user = User(
            email=f"{role.value}.{start + n}@{STAFF_DOMAIN}",
            full_name=f"{first} {last}",
            job_title=title,
            team=team,
        )
        user.set_unusable_password()
        made.append(user)
    User.objects.bulk_create(made)
    made = list(User.objects.filter(email__in=[u.email for u in made]).order_by("pk"))
    Group.objects.get(name=role.label).user_set.add(*made)
    return made


def ensure(rng: random.Random, *, open_cases_expected: int) -> Staff:
    """Assessment teams with enough workers for ``open_cases_expected`` open cases."""
    teams = list(Team.objects.filter(kind=Team.Kind.ASSESSMENT, is_active=True).order_by("pk"))
    if not teams:
        teams = [
            Team.objects.create(name="Assessment and Short-Term Intervention 1", kind="assessment")
        ]
    ids = [t.pk for t in teams]
    workers = _social_workers(ids)
    open_now = Case.objects.open().count()
    wanted = math.ceil(max(open_cases_expected, open_now) / TARGET_CASELOAD)
    serial = User.objects.filter(email__endswith=f"@{STAFF_DOMAIN}").count() + 1
    by_team: dict[int, list[User]] = {t.pk: [] for t in teams}
    for worker in workers:
        by_team[worker.team_id].append(worker)  # type: ignore[index]
    missing = max(wanted - len(workers), sum(max(0, MIN_TEAM - len(by_team[t.pk])) for t in teams))
    for team in teams:
        room = min(
            max(missing, MIN_TEAM - len(by_team[team.pk])), TEAM_SIZE - len(by_team[team.pk])
        )
        if room > 0:
            by_team[team.pk] += _make_users(
                rng, team, Role.SOCIAL_WORKER, count=room, start=serial, title="Social worker"
            )
            serial += room
            missing -= room
    while missing > 0:
        number = len(teams) + 1
        while Team.objects.filter(name=f"Assessment and Short-Term Intervention {number}").exists():
            number += 1
        team = Team.objects.create(
            name=f"Assessment and Short-Term Intervention {number}", kind="assessment"
        )
        teams.append(team)
        size = min(missing, TEAM_SIZE)
        by_team[team.pk] = _make_users(
            rng, team, Role.SOCIAL_WORKER, count=size, start=serial, title="Social worker"
        )
        serial += size
        missing -= size
    managers: dict[int, User] = {}
    for team in teams:
        manager = team.manager
        if manager is None or not manager.is_active:
            manager = _make_users(
                rng, team, Role.TEAM_MANAGER, count=1, start=serial, title="Team manager"
            )[0]
            serial += 1
            team.manager = manager
            team.save(update_fields=["manager"])
        managers[team.pk] = manager
    return Staff(teams=teams, workers=by_team, managers=managers)
