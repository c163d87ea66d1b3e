import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hrtrack.ingest.importing import ImportFailed
from hrtrack.ingest.models import ImportMapping
from hrtrack.ingest.service import import_files
from hrtrack.lib.errors import InvalidInput
from hrtrack.recommendations.changes import follow_up_now


def saved_or_file_mapping(name: str):
    """``--mapping``: a TOML file, else a mapping saved on the import page under that name."""
    path = Path(name)
    if path.exists():
        return path
    saved = ImportMapping.objects.filter(name=name).first()
    if saved is not None:
        return saved.mapping
    names = ", ".join(ImportMapping.objects.values_list("name", flat=True)) or _("none")
    raise InvalidInput(_("%(name)s is neither a mapping file nor the name of a saved mapping (saved: %(names)s).")
                       % {"name": name, "names": names})


class ProgressBar:
    """A one-line progress bar on a terminal; silent when output is not a terminal."""

    def __init__(self, stream, enabled: bool):
        self.stream, self.enabled, self.last = stream, enabled, -1

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if total:
            percent = int(100 * done / total)
            if percent == self.last:
                return
            self.last = percent
            bar = "#" * (percent // 4)
            self.stream.write(f"\rsaving  [{bar:<25}] {percent:3d}% {done}/{total}")
        else:
            self.stream.write(f"\rreading {done} rows")
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("\n")


class Command(BaseCommand):
    help = "Import recommendations: `import upr-info FILE...`, `import uhri FILE`, `import table FILE --mapping MAP`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="source", required=True, metavar="SOURCE")
        common = dict(
            help="Check every row first; if any is invalid, nothing is imported (unless --skip-invalid). "
            "Importing the same file again changes nothing; a corrected file updates the changed rows."
        )
        parsers = {
            "upr-info": sub.add_parser("upr-info", description="Import UPR Info's exports, .xls, .xlsx or CSV: the "
                                       "database's own (SuR, Rgrp, Org, Recommendation, RS, ...) or the renamed CSV "
                                       "(To, Text, From, Response, Action, Issue, Session).", **common),
            "uhri": sub.add_parser("uhri", description="Import an export of OHCHR's Universal Human Rights "
                                   "Index (XLSX or JSON).", **common),
            "table": sub.add_parser("table", description="Import any CSV, XLSX, XLS or JSON table with a mapping of "
                                    "its columns to fields: a TOML file, or the name of a mapping saved on the import "
                                    "page (see docs/import-mapping.md).", **common),
        }
        for name, p in parsers.items():
            p.add_argument("files", metavar="FILE", nargs="+", type=Path)
            p.add_argument("--skip-invalid", action="store_true", help="import the valid rows, report the others")
            p.add_argument("--dry-run", action="store_true", help="check every row, save nothing")
            p.add_argument("--encoding", help="the files' text encoding when not UTF-8 (e.g. latin-1, mac-roman)")
            p.add_argument("--problems-csv", type=Path, help="write the invalid rows' problems to this CSV file")
            p.add_argument("--no-progress", action="store_true", help="no progress bar")
            if name == "table":
                p.add_argument("--mapping", required=True, metavar="MAP",
                               help="a TOML file mapping columns to fields, or the name of a saved mapping")
                p.add_argument("--sheet", help="XLSX sheet to read (default: the first)")

    def handle(self, *args, source, files, skip_invalid, dry_run, encoding, problems_csv, no_progress, **options):
        bar = ProgressBar(sys.stderr, enabled=not no_progress and sys.stderr.isatty())
        try:
            mapping = saved_or_file_mapping(options["mapping"]) if options.get("mapping") else None
            report = import_files(
                source, files, skip_invalid=skip_invalid, dry_run=dry_run, encoding=encoding,
                mapping=mapping, sheet=options.get("sheet"), progress=bar,
            )
        except ImportFailed as error:
            bar.finish()
            if problems_csv:
                problems_csv.write_text(error.report.problems_csv(), encoding="utf-8")
            shown = error.problems[:50]
            more = len(error.problems) - len(shown)
            rows = len({(p.file, p.row) for p in error.report.problems})
            message = [f"nothing imported: {len(error.report.problems)} problem(s) in {rows} row(s), below"] + shown
            if more:
                message.append(f"... and {more} more" + (f" (all in {problems_csv})" if problems_csv else ""))
            raise CommandError("\n".join(message)) from None
        except InvalidInput as error:
            bar.finish()
            raise CommandError("nothing imported: " + "\n".join(error.problems)) from None
        bar.finish()
        if problems_csv:
            problems_csv.write_text(report.problems_csv(), encoding="utf-8")
        kinds = ", ".join(f"{n} {k}s" for k, n in sorted(report.by_kind.items()))
        verb = "would import" if dry_run else "imported"
        self.stdout.write(
            f"{report.rows_read} rows read, {report.items} items ({kinds}); {verb}: {report.created} created, "
            f"{report.updated} updated, {report.unchanged} unchanged"
            + (f"; {report.skipped} rows with problems skipped ({len(report.problems)} problems)"
               if report.skipped else "")
        )
        for merge in report.merged:
            self.stdout.write(
                f"merged: {merge['file']} row {merge['row']} repeats {merge['into_file']} row {merge['into_row']}"
            )
        for problem in report.problems:
            self.stdout.write(f"skipped: {problem}")
        for warning in report.warnings:
            self.stdout.write(f"warning: {warning}")
        if not dry_run:
            # No worker need be running behind a command line: what search needs is done now
            # (which also repairs what an interrupted import left), the rest in the queued job.
            for line in follow_up_now():
                self.stdout.write(line)
            self.stdout.write(_("queued for the worker: suggestions, embeddings, similar links and the semantic "
                                "index of what changed"))
