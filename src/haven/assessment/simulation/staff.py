"""The assessment teams' synthetic staff, grown as the work needs: a new referral goes to its
receiving team while someone there holds fewer than about 20 open cases, otherwise to the team
with the lightest caseload; when every worker is full, a worker joins a team with room (teams
of up to 30), or a new assessment team opens with its manager. Existing staff (the demo's) are
used first, and every team has at least three workers and a manager."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.contrib.auth.models import Group

from haven.accounts.models import Team, User
from haven.accounts.roles import Role
from haven.demo import population

TARGET_CASELOAD = 20
TEAM_SIZE = 30
MIN_TEAM = 3  # every assessment team can take referrals
STAFF_DOMAIN = "staff.haven.test"
TEAM_NAME = "Assessment and Short-Term Intervention"


@dataclass
class Staff:
    rng: random.Random
    teams: list[Team]
    workers: dict[int, list[User]]  # by team
    managers: dict[int, User]  # by team
    serial: int = 1
    made: list[User] = field(default_factory=list)

    def hire(self, team: Team, role: Role, count: int) -> list[User]:
        """``count`` synthetic staff in ``role`` joining ``team``."""
        title = "Team manager" if role == Role.TEAM_MANAGER else "Social worker"
        made = []
        for _ in range(count):
            first, last = _person(self.rng)
            user = User(
                email=f"{role.value}.{self.serial}@{STAFF_DOMAIN}",
                full_name=f"{first} {last}",
                job_title=title,
                team=team,
            )
            user.set_unusable_password()
            made.append(user)
            self.serial += 1
        User.objects.bulk_create(made)
        made = list(User.objects.filter(email__in=[u.email for u in made]).order_by("pk"))
        for user in made:
            user.team = team  # the same object, so names show without a query
        Group.objects.get(name=role.label).user_set.add(*made)
        self.made += made
        if role == Role.SOCIAL_WORKER:
            self.workers.setdefault(team.pk, []).extend(made)
        return made

    def open_team(self) -> Team:
        """A new assessment team with its manager and three workers."""
        number = len(self.teams) + 1
        while Team.objects.filter(name=f"{TEAM_NAME} {number}").exists():
            number += 1
        team = Team.objects.create(name=f"{TEAM_NAME} {number}", kind=Team.Kind.ASSESSMENT)
        self.teams.append(team)
        self._manage(team)
        self.hire(team, Role.SOCIAL_WORKER, MIN_TEAM)
        return team

    def _manage(self, team: Team) -> None:
        manager = team.manager
        if manager is None or not manager.is_active:
            manager = self.hire(team, Role.TEAM_MANAGER, 1)[0]
            team.manager = manager
            team.save(update_fields=["manager"])
        self.managers[team.pk] = manager


def _person(rng: random.Random) -> tuple[str, str]:
    ethnicity = population.pick_ethnicity(rng)
    sex = rng.choice("MF")
    return (
        population.pick_first_name(rng, ethnicity, sex),
        population.pick_last_name(rng, ethnicity),
    )


def ensure(rng: random.Random) -> Staff:
    """The assessment teams as they are, each with a manager and at least three workers."""
    teams = list(
        Team.objects.filter(kind=Team.Kind.ASSESSMENT, is_active=True)
        .select_related("manager")
        .order_by("pk")
    )
    workers: dict[int, list[User]] = {t.pk: [] for t in teams}
    for user in (
        User.objects.filter(
            is_active=True,
            team_id__in=list(workers),
            groups__name=Role.SOCIAL_WORKER.label,
        )
        .select_related("team")
        .distinct()
        .order_by("pk")
    ):
        workers[user.team_id].append(user)  # type: ignore[index]
    staff = Staff(
        rng=rng,
        teams=teams,
        workers=workers,
        managers={},
        serial=User.objects.filter(email__endswith=f"@{STAFF_DOMAIN}").count() + 1,
    )
    if not teams:
        staff.open_team()
    for team in teams:
        staff._manage(team)
        missing = MIN_TEAM - len(workers[team.pk])
        if missing > 0:
            staff.hire(team, Role.SOCIAL_WORKER, missing)
    return staff
