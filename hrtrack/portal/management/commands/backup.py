"""``hrtrack backup FILE``: the whole installation in one archive (hrtrack.lib.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hrtrack.lib.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write a backup of this installation to FILE: every table's rows as portable data (restored on "
        "SQLite or PostgreSQL alike), the evidence and uploaded files the rows name, and the trained models, "
        "embeddings and semantic index in var/. The site may stay up: the rows are read as of one moment. "
        "FILE is replaced only once the archive is complete. `hrtrack restore FILE` reads it back "
        "(docs/backup.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="the archive to write (a .tar.gz)")
        parser.add_argument("--quiet", action="store_true", help="print nothing but errors")

    def handle(self, *args, file, quiet=False, verbosity=1, **options):
        path = Path(file)
        if path.is_dir():
            raise CommandError(_("%(path)s is a folder: name the archive's file.") % {"path": path})

        def say(message):
            if not quiet and verbosity >= 2:  # a line a table: -v 2
                self.stderr.write(message)

        try:
            report = backup(path, progress=say)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        for name in report.missing_files:
            self.stderr.write(_("Warning: %(name)s is named by a row but is not in the storage; "
                                "the backup goes without it.") % {"name": name})
        if not quiet:
            self.stdout.write(_(
                "Wrote %(path)s (%(size).1f MB): %(rows)d rows of %(tables)d tables, %(media)d uploaded files, "
                "%(var)d files of var/."
            ) % {"path": path, "size": report.bytes / 1e6, "rows": report.rows, "tables": report.tables,
                 "media": report.media_files, "var": report.var_files})
