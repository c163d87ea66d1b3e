"""Text helpers shared by loaders, importers and the extractor."""

import hashlib
import unicodedata
from urllib.parse import urlsplit


def fold(text: str | None) -> str:
    """Lower-case, strip accents, unify quotes and collapse whitespace: a matching key."""
    if not text:
        return ""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
        text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2010", "-")
    return " ".join(text.split()).lower()


def squeeze(text: str | None) -> str:
    """Collapse runs of whitespace to single spaces and trim."""
    return " ".join(text.split()) if text else ""


def content_key(*parts: object) -> str:
    """A stable sha256 key from folded parts: the import key where a source has no id."""
    joined = "\x1f".join(fold(str(p)) if p is not None else "" for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def is_web_address(value: str) -> bool:
    """An http or https address with a host: the only kind stored or drawn as a link (a
    ``javascript:`` or ``data:`` address would run in the page of whoever clicks it)."""
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


#: English function words: the search leaves them out of queries, the repeat rule out of word overlaps.
ENGLISH_STOPWORDS = frozenset("""
a about after all also an and any are as at be been before being but by can could did do does
for from had has have he her his how i if in into is it its me more most my no not of on or our
out over she should since so some such than that the their them then there these they this those
to told under up us was we were what when where which who whom why will with would you your
""".split())
