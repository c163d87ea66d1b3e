"""One entry point for every importer: the CLI, the site's background job and the tests call it."""

from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrtrack.lib.errors import InvalidInput

from .importing import ImportReport, Progress, run_import

#: Lazy: built when the module is imported, read in the language of the page that shows them.
SOURCES = {
    "upr-info": gettext_lazy("UPR Info export (XLS, XLSX or CSV)"),
    "uhri": gettext_lazy("Universal Human Rights Index export (XLSX or JSON)"),
    "table": gettext_lazy("Any CSV or XLSX, with a column mapping"),
}


def read_source(source: str, files: list[Path], *, encoding: str | None = None, mapping=None, sheet=None,
                frozen: bool = False):
    """The rows of the files, as items and problems, for the named source format. ``frozen``: for
    ``run_import``, which also takes an item as the tuple ``ItemRow.frozen`` gives, and that some
    sources (UHRI) build faster."""
    if source == "upr-info":
        from .sources import upr_info

        return upr_info.read_rows(files, encoding=encoding)
    if source == "uhri":
        from .sources import uhri

        return uhri.read_rows(files, encoding=encoding, frozen=frozen)
    if source == "table":
        from .sources import table

        if mapping is None:
            raise InvalidInput(_("A table import needs a mapping of columns to fields."))
        return table.read_rows(files, table.load_mapping(mapping), encoding=encoding, sheet=sheet)
    raise InvalidInput(_("Unknown source %(source)s.") % {"source": source})


def import_files(source: str, files: list[Path], *, skip_invalid: bool = False, dry_run: bool = False,
                 encoding: str | None = None, mapping=None, sheet=None, user=None,
                 progress: Progress | None = None) -> ImportReport:
    files = [Path(f) for f in files]
    rows = read_source(source, files, encoding=encoding, mapping=mapping, sheet=sheet, frozen=True)
    return run_import(source, rows, files=[f.name for f in files], skip_invalid=skip_invalid, user=user,
                      progress=progress, dry_run=dry_run)
