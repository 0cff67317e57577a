import resource
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.demo.simulation import PROFILES, simulate


class Command(BaseCommand):
    help = (
        "Fill Haven with a synthetic council: every installed module's generator, for each "
        "reporting year of the period. The same seed gives the same data; years already "
        "simulated are skipped, so a longer --years tops up. Synthetic data only: refuses to "
        "run unless HAVEN_DEMO_MODE is on or --synthetic-database is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--profile", choices=sorted(PROFILES), default="small")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--years",
            type=int,
            default=2,
            help="Reporting years to simulate, ending with this one.",
        )
        parser.add_argument(
            "--only",
            default="",
            help="Run only these generators (comma-separated names, like people).",
        )
        parser.add_argument(
            "--synthetic-database",
            action="store_true",
            help="Confirm this database holds synthetic data only (benchmarks).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.HAVEN_DEMO_MODE or options["synthetic_database"]):
            raise CommandError(
                "simulate writes synthetic people: run it in demo mode, or give "
                "--synthetic-database for a database that holds nothing real."
            )
        if not 1 <= options["years"] <= 15:
            raise CommandError("--years must be between 1 and 15")
        started = time.perf_counter()
        report = simulate(
            profile=options["profile"],
            seed=options["seed"],
            years=options["years"],
            only=[name.strip() for name in options["only"].split(",") if name.strip()],
            log=lambda line: self.stdout.write(f"  {line}"),
        )
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if report.skipped:
            self.stdout.write(f"  Already simulated, skipped: {', '.join(report.skipped)}")
        self.stdout.write(
            f"Simulated the {options['profile']} profile (seed {options['seed']}, "
            f"{options['years']} year{'s' if options['years'] != 1 else ''}) in "
            f"{time.perf_counter() - started:.1f}s; peak memory {peak_mb:.0f} MB."
        )
