"""Open the files people import (CSV, XLSX, JSON) as a stream of rows, or say clearly why not.

Nothing here writes to the database: a file that cannot be read fails before any row is
saved. Rows come one at a time, so memory does not grow with the file.
"""

import codecs
import csv
import difflib
import json
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from hrtrack.lib.errors import InvalidInput

csv.field_size_limit(10 * 1024 * 1024)

BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


def max_import_bytes() -> int:
    return int(float(os.getenv("HRTRACK_IMPORT_MAX_MB", "100")) * 1024 * 1024)


@dataclass
class Row:
    """One data row: its number as a spreadsheet shows it (the header is row 1) and its cells."""

    number: int
    cells: dict


def unique_header(names: list[str]) -> list[str]:
    """A header's names, a repeated one numbered from its second time ("Org", "Org 2"): UPR Info's
    export names two columns ``Rgrp`` and two ``Org``, and a row keeps every cell."""
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        if name and name in seen:
            seen[name] += 1
            name = f"{name} {seen[name]}"
        seen.setdefault(name, 1)
        unique.append(name)
    return unique


class Table:
    """A file opened for reading: its columns, and its rows one at a time."""

    def __init__(self, path: Path, columns: list[str], rows: Iterator[Row], kind: str):
        self.path, self.columns, self._rows, self.kind = path, columns, rows, kind

    def __iter__(self) -> Iterator[Row]:
        return self._rows

    def require(self, needed: list[str]) -> None:
        """Fail with a clear message when a needed column is missing or renamed."""
        missing = [c for c in needed if c not in self.columns]
        if not missing:
            return
        hints = []
        for name in missing:
            close = difflib.get_close_matches(name, self.columns, n=1, cutoff=0.6)
            if close:
                hints.append(_("%(found)s looks like %(name)s, renamed") % {"found": close[0], "name": name})
        message = _("%(file)s: missing column(s) %(missing)s. The file has: %(found)s.") % {
            "file": self.path.name, "missing": ", ".join(missing), "found": ", ".join(self.columns) or _("none"),
        }
        if hints:
            message += " (" + "; ".join(hints) + ")"
        raise InvalidInput(message)


def sniff_encoding(head: bytes) -> str | None:
    """The encoding a file's first bytes show (a byte-order mark, UTF-16 without one, else
    UTF-8), or None when they are binary. Used for tables and for statements alike."""
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return encoding
    if b"\x00" in head:
        # UTF-16 without a byte-order mark shows as a NUL beside every ASCII letter.
        if head[1::2].count(0) > len(head) // 4:
            return "utf-16-le"
        if head[0::2].count(0) > len(head) // 4:
            return "utf-16-be"
        return None
    return "utf-8"


