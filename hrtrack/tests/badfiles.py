"""A corpus of broken files, made in code: for every importer, the statement extractor and the
evidence uploads. Nothing here is committed as a binary: each case is a function that makes its
bytes (a bomb is made small: its parts say they inflate to gigabytes, or it inflates past a limit
the case lowers, never to gigabytes).

Each :class:`BadFile` says what a person must be told (``says``, a regular expression the error
must match), the limits it lowers (``env``) and, for a text file, the encoding it is declared in.
``tests/test_bad_input.py`` feeds every case to every door and checks that the answer is that
error, that nothing was written to the database and that nothing was left in storage.
"""

import codecs
import csv
import functools
import gzip
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from openpyxl import Workbook


@dataclass(frozen=True)
class BadFile:
    """One broken file: its name, its bytes, and the error it must get."""

    id: str
    name: str
    data: bytes
    says: str  # a regular expression, matched case-insensitively against the error
    env: dict = field(default_factory=dict)  # limits lowered for this case (environment variables)
    encoding: str | None = None  # the encoding the person says the file is in

    def matches(self, message: str) -> bool:
        return re.search(self.says, message, re.IGNORECASE | re.DOTALL) is not None


# --- What each importer reads when the file is sound -----------------------------------------


@dataclass(frozen=True)
class Layout:
    """An importer and a small sound file of its layout, which each case then breaks."""

    source: str
    header: list[str]
    rows: list[list[str]]
    mapping: str | None = None  # TOML, for the table importer


UPR_INFO = Layout("upr-info", ["To", "To-Rgrp", "To-Org", "Text", "From", "From-Rgrp", "From-Org", "Response",
                               "Action", "Issue", "Session"], [
    ["Mexico", "GRULAC", "", "Protect journalists and human rights defenders.", "Canada", "WEOG", "", "Accepted",
     "5", "", "4"],
    ["Mexico", "GRULAC", "", "Abolish the death penalty.", "Spain", "WEOG", "", "Noted", "3", "", "17"],
])
UHRI = Layout("uhri", ["OHCHR Annotation Id", "Text", "Countries Concerned", "Type", "Document Symbol"], [
    ["5f2b7c1e-8a41-4c5e-9d3a-0e1f2a3b4c5d", "Adopt a law to protect journalists.", "- Mexico", "Recommendation",
     "A/HRC/40/8"],
    ["0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "Investigate all allegations of torture.", "- Mexico",
     "Recommendation", "A/HRC/40/8"],
])
TABLE = Layout("table", ["Text", "Recipient"], [
    ["Protect journalists and human rights defenders.", "Mexico"],
    ["Abolish the death penalty.", "Chile"],
], mapping='[defaults]\nkind = "recommendation"\nmechanism = "upr"\n\n[columns]\ntext = "Text"\n'
           'recipients = "Recipient"\n')
LAYOUTS = {layout.source: layout for layout in (UPR_INFO, UHRI, TABLE)}


def csv_bytes(layout: Layout, rows=None, encoding: str = "utf-8", header=None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(layout.header if header is None else header)
    writer.writerows(layout.rows if rows is None else rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(layout: Layout) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(layout.header)
    for row in layout.rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def json_bytes(layout: Layout) -> bytes:
    import json

    return json.dumps([dict(zip(layout.header, row, strict=True)) for row in layout.rows]).encode()


def rezip(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """The XLSX ``data`` with some parts replaced or added (deflated)."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, content in add.items():
            target.writestr(name, content)
    return out.getvalue()


def forge_size(data: bytes, part: str, size: int) -> bytes:
    """The zip ``data`` with ``part`` saying, in its local header and in the directory, that it
    inflates to ``size`` bytes: a zip bomb's directory, without its gigabytes."""
    data = bytearray(data)
    name = part.encode()
    for signature, offset_of_size, offset_of_name in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            if data[start + offset_of_name:start + offset_of_name + len(name)] == name:
                struct.pack_into("<I", data, start + offset_of_size, size)
            start += 4
    return bytes(data)


SHEET = "xl/worksheets/sheet1.xml"
SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def with_shared_strings(data: bytes, strings: bytes) -> bytes:
    """The workbook with a shared-strings part of this content, declared as Excel declares it."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        types = book.read("[Content_Types].xml")
        rels = book.read("xl/_rels/workbook.xml.rels")
    types = types.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="'
                          + SHARED_STRINGS_TYPE.encode() + b'"/></Types>')
    rels = rels.replace(b"</Relationships>", b'<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org/'
                        b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                        b"</Relationships>")
    return rezip(data, {"[Content_Types].xml": types, "xl/_rels/workbook.xml.rels": rels},
                 {"xl/sharedStrings.xml": strings})


LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
                     for n in range(1, 10))
          + b']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
            b"<si><t>&lol9;</t></si></sst>")


def sheet_xml(cells_xml: bytes, padding: bytes = b"") -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><sheetData>' + cells_xml + padding + b"</sheetData></worksheet>")


def column_name(number: int) -> str:
    name = ""
    while number:
        number, rest = divmod(number - 1, 26)
        name = chr(65 + rest) + name
    return name


def pdf_bytes(text: str = "Joint statement", pages: int = 1) -> bytes:
    """A small real PDF with text, made by pypdf."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    font_ref = writer._add_object(font)
    for _number in range(pages):
        page = writer.add_blank_page(612, 792)
        content = DecodedStreamObject()
        content.set_data(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(content)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
            {NameObject("/F1"): font_ref})})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF written by hand from its objects (1 is the catalog), with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def flate_bomb_pdf(inflated: int) -> bytes:
    """A one-page PDF whose content stream inflates to ``inflated`` bytes of spaces."""
    stream = zlib.compress(b" " * inflated, 9)
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ])


