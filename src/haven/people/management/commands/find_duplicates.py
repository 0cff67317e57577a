import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from haven.core.actor import Actor
from haven.people.duplicates import DEFAULT_THRESHOLD, find_pairs
from haven.people.services import duplicates_refresh


class Command(BaseCommand):
    help = (
        "Compare every current person record with Splink (DuckDB) and put the pairs that are "
        "probably the same person on the review list for team managers. Pairs already "
        "decided (merged, or marked as different people) are not suggested again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--threshold",
            type=float,
            default=DEFAULT_THRESHOLD,
            help="Lowest match probability to list (0 to 1).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        pairs = find_pairs(threshold=options["threshold"])
        counts = duplicates_refresh(actor=Actor.system("find_duplicates"), pairs=pairs)
        self.stdout.write(
            f"Found {counts['found']:,} likely pairs; {counts['listed']:,} on the review list "
            f"({counts['already_decided']:,} already decided) in "
            f"{time.perf_counter() - started:.1f}s."
        )
