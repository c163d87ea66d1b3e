"""Identical repeated items, as the search shows them: one result, "made N times".

Two items are the same recommendation made again when they are of the same kind, say the same
thing (the same words: case, accents, spacing and a final full stop aside), to the same
recipients, at the same occasion (the same session; without a session, the same date) through
the same mechanism: several states recommending "Abolish the death penalty" to Kenya at its
review, or one state recommending it twice there. The same text to another state, or at
another session, stays a result of its own (a recommendation made again across cycles is a
*repeated* link of the item pages, ``hrtrack.nlp.similar``, not the same result). Dialogues, and
items with neither a session nor a date, are never grouped.

Each search document's key is a 63-bit hash of those values (0: never grouped), which the
catalog holds beside its filter values (``Catalog.repeat_keys``), so that a search groups its
matches and counts its distinct texts in numpy.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

import numpy as np

from hrtrack.lib.text import fold

#: Rows read at a time when the catalog reads the keys (the texts are not all held at once).
CHUNK = 5000
_MASK = (1 << 63) - 1


def normalized(text: str) -> str:
    """The words that decide whether two texts are the same: folded, without a final stop."""
    return fold(text).rstrip(" .;")


def repeat_key(kind: str, text: str, recipients: str, session, date, mechanisms: str) -> int:
    """The group key of an item (0: it is never grouped with another)."""
    words = normalized(text or "")
    occasion = f"s{session}" if session not in (None, "") else (f"d{date}" if date not in (None, "") else "")
    if kind == "dialogue" or not words or not occasion:
        return 0
    parts = [kind, words, " ".join(sorted((recipients or "").split())), occasion,
             " ".join(sorted((mechanisms or "").split()))]
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).digest()
    return (int.from_bytes(digest, "big") & _MASK) or 1


KEY_COLUMNS = "id, kind, text, recipients, session, date, mechanisms"


def read_keys(cursor, where: str = "", params: Iterable = ()) -> Iterator[tuple[int, int]]:
    """(document id, key) of the documents ``where`` selects, read CHUNK rows at a time."""
    cursor.execute(f"SELECT {KEY_COLUMNS} FROM search_searchdocument{where}", list(params))
    while True:
        rows = cursor.fetchmany(CHUNK)
        if not rows:
            return
        for pk, kind, text, recipients, session, date, mechanisms in rows:
            yield pk, repeat_key(kind, text, recipients, session, date, mechanisms)


def distinct_count(keys: np.ndarray) -> int:
    """How many results these rows' keys make: each group once, each ungrouped row (key 0) once.

    By sorting, not ``np.unique``: numpy 2's hash-based unique took 290 ms over the 719,000
    matches of a broad filter at a million items, a sort 6 ms."""
    grouped = np.sort(keys[keys != 0])
    distinct = int(np.count_nonzero(grouped[1:] != grouped[:-1])) + 1 if len(grouped) else 0
    return int(len(keys) - len(grouped) + distinct)


def leaders(rows: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Where, in ``rows`` (ranked, best first), each result begins: each group's first row, and
    every ungrouped row (``keys`` are the rows' keys), in order."""
    if not len(rows):
        return np.zeros(0, dtype=np.int64)
    distinct = np.where(keys != 0, keys, -1 - np.arange(len(rows), dtype=np.int64))
    order = np.argsort(distinct, kind="stable")  # a key's first row comes first among its own
    ordered = distinct[order]
    starts = np.empty(len(order), dtype=bool)
    starts[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    return np.sort(order[starts])
