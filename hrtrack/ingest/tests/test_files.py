"""open_table: files as people upload them, and broken ones answered with one clear line.

Each broken file is tried twice: through ``open_table`` (what every importer and the CLI use),
and through the import page, which must answer it beside the field and keep nothing (no run, no
file), never with a 500.
"""

import html
import io
import json
import uuid
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from hrtrack.ingest.files import JSON_MAX_DEPTH, max_import_bytes, open_table
from hrtrack.ingest.models import ImportRun
from hrtrack.lib.errors import InvalidInput
from hrtrack.recommendations.models import Recommendation


def read_all(path, **options):
    """Open the file and read every row, as an import does."""
    table = open_table(path, **options)
    return table.columns, [row.cells for row in table]


def xlsx_bytes(rows=50) -> bytes:
    """A UHRI export in XLSX (its columns, so that the import page reads past its header)."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Text", "Countries Concerned", "OHCHR Annotation Id"])
    for number in range(rows):
        sheet.append([f"Recommendation {number}: protect human rights defenders and journalists.", "- Mexico",
                      str(uuid.UUID(int=number + 1))])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewritten(data: bytes, change) -> bytes:
    """The workbook with each part passed through ``change(name, content)``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            target.writestr(name, change(name, source.read(name)))
    return out.getvalue()


BOMB = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
                   for n in range(1, 10))
        + b"]>")


