from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hrtrack.ingest.records import parse_record, save_record
from hrtrack.lib.errors import InvalidInput


class Command(BaseCommand):
    help = "Manage dialogues: `dialogues load FILE.json...` saves statement/1 records as dialogues."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = sub.add_parser(
            "load",
            help="Save statement/1 records (JSON) as dialogues.",
            description="Save each statement/1 record (shared/spec/statement-record.md) as a dialogue with its "
            "series, parties, topics, people, posts, organizations, delegation members and commitments. "
            "Keys starting with _ are ignored. Loading the same file again changes nothing, or updates what "
            "it corrects; a record of a meeting already saved from another file (its text in another "
            "language) is merged into that round. If any file is invalid, nothing is saved.",
        )
        load.add_argument("files", metavar="FILE", nargs="+", type=Path, help="statement/1 JSON file")

    def handle(self, *args, action, files, **options):
        problems = []
        try:
            with transaction.atomic():
                for path in files:
                    try:
                        record = parse_record(path.read_bytes())
                        report = save_record(record, source_title=path.name, source_id=str(path.resolve()))
                    except OSError as error:
                        problems.append(f"{path}: {error.strerror}")
                        continue
                    except InvalidInput as error:
                        problems.extend(f"{path}: {p}" for p in error.problems)
                        continue
                    verb = "created" if report.created else ("updated" if report.changes else "unchanged")
                    self.stdout.write(f"{path.name}: {verb} dialogue {report.dialogue.pk} ({report.dialogue})")
                if problems:
                    raise InvalidInput(problems)
        except InvalidInput as error:
            raise CommandError("nothing saved:\n" + "\n".join(error.problems)) from None