def _check_size(path: Path) -> int:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise InvalidInput(_("%(file)s cannot be read: %(error)s.") % {"file": path, "error": error.strerror}) from None
    if size == 0:
        raise InvalidInput(_("%(file)s is empty.") % {"file": path.name})
    limit = max_import_bytes()
    if size > limit:
        raise InvalidInput(
            _("%(file)s is %(size)d MB; the most one import takes is %(limit)d MB (HRTRACK_IMPORT_MAX_MB).")
            % {"file": path.name, "size": size // 2**20, "limit": limit // 2**20}
        )
    return size


def open_table(path: Path | str, *, encoding: str | None = None, sheet: str | None = None) -> Table:
    """Open a CSV, XLSX or JSON file as a Table; raises InvalidInput with a clear reason."""
    path = Path(path)
    _check_size(path)
    with path.open("rb") as fh:
        head = fh.read(8192)
    suffix = path.suffix.lower()
    if head.startswith(b"PK\x03\x04") or suffix in (".xlsx", ".xlsm"):
        return _open_xlsx(path, sheet)
    if suffix == ".xls" or head.startswith(b"\xd0\xcf\x11\xe0"):
        from .xls import open_xls

        return open_xls(path, sheet)
    encoding = encoding or sniff_encoding(head)
    if encoding is None:
        raise InvalidInput(
            _("%(file)s is a binary file, not a table: save it as CSV (UTF-8) or XLSX.") % {"file": path.name}
        )
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InvalidInput(_("%(encoding)s is not an encoding Python knows.") % {"encoding": encoding}) from None
    if suffix == ".json" or head.lstrip(codecs.BOM_UTF8).lstrip()[:1] in (b"[", b"{"):
        return _open_json(path, encoding)
    return _open_csv(path, encoding)


def _decode_error(path: Path, encoding: str, error: UnicodeDecodeError) -> InvalidInput:
    return InvalidInput(
        _("%(file)s is not %(encoding)s text (byte 0x%(byte)02x cannot be read). Save it as UTF-8, or give its "
          "encoding with --encoding (for example latin-1 or mac-roman).")
        % {"file": path.name, "encoding": encoding.upper(), "byte": error.object[error.start]}
    )


def _open_csv(path: Path, encoding: str) -> Table:
    fh = path.open(encoding=encoding, newline="", errors="strict")
    try:
        sample = fh.read(65536)
        fh.seek(0)
        if not sample.strip():
            fh.close()
            raise InvalidInput(_("%(file)s is empty.") % {"file": path.name})
        first_line = sample.split("\n", 1)[0]
        delimiter = max(",;\t", key=first_line.count)
        reader = csv.reader(fh, delimiter=delimiter)
        header = unique_header([h.strip() for h in next(reader)])
    except UnicodeDecodeError as error:
        fh.close()
        raise _decode_error(path, encoding, error) from None
    if not any(header):
        fh.close()
        raise InvalidInput(_("%(file)s has no header row.") % {"file": path.name})

    def rows() -> Iterator[Row]:
        number = 1
        try:
            for values in reader:
                number += 1
                if not any(v.strip() for v in values):
                    continue
                if len(values) > len(header) and any(v.strip() for v in values[len(header):]):
                    raise InvalidInput(
                        _("%(file)s row %(row)d has %(n)d cells, more than the %(h)d columns of the header.")
                        % {"file": path.name, "row": number, "n": len(values), "h": len(header)}
                    )
                yield Row(number, dict(zip(header, values, strict=False)))
        except UnicodeDecodeError as error:
            raise _decode_error(path, encoding, error) from None
        except csv.Error as error:
            raise InvalidInput(_("%(file)s row %(row)d: %(error)s") % {"file": path.name, "row": number + 1,
                                                                       "error": error}) from None
        finally:
            fh.close()

    return Table(path, header, rows(), "csv")


def _open_xlsx(path: Path, sheet: str | None) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise InvalidInput(_("%(file)s is not a spreadsheet that can be read (not a valid XLSX file).")
                           % {"file": path.name}) from None
    if sheet and sheet not in book.sheetnames:
        book.close()
        raise InvalidInput(_("%(file)s has no sheet %(sheet)s; it has %(sheets)s.")
                           % {"file": path.name, "sheet": sheet, "sheets": ", ".join(book.sheetnames)})
    ws = book[sheet] if sheet else book.worksheets[0]
    values = ws.iter_rows(values_only=True)
    number = 0
    header: list[str] = []
    for cells in values:
        number += 1
        if any(c not in (None, "") for c in cells):
            header = ["" if c is None else str(c).strip() for c in cells]
            break
    while header and not header[-1]:
        header.pop()
    header = unique_header(header)
    if not header:
        book.close()
        raise InvalidInput(_("%(file)s is empty.") % {"file": path.name})

    def rows() -> Iterator[Row]:
        n = number
        try:
            for cells in values:
                n += 1
                if not any(c not in (None, "") for c in cells):
                    continue
                yield Row(n, {h: ("" if c is None else c) for h, c in zip(header, cells, strict=False) if h})
        finally:
            book.close()

    return Table(path, header, rows(), "xlsx")


def _open_json(path: Path, encoding: str) -> Table:
    try:
        data = json.loads(path.read_text(encoding=encoding))
    except UnicodeDecodeError as error:
        raise _decode_error(path, encoding, error) from None
    except json.JSONDecodeError as error:
        raise InvalidInput(_("%(file)s is not valid JSON: %(error)s") % {"file": path.name, "error": error}) from None
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        data = lists[0] if len(lists) == 1 else None
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise InvalidInput(_("%(file)s must hold a list of records (JSON objects).") % {"file": path.name})
    if not data:
        raise InvalidInput(_("%(file)s is empty.") % {"file": path.name})
    columns = list(dict.fromkeys(k for record in data[:100] for k in record))
    return Table(path, columns, (Row(i + 1, r) for i, r in enumerate(data)), "json")
