"""The demo's organisation: teams, partner agencies and one sign-in per role."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from haven.accounts.models import Agency, Team, User
from haven.accounts.roles import Role
from haven.accounts.services import agency_save, team_save, user_create, user_set_roles
from haven.core.actor import Actor

DEMO_DOMAIN = "demo.haven.test"


@dataclass(frozen=True)
class DemoUser:
    local_part: str
    full_name: str
    job_title: str
    role: Role
    team: str | None = None
    agency: str | None = None

    @property
    def email(self) -> str:
        return f"{self.local_part}@{DEMO_DOMAIN}"


TEAMS = [
    ("Children's Advice and Support Service", Team.Kind.FRONT_DOOR),
    ("Assessment and Short-Term Intervention North", Team.Kind.ASSESSMENT),
    ("Assessment and Short-Term Intervention South", Team.Kind.ASSESSMENT),
    ("Exploitation Hub", Team.Kind.EXPLOITATION),
    ("Missing Children Team", Team.Kind.MISSING),
    ("Emergency Duty Team", Team.Kind.OUT_OF_HOURS),
    ("Practice Evaluation", Team.Kind.QUALITY),
    ("Performance and Intelligence", Team.Kind.PERFORMANCE),
    ("Business Support", Team.Kind.OTHER),
]

AGENCIES = [
    ("Haven Police", Agency.Kind.POLICE),
    ("Haven Community Health Trust", Agency.Kind.HEALTH),
    ("Haven Schools Safeguarding", Agency.Kind.EDUCATION),
    ("Haven Housing Association", Agency.Kind.OTHER),
]

DEMO_USERS = [
    DemoUser(
        "rao",
        "Rani Rao",
        "Referral and advice officer",
        Role.REFERRAL_AND_ADVICE_OFFICER,
        team="Children's Advice and Support Service",
    ),
    DemoUser(
        "social.worker",
        "Sam Okafor",
        "Social worker",
        Role.SOCIAL_WORKER,
        team="Assessment and Short-Term Intervention North",
    ),
    DemoUser(
        "manager",
        "Morgan Price",
        "Team manager",
        Role.TEAM_MANAGER,
        team="Assessment and Short-Term Intervention North",
    ),
    DemoUser(
        "cse", "Chloe Evans", "CSE coordinator", Role.CSE_COORDINATOR, team="Exploitation Hub"
    ),
    DemoUser(
        "missing",
        "Milo Grant",
        "Missing-children worker",
        Role.MISSING_CHILDREN_WORKER,
        team="Missing Children Team",
    ),
    DemoUser(
        "edt",
        "Erin Doyle",
        "Emergency duty social worker",
        Role.OUT_OF_HOURS_WORKER,
        team="Emergency Duty Team",
    ),
    DemoUser(
        "police",
        "Pat Reid",
        "Detective constable, safeguarding unit",
        Role.PARTNER,
        agency="Haven Police",
    ),
    DemoUser(
        "analyst",
        "Ana Lindqvist",
        "Performance analyst",
        Role.PERFORMANCE_ANALYST,
        team="Performance and Intelligence",
    ),
    DemoUser(
        "auditor",
        "Aisha Qureshi",
        "Practice evaluation lead",
        Role.QUALITY_AUDITOR,
        team="Practice Evaluation",
    ),
    DemoUser(
        "leader", "Lesley Hart", "Assistant director, children's services", Role.SENIOR_LEADER
    ),
    DemoUser(
        "admin", "Adrian Mills", "System administrator", Role.ADMINISTRATOR, team="Business Support"
    ),
]

# The team each demo manager runs.
MANAGED_TEAMS = {"manager": "Assessment and Short-Term Intervention North"}


def demo_password() -> str:
    """One password for every demo user, made on first run and kept in the data folder."""
    path = settings.DATA_DIR / "demo_password"
    if not path.exists():
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        words = [
            "harbour",
            "meadow",
            "lantern",
            "orchard",
            "pebble",
            "willow",
            "copper",
            "thistle",
            "granite",
            "saffron",
            "beacon",
            "juniper",
        ]
        choice = secrets.SystemRandom()
        path.write_text("-".join(choice.sample(words, 3)) + f"-{choice.randint(10, 99)}")
        path.chmod(0o600)
    return path.read_text().strip()


def seed_organisation(*, password: str) -> list[User]:
    """Teams, agencies and demo users; running it again changes nothing that exists."""
    actor = Actor.system("demo-seed")
    with transaction.atomic():
        teams = {}
        for name, kind in TEAMS:
            team = Team.objects.filter(name=name).first()
            teams[name] = team or team_save(actor=actor, data={"name": name, "kind": kind})
        agencies = {}
        for name, agency_kind in AGENCIES:
            agency = Agency.objects.filter(name=name).first()
            agencies[name] = agency or agency_save(
                actor=actor, data={"name": name, "kind": agency_kind}
            )
        users = []
        for demo in DEMO_USERS:
            user = User.objects.filter(email=demo.email).first()
            if user is None:
                user = user_create(
                    actor=actor,
                    email=demo.email,
                    full_name=demo.full_name,
                    job_title=demo.job_title,
                    roles=[demo.role],
                    team=teams.get(demo.team or ""),
                    agency=agencies.get(demo.agency or ""),
                    password=password,
                    send_invitation=False,
                )
            else:
                user_set_roles(actor=actor, user=user, roles=[demo.role])
            users.append(user)
        for local_part, team_name in MANAGED_TEAMS.items():
            team = teams[team_name]
            manager = next(u for u in users if u.email.startswith(f"{local_part}@"))
            if team.manager_id != manager.pk:
                team_save(actor=actor, team=team, data={"manager": manager})
    return users
