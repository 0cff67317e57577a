from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.core.actor import Actor
from haven.frontdoor.models import PoliceImport
from haven.frontdoor.services import police_import


class Command(BaseCommand):
    help = (
        "Import a police notifications CSV (columns in docs/police-notifications-csv.md). "
        "Each good row becomes a contact from the police; notifications already imported (by "
        "police reference) are skipped; bad rows are listed with their line and kept for "
        "correction in the browser."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file to import.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file at {path}")
        try:
            record = police_import(
                actor=Actor.system("import_police_notifications"),
                filename=path.name,
                data=path.read_bytes(),
                via=PoliceImport.Via.COMMAND,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            f"{path.name}: {record.rows_total} rows, {record.rows_created} contacts made, "
            f"{record.rows_already_imported} already imported, {record.rows_bad} not imported."
        )
        for problem in record.problems.order_by("line_number"):
            self.stdout.write(f"  line {problem.line_number}: {'; '.join(problem.reasons)}")
        if record.rows_bad:
            self.stdout.write("Correct the rows not imported on the police notifications page.")
