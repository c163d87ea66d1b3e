"""Read a statement from plain text, HTML or PDF, and cut away the page around it.

``read_statement`` turns a file, bytes or text into a ``Statement``: the statement's own lines
(headline first), the page's date when the page gives one, the language, and warnings for the
person running it. Nothing from the page around the statement survives: site labels, datelines
with ids and times, "Comments", "recommended stories" and whatever follows them.
"""

import io
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from struct import error as struct_error
from zlib import error as zlib_error

from django.utils.translation import gettext as _

from hrtrack.ingest.files import sniff_encoding
from hrtrack.lib.errors import InvalidInput
from hrtrack.lib.text import fold

from . import lexicons as lex
from .dates import PartialDate, find_dates

#: Statements are a few pages; this much text is read, the rest is left with a warning.
MAX_CHARS = 200_000


def max_bytes() -> int:
    return int(float(os.getenv("HRTRACK_EXTRACT_MAX_MB", "10")) * 1024 * 1024)


@dataclass
class Statement:
    """A statement's text without the page around it, and what the page said about it."""

    text: str
    source_text: str
    kind: str = "text"
    headline: list[str] = field(default_factory=list)
    page_date: PartialDate | None = None
    dateline_city: str | None = None  # "Lima, 23 de junio de 2023": where the statement was issued
    language: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        """The text without its headline lines."""
        lines = self.text.split("\n")
        return "\n".join(lines[len(self.headline):])


# --- Reading ---------------------------------------------------------------------------------


def read_statement(source: "Path | os.PathLike | bytes | str", name: str = "") -> Statement:
    """Read a statement from a file (a path), its bytes, or its text. Raises InvalidInput when
    nothing can be read: an empty, binary, unreadable or oversized file."""
    if isinstance(source, os.PathLike):
        path = Path(source)
        name = name or path.name
        try:
            size = path.stat().st_size
        except OSError as error:
            raise InvalidInput(_("%(file)s cannot be read: %(error)s.")
                               % {"file": path, "error": error.strerror}) from None
        _check_size(size, name)
        source = path.read_bytes()
    name = name or _("the statement")
    if isinstance(source, bytes):
        _check_size(len(source), name)
        if source.lstrip()[:5] == b"%PDF-":
            return _clean(_read_pdf(source, name), "pdf")
        text = _decode(source, name)
    else:
        text = source
    if not text.strip():
        raise InvalidInput(_("%(file)s is empty.") % {"file": name})
    if not re.search(r"[^\W\d_]{2}", text):
        raise InvalidInput(_("%(file)s holds no words: it is not a statement.") % {"file": name})
    if _looks_like_html(text, name):
        return _read_html(text)
    if _hard_wrapped(text):
        text = _unwrap(text)  # copied from a PDF or an e-mail: lines broken inside sentences
    return _clean(text, "text")


