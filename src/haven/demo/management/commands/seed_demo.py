from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.demo.users import DEMO_USERS, demo_password, seed_organisation

# The demo's synthetic council: small enough to make in well under a minute.
DEMO_PROFILE, DEMO_SEED, DEMO_YEARS = "small", 1, 2


class Command(BaseCommand):
    help = (
        "Fill a demo installation: teams, partner agencies, one user per role (one shared "
        "password, printed) and the synthetic data the installed modules generate. Safe to run "
        "again: what exists is kept. Refuses to run unless HAVEN_DEMO_MODE is on."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--quiet-list", action="store_true", help="Do not print the sign-in list."
        )
        parser.add_argument(
            "--list-only", action="store_true", help="Only print the sign-in list; seed nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.HAVEN_DEMO_MODE:
            raise CommandError("seed_demo only runs with HAVEN_DEMO_MODE on (synthetic data).")
        password = demo_password()
        if options["list_only"]:
            self.stdout.write(sign_in_list(password))
            return
        seed_organisation(password=password)
        seed_people(self.stdout.write)
        if not options["quiet_list"]:
            self.stdout.write(sign_in_list(password))


def seed_people(write: Any) -> None:
    """Simulate the small council the first time, and fill the duplicates review list; later
    runs find people and skip it."""
    from haven.core.actor import Actor
    from haven.demo.simulation import simulate
    from haven.people.duplicates import find_pairs
    from haven.people.models import Person
    from haven.people.services import duplicates_refresh

    if Person.objects.exists():
        return
    write("Making the demo's synthetic council (once)...")
    report = simulate(
        profile=DEMO_PROFILE, seed=DEMO_SEED, years=DEMO_YEARS, log=lambda line: write(f"  {line}")
    )
    people = sum(made.get("people", 0) for made in report.made.values())
    counts = duplicates_refresh(actor=Actor.system("demo-seed"), pairs=find_pairs())
    write(
        f"  {people:,} synthetic people in {report.seconds:.0f}s; "
        f"{counts['listed']} possible duplicates for managers to review."
    )


def sign_in_list(password: str) -> str:
    width = max(len(u.email) for u in DEMO_USERS)
    lines = [
        "",
        "Haven demo: sign in at http://127.0.0.1:8000 as any of these (synthetic data).",
        "",
    ]
    lines += [f"  {u.email.ljust(width)}  {u.role.label}" for u in DEMO_USERS]
    lines += ["", f"  Password for every demo user: {password}", ""]
    return "\n".join(lines)
