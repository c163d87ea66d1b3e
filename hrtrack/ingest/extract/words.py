"""Folding that keeps every character in place, so that matches on folded text are spans of the original."""

import unicodedata
from functools import lru_cache

_QUOTES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-", "\u2013": "-", "\u2014": "-",
           "\u201c": '"', "\u201d": '"'}


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    if c.isascii():
        return c.lower()
    if c in _QUOTES:
        return _QUOTES[c]
    base = unicodedata.normalize("NFKD", c)[:1] or c
    lower = base.lower()
    return lower if len(lower) == 1 else base


def fold_keep(text: str) -> str:
    """Lower-case text without accents, one character for one: offsets stay valid."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(c) for c in text)
