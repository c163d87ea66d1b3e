"""Old Excel (.xls) workbooks: cells read as values, a title above the header skipped, a broken
file refused clearly. The workbooks are written here, byte by byte, by a small BIFF8 writer
(``write_xls``): no library that writes .xls is needed, in the tests or at run time."""

import datetime
import random
import struct

import pytest

from hrtrack.ingest.files import open_table
from hrtrack.ingest.xls import header_index
from hrtrack.lib.errors import InvalidInput

# -- A minimal BIFF8 workbook in an OLE2 compound document, as Excel 97-2003 writes them --------

ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
GENERAL_XF, DATE_XF = 0, 1


def _record(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _unicode(value: str, length: str = "H") -> bytes:
    return struct.pack(f"<{length}B", len(value), 1) + value.encode("utf-16-le")


def _bof(kind: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x0600))


def _xf(format_key: int) -> bytes:
    return _record(0x00E0, struct.pack("<HHHBBBBIiH", 0, format_key, 0x0001, 0x20, 0, 0, 0, 0, 0, 0))


def _serial(value: datetime.date) -> float:
    if isinstance(value, datetime.datetime):
        delta = value - datetime.datetime(1899, 12, 30)
        return delta.days + delta.seconds / 86400
    return (value - datetime.date(1899, 12, 30)).days


def _sheet_stream(rows) -> bytes:
    out = [_bof(0x0010)]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, bool):
                out.append(_record(0x0205, struct.pack("<HHHBB", r, c, GENERAL_XF, int(value), 0)))
            elif isinstance(value, int | float):
                out.append(_record(0x0203, struct.pack("<HHHd", r, c, GENERAL_XF, value)))
            elif isinstance(value, datetime.date):
                out.append(_record(0x0203, struct.pack("<HHHd", r, c, DATE_XF, _serial(value))))
            else:
                out.append(_record(0x0204, struct.pack("<HHH", r, c, GENERAL_XF) + _unicode(str(value))))
    return b"".join([*out, _record(0x000A)])


def workbook_stream(sheets: dict[str, list[list]]) -> bytes:
    """The BIFF8 ``Workbook`` stream: globals (code page, date mode, a general and a date
    format), one BOUNDSHEET per sheet, then each sheet's cells."""
    globals_ = [_bof(0x0005), _record(0x0042, struct.pack("<H", 1200)), _record(0x0022, struct.pack("<H", 0)),
                _xf(0), _xf(14)]
    bodies = [_sheet_stream(rows) for rows in sheets.values()]
    offset = sum(map(len, globals_)) + sum(4 + 8 + 2 * len(name) for name in sheets) + 4
    for name, body in zip(sheets, bodies, strict=True):
        globals_.append(_record(0x0085, struct.pack("<IBB", offset, 0, 0) + _unicode(name, "B")))
        offset += len(body)
    return b"".join([*globals_, _record(0x000A), *bodies])