def javascript_pdf() -> bytes:
    """A PDF that runs JavaScript when opened, with the statement's text on its page."""
    text = b"BT /F1 12 Tf 72 720 Td (The delegations agreed to meet again.) Tj ET"
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R /Names << /JavaScript << /Names [(x) 6 0 R] >> >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Action /S /JavaScript /JS (app.alert\\('pwned'\\);) >>",
    ])


def a_zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# --- The importers' corpus -------------------------------------------------------------------

TableCase = Callable[[Layout], BadFile]
TABLE_CASES: list[TableCase] = []


def table_case(function: TableCase) -> TableCase:
    TABLE_CASES.append(function)
    return function


@table_case
def empty_file(layout):
    return BadFile("empty", "export.csv", b"", r"is empty")


@table_case
def one_byte(layout):
    return BadFile("one-byte", "export.csv", b"x", r"missing column|no header|empty")


@table_case
def byte_order_mark_alone(layout):
    return BadFile("bom-alone", "export.csv", codecs.BOM_UTF8, r"is empty")


@table_case
def blank_lines(layout):
    return BadFile("blank-lines", "export.csv", b"\r\n \n\t\n\n", r"is empty|no header")


@table_case
def nul_bytes(layout):
    data = csv_bytes(layout)
    return BadFile("nul-bytes", "export.csv", data[:20] + b"\x00\x00\x00" + data[20:], r"binary file")


@table_case
def nul_after_the_first_kilobytes(layout):
    rows = [list(layout.rows[0]) for _ in range(200)]
    rows.append([cell + "\x00" for cell in layout.rows[1]])
    return BadFile("nul-late", "export.csv", csv_bytes(layout, rows), r"NUL")


@table_case
def invalid_utf8(layout):
    data = csv_bytes(layout)
    cut = data.index(b"\n") + 5
    return BadFile("invalid-utf8", "export.csv", data[:cut] + b"\xff\xfe\xc3\x28" + data[cut:], r"not UTF-8 text")


@table_case
def shift_jis_declared_utf8(layout):
    rows = [[cell + "（人権）" for cell in row] for row in layout.rows]
    return BadFile("shift-jis-as-utf8", "export.csv", csv_bytes(layout, rows, "shift_jis"), r"not UTF-8 text",
                   encoding="utf-8")


@table_case
def utf16_without_bom_truncated(layout):
    data = csv_bytes(layout, encoding="utf-16-le")
    return BadFile("utf16-nobom-truncated", "export.csv", data[:-1], r"not UTF-16")


@table_case
def utf32_without_bom_truncated(layout):
    data = csv_bytes(layout, encoding="utf-32-le")
    return BadFile("utf32-nobom-truncated", "export.csv", data[:-2], r"not UTF-32-LE text")


@table_case
def utf16_read_as_utf32(layout):
    """UTF-16 text declared UTF-32: NUL characters where the letters should be."""
    return BadFile("utf16-as-utf32", "export.csv", csv_bytes(layout, encoding="utf-16-le")[:-2] + b"\n\x00\x00\x00",
                   r"NUL|not UTF-32", encoding="utf-32-le")