def corrupted_deflate(data: bytes) -> bytes:
    """The workbook with bytes in the middle of its sheet's compressed data flipped."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + info.compress_size // 2
    broken = bytearray(data)
    for index in range(start, start + 40):
        broken[index] ^= 0x5A
    return bytes(broken)


def deep_json(depth=100_000) -> bytes:
    return b'[{"Text": "fine"}, ' + b"[" * depth + b"]" * depth + b"]"


def half_broken_json(records=5) -> bytes:
    good = ", ".join(json.dumps({"Text": f"Recommendation {n}", "Countries": ["Mexico"]}) for n in range(records))
    return f'[{good}, {{"Text": "cut here", "Countries": [tru'.encode()


#: Broken files: name, content, what the error says.
BROKEN = {
    "deep": ("deep.json", deep_json(), "nests its data more than"),
    "truncated-xlsx": ("cut.xlsx", xlsx_bytes()[:3000], "not a spreadsheet that can be read"),
    "xlsx-sheet-cut": ("cut-sheet.xlsx", rewritten(xlsx_bytes(), lambda n, d: d[:len(d) // 2]
                                                    if n.endswith("sheet1.xml") else d), "cannot be read further"),
    "xlsx-workbook-cut": ("cut-book.xlsx", rewritten(xlsx_bytes(), lambda n, d: d[:len(d) // 2]
                                                      if n == "xl/workbook.xml" else d), "not a spreadsheet"),
    "xlsx-corrupted": ("crc.xlsx", corrupted_deflate(xlsx_bytes(400)), "XLSX"),
    "bomb-in-sheet": ("bomb.xlsx", rewritten(xlsx_bytes(), lambda n, d: BOMB + d if n.endswith("sheet1.xml") else d),
                      "declares XML entities"),
    "bomb-in-workbook": ("bomb2.xlsx", rewritten(xlsx_bytes(), lambda n, d: BOMB + d if n == "xl/workbook.xml" else d),
                         "declares XML entities"),
    "a-string": ("string.json", b'"just a string"', "must hold a list of records"),
    "a-number": ("number.json", b"42", "must hold a list of records"),
    "an-object-without-records": ("object.json", b'{"count": 2, "next": null}', "must hold a list of records"),
    "a-list-of-numbers": ("numbers.json", b"[1, 2, 3]", "item 1 is not one"),
    "a-list-of-lists": ("lists.json", b'[[{"Text": "x"}]]', "item 1 is not one"),
    "half-broken": ("half.json", half_broken_json(), "is not valid JSON after record 5"),
    "not-utf8": ("latin.json", '[{"Text": "Protección"}]'.encode("latin-1"), "not UTF-8 text"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_file_is_refused_in_one_clear_line(tmp_path, case):
    name, content, says = BROKEN[case]
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InvalidInput, match=says) as error:
        read_all(path)
    assert name in str(error.value) and "\n" not in str(error.value)


@pytest.mark.parametrize("encoding", ["zlib", "rot13", "base64", "hex", "bz2", "uu"])
def test_a_codec_that_is_not_a_text_encoding_is_refused(tmp_path, encoding):
    path = tmp_path / "rows.csv"
    path.write_text("Text,Countries\nProtect defenders,Mexico\n")
    with pytest.raises(InvalidInput, match=f"{encoding} is not a text encoding"):
        read_all(path, encoding=encoding)


def test_an_encoding_python_does_not_know_is_named(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("Text\nx\n")
    with pytest.raises(InvalidInput, match="klingon is not an encoding Python knows"):
        read_all(path, encoding="klingon")


def test_a_json_list_keeps_its_list_cells_as_lists_and_nulls_are_empty(tmp_path):
    path = tmp_path / "records.json"
    path.write_text(json.dumps([
        {"Text": "Ratify the Convention", "Countries": ["Australia", None], "Themes": None, "Score": 1.5},
        {"Text": "Protect journalists", "Countries": ["- Mexico", "- Guatemala"], "Extra": {"a": 1}},
    ]))
    columns, rows = read_all(path)
    assert columns == ["Text", "Countries", "Themes", "Score", "Extra"]
    assert rows[0] == {"Text": "Ratify the Convention", "Countries": ["Australia"], "Themes": "", "Score": 1.5}
    assert rows[1]["Countries"] == ["- Mexico", "- Guatemala"]


def test_columns_come_from_the_first_records_and_a_later_key_is_still_read(tmp_path):
    records = [{"Text": f"Item {n}"} for n in range(150)] + [{"Text": "Late", "Late column": "here"}]
    path = tmp_path / "records.json"
    path.write_text(json.dumps(records))
    table = open_table(path)
    assert table.columns == ["Text"]
    rows = list(table)
    assert len(rows) == 151 and rows[-1].cells == {"Text": "Late", "Late column": "here"}
    assert [r.number for r in rows[:3]] == [1, 2, 3]


def test_an_object_holding_its_records_under_a_key_is_read(tmp_path):
    path = tmp_path / "search.json"
    path.write_text(json.dumps({"total": 2, "facets": [1, 2], "results": [{"Text": "One"}, {"Text": "Two"}]}))
    assert read_all(path) == (["Text"], [{"Text": "One"}, {"Text": "Two"}])


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le"])
def test_json_in_another_unicode_form_is_read(tmp_path, encoding):
    path = tmp_path / "records.json"
    text = json.dumps([{"Text": "Protección de periodistas", "Countries": ["México"]}], ensure_ascii=False)
    # utf-8-sig and utf-16 write their byte-order mark; UTF-16 without one is told from its NULs.
    path.write_bytes(text.encode(encoding))
    assert read_all(path)[1] == [{"Text": "Protección de periodistas", "Countries": ["México"]}]


def test_a_latin_1_json_is_read_when_its_encoding_is_given(tmp_path):
    path = tmp_path / "latin.json"
    path.write_bytes('[{"Text": "Protección"}]'.encode("latin-1"))
    assert read_all(path, encoding="latin-1")[1] == [{"Text": "Protección"}]


def test_escaped_quotes_and_brackets_in_strings_do_not_count_as_nesting(tmp_path):
    text = '"[[[[' * 40 + '\\\\ \\" {{{{'
    path = tmp_path / "strings.json"
    path.write_text(json.dumps([{"Text": text, "Nested": [[[["ok"]]]]}]))
    assert read_all(path)[1] == [{"Text": text, "Nested": [[[["ok"]]]]}]


def test_nesting_just_under_the_limit_is_read(tmp_path):
    depth = JSON_MAX_DEPTH - 2  # the list of records and the record itself are two levels
    path = tmp_path / "deep.json"
    path.write_text('[{"Text": ' + "[" * depth + "]" * depth + "}]")
    assert len(read_all(path)[1]) == 1


def test_json_may_be_larger_than_a_table_and_an_administrator_sets_both(tmp_path, monkeypatch):
    assert max_import_bytes("json") >= 1024 * 2**20 > max_import_bytes("csv") == max_import_bytes("xlsx")
    big_csv, big_json = tmp_path / "big.csv", tmp_path / "big.json"
    for path in (big_csv, big_json):
        with path.open("wb") as fh:
            fh.write(b"[" if path.suffix == ".json" else b"Text\n")
            fh.truncate(150 * 2**20)  # sparse: nothing written to disk
    with pytest.raises(InvalidInput, match="the most one import takes is 100 MB \\(HRTRACK_IMPORT_MAX_MB\\)"):
        open_table(big_csv)
    with pytest.raises(InvalidInput) as error:
        read_all(big_json)
    assert "the most one import takes" not in str(error.value)  # read, and refused for what it holds
    monkeypatch.setenv("HRTRACK_IMPORT_JSON_MAX_MB", "120")
    monkeypatch.setenv("HRTRACK_IMPORT_MAX_MB", "200")
    with pytest.raises(InvalidInput, match="120 MB \\(HRTRACK_IMPORT_JSON_MAX_MB\\)"):
        open_table(big_json)
    with pytest.raises(InvalidInput) as error:
        read_all(big_csv)
    assert "the most one import takes" not in str(error.value)


# The same files through the import page: a file that cannot be opened is refused next to the
# field, with no run; one broken further on fails its check in the background job, whose run says
# what is wrong. Either way no file is kept and nothing is imported.

@pytest.fixture
def immediate_jobs(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def media_files(settings):
    return [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()] if settings.MEDIA_ROOT.exists() else []


def post(client, name, content, source="uhri", **extra):
    return client.post("/imports/", {"source": source, "file": SimpleUploadedFile(name, content), **extra})


@pytest.mark.parametrize("case", BROKEN)
def test_the_import_page_answers_a_broken_file_in_one_line_and_keeps_nothing(coordinator_client, settings,
                                                                             immediate_jobs, case):
    name, content, says = BROKEN[case]
    response = post(coordinator_client, name, content)
    run = ImportRun.objects.first()
    if run is None:
        assert response.status_code == 200 and says in html.unescape(response.content.decode())
    else:
        assert response.status_code == 302 and response["Location"] == f"/imports/{run.pk}/"
        page = coordinator_client.get(f"/imports/{run.pk}/")
        assert page.status_code == 200 and says in html.unescape(page.content.decode())
        assert ImportRun.objects.get().status == ImportRun.Status.FAILED
    assert media_files(settings) == [] and not Recommendation.objects.exists()


@pytest.mark.parametrize("encoding", ["zlib", "rot13", "base64", "hex"])
def test_the_import_page_refuses_a_codec_that_is_not_a_text_encoding(coordinator_client, settings, encoding):
    response = post(coordinator_client, "rows.json", b'[{"Text": "x"}]', encoding=encoding)
    assert response.status_code == 200
    assert f"{encoding} is not a text encoding" in response.content.decode()
    assert not ImportRun.objects.exists() and media_files(settings) == []
