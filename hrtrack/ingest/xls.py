"""Old Excel (``.xls``) workbooks, as UPR Info's database exports them (PHPExcel), read with xlrd."""

from pathlib import Path

from django.utils.translation import gettext as _

from hrtrack.lib.errors import InvalidInput


def open_xls(path: Path, sheet: str | None = None):
    """An ``.xls`` workbook's first sheet (or ``sheet``) as a :class:`~hrtrack.ingest.files.Table`."""
    raise InvalidInput(_("%(file)s is an old Excel (.xls) file: save it as .xlsx or CSV.") % {"file": path.name})