@table_case
def utf32_truncated(layout):
    data = codecs.BOM_UTF32_LE + csv_bytes(layout, encoding="utf-32-le")
    return BadFile("utf32-truncated", "export.csv", data[:-3], r"not UTF-32 text")


@table_case
def byte_order_mark_in_the_middle(layout):
    header = ["\ufeff" + name for name in layout.header]
    return BadFile("bom-in-header", "export.csv", csv_bytes(layout, header=header), r"missing column")


@table_case
def latin1_declared_as_nothing(layout):
    rows = [[cell.replace("e", "é") + " ñ" for cell in row] for row in layout.rows]
    return BadFile("latin1-undeclared", "export.csv", csv_bytes(layout, rows, "latin-1"), r"not UTF-8 text")


@table_case
def unknown_encoding(layout):
    return BadFile("unknown-encoding", "export.csv", csv_bytes(layout), r"not an encoding|not a text encoding",
                   encoding="rot13")


@table_case
def pdf_named_csv(layout):
    return BadFile("pdf-as-csv", "export.csv", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n\x00\x00",
                   r"binary file")


@table_case
def gzip_named_csv(layout):
    return BadFile("gzip-as-csv", "export.csv", gzip.compress(csv_bytes(layout), mtime=0), r"binary file")


@table_case
def csv_named_json(layout):
    return BadFile("csv-as-json", "export.json", csv_bytes(layout), r"not valid JSON")


@table_case
def png_named_xlsx(layout):
    return BadFile("png-as-xlsx", "export.xlsx", PNG, r"not a spreadsheet")


