"""Open the files people import (CSV, XLSX, JSON) as a stream of rows, or say clearly why not.

Nothing here writes to the database: a file that cannot be read fails before any row is
saved. Rows come one at a time, so memory does not grow with the file: JSON is parsed
record by record (ijson), so OHCHR's whole UHRI export (about 400 MB) is read in a few MB.
A file that turns out broken half-way raises :class:`InvalidInput` where it breaks; the
import engine's transaction then takes back the rows read before it.
"""

import codecs
import csv
import difflib
import itertools
import os
import zipfile
import zlib
from collections.abc import Callable, Iterator
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


#: The largest file one import takes, in MB, by kind of file, and the setting that changes it.
#: JSON is read record by record whatever its size, and OHCHR's full UHRI export is ~400 MB.
SIZE_LIMITS = {
    "json": ("HRTRACK_IMPORT_JSON_MAX_MB", 1024),
    "table": ("HRTRACK_IMPORT_MAX_MB", 100),  # CSV, XLSX and XLS
}
#: How deep a JSON record may nest: a UHRI record is 3 deep (the list, the record, a list in it).
#: A deeper file is refused, as the parser's memory would grow with the square of the depth.
JSON_MAX_DEPTH = 64
#: How many records name the columns of a JSON file (a key missing from the first ones is still read).
JSON_COLUMNS_FROM = 100
#: The most named columns a table may have: UHRI's widest export has 20; a sheet 16,384 columns wide
#: (Excel's most) would put 16,384 choices under every field of the mapping page.
MAX_COLUMNS = 1000
#: An XLSX file is a zip: its parts may inflate to at most this many times the file's limit in all,
#: and a part of over a MB to at most this many times its compressed size (a sheet of text compresses
#: some 10 times; a zip bomb, a thousand). Both read from the zip's directory, before any part inflates.
XLSX_MAX_INFLATED_TIMES_LIMIT = 10
XLSX_MAX_RATIO = 200


def format_limits() -> dict[str, int]:
    """The largest file one import takes, in bytes, by the formats that share a limit (for a
    form's help text: "CSV, XLSX, XLS up to 100 MB, JSON up to 1024 MB")."""
    return {"CSV, XLSX, XLS": max_import_bytes("table"), "JSON": max_import_bytes("json")}


def _limit_kind(kind: str) -> str:
    return "json" if kind == "json" else "table"


def max_import_bytes(kind: str = "table") -> int:
    """The largest file of this kind ("json", or "csv", "xlsx", "xls", "table") one import takes,
    in bytes, as the administrator set it (``HRTRACK_IMPORT_JSON_MAX_MB``, ``HRTRACK_IMPORT_MAX_MB``)."""
    name, default = SIZE_LIMITS[_limit_kind(kind)]
    try:
        megabytes = float(os.getenv(name, str(default)))
    except ValueError:
        megabytes = default
    return int(megabytes * 1024 * 1024)


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

    def __init__(self, path: Path, columns: list[str], rows: Iterator[Row], kind: str, close=None):
        named = [c for c in columns if c]
        if len(named) > MAX_COLUMNS:
            if close is not None:
                close()
            raise InvalidInput(_("%(file)s has %(n)d columns; a table is read with at most %(most)d.")
                               % {"file": path.name, "n": len(named), "most": MAX_COLUMNS})
        if any("\x00" in c for c in named):
            if close is not None:
                close()
            raise InvalidInput(_("%(file)s has NUL characters in its header: it is not text in the encoding it "
                                 "was read in (UTF-32? UTF-16?). Save it as UTF-8, or give its encoding.")
                               % {"file": path.name})
        self.path, self.columns, self._rows, self.kind = path, columns, rows, kind
        self._close = close
        #: Where a reader can tell at once that no cell read so far holds a NUL character (the JSON
        #: reader sees the bytes first), a function that says so: the cells are not looked at one by one.
        self.no_nul_so_far: Callable[[], bool] | None = None

    def __iter__(self) -> Iterator[Row]:
        # No text column of a database takes a NUL character (PostgreSQL refuses it with an error).
        no_nul = self.no_nul_so_far
        for row in self._rows:
            if no_nul is not None and no_nul():
                yield row
                continue
            for name, value in row.cells.items():
                if (value.__class__ is str and "\x00" in value) or (
                        value.__class__ is list and any(v.__class__ is str and "\x00" in v for v in value)):
                    raise InvalidInput(_("%(file)s row %(row)d, column %(column)s holds a NUL character, which no "
                                         "text has: the file is damaged, or not text in the encoding it was read in.")
                                       % {"file": self.path.name, "row": row.number, "column": name})
            yield row

    def close(self) -> None:
        """Close the file, whether its rows were read or not (a generator never started does not
        run its ``finally``)."""
        close = getattr(self._rows, "close", None)
        if close is not None:
            close()
        if self._close is not None:
            self._close()
            self._close = None

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
        # UTF-32 without a byte-order mark shows as three NULs beside every ASCII letter, UTF-16 as one.
        quarter = len(head) // 4
        if quarter and min(head[1::4].count(0), head[2::4].count(0), head[3::4].count(0)) > quarter * 0.9:
            return "utf-32-le"
        if quarter and min(head[0::4].count(0), head[1::4].count(0), head[2::4].count(0)) > quarter * 0.9:
            return "utf-32-be"
        if head[1::2].count(0) > len(head) // 4:
            return "utf-16-le"
        if head[0::2].count(0) > len(head) // 4:
            return "utf-16-be"
        return None
    return "utf-8"


