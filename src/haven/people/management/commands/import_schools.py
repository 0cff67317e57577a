from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.core.actor import Actor
from haven.people.imports import ImportFileError, open_csv, read_schools
from haven.people.management.commands._importing import existing, report
from haven.people.services import schools_import


class Command(BaseCommand):
    help = (
        "Load schools from the DfE's Get Information about Schools CSV (all establishments, or "
        "an extract with the columns URN, EstablishmentName, PhaseOfEducation (name) and "
        "Postcode). New schools are added and known ones (by URN) updated; running it again "
        "with the same file changes nothing. Rows that cannot be loaded are written, with the "
        "reason, to <file>.rejected.csv."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv_file", help="The GIAS CSV file.")
        parser.add_argument(
            "--la",
            default="",
            help="Only this local authority's schools: its 'LA (code)', like 330.",
        )
        parser.add_argument(
            "--open-only", action="store_true", help="Skip schools GIAS lists as closed."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = existing(options["csv_file"])
        try:
            result = read_schools(
                open_csv(path), la_code=options["la"].strip(), open_only=options["open_only"]
            )
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        counts = schools_import(actor=Actor.system("import_schools"), rows=result.rows)
        report(self, path, result, counts)
