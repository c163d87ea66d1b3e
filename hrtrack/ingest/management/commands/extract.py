import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hrtrack.ingest.extract import extract
from hrtrack.ingest.records import save_record
from hrtrack.lib.errors import InvalidInput


class Command(BaseCommand):
    help = ("Extract a statement/1 record from a statement about a human-rights dialogue: "
            "`extract FILE --format json` prints it; --save saves it as a dialogue.")

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE",
                            help="the statement: plain text (as copied from a web page), HTML or PDF; - reads stdin")
        parser.add_argument("--format", choices=["json", "text"], default="json",
                            help="json (default): the statement/1 record; text: a summary for people")
        parser.add_argument("--save", action="store_true",
                            help="save the record as a dialogue with its commitments (saving again updates it)")
        parser.add_argument("--url", default="", help="where the statement was published (kept with the document)")

    def handle(self, *args, file, format, save, url, **options):
        if file == "-":
            source, name = sys.stdin.buffer.read(), "stdin"
        else:
            source, name = Path(file), Path(file).name
            if not source.is_file():
                raise CommandError(f"{file}: no such file.")
        try:
            result = extract(source, name)
        except InvalidInput as error:
            raise CommandError("; ".join(error.problems)) from None
        for warning in result.warnings:
            self.stderr.write(f"{name}: {warning}")
        if save:
            self._save(result, name, url)
            return
        if format == "json":
            self.stdout.write(json.dumps(result.record, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(summary(result.record))

    def _save(self, result, name: str, url: str) -> None:
        try:
            report = save_record(result.record, source_title=name, source_text=result.statement.source_text,
                                 source_url=url)
        except InvalidInput as error:
            raise CommandError("nothing saved:\n" + "\n".join(error.problems)) from None
        verb = "created" if report.created else ("updated" if report.changes else "unchanged")
        record = result.record
        self.stdout.write(
            f"{name}: {verb} dialogue {report.dialogue.pk} ({report.dialogue}): "
            f"{len(record['participants'])} participants, {len(record['commitments'])} commitments, "
            f"{len(record['topics'])} topics"
        )
        for change in report.changes:
            self.stdout.write(f"  {change}")


def summary(record: dict) -> str:
    """The record as a few lines a person reads at a glance."""
    lines = [
        f"title:      {record['title'] or '-'}",
        f"series:     {record['series'] or '-'} (edition {record['edition'] or '-'})",
        f"dates:      {record['date_start'] or '-'} to {record['date_end'] or '-'}",
        f"venue:      {record['venue_city'] or '-'}, {record['venue_country'] or '-'}; host {record['host'] or '-'}",
        f"parties:    {', '.join(record['parties']) or '-'}   language: {record['language'] or '-'}",
        f"topics:     {', '.join(record['topics']) or '-'}",
        f"mechanisms: {', '.join(record['mechanisms']) or '-'}",
    ]
    for person in record["participants"]:
        lines.append(f"  {person['role']:<8} {person['party'] or '-':<3} {person['name']}: {person['title'] or '-'}"
                     f" ({person['organization'] or '-'})")
    for item in record["commitments"]:
        due = f" [due {item['due']}]" if item["due"] else ""
        lines.append(f"  commitment ({', '.join(item['parties'])}){due}: {item['text']}")
    for person in record["people_mentioned"]:
        lines.append(f"  mentioned: {person['name']} ({person['title'] or '-'})")
    return "\n".join(lines)