def _check_size(path: Path, size: int, kind: str) -> None:
    limit = max_import_bytes(kind)
    if size > limit:
        raise InvalidInput(
            _("%(file)s is %(size)d MB; the most one import takes is %(limit)d MB (%(setting)s).")
            % {"file": path.name, "size": size // 2**20, "limit": limit // 2**20,
               "setting": SIZE_LIMITS[_limit_kind(kind)][0]}
        )


def check_encoding(encoding: str) -> str:
    """The name of a text encoding Python knows, or InvalidInput: ``zlib``, ``base64``, ``hex`` or
    ``rot13`` are codecs too, but they turn bytes into bytes (or text into text), not bytes into text."""
    try:
        info = codecs.lookup(encoding.strip())
    except (LookupError, ValueError, TypeError):
        raise InvalidInput(_("%(encoding)s is not an encoding Python knows.") % {"encoding": encoding}) from None
    if not getattr(info, "_is_text_encoding", True):
        raise InvalidInput(_("%(encoding)s is not a text encoding; give one such as utf-8, latin-1 or mac-roman.")
                           % {"encoding": encoding})
    return encoding.strip()


def file_kind(path: Path, head: bytes) -> str:
    """What a file is, from its first bytes and its name: "xlsx", "xls", "json" or "csv"."""
    suffix = path.suffix.lower()
    if head.startswith(b"PK\x03\x04") or suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix == ".xls" or head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if suffix == ".json" or _first_char(head) in ("[", "{"):
        return "json"
    return "csv"


def _first_char(head: bytes) -> str:
    text = head.decode(sniff_encoding(head) or "latin-1", "ignore")
    return text.lstrip("\ufeff \t\r\n")[:1]


def open_table(path: Path | str, *, encoding: str | None = None, sheet: str | None = None) -> Table:
    """Open a CSV, XLSX, XLS or JSON file as a Table; raises InvalidInput with a clear reason."""
    path = Path(path)
    if encoding:
        encoding = check_encoding(encoding)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8192)
    except OSError as error:
        raise InvalidInput(_("%(file)s cannot be read: %(error)s.") % {"file": path, "error": error.strerror}) from None
    except ValueError:  # a NUL character in the name: no file is called that
        raise InvalidInput(_("%(file)s is not a file name (it holds a NUL character).")
                           % {"file": str(path).replace("\x00", "\\0")}) from None
    if size == 0:
        raise InvalidInput(_("%(file)s is empty.") % {"file": path.name})
    kind = file_kind(path, head)
    _check_size(path, size, kind)
    if kind == "xlsx":
        return _open_xlsx(path, sheet)
    if kind == "xls":
        from .xls import read_xls

        names, values = read_xls(path, sheet)
        header = unique_header(names)
        return Table(path, header, (Row(n, {h: c for h, c in itertools.zip_longest(header, cells[:len(header)],
                                                                                    fillvalue="") if h})
                                    for n, cells in values), "xls")
    encoding = encoding or sniff_encoding(head)
    if encoding is None:
        raise InvalidInput(
            _("%(file)s is a binary file, not a table: save it as CSV (UTF-8) or XLSX.") % {"file": path.name}
        )
    if kind == "json":
        return _open_json(path, encoding)
    return _open_csv(path, encoding)


