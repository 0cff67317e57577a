from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.core.actor import Actor
from haven.people.imports import ImportFileError, open_csv, read_postcodes
from haven.people.management.commands._importing import existing, report
from haven.people.services import postcodes_import


class Command(BaseCommand):
    help = (
        "Load wards and the postcodes in each from an ONS postcode-to-ward lookup CSV: a "
        "postcode column (pcds, pcd, pcd2, pcd7, pcd8 or postcode), a ward code (wd24cd or "
        "another year's wdNNcd, osward, ward_code) and a ward name (wdNNnm or ward_name). New "
        "wards and postcodes are added, renamed wards and moved postcodes updated; running it "
        "again with the same file changes nothing. Rows that cannot be loaded are written, "
        "with the reason, to <file>.rejected.csv."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv_file", help="The ONS lookup CSV file.")
        parser.add_argument(
            "--district",
            default="",
            help="Only this council's postcodes: its local authority district code "
            "(lad24cd or oslaua column), like E08000025.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = existing(options["csv_file"])
        try:
            result = read_postcodes(open_csv(path), district=options["district"].strip())
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        counts = postcodes_import(actor=Actor.system("import_postcodes"), rows=result.rows)
        report(self, path, result, counts)
