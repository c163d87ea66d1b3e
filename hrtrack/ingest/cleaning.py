"""An item's text as its publisher writes it, to the text, heading and paragraph number items keep.

Every importer passes its text cells through :func:`clean_text`: OHCHR's texts often open with
the heading the paragraph stands under, then the paragraph's number, with or without a space
after its dot ("Non-discrimination\\n12. The Committee recommends ...", "31.The Committee urges
..."), and some cells carry HTML (``<p>``, ``<br>``, ``&nbsp;``, ``&#40;``).
"""

import html
import re
from dataclasses import dataclass

_BREAK = re.compile(r"<\s*(?:br|/p|/div|/li|/h[1-6]|/tr)\s*/?\s*>|<\s*(?:p|div|li|h[1-6]|tr)(?:\s[^>]*)?>", re.I)
_TAG = re.compile(r"<\s*/?\s*[a-z][a-z0-9]*(?:\s[^<>]*)?/?\s*>", re.I)
#: A paragraph number at the start of a line: "12. The", "31.The", "128.1 Ratify" (a number with a
#: decimal part counts only before a capital letter, so "3.5 million people" keeps its number).
_NUMBER = re.compile(r"^(?:(\d{1,3})\.\s*(?=[^\W\d_]|[(\"“«¿¡'‘])"
                     r"|(\d{1,3}\.\d{1,3})\.?\s+(?=[A-ZÀ-ÞĀ-Ž(\"“«¿¡'‘]))")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
#: The longest line taken for a heading; a longer one is a sentence.
HEADING_MAX = 150


@dataclass(frozen=True)
class CleanText:
    text: str
    heading: str = ""
    paragraph: str = ""


def strip_html(text: str) -> str:
    """Text without HTML tags or entities; block tags and ``<br>`` become line breaks. Text with
    no ``<`` or ``&`` is returned as it is (the common case, kept cheap)."""
    if "<" in text:
        text = _TAG.sub("", _BREAK.sub("\n", text))
    if "&" in text:
        text = html.unescape(text)
    return text


def _lines(text: str) -> list[str]:
    return [line for line in (_SPACES.sub(" ", raw).strip() for raw in text.splitlines()) if line]


def _is_heading(line: str) -> bool:
    return len(line) <= HEADING_MAX and not line.endswith((".", ";", ":", ",")) and not _NUMBER.match(line)


def clean_text(raw: object) -> CleanText:
    """The cell's text without HTML, its opening heading lines kept apart (only where a numbered
    paragraph follows them), and its paragraph number taken off the front."""
    text = strip_html("" if raw is None else str(raw))
    lines = _lines(text)
    heading: list[str] = []
    for index, line in enumerate(lines):
        if _NUMBER.match(line) and index:
            heading, lines = lines[:index], lines[index:]
            break
        if not _is_heading(line):
            break
    paragraph = ""
    if lines:
        match = _NUMBER.match(lines[0])
        if match and (heading or len(lines[0]) > match.end()):
            paragraph = match.group(1) or match.group(2)
            lines[0] = lines[0][match.end():]
    return CleanText(" ".join(lines), " — ".join(heading)[:300], paragraph)