def check_opens(path: Path | str, *, encoding: str | None = None) -> None:
    """Open the file as an import would, read its header and close it again: InvalidInput when it
    cannot be read at all, so that the import page says so at once, next to the file. An ``.xls`` is
    only checked to be an Excel workbook: xlrd reads a whole sheet to open it."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(8192)
    except (OSError, ValueError):
        head = b""
    if head and file_kind(path, head) == "xls":
        if not head.startswith(b"\xd0\xcf\x11\xe0"):
            from .xls import _not_a_workbook

            raise _not_a_workbook(path)
        return
    open_table(path, encoding=encoding).close()


def _decode_error(path: Path, encoding: str, error: UnicodeDecodeError) -> InvalidInput:
    return InvalidInput(
        _("%(file)s is not %(encoding)s text (byte 0x%(byte)02x cannot be read). Save it as UTF-8, or give its "
          "encoding with --encoding (for example latin-1 or mac-roman).")
        % {"file": path.name, "encoding": encoding.upper(), "byte": error.object[error.start]}
    )


def _csv_error(path: Path, row: int, error: csv.Error) -> InvalidInput:
    where = {"file": path.name, "row": row, "error": error, "mb": csv.field_size_limit() // 2**20}
    if "field larger than field limit" in str(error):
        return InvalidInput(_("%(file)s row %(row)d has a cell of more than %(mb)d MB (an unclosed quote?): it is "
                              "not read.") % where)
    return InvalidInput(_("%(file)s row %(row)d: %(error)s") % where)


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
    except csv.Error as error:
        fh.close()
        raise _csv_error(path, 1, error) from None
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
            raise _csv_error(path, number + 1, error) from None
        finally:
            fh.close()

    return Table(path, header, rows(), "csv", close=fh.close)


#: What openpyxl (and the XML parsers and zip reader under it) raise on a damaged workbook: a
#: truncated or corrupted part, XML cut short, an entity-expansion bomb refused by defusedxml
#: (a ValueError), a part missing from the archive.
XLSX_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, SyntaxError, ValueError, KeyError, IndexError, TypeError,
               AttributeError, OSError)


def _xlsx_error(path: Path) -> InvalidInput:
    return InvalidInput(_("%(file)s is not a spreadsheet that can be read (not a valid XLSX file, or a damaged "
                          "one).") % {"file": path.name})


def _check_inflation(path: Path) -> None:
    """Refuse a zip bomb from the workbook's directory alone, before any part inflates: its parts
    in all larger than XLSX_MAX_INFLATED_TIMES_LIMIT times the file limit, or one compressed more
    than XLSX_MAX_RATIO times. (zipfile stops a part at the size the directory gives it, so a part
    cannot inflate past it unseen.)"""
    most = XLSX_MAX_INFLATED_TIMES_LIMIT * max_import_bytes("xlsx")
    with zipfile.ZipFile(path) as archive:
        parts = archive.infolist()
    total = sum(info.file_size for info in parts)
    bomb = next((info for info in parts if info.file_size > 2**20
                 and info.file_size > XLSX_MAX_RATIO * max(info.compress_size, 1)), None)
    if total > most or bomb is not None:
        raise InvalidInput(
            _("%(file)s would inflate to %(size)d MB (%(part)s alone %(times)d times its size in the file): a "
              "zip bomb, or a workbook too large to read. At most %(most)d MB is read (%(setting)s).")
            % {"file": path.name, "size": total // 2**20, "most": most // 2**20,
               "part": (bomb or max(parts, key=lambda info: info.file_size)).filename,
               "times": max(info.file_size // max(info.compress_size, 1) for info in parts),
               "setting": SIZE_LIMITS["table"][0]})


def _declares_entities(path: Path) -> bool:
    """Whether an XML part of the workbook declares a DOCTYPE (entities): a workbook never
    needs one, and it is how an entity-expansion bomb ("billion laughs") starts."""
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                with archive.open(info) as part:
                    if b"<!DOCTYPE" in part.read(4096).upper():
                        return True
    return False


def _open_xlsx(path: Path, sheet: str | None) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        _check_inflation(path)
        if _declares_entities(path):
            raise InvalidInput(_("%(file)s declares XML entities, which no spreadsheet needs (an entity-expansion "
                                 "attack?): it is not read.") % {"file": path.name})
        book = load_workbook(path, read_only=True, data_only=True)
    except InvalidInput:
        raise
    except (InvalidFileException, *XLSX_ERRORS):
        raise _xlsx_error(path) from None
    try:
        if sheet and sheet not in book.sheetnames:
            raise InvalidInput(_("%(file)s has no sheet %(sheet)s; it has %(sheets)s.")
                               % {"file": path.name, "sheet": sheet, "sheets": ", ".join(book.sheetnames)})
        ws = book[sheet] if sheet else book.worksheets[0]
        # Rows as long as the sheet makes them, not as wide as its <dimension> says: a 5 KB workbook
        # that says A1:XFD1048576 would otherwise give a million rows of 16,384 cells (hours).
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()
        values = ws.iter_rows(values_only=True)
        number = 0
        header: list[str] = []
        for cells in values:
            number += 1
            if any(c not in (None, "") for c in cells):
                header = ["" if c is None else str(c).strip() for c in cells]
                break
    except InvalidInput:
        book.close()
        raise
    except XLSX_ERRORS:
        book.close()
        raise _xlsx_error(path) from None
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
                # A cell the sheet leaves out at the end of its row is empty, as one it leaves out before.
                yield Row(n, {h: ("" if c is None else c)
                              for h, c in itertools.zip_longest(header, cells[:len(header)]) if h})
        except InvalidInput:
            raise
        except XLSX_ERRORS:
            raise InvalidInput(_("%(file)s is damaged after row %(row)d: it cannot be read further (not a valid "
                                 "XLSX file).") % {"file": path.name, "row": n}) from None
        finally:
            book.close()

    return Table(path, header, rows(), "xlsx", close=book.close)


class _Utf8Reader:
    """A text file read as UTF-8 bytes, for a parser that takes bytes: a JSON file in UTF-16 or
    Latin-1 is decoded as it is read."""

    def __init__(self, path: Path, encoding: str):
        self.fh = path.open(encoding=encoding, errors="strict", newline="")
        self.started = False

    def read(self, size: int = -1) -> bytes:
        if size == 0:  # how ijson asks whether a file gives bytes or text
            return b""
        text = self.fh.read(size if size > 0 else -1)
        if not self.started:
            self.started, text = True, text.removeprefix("\ufeff")
        return text.encode("utf-8")

    def close(self) -> None:
        self.fh.close()


#: How each byte that matters changes the nesting depth of JSON outside strings.
_DEPTH_STEP = [0] * 256
_DEPTH_STEP[ord("[")] = _DEPTH_STEP[ord("{")] = 1
_DEPTH_STEP[ord("]")] = _DEPTH_STEP[ord("}")] = -1
_STRUCTURE = bytes(range(256)).translate(None, b'[]{}"')
_STRUCTURE_AND_ESCAPES = bytes(range(256)).translate(None, b'[]{}"\\')


class _DepthGuard:
    """Reads a JSON byte stream for the parser, refusing one nested more than ``JSON_MAX_DEPTH``
    deep before the parser sees it: ijson's memory grows with the square of the depth, and 100,000
    opening brackets (200 KB) would take tens of GB. The check runs at C speed on each chunk: the
    escapes go, then every byte but brackets and quotes, then what lies between quotes."""

    def __init__(self, fh, path: Path):
        self.fh, self.path = fh, path
        self.depth = 0
        self.in_string = False
        self.carry = b""  # trailing backslashes of the last chunk, whose escape the next chunk completes
        self.offset = 0
        # Whether the bytes read so far may hold a NUL character (the escape \u0000, or the byte) or a
        # null: until they do, the records the parser makes of them hold none, and their cells need
        # no looking at one by one. Seen once, looked for no more (the rest is looked at cell by cell).
        self.nul_seen = self.null_seen = False
        self.tail = b""  # the last bytes read, where a pattern the next chunk completes begins

    def read(self, size: int = -1) -> bytes:
        chunk = self.fh.read(size)
        if chunk:
            self._scan(chunk)
            self.offset += len(chunk)
            if not (self.nul_seen and self.null_seen):
                self._look_for_nul_and_null(chunk)
        return chunk

    def _look_for_nul_and_null(self, chunk: bytes) -> None:
        joint = self.tail + chunk[:8]
        if not self.nul_seen:
            self.nul_seen = b"\\u0000" in chunk or b"\\u0000" in joint or b"\x00" in chunk
        if not self.null_seen:
            self.null_seen = b"null" in chunk or b"null" in joint
        self.tail = chunk[-8:] if len(chunk) >= 8 else (self.tail + chunk)[-8:]

    def _scan(self, chunk: bytes) -> None:
        data = self.carry + chunk if self.carry else chunk
        stripped = data.rstrip(b"\\")
        # An odd run of backslashes at the end escapes the next chunk's first byte: keep one.
        self.carry = b"\\" if (len(data) - len(stripped)) % 2 else b""
        # The brackets, quotes and backslashes alone first (a few bytes in a hundred). Where no
        # backslash stands next to a quote or another backslash there, none does in the chunk (taking
        # bytes out only brings others together): no escape touches a quote, and the backslashes go.
        # Otherwise the escaped backslashes and quotes are taken out of the chunk itself.
        kept = stripped.translate(None, _STRUCTURE_AND_ESCAPES)
        if b"\\" not in kept:
            structure = kept
        elif b'\\"' not in kept and b"\\\\" not in kept:
            structure = kept.replace(b"\\", b"")
        else:
            structure = stripped.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _STRUCTURE)
        parts = structure.split(b'"')
        outside = b"".join(parts[1::2] if self.in_string else parts[0::2])
        if len(parts) % 2 == 0:
            self.in_string = not self.in_string
        if outside:
            opens = outside.count(b"[") + outside.count(b"{")
            if self.depth + opens > JSON_MAX_DEPTH and self._deepest(outside) > JSON_MAX_DEPTH:
                raise InvalidInput(_("%(file)s nests its data more than %(depth)d levels deep: it is not a list "
                                     "of records.") % {"file": self.path.name, "depth": JSON_MAX_DEPTH})
            self.depth += 2 * opens - len(outside)

    def _deepest(self, outside: bytes) -> int:
        """How deep this chunk's brackets go: exactly wherever that could pass the limit. Cheap for
        records: their matched pairs ("[]", then the "{}" round them) are taken out at C speed
        first, each pass lowering the deepest point by at most one, so that only the few brackets
        left are counted one by one; where those come within the passes of the limit, every one is."""
        rest, passes = outside, 0
        while passes < 8:
            shorter = rest.replace(b"[]", b"").replace(b"{}", b"")
            passes += 2
            if len(shorter) == len(rest):
                break
            rest = shorter
        deepest = max(itertools.accumulate(map(_DEPTH_STEP.__getitem__, rest), initial=self.depth))
        if deepest + passes <= JSON_MAX_DEPTH:
            return deepest
        return max(itertools.accumulate(map(_DEPTH_STEP.__getitem__, outside), initial=self.depth))

    def close(self) -> None:
        self.fh.close()


def _json_stream(path: Path, encoding: str):
    """The file as UTF-8 bytes behind a depth guard; a UTF-8 byte-order mark is skipped."""
    if codecs.lookup(encoding).name in ("utf-8", "utf-8-sig"):
        fh = path.open("rb")
        if fh.read(3) != codecs.BOM_UTF8:
            fh.seek(0)
    else:
        fh = _Utf8Reader(path, encoding)
    return _DepthGuard(fh, path)


def _json_error(path: Path, error: Exception, records: int) -> InvalidInput:
    reason = str(error.args[0] if error.args else error)
    if isinstance(reason, bytes):
        reason = reason.decode("utf-8", "replace")
    reason = reason.strip().splitlines()[0] if reason.strip() else type(error).__name__
    where = {"file": path.name, "n": records, "error": reason}
    if "utf8" in reason.lower().replace("-", ""):
        return InvalidInput(_("%(file)s is not UTF-8 text (after record %(n)d). Save it as UTF-8, or give its "
                              "encoding with --encoding.") % where)
    if records:
        return InvalidInput(_("%(file)s is not valid JSON after record %(n)d: %(error)s") % where)
    return InvalidInput(_("%(file)s is not valid JSON: %(error)s") % where)


def _records_prefix(path: Path, encoding: str) -> str:
    """Where the records are: "item" for a list, "<key>.item" for an object that holds them
    under a key (the first key whose value is a list of objects)."""
    import ijson

    stream = _json_stream(path, encoding)
    try:
        events = ijson.parse(stream)
        _prefix, event, _value = next(events)
        if event == "start_array":
            return "item"
        if event == "start_map":
            depth, opened = 1, None  # opened: the key of a list that has just begun at the top level
            for prefix, event, _value in events:
                if opened is not None and event == "start_map":
                    return f"{opened}.item"
                opened = prefix if event == "start_array" and depth == 1 else None
                if event in ("start_map", "start_array"):
                    depth += 1
                elif event in ("end_map", "end_array"):
                    depth -= 1
    except StopIteration:
        pass
    except ijson.JSONError as error:
        raise _json_error(path, error, 0) from None
    except UnicodeDecodeError as error:
        raise _decode_error(path, encoding, error) from None
    finally:
        stream.close()
    raise InvalidInput(_("%(file)s must hold a list of records (JSON objects).") % {"file": path.name})


def _cell(value):
    """A JSON value as a table cell: null is an empty cell, a list keeps its values (without nulls)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return [v for v in value if v is not None]
    return value


