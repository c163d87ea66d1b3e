"""What an uploaded evidence file really is, read from its content, never from its name or the
type the browser sent: a renamed program called ``report.pdf`` is refused, and so is an HTML
page, which a browser would run as part of the site.

Accepted: PDF; PNG, JPEG, GIF and WebP images; office documents (Word, Excel and PowerPoint,
OOXML and the legacy binary formats; OpenDocument); plain text and CSV in UTF-8.

Why a table of our own and no library: the short list above is all we accept, and each entry is
a few bytes to compare, except the office formats, which are containers (a zip, an OLE2 compound
file) that only opening them tells apart: a zip with ``[Content_Types].xml`` is OOXML, a zip
whose ``mimetype`` entry names an OpenDocument type is ODF, and an OLE2 file is a Word, Excel or
PowerPoint document only if its directory has their stream (an installer package is OLE2 too).
``filetype`` (last released in 2022) and ``puremagic`` guess from the first bytes only (and
``puremagic`` weighs in the name), so they say "zip" or guess the office type from where its
members happen to lie, and take any OLE2 file for a Word document; ``python-magic`` needs
libmagic, a system library. Office documents with macros are refused: they are the usual way
a document runs code on whoever opens it.
"""

import codecs
import hashlib
import struct
import zipfile
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

PDF = "application/pdf"
PNG, JPEG, GIF, WEBP = "image/png", "image/jpeg", "image/gif", "image/webp"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DOC, XLS, PPT = "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"
TEXT, CSV = "text/plain", "text/csv"

#: Every type an evidence file may have, for the form's help text and the tests.
ACCEPTED = (PDF, PNG, JPEG, GIF, WEBP, DOCX, XLSX, PPTX, DOC, XLS, PPT, TEXT, CSV,
            "application/vnd.oasis.opendocument.*")

#: Files whose first bytes alone say what they are.
SIGNATURES = [
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
]
ZIP = b"PK\x03\x04"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: The part an OOXML package's main document lies in, and the package's type.
OOXML_PARTS = [("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX)]
#: The stream each legacy office format keeps its content in (OLE2 directory entry names).
OLE2_STREAMS = [("worddocument", DOC), ("workbook", XLS), ("book", XLS), ("powerpoint document", PPT)]
OLE2_MACROS = ("macros", "_vba_project_cur", "vba")
#: An OpenDocument file's lists of (possibly empty) macro libraries; a module beside them is a macro.
ODF_LIBRARY_LISTS = ("-lc.xml", "-lb.xml")
#: Text that a browser would take for a page or a picture that runs scripts.
MARKUP = ("<!doctype", "<html", "<head", "<body", "<script", "<iframe", "<svg", "<?xml", "<object", "<embed")
HEAD_BYTES = 8192


def check_upload(upload) -> str:
    """The content type of ``upload`` (an uploaded file), read from its content; a
    ValidationError that says why when the file is empty, too large or of a type not accepted.
    The file is left at its start."""
    limit = settings.EVIDENCE_MAX_BYTES
    name = getattr(upload, "name", "") or _("The file")
    if upload.size is not None and upload.size > limit:
        size, most = filesizeformat(upload.size), filesizeformat(limit)
        if size == most:  # just over: "1.0 MB, more than 1.0 MB" would say nothing
            size, most = (_("%(count)s bytes") % {"count": number_format(n)} for n in (upload.size, limit))
        raise ValidationError(_("%(name)s is %(size)s, more than the limit of %(limit)s.")
                              % {"name": name, "size": size, "limit": most}, code="too_large")
    if not upload.size:
        raise ValidationError(_("%(name)s is empty.") % {"name": name}, code="empty")
    try:
        upload.seek(0)
        head = upload.read(HEAD_BYTES)
        upload.seek(0)
        content_type = _sniff(upload, head, name)
    finally:
        upload.seek(0)
    if content_type is None:
        raise ValidationError(
            _("%(name)s is not a file we accept, whatever its name says: send a PDF, an image (PNG, JPEG, GIF, "
              "WebP), an office document (Word, Excel, PowerPoint, OpenDocument) or plain text.") % {"name": name},
            code="type")
    return content_type


def _sniff(upload, head: bytes, name: str) -> str | None:
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(ZIP):
        return _zip_type(upload, name)
    if head.startswith(OLE2):
        return _ole2_type(upload, name)
    return _text_type(upload, head, name)


def _refuse_macros(name: str):
    return ValidationError(
        _("%(name)s is an office document with macros, which could run on the computer of whoever opens it: "
          "save it without macros (for example as .docx or .xlsx) and send it again.") % {"name": name},
        code="macros")


def _zip_type(upload, name: str) -> str | None:
    """An OOXML (Word, Excel, PowerPoint) or OpenDocument package; any other zip is refused.
    Only the zip's directory and its small ``mimetype`` entry are read, never the rest."""
    try:
        with zipfile.ZipFile(upload) as package:
            _refuse_bomb(package, name)
            names = package.namelist()
            if "mimetype" in names and package.getinfo("mimetype").file_size <= 100:
                mimetype = package.read("mimetype").decode("ascii", "replace").strip()
                if mimetype.startswith("application/vnd.oasis.opendocument."):
                    if any(n.lower().startswith(("basic/", "scripts/")) and not n.lower().endswith(ODF_LIBRARY_LISTS)
                           and not n.endswith("/") for n in names):
                        raise _refuse_macros(name)
                    return mimetype
            if "[Content_Types].xml" in names:
                if any(n.lower().endswith("vbaproject.bin") for n in names):
                    raise _refuse_macros(name)
                for folder, content_type in OOXML_PARTS:
                    if any(n.startswith(folder) for n in names):
                        return content_type
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError, RuntimeError):
        return None
    return None


#: An office document inflates some 10 times; past these, it is a zip bomb for whoever opens it: its parts
#: in all more than this many times the evidence limit, or one of over a MB this many times its size.
ZIP_MAX_INFLATED_TIMES_LIMIT = 20
ZIP_MAX_RATIO = 200


def _refuse_bomb(package: zipfile.ZipFile, name: str) -> None:
    """Refuse a package whose directory says it inflates like a zip bomb (read from the directory
    alone: nothing inflates here)."""
    parts = package.infolist()
    total = sum(info.file_size for info in parts)
    bomb = any(info.file_size > 2**20 and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1)
               for info in parts)
    if bomb or total > ZIP_MAX_INFLATED_TIMES_LIMIT * settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("%(name)s would inflate to %(size)s when opened (a zip bomb?): it is not accepted.")
            % {"name": name, "size": filesizeformat(total)}, code="bomb")


