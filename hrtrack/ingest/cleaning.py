"""An item's text as its publisher writes it, to the text, heading and paragraph number items keep.

Every importer passes its text cells through :func:`clean_text`: OHCHR's texts often open with
the heading the paragraph stands under, then the paragraph's number, with or without a space
after its dot ("Non-discrimination\\n12. The Committee recommends ...", "31.The Committee urges
..."), and some cells carry HTML (``<p>``, ``<br>``, ``&nbsp;``, ``&#40;``).
"""

import html
import re
from dataclasses import dataclass

#: Block tags and ``<br>`` end a line; a table cell ends with a space.
_BREAK = re.compile(r"<\s*(?:br|/p|/div|/li|/h[1-6]|/tr|/ul|/ol|/blockquote)\s*/?\s*>"
                    r"|<\s*(?:p|div|li|h[1-6]|tr|ul|ol|blockquote)(?:\s[^>]*)?>", re.I)
_CELL = re.compile(r"<\s*/t[dh]\s*>", re.I)
#: What a reader never sees: comments, scripts and styles, with their content.
_HIDDEN = re.compile(r"<!--.*?(?:-->|$)|<\s*(script|style)\b[^>]*>.*?(?:<\s*/\s*\1\s*>|$)", re.I | re.S)
#: A tag, namespaced ones too (Word's ``<o:p>``); "<18" or "a < b" are not tags.
_TAG = re.compile(r"<\s*/?\s*[a-z][a-z0-9:_-]*(?:\s[^<>]*)?/?\s*>", re.I)
#: A paragraph number at the start of a line: "12. The", "31.The", "128.1 Ratify", "12.1.3 Ensure"
#: (a number with a decimal part counts only before a capital letter, so "3.5 million people"
#: keeps its number, and a year is never one: "2019. The year").
_NUMBER = re.compile(r"^(?:(\d{1,3}) ?\.\s*(?=[^\W\d_]|[(\"“«¿¡'‘])"
                     r"|(\d{1,3}(?:\.\d{1,3}){1,2})\.?\s+(?=[A-ZÀ-ÞĀ-Ž(\"“«¿¡'‘]))")
#: A line that is nothing but a paragraph number ("12.", "128.1"): the text follows on the next line.
_NUMBER_ALONE = re.compile(r"^\d{1,3}(?:\.\d{1,3}){0,2}\.?$")
#: Runs of spaces to make one space: a single plain space is left alone (most of a text), so that
#: the substitution has little to do.
_SPACES = re.compile(r" [ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+|[\t\u00a0\u2000-\u200b\u202f\u205f\u3000]"
                     r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]*")
#: The longest line taken for a heading; a longer one is a sentence.
HEADING_MAX = 150


@dataclass(frozen=True)
class CleanText:
    text: str
    heading: str = ""
    paragraph: str = ""


def strip_html(text: str) -> str:
    """Text without HTML tags, comments or entities; block tags and ``<br>`` become line breaks.
    Text with no ``<`` or ``&`` is returned as it is (the common case, kept cheap)."""
    if "<" in text:
        text = _HIDDEN.sub("", text)
        text = _TAG.sub("", _CELL.sub(" ", _BREAK.sub("\n", text)))
    if "&" in text:
        text = html.unescape(text)
    return text


def _squeezed(line: str) -> str:
    if line.isascii() and "  " not in line and "\t" not in line:
        return line  # the common case, checked at C speed
    return _SPACES.sub(" ", line)


def _lines(text: str) -> list[str]:
    if text.isascii() and text.isprintable():  # one line without tabs, as most texts are: at C speed
        line = text.strip()
        return [_SPACES.sub(" ", line) if "  " in line else line] if line else []
    lines = [line for line in (_squeezed(raw).strip() for raw in text.splitlines()) if line]
    # A number on a line of its own ("<p>12.</p><p>The Committee ...</p>") numbers the next line.
    index = 0
    while index < len(lines) - 1:
        if _NUMBER_ALONE.match(lines[index]):
            number = lines[index] if "." in lines[index] else lines[index] + "."
            lines[index:index + 2] = [f"{number} {lines[index + 1]}"]
        index += 1
    return lines


def _is_heading(line: str) -> bool:
    """A line short enough, and without a sentence's last punctuation, to be a heading; numbered
    headings count ("1. General measures of implementation")."""
    return len(line) <= HEADING_MAX and not line.endswith((".", ";", ":", ",", "?", "!"))


def clean_text(raw: object) -> CleanText:
    """The cell's text without HTML, its opening heading lines kept apart (only where a numbered
    paragraph follows them), and its paragraph number taken off the front.

    Line breaks inside the text (a recommendation's "(a) ...;" and "(b) ..." lines) are kept,
    except inside a sentence (a line that goes on in lower case joins the one before); runs of
    spaces, tabs and no-break spaces become one space.
    """
    return CleanText(*cleaned(raw))


def cleaned(raw: object) -> tuple[str, str, str]:
    """:func:`clean_text` as a plain tuple (text, heading, paragraph), for an importer that cleans
    every text of a whole export."""
    text = strip_html("" if raw is None else raw if raw.__class__ is str else str(raw))
    lines = _lines(text)
    # The heading is every line before the last numbered line that only headings precede.
    start = 0
    for index, line in enumerate(lines):
        if index and _NUMBER.match(line):
            start = index
        if not _is_heading(line):
            break
    heading, lines = lines[:start], lines[start:]
    paragraph = ""
    if lines:
        match = _NUMBER.match(lines[0])
        if match and len(lines[0]) > match.end():
            paragraph = match.group(1) or match.group(2)
            lines[0] = lines[0][match.end():]
    return _joined(lines), " — ".join(heading)[:300] if heading else "", paragraph


#: The start of a list's line ("a) ", "(iv) ", "- "): a new line even in lower case.
_LIST_ITEM = re.compile(r"^(?:\(?[a-z]{1,4}\)|[-•–*]\s)")


def _joined(lines: list[str]) -> str:
    """The body's lines, a line that goes on in lower case ("... to<br>strengthen its system")
    joined to the one before it: a sentence broken by the markup, not a new line of a list."""
    body: list[str] = []
    for line in lines:
        if body and line[:1].islower() and not _LIST_ITEM.match(line):
            body[-1] = f"{body[-1]} {line}"
        else:
            body.append(line)
    return "\n".join(body)