def _hard_wrapped(text: str) -> bool:
    """Most lines broken inside a sentence: the next line goes on in lower case or after no stop."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    broken = total = 0
    for line, following in zip(lines, lines[1:], strict=False):
        if len(line) < 40:
            continue
        total += 1
        # A sentence goes on in lower case on the next line (bullets, table rows and headings do not).
        if following.strip() and not re.search(r"[.:;!?\"”)]$", line) and following.lstrip()[:1].islower():
            broken += 1
    return total >= 2 and broken >= 0.5 * total


def _check_size(size: int, name: str) -> None:
    if size == 0:
        raise InvalidInput(_("%(file)s is empty.") % {"file": name})
    limit = max_bytes()
    if size > limit:
        raise InvalidInput(
            _("%(file)s is %(size)d MB; a statement is read up to %(limit)d MB (HRTRACK_EXTRACT_MAX_MB).")
            % {"file": name, "size": size // 2**20, "limit": limit // 2**20}
        )


def _decode(data: bytes, name: str) -> str:
    encoding = sniff_encoding(data[:8192])
    if encoding is None:
        raise InvalidInput(_("%(file)s is a binary file, not a statement: give text, HTML or PDF.") % {"file": name})
    if encoding != "utf-8":
        text = data.decode(encoding, errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    if "\x00" in text:  # binary data past the first bytes, or text in another encoding than it seemed
        raise InvalidInput(_("%(file)s is a binary file, not a statement: give text, HTML or PDF.") % {"file": name})
    controls = sum(1 for c in text[:8192] if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f")
    if controls > len(text[:8192]) * 0.02:
        raise InvalidInput(_("%(file)s is a binary file, not a statement: give text, HTML or PDF.") % {"file": name})
    return text


def _looks_like_html(text: str, name: str) -> bool:
    if name.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = text[:20000].lstrip().lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) and "<html" in head:
        return True
    if head.startswith("<") and re.search(r"<(?:script|svg|style|iframe|object|embed)\b", head):
        return True  # markup (an SVG, a page fragment): its scripts go with the page around the text
    return len(re.findall(r"<(?:p|div|body|article|br|h[1-6]|span|section)\b[^>]*>", head)) >= 3


def _read_html(html: str) -> Statement:
    import htmldate
    import trafilatura

    date_params = {"extensive_search": False, "original_date": True}
    try:
        document = trafilatura.bare_extraction(html, include_comments=False, with_metadata=True,
                                               date_extraction_params=date_params)
    except (AssertionError, ValueError, TypeError, RecursionError, LookupError):
        # lxml and trafilatura fail so on markup that is no page (an SVG: "assert parent is not None").
        raise InvalidInput(_("This HTML page cannot be read: save it from the browser again, or paste its "
                             "text.")) from None
    body = (document.text or "") if document is not None else ""
    title = (document.title or "") if document is not None else ""
    if not body.strip():
        raise InvalidInput(_("No text was found in this HTML page."))
    if title and not body.lstrip().startswith(title.strip()):
        body = f"{title.strip()}\n\n{body}"
    statement = _clean(body, "html", source_text=html)
    try:
        found = htmldate.find_date(html, extensive_search=False, original_date=True)
    except Exception:  # htmldate parses whatever the page holds; a bad page gives no date
        found = None
    if found and statement.page_date is None:
        year, month, day = (int(p) for p in found.split("-"))
        statement.page_date = PartialDate(year, month, day)
    return statement


#: A statement is a few pages: a PDF of more is not one (and each page costs its text's extraction).
MAX_PDF_PAGES = 500
#: How many times the statement's limit one of its PDF streams may inflate to (a flate bomb inflates
#: a thousand times).
PDF_MAX_INFLATED_TIMES_LIMIT = 4


def _page_count(reader) -> int:
    """The pages a PDF says it has (its page tree's /Count), before the tree is walked: walking 5,000
    pages takes a second; the tree is walked when the count is missing or not a number."""
    try:
        count = reader.trailer["/Root"]["/Pages"]["/Count"]
        if isinstance(count, int) and count >= 0:
            return int(count) if count > MAX_PDF_PAGES else len(reader.pages)
    except (KeyError, TypeError, AttributeError):
        pass
    return len(reader.pages)


def _read_pdf(data: bytes, name: str) -> str:
    """The text of a PDF's pages, read with pypdf's limits on what a stream may inflate to set from
    the statement's own, and only as far as the statement is read (MAX_CHARS). JavaScript in the
    file is never run: only text is taken out."""
    import pypdf
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PyPdfError

    inflated = PDF_MAX_INFLATED_TIMES_LIMIT * max_bytes()
    try:
        with pypdf.apply_configuration(zlib_maximum_output_length=inflated, lzw_maximum_output_length=inflated,
                                       run_length_maximum_output_length=inflated,
                                       array_based_stream_maximum_output_length=inflated,
                                       stream_decoding_work_maximum_length=2 * inflated):
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                reader.decrypt("")
            count = _page_count(reader)
            if count > MAX_PDF_PAGES:
                raise InvalidInput(_("%(file)s is a PDF of %(n)d pages; a statement is read up to %(most)d pages.")
                                   % {"file": name, "n": count, "most": MAX_PDF_PAGES})
            pages, length = [], 0
            for page in reader.pages:
                pages.append(page.extract_text() or "")
                length += len(pages[-1])
                if length > MAX_CHARS:
                    break
    except InvalidInput:
        raise
    except FileNotDecryptedError:
        raise InvalidInput(_("%(file)s is a PDF protected by a password: save it without one, and try again.")
                           % {"file": name}) from None
    except pypdf.errors.LimitReachedError:
        raise InvalidInput(_("%(file)s is a PDF whose content would inflate past %(mb)d MB (a decompression bomb?): "
                             "it is not read.") % {"file": name, "mb": inflated // 2**20}) from None
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, NotImplementedError, AttributeError,
            IndexError, RecursionError, struct_error, zlib_error) as error:
        raise InvalidInput(_("%(file)s is a PDF that cannot be read: %(error)s")
                           % {"file": name, "error": str(error)[:200] or type(error).__name__}) from None
    text = "\n".join(pages)
    if not text.strip():
        raise InvalidInput(_("%(file)s is a PDF without text (a scan?): run OCR on it first.") % {"file": name})
    return _unwrap(text)


def _unwrap(text: str) -> str:
    """Join the lines a PDF breaks paragraphs into; keep short lines (headings) apart."""
    lines = [line.rstrip() for line in text.split("\n")]
    lengths = sorted(len(line) for line in lines if line.strip())
    full = lengths[int(len(lengths) * 0.8)] if lengths else 80
    out: list[str] = []
    previous_length = 0
    for line in lines:
        if not line.strip():
            out.append("")
            previous_length = 0
            continue
        wrapped = previous_length >= 0.7 * full or line[:1].islower() or line[:1].isdigit()
        joined = out and out[-1] and not re.search(r"[.:;!?\"”)]$", out[-1]) and previous_length > 40 and wrapped
        previous_length = len(line)
        if joined:
            if out[-1].endswith("-") and line[:1].islower():
                out[-1] = out[-1][:-1] + line.lstrip()
            else:
                out[-1] = out[-1] + " " + line.lstrip()
        else:
            out.append(line)
    return "\n".join(out)


# --- Cleaning --------------------------------------------------------------------------------

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
#: A gap of two or more spaces (or tabs) between a table's aligned columns, not after a sentence's end.
_COLUMN_GAP = re.compile(r"(?<=[^\s.!?:;])(?:[ \u00a0]{2,}|[ \u00a0]*\t[ \t\u00a0]*)(?=\S)")


_FEMININE_ABBREVIATION = re.compile(r"\b(Sr|Dr|Exm|Ilm|Prof|Eng)\.?\s?ª")


def _squeeze_line(line: str) -> str:
    """The line with its spaces squeezed; in a short line, columns aligned with spaces (a plain-text
    table without pipes: 'Name     Position     Organization') stay apart, by a tab. Portuguese
    feminine abbreviations are written as the others are ('Sr.ª Dr.ª' -> 'Sra. Dra.')."""
    line = _FEMININE_ABBREVIATION.sub(lambda m: m.group(1) + "a.", line.strip())
    if len(line) <= 240 and _COLUMN_GAP.search(line):
        return "\t".join(_SPACES.sub(" ", cell) for cell in _COLUMN_GAP.split(line))
    return _SPACES.sub(" ", line)


_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_DATE_NUMERIC = r"\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}\.[IVX]{1,4}\.\d{4}"
_DATELINE = re.compile(
    r"^(?P<city>[A-ZÀ-Þ][\w.'’ -]{1,40}?)\s*,\s*(?P<date>" + _DATE_NUMERIC
    + r"|\d{1,2}\.?\s+(?:de\s+)?[A-Za-zÀ-ÿ]{3,10}\.?\s+(?:de\s+)?\d{4}|[A-Za-z]{3,10}\.?\s+\d{1,2},?\s+\d{4})"
    r"\s*(?:[-–—|:]\s*)?(?:\d{1,2}:\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*(?:CET|CEST|GMT|UTC|EST|EDT))?\s*[,;|–—-]?\s*)?"
)
#: "Le 22 février 2024 – Dakar (Sénégal)", "March 21, 2023 - Ottawa, Ontario - Global Affairs Canada":
#: a date line with the date first.
_DATELINE_DATE_FIRST = re.compile(
    r"^(?:(?:le|el|o|on)\s+)?(?P<date>\d{1,2}(?:er|º|°)?\.?\s+(?:de\s+)?[A-Za-zÀ-ÿ]{3,10}\.?\s+(?:de\s+)?\d{4}|"
    r"[A-Za-z]{3,10}\.?\s+\d{1,2},?\s+\d{4})\s*(?:$|[-–—|,/]\s*(?P<rest>.{0,80})$)",
    re.IGNORECASE,
)
#: A news agency's dateline, which leaves the year to the page: "GENEVA, 3 April (Reuters) -",
#: "BRUSSELS, April 3 (AP) —", "Ginebra, 3 abr (EFE).-", "BRASÍLIA, 12 mar (Lusa) –".
_WIRE_DATELINE = re.compile(
    r"^(?P<city>[A-ZÀ-Þ][\w.'’ -]{1,40}?)\s*,\s*(?P<date>\d{1,2}\.?\s+(?:de\s+)?[A-Za-zÀ-ÿ]{3,10}\.?"
    r"|[A-Za-z]{3,10}\.?\s+\d{1,2})\s*\((?P<agency>[A-Za-zÀ-ÿ .&/-]{2,30})\)\s*(?:\.?\s*[-–—:]+|\.-)\s*"
)
#: "Bogotá (abr. 4/19).": a city, then the month's short name, the day and the year's last figures.
_DATELINE_SHORT = re.compile(
    r"^(?P<city>[A-ZÀ-Þ][\w.'’ -]{1,40}?)\s*\((?P<month>[A-Za-zÀ-ÿ]{3,5})\.?\s*(?P<day>\d{1,2})/(?P<year>\d{2}|\d{4})\)"
    r"\s*[.:–—-]*\s*"
)
_SHORT_MONTHS = {name: number + 1 for number, names in enumerate((
    "jan ene", "feb fev", "mar", "apr abr avr", "may mai", "jun juin", "jul juil", "aug ago aou", "sep set",
    "oct out", "nov", "dec dic dez")) for name in names.split()}
_DATELINE_NO_DATE = re.compile(
    r"^(?P<city>[A-ZÀ-Þ][\w.'’ ]{1,30}?(?:,\s*[A-Z][A-Za-z.]{1,5})?)\s*(?:\.-|\.—|\.–|—|–|\s-)\s+(?=\S)"
)


#: A venue label after the date on one line: "Date: 21 May 2024 | Venue: Bogotá".
_VENUE_AFTER = re.compile(r"(?i)[|·•;]\s*((?:venue|place|location|lugar|local|lieu|sede)\s*:.*)$")


def _fold_line(line: str) -> str:
    key = fold(line)
    key = re.sub(r"\(\d+\)|\d+", " ", key)
    key = re.sub(r"[^\w' -]+", " ", key)
    return " ".join(key.split())


def _known_city(name: str) -> bool:
    key = fold(name).rstrip(" .,")
    key_short = key.split(",")[0].strip()
    for english, _code, others in lex.CITIES:
        for candidate in (english, *others):
            folded = fold(candidate)
            if key in (folded, folded.split(",")[0]) or key_short == folded.split(",")[0]:
                return True
    return False


def _clean(text: str, kind: str, source_text: str | None = None) -> Statement:
    source_text = text if source_text is None else source_text
    warnings: list[str] = []
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        warnings.append(_("The text is long: only its first %(n)d characters were read.") % {"n": MAX_CHARS})
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [_squeeze_line(line) for line in text.split("\n")]

    page_date: PartialDate | None = None
    dateline_city: str | None = None
    kept: list[str] = []
    body_chars = 0
    seen_short: set[str] = set()
    for line in lines:
        if not line:
            if kept and kept[-1]:
                kept.append("")
            continue
        key = _fold_line(line)
        published = lex.PUBLISHED_LINE.match(line)
        if published:
            found = find_dates(published.group("date"))
            if found:
                page_date = page_date or found[0].start
                venue = _VENUE_AFTER.search(line)
                if venue:  # "Date: 21 May 2024 | Venue: Bogotá, Colombia": where it met stays in the text
                    kept.append(venue.group(1).strip())
                continue
        if key in lex.TRAILER_MARKERS and body_chars >= 200:
            # The page's own date may stand just after the statement ("Published 28 October 2016").
            after = [rest for rest in lines[lines.index(line) + 1:] if rest][:8]
            for rest in after:
                published = lex.PUBLISHED_LINE.match(rest)
                found = find_dates(published.group("date")) if published else []
                if found and page_date is None:
                    page_date = found[0].start
            break
        if key in lex.FURNITURE_LINES or lex.FURNITURE_PATTERNS.search(line) and len(line) < 200:
            if "unique id" in key:
                dated = _DATELINE.match(line)
                if dated and page_date is None:
                    found = find_dates(dated.group("date"))
                    page_date = found[0].start if found else None
            continue
        if re.fullmatch(r"(?:\d{1,2}[./-]\d{1,2}[./-]\d{4}|\d{4}-\d{2}-\d{2})", line):
            found = find_dates(line.replace("-", "/") if not re.match(r"\d{4}-", line) else line)
            if found:  # a line that is only a date in figures: the page's ("03/04/2019", "2019-04-05")
                page_date = page_date or found[0].start
                continue
        first = _DATELINE_DATE_FIRST.match(line)
        if first and not re.search(r"[.!?]$", line):
            found = find_dates(first.group("date"))
            if found:
                page_date = page_date or found[0].start
                continue
        short = _DATELINE_SHORT.match(line)
        short_month = fold(short.group("month")) if short else ""
        month = _SHORT_MONTHS.get(short_month[:4]) or _SHORT_MONTHS.get(short_month[:3]) if short else None
        if short and month and 1 <= int(short.group("day")) <= 31:
            year = int(short.group("year"))
            page_date = page_date or PartialDate(year + 2000 if year < 100 else year, month, int(short.group("day")))
            if _known_city(short.group("city")) and dateline_city is None:
                dateline_city = short.group("city").strip()
            line = line[short.end():].strip()
        wire = _WIRE_DATELINE.match(line)
        if wire and not _DATELINE.match(line):
            found = find_dates(wire.group("date"))
            if found:
                day = found[0].start
                if page_date and page_date.year and day.year is None:
                    late = (day.month, day.day or 0) > (page_date.month or 12, page_date.day or 31)
                    day = day.with_year(page_date.year - 1 if late else page_date.year)
                page_date = day if page_date is None or page_date.year is None or day.year else page_date
                if _known_city(wire.group("city")) and dateline_city is None:
                    dateline_city = wire.group("city").strip()
                line = line[wire.end():].strip()
        dated = _DATELINE.match(line)
        if dated and _known_city(dated.group("city")) or dated and len(dated.group("city").split()) <= 3:
            found = find_dates(dated.group("date"))
            if found:
                page_date = page_date or found[0].start
                if _known_city(dated.group("city")) and dateline_city is None:
                    dateline_city = dated.group("city").strip()
                line = line[dated.end():].strip(" -–—|,")
                if not line or lex.FURNITURE_PATTERNS.search(line) or not re.search(r"[a-zà-ÿ]{3}", line):
                    continue
        else:
            plain = _DATELINE_NO_DATE.match(line)
            if plain and (_known_city(plain.group("city")) or plain.group("city").isupper()):
                if _known_city(plain.group("city")) and dateline_city is None:
                    dateline_city = plain.group("city").strip()  # "BRUSSELS – ... took place today"
                line = line[plain.end():]
        if len(line) < 120 and "|" not in line and "\t" not in line and \
                len(re.findall(r"\s[—–]\s", line)) < 2:  # a table's header may come again
            if key in seen_short:  # a headline the page repeats
                continue
            seen_short.add(key)
        kept.append(line)
        body_chars += len(line)
    while kept and not kept[-1]:
        kept.pop()

    # Headline lines first, then the body, one paragraph a line.
    body_lines = _join_dangling([line for line in kept if line])
    headline: list[str] = []
    for line in body_lines[:3]:
        if len(line.split()) <= 25 and not re.search(r"[.!?:;,]$", line) and len(body_lines) > len(headline) + 1:
            headline.append(line)
        else:
            break
    statement = Statement(text="\n".join(body_lines), source_text=source_text, kind=kind, headline=headline,
                          page_date=page_date, dateline_city=dateline_city, warnings=warnings)
    statement.language = detect_language(statement.text)
    return statement


#: A line that stops on a word no sentence ends with ("The delegation was led by", "presidida por").
_DANGLING = re.compile(r"(?i)\b(?:by|por|pel[oa]|par|of|de|del|da|do|du|des|and|y|et|the|la|el|le|with|"
                       r"was|were|como|to)\s*$")


def _join_dangling(lines: list[str]) -> list[str]:
    """A sentence broken after 'led by' into a post on one line and the name on the next is one
    sentence again; the parts joined after the first are appositions, kept apart by commas."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if len(line.split()) >= 3 and _DANGLING.search(line) and not _COLUMN_GAP.search(line):
            joined = 0
            while i < len(lines) and joined < 3 and len(lines[i]) < 200:
                separator = " " if joined == 0 or re.search(r"[,;:]$", line) else ", "
                line = line + separator + lines[i]
                i += 1
                joined += 1
                if re.search(r"[.;!?:]$", line):
                    break
        out.append(line)
    return out


# --- Language and sentences ------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language: by script, then by its commonest short words."""
    sample = text[:20000]
    letters = [c for c in sample if c.isalpha()]
    if not letters:
        return None
    n = len(letters)
    scripts = {
        "zh": sum(1 for c in letters if "\u4e00" <= c <= "\u9fff"),
        "ja": sum(1 for c in letters if "\u3040" <= c <= "\u30ff"),
        "ko": sum(1 for c in letters if "\uac00" <= c <= "\ud7af"),
        "ru": sum(1 for c in letters if "\u0400" <= c <= "\u04ff"),
        "ar": sum(1 for c in letters if "\u0600" <= c <= "\u06ff"),
        "el": sum(1 for c in letters if "\u0370" <= c <= "\u03ff"),
        "he": sum(1 for c in letters if "\u0590" <= c <= "\u05ff"),
    }
    if scripts["ja"] > n * 0.05:
        return "ja"
    best_script = max(scripts, key=scripts.get)
    if scripts[best_script] > n * 0.3:
        return best_script
    words = [w.lower() for w in _WORD.findall(sample)]
    if len(words) < 3:
        return None
    scores = {lang: sum(1 for w in words if w in stops) for lang, stops in lex.STOPWORDS.items()}
    best = max(scores, key=scores.get)
    if scores[best] < max(2, len(words) * 0.05):
        return None
    return best


_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "amb", "st", "no", "nos", "vs", "etc", "e.g", "i.e", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "sr", "sra", "lic", "dra", "gen", "col",
    "gov", "sen", "rep", "hon", "art", "arts", "para", "p", "pp", "vol", "fig", "inc", "ltd", "co", "jr", "m",
    "mme", "s.e", "h.e", "ing", "mtro", "núm", "núms", "av", "d.c", "u.s", "u.k", "ee.uu", "a.m", "p.m",
    "pol", "lt", "maj", "capt", "cdr", "adm", "brig", "insp", "sgt", "abg", "arq", "embr", "emb", "excmo", "excma",
    "exmo", "exma", "ilmo", "ilma", "sres", "sras", "dña", "dna", "dn", "mtra", "lcda", "lcdo", "drs",
}
_SENTENCE_END = re.compile(r"[.!?]+[\"”’)]*\s+(?=[\"“‘(]?[A-ZÀ-ÞÑ¿¡0-9])")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in text: at line breaks and at full stops that do not end an
    abbreviation or an initial."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        start = 0
        for match in _SENTENCE_END.finditer(line):
            before = line[start:match.start() + 1]
            last = before.rstrip(".!?").split()[-1] if before.rstrip(".!?").split() else ""
            token = last.lower().strip("(\"“")
            if line[match.start()] == "." and (token in _ABBREVIATIONS or re.fullmatch(r"[A-ZÀ-Þ]", last)
                                               or re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", last)):
                continue
            if start == 0 and re.fullmatch(r"\s*(?:\d{1,2}|[a-z])[.)]", before):
                continue  # "1. Elaborar un programa ...": the number of an item, not a sentence of its own
            spans.append((offset + start, offset + match.end()))
            start = match.end()
        if line[start:].strip():
            spans.append((offset + start, offset + len(line)))
        offset += len(line) + 1
    return [(s, e) for s, e in spans if text[s:e].strip()]