def _ole2_type(upload, name: str) -> str | None:
    """A legacy Word, Excel or PowerPoint file: an OLE2 compound file whose directory has the
    format's stream. The directory is read by following its chain of sectors in the file
    allocation table (the format's own layout: [MS-CFB])."""
    names = _ole2_names(upload)
    if names is None:
        return None
    if any(n in OLE2_MACROS for n in names):
        raise _refuse_macros(name)
    for stream, content_type in OLE2_STREAMS:
        if stream in names:
            return content_type
    return None


def _ole2_names(upload) -> set[str] | None:
    """The lower-cased names in an OLE2 file's directory, or None if it is not a sound one."""
    upload.seek(0)
    header = upload.read(512)
    if len(header) < 512:
        return None
    sector_shift, = struct.unpack_from("<H", header, 0x1E)
    if sector_shift not in (9, 12):
        return None
    sector_size = 1 << sector_shift
    fat_count, first_directory = struct.unpack_from("<II", header, 0x2C)
    first_difat, difat_count = struct.unpack_from("<II", header, 0x44)
    sectors_in_file = max(1, (upload.size or 0) // sector_size)
    if fat_count > sectors_in_file:
        return None

    def sector(number: int) -> bytes:
        upload.seek((number + 1) * sector_size)
        data = upload.read(sector_size)
        if len(data) < sector_size:
            raise ValueError("truncated")
        return data

    try:
        fat_sectors = [s for s in struct.unpack_from("<109I", header, 0x4C)][:fat_count]
        next_difat, seen = first_difat, 0
        while len(fat_sectors) < fat_count and next_difat < 0xFFFFFFFA and seen < difat_count:
            entries = struct.unpack(f"<{sector_size // 4}I", sector(next_difat))
            fat_sectors += entries[:-1]
            next_difat, seen = entries[-1], seen + 1
        fat: list[int] = []
        for number in fat_sectors[:fat_count]:
            fat += struct.unpack(f"<{sector_size // 4}I", sector(number))
        names, current, steps = set(), first_directory, 0
        while current < 0xFFFFFFFA and steps <= sectors_in_file:
            data = sector(current)
            for offset in range(0, sector_size, 128):
                length, = struct.unpack_from("<H", data, offset + 64)
                if 2 <= length <= 64 and data[offset + 66] in (1, 2):  # a storage or a stream
                    names.add(data[offset:offset + length - 2].decode("utf-16-le", "replace").lower())
            current, steps = fat[current] if current < len(fat) else 0xFFFFFFFE, steps + 1
    except (ValueError, struct.error, IndexError, OSError):
        return None
    return names


def _text_type(upload, head: bytes, name: str) -> str | None:
    """Plain text or CSV: UTF-8 all through, without NUL bytes, and not markup. Both are plain
    text; the name only says which of the two to call it, never whether it is accepted."""
    start = head.removeprefix(codecs.BOM_UTF8).decode("utf-8", "ignore").lstrip().lower()
    if start.startswith("<") or any(tag in start[:HEAD_BYTES] for tag in MARKUP):
        return None
    decoder = codecs.getincrementaldecoder("utf-8")()
    upload.seek(0)
    try:
        for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b""):
            if b"\x00" in chunk:
                return None
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    lower = name.lower()
    return CSV if lower.endswith((".csv", ".tsv")) else TEXT


@contextmanager
def stored_upload(obj, upload):
    """Store a checked upload (:func:`check_upload`) in ``obj.file`` with its name, size, sha256
    and type, for the block that saves ``obj``: if the block fails, the stored file is deleted
    again, so a failed save leaves nothing behind. ``upload`` None stores nothing."""
    stored = None
    try:
        if upload is not None:
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
            obj.file_name = upload.name[:255]
            obj.size = upload.size
            obj.sha256 = digest.hexdigest()
            obj.content_type = getattr(upload, "checked_content_type", "") or ""
            obj.file.save(upload.name, upload, save=False)
            stored = obj.file.name
        yield
    except BaseException:
        if stored:
            obj.file.storage.delete(stored)
        raise
