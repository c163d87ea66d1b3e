"""Old Excel (``.xls``) workbooks, as UPR Info's database exports them (PHPExcel), read with xlrd.

xlrd loads a whole sheet at once (the BIFF format keeps a sheet's cells in one stream), so the
workbook's own bytes are released as soon as the sheet is read, and the rows are handed out one
at a time from it. Cells come as values: text, whole numbers as ``int``, dates as ``datetime``.
:func:`hrtrack.ingest.files.open_table` makes the rows a Table, as it does for every format.
"""

import datetime
import io
from collections.abc import Iterator, Sequence
from pathlib import Path

from django.utils.translation import gettext as _

from hrtrack.lib.errors import InvalidInput

#: How many rows from the top a sheet's header may lie (below a title and notes).
HEADER_SEARCH_ROWS = 30


def _filled(value) -> bool:
    return value is not None and (str(value).strip() if isinstance(value, str) else True)


def header_index(rows: Sequence[Sequence[object]]) -> int | None:
    """The index of the header among a sheet's first rows, or None when they are all empty.

    Exports often put a title ("UPR Info database export"), a date or a note above the header.
    The header is the first row whose cells are all text and fill more than half as many columns
    as the fullest of these rows; a title fills one. A sheet of one column has its first row.
    """
    filled = [[value for value in row if _filled(value)] for row in rows]
    widest = max(map(len, filled), default=0)
    if not widest:
        return None
    for index, values in enumerate(filled):
        if len(values) * 2 > widest and all(isinstance(value, str) for value in values):
            return index
    return next(index for index, values in enumerate(filled) if values)


def _not_a_workbook(path: Path) -> InvalidInput:
    with path.open("rb") as fh:
        head = fh.read(512).lstrip()
    if head[:1] == b"<":
        return InvalidInput(_("%(file)s is a web page (HTML) named .xls, not an Excel workbook: open it in a "
                              "spreadsheet and save it as .xlsx or CSV.") % {"file": path.name})
    return InvalidInput(_("%(file)s is not an Excel workbook that can be read (a damaged or truncated .xls file, or "
                          "another kind of file named .xls): open it in a spreadsheet and save it as .xlsx or CSV.")
                        % {"file": path.name})


def _load_sheet(path: Path, sheet: str | None):
    import xlrd

    book = None
    try:
        # PHPExcel writes workbooks that xlrd finds "corrupt" (UPR Info's export among them) and
        # reads well once told to go on; its warnings go nowhere rather than to the worker's log.
        # Rows are kept as long as the file makes them (ragged): padded, one cell in the last row
        # and column of a 5 KB file would fill a grid of 65,536 x 256 cells (9 s and 150 MB).
        book = xlrd.open_workbook(path, on_demand=True, ignore_workbook_corruption=True, logfile=io.StringIO(),
                                  ragged_rows=True)
        names = book.sheet_names()
        if sheet and sheet not in names:
            raise InvalidInput(_("%(file)s has no sheet %(sheet)s; it has %(sheets)s.")
                               % {"file": path.name, "sheet": sheet, "sheets": ", ".join(names)})
        worksheet = book.sheet_by_name(sheet) if sheet else book.sheet_by_index(0)
        return worksheet, book.datemode
    except InvalidInput:
        raise
    except Exception as error:
        if str(error) == "Workbook is encrypted":
            raise InvalidInput(_("%(file)s is protected by a password: open it, save it without one, and import it "
                                 "again.") % {"file": path.name}) from None
        # A damaged file makes xlrd fail in many ways (IndexError, struct.error, AssertionError,
        # CompDocError, UnicodeDecodeError, ...): each means the same thing to the person importing.
        raise _not_a_workbook(path) from None
    finally:
        if book is not None:
            book.release_resources()  # the file's bytes; the sheet read stays until its rows are done


def _values(worksheet, datemode: int, index: int) -> list:
    import xlrd

    values = []
    for ctype, value in zip(worksheet.row_types(index), worksheet.row_values(index), strict=True):
        if ctype == xlrd.XL_CELL_NUMBER:
            value = int(value) if value.is_integer() else value
        elif ctype == xlrd.XL_CELL_DATE:
            try:
                value = xlrd.xldate_as_datetime(value, datemode)
            except (ValueError, OverflowError):  # a "date" beyond the calendar: keep its number
                pass
        elif ctype == xlrd.XL_CELL_BOOLEAN:
            value = bool(value)
        elif ctype == xlrd.XL_CELL_ERROR:
            value = xlrd.error_text_from_code.get(value, "#ERROR")  # "#N/A", as openpyxl reads XLSX
        elif ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
            value = ""
        values.append(value)
    return values


def _header_name(value) -> str:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return str(value).strip()


def read_xls(path: Path, sheet: str | None = None) -> tuple[list[str], Iterator[tuple[int, list]]]:
    """An ``.xls`` workbook's first sheet (or ``sheet``): its header's names as the file has them,
    and its rows that are not empty as (row number as a spreadsheet shows it, cell values).

    Title rows above the header are skipped. Raises InvalidInput for a damaged file, one that is
    not an Excel workbook, or an empty sheet."""
    path = Path(path)
    worksheet, datemode = _load_sheet(path, sheet)
    top = [_values(worksheet, datemode, i) for i in range(min(worksheet.nrows, HEADER_SEARCH_ROWS))]
    index = header_index(top)
    if index is None:
        raise InvalidInput(_("%(file)s is empty.") % {"file": path.name})
    header = [_header_name(value) for value in top[index]]
    while header and not header[-1]:
        header.pop()

    def rows() -> Iterator[tuple[int, list]]:
        for number in range(index + 1, worksheet.nrows):
            values = _values(worksheet, datemode, number)
            if any(map(_filled, values)):
                yield number + 1, values

    return header, rows()
