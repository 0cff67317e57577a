import threading
import time as time_module
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from haven.core import scheduling


class Command(BaseCommand):
    help = (
        "Run Haven's background work: the scheduler (twice-daily reports, mailbox polling and "
        "the other schedules declared in code) and the task worker that runs what is queued. "
        "Ctrl-C stops both."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--tick",
            type=float,
            default=20.0,
            help="Seconds between scheduler checks (default 20).",
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="Run only the task worker (when another host schedules).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_scheduler"]:
            thread = threading.Thread(
                target=self._schedule_forever,
                args=(options["tick"],),
                daemon=True,
                name="haven-scheduler",
            )
            thread.start()
            names = ", ".join(s.name for s in scheduling.schedules()) or "none yet"
            self.stdout.write(f"Scheduler running (schedules: {names}).")
        call_command("db_worker", verbosity=options["verbosity"], reload=False, queue_name="*")

    def _schedule_forever(self, tick: float) -> None:
        while True:
            close_old_connections()
            try:
                scheduling.run_due()
            except Exception:  # noqa: BLE001 - keep scheduling after a passing database error
                self.stderr.write("Scheduler check failed; trying again.")
            time_module.sleep(tick)
