"""``hrtrack restore FILE``: an archive of ``hrtrack backup`` back into a freshly migrated database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hrtrack.lib.backup import BackupError, check_archive, restore
from hrtrack.search.documents import reindex
from hrtrack.search.semantic import index_path


class Command(BaseCommand):
    help = (
        "Restore a backup written by `hrtrack backup` into a freshly migrated, empty database. "
        "Migrate it first (`hrtrack migrate`, with the hrtrack version that made the backup); every row comes back "
        "with its id, the uploaded files go into the storage, the models and embeddings into var/, and the "
        "search index is rebuilt. The archive is checked whole first: a damaged or foreign one, or a database "
        "that holds data (unless --force), is refused and nothing changes (docs/backup.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="an archive written by `hrtrack backup`")
        parser.add_argument("--force", action="store_true",
                            help="replace everything this database holds (its rows, its sign-in sessions) with "
                                 "the archive's")
        parser.add_argument("--check", action="store_true",
                            help="only check that the archive is whole and fits this database; change nothing")
        parser.add_argument("--quiet", action="store_true", help="print nothing but errors")

    def handle(self, *args, file, force=False, check=False, quiet=False, **options):
        path = Path(file)

        def say(message):
            if not quiet:
                self.stderr.write(message)

        try:
            if check:
                manifest = check_archive(path)
                self.stdout.write(_("%(path)s is whole and fits this database: %(rows)d rows, %(files)d files.") % {
                    "path": path, "rows": sum((manifest.get("tables") or {}).values()),
                    "files": len(manifest.get("files") or {}) - 1})
                return
            report = restore(path, force=force, progress=say)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        # The search documents are derived, and left out of the archive: built again from the rows. The
        # semantic index came with the archive when it had one (same database identity), else it is built.
        say(_("Rebuilding the search index…"))
        semantic = not any(Path(name).name == index_path().name for name in report.restored_var)
        index = reindex(progress=say, semantic=semantic)
        if not quiet:
            self.stdout.write(_(
                "Restored %(path)s: %(rows)d rows of %(tables)d tables, %(media)d uploaded files, %(var)d files of "
                "var/; %(documents)d search documents written."
            ) % {"path": path, "rows": report.rows, "tables": report.tables, "media": report.media_files,
                 "var": report.var_files, "documents": index.items + index.dialogues})
