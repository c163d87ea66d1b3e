"""hrtrack.lib.files.check_upload: an evidence file's type is read from its content, never from
its name or the type the browser claims; too large, empty, markup and programs are refused."""

import io
import struct
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from hrtrack.lib import files
from hrtrack.lib.files import check_upload


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def zipped(entries: dict, first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        if first:
            package.writestr(first, entries.pop(first), compress_type=zipfile.ZIP_STORED)
        for name, data in entries.items():
            package.writestr(name, data)
    return buffer.getvalue()


def ole2(*streams: str) -> bytes:
    """A minimal OLE2 compound file (version 3, 512-byte sectors) whose directory holds ``streams``."""
    header = bytearray(512)
    header[:8] = files.OLE2
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 0x2C, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([0xFFFFFFFF] * 108))
    fat = struct.pack("<128I", 0xFFFFFFFD, 0xFFFFFFFE, *([0xFFFFFFFF] * 126))

    def entry(name: str, kind: int) -> bytes:
        raw = (name + "\0").encode("utf-16-le")
        data = bytearray(128)
        data[:len(raw)] = raw
        struct.pack_into("<HB", data, 64, len(raw), kind)
        return bytes(data)

    directory = entry("Root Entry", 5) + b"".join(entry(s, 2) for s in streams)
    directory = directory.ljust(512, b"\0")
    return bytes(header) + fat + directory


def xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "Journalists under protection"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": "<Types/>", "_rels/.rels": "<Relationships/>", "word/document.xml": "<w/>"})
PPTX = zipped({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"})
ODT = zipped({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office/>"}, first="mimetype")


@pytest.mark.parametrize("name,content,expected", [
    ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", files.PDF),
    ("photo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", files.PNG),
    ("photo.jpg", b"\xff\xd8\xff\xe0\0\x10JFIF\0", files.JPEG),
    ("chart.gif", b"GIF89a\x01\0\x01\0", files.GIF),
    ("photo.webp", b"RIFF\x24\0\0\0WEBPVP8 ", files.WEBP),
    ("minutes.docx", DOCX, files.DOCX),
    ("slides.pptx", PPTX, files.PPTX),
    ("minutes.odt", ODT, "application/vnd.oasis.opendocument.text"),
    ("old.doc", ole2("WordDocument", "\x05SummaryInformation"), files.DOC),
    ("old.xls", ole2("Workbook"), files.XLS),
    ("old.ppt", ole2("PowerPoint Document"), files.PPT),
    ("notes.txt", "Protocolo aprobado el 3 de marzo; publicación en el DOF.".encode(), files.TEXT),
    ("values.csv", b"date,value\n2024-01-01,10\n", files.CSV),
])
def test_it_reads_the_type_from_the_content(name, content, expected):
    assert check_upload(upload(name, content)) == expected


def test_a_real_spreadsheet_is_an_xlsx():
    assert check_upload(upload("values.xlsx", xlsx())) == files.XLSX


def test_the_name_and_the_browsers_type_decide_nothing():
    # A PDF called photo.png is a PDF; a program called report.pdf and sent as a PDF is refused.
    assert check_upload(upload("photo.png", b"%PDF-1.4 body", "image/png")) == files.PDF
    program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"This program"
    with pytest.raises(ValidationError, match="not a file we accept, whatever its name says"):
        check_upload(upload("report.pdf", program, "application/pdf"))


@pytest.mark.parametrize("content", [
    b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
    b"\xef\xbb\xbf  \n<html><body>Report</body></html>",
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    b"Our report\n<script>fetch('/reports/1/edit/')</script>",
])
def test_markup_is_refused_even_as_text(content):
    with pytest.raises(ValidationError):
        check_upload(upload("report.txt", content, "text/plain"))


def test_a_zip_that_is_no_office_document_is_refused():
    with pytest.raises(ValidationError):
        check_upload(upload("report.docx", zipped({"payload.exe": b"MZ"})))


def test_a_broken_zip_is_refused():
    with pytest.raises(ValidationError):
        check_upload(upload("report.docx", b"PK\x03\x04" + b"\x00" * 100))


def test_office_documents_with_macros_are_refused():
    docm = zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>", "word/vbaProject.bin": b"\0"})
    with pytest.raises(ValidationError, match="macros"):
        check_upload(upload("minutes.docx", docm))
    with pytest.raises(ValidationError, match="macros"):
        check_upload(upload("old.doc", ole2("WordDocument", "Macros", "VBA")))
    odt = zipped({"mimetype": "application/vnd.oasis.opendocument.text", "Basic/Standard/Module1.xml": "<m/>",
                  "Basic/script-lc.xml": "<l/>"}, first="mimetype")
    with pytest.raises(ValidationError, match="macros"):
        check_upload(upload("minutes.odt", odt))


def test_an_ole2_file_that_is_no_office_document_is_refused():
    # A Windows installer package is an OLE2 file too.
    with pytest.raises(ValidationError):
        check_upload(upload("report.doc", ole2("\u4840\u3b3f\u4577\u446c")))
    with pytest.raises(ValidationError):
        check_upload(upload("report.doc", files.OLE2 + b"\0" * 100))


def test_text_that_is_not_utf8_or_has_nul_bytes_is_refused():
    with pytest.raises(ValidationError):
        check_upload(upload("notes.txt", "Publicación".encode("latin-1")))
    with pytest.raises(ValidationError):
        check_upload(upload("notes.txt", "Publicación".encode("utf-16")))


def test_a_file_over_the_limit_is_refused_with_the_limit(settings):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    assert check_upload(upload("report.pdf", b"%PDF-" + b"x" * (1024 * 1024 - 5))) == files.PDF
    with pytest.raises(ValidationError) as error:
        check_upload(upload("report.pdf", b"%PDF-" + b"x" * (2 * 1024 * 1024 - 5)))
    assert error.value.messages == ["report.pdf is 2.0\xa0MB, more than the limit of 1.0\xa0MB."]
    assert error.value.code == "too_large"
    with pytest.raises(ValidationError, match="report.pdf is 1,048,577 bytes, more than the limit of 1,048,576 bytes"):
        check_upload(upload("report.pdf", b"%PDF-" + b"x" * (1024 * 1024 - 4)))


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="empty"):
        check_upload(upload("report.pdf", b""))


def test_a_file_on_disk_is_read_in_chunks_and_left_at_its_start():
    big = TemporaryUploadedFile("notes.txt", "text/plain", 0, "utf-8")
    big.write(("línea de texto\n" * 100_000).encode())
    big.size = big.tell()
    assert check_upload(big) == files.TEXT
    assert big.tell() == 0
    big.close()
