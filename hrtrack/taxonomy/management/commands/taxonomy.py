from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hrtrack.lib.errors import InvalidInput
from hrtrack.taxonomy.loader import BUILTIN_DIR, load_taxonomy_dir


class Command(BaseCommand):
    help = "Manage concept schemes: `taxonomy load DIR` loads every CSV file in DIR as one scheme."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = sub.add_parser(
            "load",
            help="Load concept schemes from CSV files (one scheme per file, named after it).",
            description="Load concept schemes from the CSV files in DIR, in the format of shared/taxonomy/: "
            "columns slug or code, label_en or name_en, and optionally label_es/name_es, kind, parent. "
            "All files load or none do; loading again changes only what changed.",
        )
        load.add_argument("directory", metavar="DIR", type=Path, nargs="?", default=BUILTIN_DIR,
                          help="folder of CSV files (default: the schemes hrtrack ships: affected-groups, sdg-goals)")

    def handle(self, *args, action, directory, **options):
        try:
            report = load_taxonomy_dir(directory)
        except InvalidInput as error:
            raise CommandError("\n".join(error.problems)) from None
        for scheme in report.schemes:
            self.stdout.write(
                f"{scheme.scheme}: {scheme.created} created, {scheme.updated} updated, {scheme.unchanged} unchanged"
            )