def _open_json(path: Path, encoding: str) -> Table:
    """A JSON list of records, read one record at a time; the first records name the columns."""
    import ijson

    prefix = _records_prefix(path, encoding)
    stream = _json_stream(path, encoding)
    records = ijson.items(stream, prefix, use_float=True)
    guard = stream
    read = 0

    def parsed() -> Iterator[dict]:
        nonlocal read
        try:
            for record in records:
                read += 1
                if not isinstance(record, dict):
                    raise InvalidInput(_("%(file)s must hold a list of records (JSON objects); item %(n)d is "
                                         "not one.") % {"file": path.name, "n": read})
                yield record
        except ijson.JSONError as error:
            raise _json_error(path, error, read) from None
        except UnicodeDecodeError as error:
            raise _decode_error(path, encoding, error) from None
        finally:
            stream.close()

    source = parsed()
    first = list(itertools.islice(source, JSON_COLUMNS_FROM))
    if not first:
        source.close()
        raise InvalidInput(_("%(file)s is empty.") % {"file": path.name})
    columns = list(dict.fromkeys(key for record in first for key in record))

    def rows() -> Iterator[Row]:
        try:
            for number, record in enumerate(itertools.chain(first, source), start=1):
                if guard.null_seen:  # else no value read so far is null, in a list or not
                    for key, value in record.items():
                        if value is None or (value.__class__ is list and None in value):
                            record[key] = _cell(value)
                yield Row(number, record)
        finally:
            source.close()

    table = Table(path, columns, rows(), "json", close=source.close)
    table.no_nul_so_far = lambda: not guard.nul_seen
    return table