@table_case
def truncated_xlsx(layout):
    data = xlsx_bytes(layout)
    return BadFile("truncated-xlsx", "export.xlsx", data[: len(data) // 2], r"not a spreadsheet|damaged")


@table_case
def zip_without_a_workbook(layout):
    return BadFile("zip-not-xlsx", "export.xlsx", a_zip({"readme.txt": b"hello"}), r"not a spreadsheet")


@table_case
def xlsx_sheet_not_xml(layout):
    data = rezip(xlsx_bytes(layout), {SHEET: b"<worksheet><sheetData><row><c><v>1</v></row>"})
    return BadFile("xlsx-broken-xml", "export.xlsx", data, r"not a spreadsheet|damaged")


@table_case
def xlsx_entity_expansion(layout):
    return BadFile("xlsx-billion-laughs", "export.xlsx", with_shared_strings(xlsx_bytes(layout), LAUGHS),
                   r"entities")


@table_case
def xlsx_entity_expansion_declared_late(layout):
    # The DOCTYPE after a long comment: past the first bytes a quick look reads (defusedxml refuses it).
    late = LAUGHS.replace(b"<!DOCTYPE", b"<!--" + b" " * 6000 + b"-->\n<!DOCTYPE", 1)
    return BadFile("xlsx-billion-laughs-late", "export.xlsx", with_shared_strings(xlsx_bytes(layout), late),
                   r"entities|not a spreadsheet")


@table_case
def xlsx_zip_bomb_directory(layout):
    """A sheet whose directory says it inflates to 3.9 GB."""
    return BadFile("xlsx-bomb-forged", "export.xlsx", forge_size(xlsx_bytes(layout), SHEET, 3_900_000_000),
                   r"inflate")


@table_case
def xlsx_zip_bomb(layout):
    """A sheet that really inflates 1,000 times (24 MB of spaces in 24 KB): past ten times a 1 MB limit."""
    return BadFile("xlsx-bomb", "export.xlsx", _xlsx_bomb(layout.source), r"inflate",
                   env={"HRTRACK_IMPORT_MAX_MB": "1"})


@functools.cache
def _xlsx_bomb(source: str) -> bytes:
    layout = LAYOUTS[source]
    cells = b"".join(b'<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (column_name(n + 1).encode(), name.encode())
                     for n, name in enumerate(layout.header))
    return rezip(xlsx_bytes(layout), {SHEET: sheet_xml(b'<row r="1">' + cells + b"</row>", b" " * 24_000_000)})


@table_case
def xlsx_huge_shared_strings(layout):
    """A shared-strings table of a million strings (20 MB inflated), in a workbook under 1 MB."""
    return BadFile("xlsx-huge-shared-strings", "export.xlsx", _huge_shared_strings(layout.source), r"inflate",
                   env={"HRTRACK_IMPORT_MAX_MB": "1"})


@functools.cache
def _huge_shared_strings(source: str) -> bytes:
    layout = LAYOUTS[source]
    strings = (b'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
               b'spreadsheetml/2006/main" count="1000000" uniqueCount="1000000">'
               + b"<si><t>s</t></si>" * 1_000_000 + b"</sst>")
    return with_shared_strings(xlsx_bytes(layout), strings)


@table_case
def xlsx_16384_columns(layout):
    cells = b"".join(b'<c r="%s1" t="inlineStr"><is><t>c%d</t></is></c>' % (column_name(n).encode(), n)
                     for n in range(1, 16385))
    data = rezip(xlsx_bytes(layout), {SHEET: sheet_xml(b'<row r="1">' + cells + b"</row>")})
    return BadFile("xlsx-16384-columns", "export.xlsx", data, r"16,?384 columns")


@table_case
def xlsx_dimension_of_the_whole_grid(layout):
    """A 5 KB sheet whose <dimension> says A1:XFD1048576, with one cell far away in row 2000:
    read as its dimension says, a million rows of 16,384 cells (hours)."""
    cells = b"".join(b'<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (column_name(n + 1).encode(), name.encode())
                     for n, name in enumerate(layout.header))
    far = b'<row r="2000"><c r="XFD2000" t="inlineStr"><is><t>far</t></is></c></row>'
    xml = sheet_xml(b'<row r="1">' + cells + b"</row>" + far).replace(
        b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>')
    return BadFile("xlsx-whole-grid", "export.xlsx", rezip(xlsx_bytes(layout), {SHEET: xml}),
                   r"2,?000.{0,60}text is empty")


@table_case
def csv_16384_columns(layout):
    header = [f"c{n}" for n in range(16384)]
    return BadFile("csv-16384-columns", "export.csv", csv_bytes(layout, rows=[], header=header), r"16,?384 columns")


@table_case
def xls_that_is_a_web_page(layout):
    page = b"<html><body><table><tr>" + b"".join(b"<td>%s</td>" % h.encode() for h in layout.header) + \
        b"</tr></table></body></html>"
    return BadFile("xls-is-html", "export.xls", page, r"web page")


@table_case
def xls_that_is_a_csv(layout):
    return BadFile("xls-is-csv", "export.xls", csv_bytes(layout), r"not an Excel workbook")


@table_case
def xls_truncated(layout):
    return BadFile("xls-truncated", "export.xls", OLE2 + b"\x00" * 60 + b"\x3e\x00\x03\x00", r"not an Excel workbook")


@table_case
def json_nested_deep(layout):
    return BadFile("json-deep", "export.json", b"[" * 100_000 + b"]" * 100_000, r"nests its data")


@table_case
def json_object_nested_deep(layout):
    return BadFile("json-deep-objects", "export.json", b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
                   r"nests its data")


@table_case
def json_not_a_list(layout):
    return BadFile("json-scalar", "export.json", b'"a string"', r"list of records")


@table_case
def json_list_of_numbers(layout):
    return BadFile("json-numbers", "export.json", b"[1, 2, 3]", r"list of records")


@table_case
def json_truncated(layout):
    data = json_bytes(layout)
    return BadFile("json-truncated", "export.json", data[: len(data) - 20], r"not valid JSON")


@table_case
def json_invalid_utf8(layout):
    data = json_bytes(layout).replace(b"Mexico", b"M\xe9xico\xff", 1)
    return BadFile("json-invalid-utf8", "export.json", data, r"not UTF-8")


@table_case
def json_not_a_number(layout):
    return BadFile("json-nan", "export.json", b'[{"Text": NaN}]', r"not valid JSON")


@table_case
def json_nul_escape(layout):
    data = json_bytes(layout).replace(b"Mexico", b"Mex\\u0000ico", 1)
    return BadFile("json-nul", "export.json", data, r"NUL")


@table_case
def json_a_million_empty_records(layout):
    """A million records of nothing (2 MB): refused from the first records, not read to the end."""
    return BadFile("json-million-empty", "export.json", b"[" + b",".join([b"{}"] * 1_000_000) + b"]",
                   r"missing column")


@table_case
def csv_huge_field(layout):
    """One cell of 11 MB: past the 10 MB a cell may hold (an unclosed quote swallows a file so)."""
    data = csv_bytes(layout).rstrip(b"\n") + b'\n"' + b"x" * (11 * 2**20) + b'"\n'
    return BadFile("csv-huge-field", "export.csv", data, r"cell of more than 10 MB")


@table_case
def csv_huge_header_field(layout):
    return BadFile("csv-huge-header-field", "export.csv", b'"' + b"x" * (11 * 2**20) + b'"\n',
                   r"cell of more than 10 MB")


@table_case
def csv_more_cells_than_header(layout):
    rows = [row + ["surplus", "cells"] for row in layout.rows]
    return BadFile("csv-wide-rows", "export.csv", csv_bytes(layout, rows), r"more than the \d+ columns")


@table_case
def csv_header_without_names(layout):
    return BadFile("csv-empty-header", "export.csv", b",,,\n" + csv_bytes(layout).split(b"\n", 1)[1],
                   r"no header")


@table_case
def too_large(layout):
    """Past the size limit (lowered to 1 MB here, as HRTRACK_IMPORT_MAX_MB does)."""
    return BadFile("too-large", "export.csv", csv_bytes(layout) + b"\n" * (2 * 2**20), r"the most one import",
                   env={"HRTRACK_IMPORT_MAX_MB": "1"})


@table_case
def path_traversal_name(layout):
    return BadFile("path-traversal", "../../../etc/passwd.csv", b"root:x:0:0:root:/root:/bin/bash\n",
                   r"missing column|more than the")


def table_corpus(source: str) -> list[BadFile]:
    """Every broken file, in the layout of ``source``'s importer."""
    layout = LAYOUTS[source]
    return [case(layout) for case in TABLE_CASES]


# --- The statement extractor's corpus --------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    """A statement file the extractor must refuse (``says``), or read without what it must not
    carry (``never``: text that must not be in what it read, nor unescaped in a page)."""

    id: str
    name: str
    data: bytes
    says: str | None = None
    never: tuple[str, ...] = ()
    env: dict = field(default_factory=dict)


BODY = ("Joint statement on the fourth round of the Human Rights Dialogue. The delegations met in Brussels "
        "on 3 April 2019 and agreed to meet again next year. ")


def statement_corpus() -> list[Statement]:
    script = "<script>alert('pwned')</script>"
    page = f"<html><head><title>Dialogue</title>{script}</head><body><article><h1>Human Rights Dialogue</h1>" \
           f"<p>{BODY * 3}</p>{script}<p onclick=\"alert('pwned')\">{BODY}</p></article></body></html>"
    return [
        Statement("empty", "statement.txt", b"", says=r"is empty"),
        Statement("one-byte", "statement.txt", b"x", says=r"no .*found|nothing|not .*statement|too short|empty"),
        Statement("blank", "statement.txt", b" \n\t\r\n", says=r"is empty"),
        Statement("bom-alone", "statement.txt", codecs.BOM_UTF8, says=r"is empty"),
        Statement("nul-bytes", "statement.txt", BODY.encode()[:30] + b"\x00" * 40 + BODY.encode(),
                  says=r"binary file"),
        Statement("binary", "statement.txt", bytes(range(256)) * 8, says=r"binary file"),
        Statement("png", "statement.png", PNG, says=r"binary file"),
        Statement("gzip", "statement.txt", gzip.compress(BODY.encode() * 10, mtime=0), says=r"binary file"),
        Statement("zip-bomb", "statement.docx", forge_size(a_zip({"word/document.xml": b"<w/>" * 100}),
                                                           "word/document.xml", 3_900_000_000),
                  says=r"binary file|not .*read"),
        Statement("utf32-nobom", "statement.txt", (BODY * 3).encode("utf-32-le"), never=("\x00",)),
        Statement("utf16-truncated", "statement.txt", codecs.BOM_UTF16_LE + (BODY * 3).encode("utf-16-le")[:-1],
                  never=("\x00",)),
        Statement("invalid-utf8", "statement.txt", BODY.encode() + b"\xff\xfe\xc3\x28" + BODY.encode(),
                  never=("\x00",)),
        Statement("shift-jis", "statement.txt", ("人権対話の共同声明。" * 40).encode("shift_jis"), never=("\x00",)),
        Statement("bom-in-middle", "statement.txt", (BODY + "\ufeff" + BODY).encode(), never=("\ufeff",)),
        Statement("too-large", "statement.txt", BODY.encode() * 10_000, says=r"up to 1 MB",
                  env={"HRTRACK_EXTRACT_MAX_MB": "1"}),
        Statement("html-scripts", "statement.html", page.encode(), never=("alert(", "<script", "onclick")),
        Statement("html-only-script", "statement.html", f"<html><body>{script}</body></html>".encode(),
                  says=r"No text was found"),
        Statement("html-script-in-title", "statement.html",
                  page.replace("<title>Dialogue", "<title>&lt;script&gt;alert('pwned')&lt;/script&gt;").encode(),
                  never=("<script",)),
        Statement("html-entity-bomb", "statement.html",
                  b'<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                  b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
                  b"<html><body><p>" + BODY.encode() + b"&d;&d;&d;&d;</p></body></html>",
                  never=("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",)),
        Statement("html-deep", "statement.html", b"<html><body>" + b"<div>" * 50_000 + BODY.encode()
                  + b"</div>" * 50_000 + b"</body></html>", says=r"No text|nest|cannot be read", never=("<div",)),
        Statement("html-nul", "statement.html", f"<html><body><p>{BODY}\x00{BODY}</p></body></html>".encode(),
                  says=r"binary file"),
        Statement("svg-script", "statement.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)'
                  b"</script><text>" + BODY.encode() + b"</text></svg>", says=r"cannot be read|No text"),
        Statement("pdf-header-only", "statement.pdf", b"%PDF-1.7\n", says=r"PDF that cannot be read"),
        Statement("pdf-truncated", "statement.pdf", pdf_bytes(BODY[:60])[:300], says=r"PDF"),
        Statement("pdf-garbage", "statement.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 20,
                  says=r"PDF that cannot be read|PDF without text"),
        Statement("pdf-no-text", "statement.pdf", raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                                                          b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                                          b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 9 9] >>"]),
                  says=r"PDF without text"),
        Statement("pdf-flate-bomb", "statement.pdf", _pdf_bomb(), says=r"PDF", env={"HRTRACK_EXTRACT_MAX_MB": "1"}),
        Statement("pdf-thousands-of-pages", "statement.pdf", _many_pages(), says=r"pages"),
        Statement("pdf-javascript", "statement.pdf", javascript_pdf(), never=("app.alert", "pwned")),
        Statement("pdf-self-reference", "statement.pdf", raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                                                                 b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]),
                  says=r"PDF"),
        Statement("pdf-encrypted", "statement.pdf", _encrypted_pdf(), says=r"password|PDF"),
        Statement("path-traversal", "../../../etc/passwd", b"root:x:0:0:root:/root:/bin/bash\n",
                  never=("../",)),
    ]


@functools.cache
def _pdf_bomb() -> bytes:
    """A page whose content stream inflates to 64 MB from 64 KB: past what is read of a 1 MB statement."""
    return flate_bomb_pdf(64 * 2**20)


@functools.cache
def _many_pages() -> bytes:
    """Five thousand pages (a statement has a few)."""
    return pdf_bytes("x", pages=5000)


@functools.cache
def _encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(BODY[:60]))))
    writer.encrypt("a secret password", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- The evidence uploads' corpus (follow-up reports and civil-society contributions) ---------


def evidence_corpus() -> list[BadFile]:
    """Files an evidence upload must refuse, whatever their name says."""
    docx = a_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    return [
        BadFile("empty", "report.pdf", b"", r"is empty|submitted file is empty"),
        BadFile("html-named-pdf", "report.pdf", b"<html><script>alert(1)</script></html>", r"not a file we accept"),
        BadFile("html-late-tag", "notes.txt", b"Notes\n" * 50 + b"<script>alert(1)</script>", r"not a file we accept"),
        BadFile("svg", "chart.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                r"not a file we accept"),
        BadFile("xml", "data.txt", b'<?xml version="1.0"?><a/>', r"not a file we accept"),
        BadFile("windows-program", "report.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, r"not a file we accept"),
        BadFile("elf-program", "report.doc", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, r"not a file we accept"),
        BadFile("shell-script", "report.txt", b"#!/bin/sh\nrm -rf /\n\x00", r"not a file we accept"),
        BadFile("nul-bytes", "notes.txt", b"Evidence\x00\x00\x00 of the report", r"not a file we accept"),
        BadFile("invalid-utf8", "notes.txt", b"Evidence \xff\xfe\xc3\x28", r"not a file we accept"),
        BadFile("utf16-nobom", "notes.txt", "Evidence of the report".encode("utf-16-le"), r"not a file we accept"),
        BadFile("utf32", "notes.txt", codecs.BOM_UTF32_LE + "Evidence".encode("utf-32-le"), r"not a file we accept"),
        BadFile("shift-jis", "notes.txt", "人権報告の証拠".encode("shift_jis"), r"not a file we accept"),
        BadFile("invalid-utf8-late", "notes.csv", b"a,b\n" * 5000 + b"\xff\n", r"not a file we accept"),
        BadFile("plain-zip", "report.docx", a_zip({"report.txt": b"hello"}), r"not a file we accept"),
        BadFile("zip-bomb", "report.docx", forge_size(a_zip({"big.bin": b"\x00" * 1000}), "big.bin", 3_900_000_000),
                r"not a file we accept|inflate"),
        BadFile("docx-bomb", "report.docx", forge_size(docx, "word/document.xml", 3_900_000_000), r"inflate"),
        BadFile("truncated-zip", "report.docx", docx[:40], r"not a file we accept"),
        BadFile("docx-macros", "report.docx", a_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>",
                                                     "word/vbaProject.bin": b"\x00"}), r"macros"),
        BadFile("odf-macros", "report.odt", a_zip({"mimetype": b"application/vnd.oasis.opendocument.text",
                                                   "Basic/Standard/Module1.xml": b"<script/>"}), r"macros"),
        BadFile("ole2-truncated", "report.doc", OLE2 + b"\x00" * 100, r"not a file we accept"),
        BadFile("ole2-installer", "report.doc", _ole2_with("summaryinformation"), r"not a file we accept"),
        BadFile("ole2-macros", "report.xls", _ole2_with("workbook", "_vba_project_cur"), r"macros"),
        BadFile("riff-not-webp", "photo.webp", b"RIFF\x00\x00\x00\x00AVI LIST" + b"\x00" * 50,
                r"not a file we accept"),
        BadFile("gzip", "report.pdf", gzip.compress(b"evidence" * 100, mtime=0), r"not a file we accept"),
        BadFile("pdf-named-nothing", "report", b"MZ" + b"\x00" * 10, r"not a file we accept"),
        BadFile("path-traversal", "../../../etc/passwd", b"root:x:0:0:root:/root:/bin/bash\n\x00",
                r"not a file we accept"),
        BadFile("name-with-nul", "report\x00.pdf", b"MZ\x90\x00", r"not a file we accept|NUL"),
        BadFile("too-large", "report.pdf", b"%PDF-1.4\n" + b" " * (2 * 2**20), r"more than the limit",
                env={"HRTRACK_EVIDENCE_MAX_MB": "1"}),
        BadFile("html-in-pdf-name", "report.pdf.html", b"<!doctype html><p>hi</p>", r"not a file we accept"),
        BadFile("bom-then-html", "notes.txt", codecs.BOM_UTF8 + b"  <html><body>x</body></html>",
                r"not a file we accept"),
    ]


def _ole2_with(*streams: str) -> bytes:
    """A minimal OLE2 compound file (512-byte sectors) whose directory holds these streams."""
    sector = 512
    header = bytearray(sector)
    header[:8] = OLE2
    struct.pack_into("<HHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9)
    struct.pack_into("<H", header, 0x20, 6)
    struct.pack_into("<II", header, 0x2C, 1, 1)  # one FAT sector; the directory starts at sector 1
    struct.pack_into("<I", header, 0x3C, 0xFFFFFFFE)
    struct.pack_into("<II", header, 0x44, 0xFFFFFFFE, 0)
    difat = [0] + [0xFFFFFFFF] * 108
    struct.pack_into("<109I", header, 0x4C, *difat)
    fat = [0xFFFFFFFD, 0xFFFFFFFE] + [0xFFFFFFFF] * (sector // 4 - 2)
    directory = bytearray(sector)
    for index, name in enumerate(["Root Entry", *streams][:4]):
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        entry = index * 128
        directory[entry:entry + len(encoded)] = encoded
        struct.pack_into("<H", directory, entry + 64, len(encoded))
        directory[entry + 66] = 5 if index == 0 else 2
    return bytes(header) + struct.pack(f"<{sector // 4}I", *fat) + bytes(directory)