def compound_file(stream: bytes, name: str = "Workbook") -> bytes:
    """``stream`` as the one stream of an OLE2 compound document (512-byte sectors)."""
    stream = stream.ljust(max(4096, -(-len(stream) // 512) * 512), b"\0")  # 4096+: no mini stream
    sectors = len(stream) // 512
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + sectors + 1:
        fat_sectors += 1
    fat = [FATSECT] * fat_sectors + [fat_sectors + i + 1 for i in range(sectors - 1)] + [ENDOFCHAIN, ENDOFCHAIN]
    fat += [FREESECT] * (fat_sectors * 128 - len(fat))
    assert fat_sectors <= 109, "without DIFAT sectors a compound file holds about 7 MB"
    difat = list(range(fat_sectors)) + [FREESECT] * (109 - fat_sectors)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
              + struct.pack("<HHHHH6xIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, 0, fat_sectors, fat_sectors + sectors, 0,
                            4096, ENDOFCHAIN, 0, ENDOFCHAIN, 0)
              + struct.pack("<109I", *difat))

    def entry(entry_name: str, kind: int, child: int, start: int, size: int) -> bytes:
        encoded = (entry_name + "\0").encode("utf-16-le") if entry_name else b""
        return (encoded.ljust(64, b"\0") + struct.pack("<HBBIII", len(encoded), kind, 1, NOSTREAM, NOSTREAM, child)
                + bytes(16) + struct.pack("<IQQIII", 0, 0, 0, start, size, 0))

    directory = (entry("Root Entry", 5, 1, ENDOFCHAIN, 0) + entry(name, 2, NOSTREAM, fat_sectors, len(stream))
                 + entry("", 0, NOSTREAM, 0, 0) * 2)
    return header + struct.pack(f"<{len(fat)}I", *fat) + stream + directory


def xls_bytes(sheets: dict[str, list[list]]) -> bytes:
    return compound_file(workbook_stream(sheets))


def write_xls(path, rows: list[list] | None = None, sheets: dict[str, list[list]] | None = None):
    """An .xls file at ``path`` holding ``rows`` (one sheet) or ``sheets`` (name -> rows); a cell is
    text, a number, a date or datetime, a bool, or None for no cell."""
    path.write_bytes(xls_bytes(sheets if sheets is not None else {"Sheet1": rows}))
    return path


# -- The tests ---------------------------------------------------------------------------------

PLEDGES = [
    ["UPR Info database export"],
    [],
    ["SuR", "Rgrp", "Org", "Recommendation", "RS", "Rgrp", "Org", "Response", "Action", "Issue", "Session"],
    ["Chile", "GRULAC", "OAS", "Chile will ratify the Convention.", "Chile", "GRULAC", "OAS", "Voluntary Pledge",
     5.0, "International instruments", 5.0],
    [],
    ["Nepal", "Asia", "", "Nepal will adopt a plan.", "Nepal", "Asia", None, "Voluntary Pledge", 4, "Other", 10],
]


def test_a_title_above_the_header_is_skipped_and_rows_keep_their_spreadsheet_numbers(tmp_path):
    table = open_table(write_xls(tmp_path / "export.xls", PLEDGES))
    assert table.kind == "xls"
    assert table.columns == ["SuR", "Rgrp", "Org", "Recommendation", "RS", "Rgrp 2", "Org 2", "Response", "Action",
                             "Issue", "Session"]
    rows = list(table)
    assert [row.number for row in rows] == [4, 6]  # the empty row 5 is no row
    assert rows[0].cells["SuR"] == "Chile" and rows[0].cells["Org 2"] == "OAS"
    assert rows[1].cells["Org 2"] == ""  # a cell the file leaves out is empty, not missing


def test_numbers_dates_and_booleans_come_as_values(tmp_path):
    rows = [["Name", "Count", "Share", "Adopted", "Seen", "Open"],
            ["a", 3.0, 0.25, datetime.date(2019, 11, 4), datetime.datetime(2020, 1, 2, 13, 30), True],
            ["b", -12, 1e20, datetime.date(1999, 12, 31), datetime.datetime(2008, 4, 7), False]]
    cells = [row.cells for row in open_table(write_xls(tmp_path / "values.xls", rows))]
    assert cells[0] == {"Name": "a", "Count": 3, "Share": 0.25, "Adopted": datetime.datetime(2019, 11, 4),
                        "Seen": datetime.datetime(2020, 1, 2, 13, 30), "Open": True}
    assert type(cells[0]["Count"]) is int and type(cells[1]["Count"]) is int and cells[1]["Count"] == -12
    assert cells[1]["Adopted"] == datetime.datetime(1999, 12, 31) and cells[1]["Open"] is False
    assert cells[1]["Share"] == 1e20


def test_a_sheet_can_be_named_and_an_unknown_one_is_refused_with_the_sheets_it_has(tmp_path):
    path = write_xls(tmp_path / "two.xls", sheets={"Notes": [["Read me first"]],
                                                    "Data": [["Code", "Text"], ["X1", "First"], ["X2", "Second"]]})
    assert open_table(path).columns == ["Read me first"]
    table = open_table(path, sheet="Data")
    assert [row.cells for row in table] == [{"Code": "X1", "Text": "First"}, {"Code": "X2", "Text": "Second"}]
    with pytest.raises(InvalidInput, match="two.xls has no sheet Summary; it has Notes, Data"):
        open_table(path, sheet="Summary")


def test_an_empty_sheet_is_refused(tmp_path):
    with pytest.raises(InvalidInput, match="blank.xls is empty"):
        open_table(write_xls(tmp_path / "blank.xls", [[], [None, ""]]))


@pytest.mark.parametrize("rows, expected", [
    ([["Export"], ["Date", "Text"], ["2020", "x"]], 1),
    ([["Exported on", datetime.datetime(2024, 1, 1), None, None], ["A", "B", "C", "D"]], 1),
    ([[], ["Only"], ["one"]], 1),
    ([["A", "B", None], ["1", "2", "3"]], 0),
    ([[None], [""]], None),
])
def test_the_header_is_the_first_row_that_looks_like_one(rows, expected):
    assert header_index(rows) == expected


def test_the_real_export_opens_with_its_header_and_every_row(shared_dir):
    table = open_table(shared_dir / "data" / "upr-info-export" / "voluntary_pledges_export.xls")
    assert table.columns == ["SuR", "Rgrp", "Org", "Recommendation", "RS", "Rgrp 2", "Org 2", "Response", "Action",
                             "Issue", "Session"]
    rows = list(table)
    assert len(rows) == 947 and rows[0].number == 2 and rows[-1].number == 948
    assert all(isinstance(row.cells["Session"], int) and isinstance(row.cells["Action"], int) for row in rows)
    assert {row.cells["Response"] for row in rows} == {"Voluntary Pledge"}


@pytest.fixture
def real_export(shared_dir) -> bytes:
    return (shared_dir / "data" / "upr-info-export" / "voluntary_pledges_export.xls").read_bytes()


@pytest.mark.parametrize("keep", [0.02, 0.3, 0.6, 0.97])
def test_a_truncated_export_is_refused_clearly(tmp_path, real_export, keep):
    path = tmp_path / "cut.xls"
    path.write_bytes(real_export[:int(len(real_export) * keep)])
    with pytest.raises(InvalidInput, match="cut.xls is not an Excel workbook that can be read"):
        list(open_table(path))


def test_a_damaged_workbook_is_refused_clearly_or_read_never_a_crash(tmp_path):
    good = xls_bytes({"Sheet1": PLEDGES})
    rnd = random.Random(13)
    refused = 0
    for attempt in range(60):
        data = bytearray(good)
        for _ in range(rnd.randint(1, 12)):
            data[rnd.randrange(len(data))] = rnd.randrange(256)
        path = tmp_path / f"flipped{attempt}.xls"
        path.write_bytes(bytes(data))
        try:
            list(open_table(path))
        except InvalidInput as error:
            refused += 1
            assert str(error).startswith(f"flipped{attempt}.xls ")  # a message that names the file
    assert refused  # the check above ran


def test_an_office_file_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "letter.xls"
    path.write_bytes(compound_file(b"\xec\xa5\xc1\x00" + bytes(600), name="WordDocument"))
    with pytest.raises(InvalidInput, match="letter.xls is not an Excel workbook that can be read"):
        open_table(path)


def test_a_web_page_named_xls_is_named_for_what_it_is(tmp_path):
    path = tmp_path / "export.xls"
    path.write_text("<html><body><table><tr><td>SuR</td></tr></table></body></html>")
    with pytest.raises(InvalidInput, match="export.xls is a web page \\(HTML\\) named .xls"):
        open_table(path)


def test_a_workbook_with_a_password_says_so(tmp_path):
    stream = workbook_stream({"Sheet1": PLEDGES})
    bof = 4 + 16  # the globals' BOF record; FILEPASS (RC4 encryption) follows it in an encrypted workbook
    filepass = _record(0x002F, struct.pack("<HHH", 1, 1, 1) + bytes(48))
    path = tmp_path / "locked.xls"
    path.write_bytes(compound_file(stream[:bof] + filepass + stream[bof:]))
    with pytest.raises(InvalidInput, match="locked.xls is protected by a password"):
        open_table(path)
