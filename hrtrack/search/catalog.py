"""The documents' filter values in memory, as numpy arrays: filters and facet counts in
milliseconds over a million rows, without a SQL GROUP BY per facet.

One row per document. Single-valued filters are one int32 code per row (-1 for none);
multi-valued ones are (row, code) pairs sorted by row. Codes index a per-filter vocabulary.
The copy follows the table: each search asks, in one statement of indexed lookups, for the
index's generation, newest version and highest id, and reads only the rows written since.

Reading a million rows takes seconds, so a large catalog is also kept on disk
(var/search/catalog-*.npz, written by the reindex and after a full read): a new process starts
from it and reads only what changed since it was written. The copy records the database's
identity with the index generation it was read at; a copy of another database (a fresh one
beside an old var/ folder, under the same name) is ignored and the table read instead.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connection

from hrtrack.recommendations.models import Recommendation

from .models import SearchDocument, SearchIndexState

logger = logging.getLogger(__name__)

#: filter name -> document column. Single-valued first.
SINGLE = {"kind": "kind", "session": "session", "cycle": "cycle", "response": "response",
          "action_category": "action_category", "series": "series"}
MULTI = {"recipient": "recipients", "recommending_state": "recommending_states", "mechanism": "mechanisms",
         "theme": "themes", "group": "groups", "sdg": "sdgs", "status": "statuses", "agency": "agencies",
         # What the public filters and counts by instead of ``status`` (hrtrack.search.engine).
         "public_status": "public_statuses"}
#: Rows read again before the newest version seen: writers that committed a moment late.
LOOKBACK_NS = 5_000_000_000
#: Below this share of rows, facets are counted by gathering the matching rows' values.
GATHER_SHARE = 0.1
#: Catalogs of at least this many rows are kept on disk (smaller ones read in well under a second).
SNAPSHOT_MIN_ROWS = 50_000


@dataclass
class Vocabulary:
    values: list[str] = field(default_factory=list)
    codes: dict[str, int] = field(default_factory=dict)

    def code(self, value: str) -> int:
        found = self.codes.get(value)
        if found is None:
            found = self.codes[value] = len(self.values)
            self.values.append(value)
        return found


class Catalog:
    """The documents' filter values; ``refresh()`` before use."""

    def __init__(self):
        self.generation = -1
        self.version = 0
        self.last_id = 0
        self.size = 0
        self.ids = np.zeros(0, dtype=np.int64)
        self.object_ids = np.zeros(0, dtype=np.int64)
        self.live = np.zeros(0, dtype=bool)
        self.published = np.zeros(0, dtype=bool)  # whether anonymous visitors and contributors may find it
        self.dates = np.zeros(0, dtype=np.int32)     # proleptic ordinal, 0 for none
        self.lengths = np.zeros(0, dtype=np.int32)   # characters of the public text: bm25's length
        self.row_of_id = np.full(1, -1, dtype=np.int32)
        self.repeat_keys = np.zeros(0, dtype=np.int64)  # identical repeated items share one (hrtrack.search.repeats)
        self.vocabularies = {name: Vocabulary() for name in (*SINGLE, *MULTI)}
        self.single = {name: np.zeros(0, dtype=np.int32) for name in SINGLE}
        self.pair_rows = {name: np.zeros(0, dtype=np.int32) for name in MULTI}
        self.pair_codes = {name: np.zeros(0, dtype=np.int32) for name in MULTI}
        self._starts: dict[str, np.ndarray] = {}
        self._newest: tuple = (None, 0)
        self._all_counts: tuple = (None, {})
        self._live: tuple = (None, 0)
        self._average: tuple = (None, 0.0)
        self.since = 0          # rows of a version up to this one have all been read
        self.stamp = ""         # the database, the index's generation and rebuild time: which reindex
        self.database_id: str | None = None  # the database's identity at the last refresh (None: it has none yet)
        self.item_id_in_database = 0  # the highest item id in the database at the last refresh
        self.written: tuple = ()      # (stamp, version, last_id) of the copy last written to disk
        self.lock = threading.Lock()

    # Loading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read what changed since the last call (everything after a full reindex).

        One statement asks whether anything changed; with it come the highest item id, which
        tells the search whether items were written without the index knowing, and the
        database's identity, which the semantic index is checked against.
        """
        from hrtrack.nlp.models import DatabaseIdentity

        state = SearchIndexState._meta.db_table
        documents = SearchDocument._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT (SELECT generation FROM {state} WHERE id = 1), (SELECT rebuilt_at FROM {state} WHERE id = 1), "
                f"(SELECT MAX(version) FROM {documents}), (SELECT MAX(id) FROM {documents}), "
                f"(SELECT MAX(id) FROM {Recommendation._meta.db_table}), "
                f"(SELECT uuid FROM {DatabaseIdentity._meta.db_table} WHERE id = 1), "
                f"(SELECT MIN(id) FROM {documents})")
            generation, rebuilt_at, newest, last_id, item_id, identity, first_id = cursor.fetchone()
        generation, newest, last_id = generation or 0, newest or 0, last_id or 0
        self.item_id_in_database = item_id or 0
        # SQLite keeps the 32 hex digits, PostgreSQL a uuid: the same string either way.
        self.database_id = str(uuid.UUID(str(identity))) if identity is not None else None
        # The lowest id too: rows are never deleted but by a reindex, which the generation tells;
        # rows deleted all the same (a table emptied and filled again, as a test's flush does) take
        # the lowest id with them, and whatever the catalog held of them is read again.
        stamp = f"{self.database_id}:{generation}:{rebuilt_at}:{first_id or 0}"
        if (stamp, newest, last_id) == (self.stamp, self.version, self.last_id):
            return
        with self.lock:
            if stamp != self.stamp and self._read_snapshot(stamp):
                self.item_id_in_database = item_id or 0
                if (newest, last_id) == (self.version, self.last_id):
                    return
            if stamp != self.stamp or newest < self.version or last_id < self.last_id:
                # A reindex, or rows that went away (a rolled-back transaction): read all again.
                database_id = self.database_id
                self.__init__()
                self.generation, self.stamp, self.database_id = generation, stamp, database_id
                self._load(None, 0, newest)
                self.version, self.last_id = newest, last_id
                if self.size >= SNAPSHOT_MIN_ROWS and self.database_id:
                    self.write_snapshot()
            else:
                self._load(self.since, self.last_id, newest)
            self.version, self.last_id, self.item_id_in_database = newest, last_id, item_id or 0

    def _load(self, since: int | None, after_id: int, newest: int) -> None:
        """Read the rows of a version above ``since`` or an id above ``after_id`` (all when ``since`` is None)."""
        columns = ["id", "object_id", "live", "date", "LENGTH(text)", "published", *SINGLE.values(),
                   *MULTI.values()]
        where, params = "", []
        if since is not None:
            # Rows copied in without a new version (bulk tools) still come with a new id.
            where, params = " WHERE version > %s OR id > %s", [since, after_id]
        sql = f"SELECT {', '.join(columns)} FROM search_searchdocument{where}"
        # Writers stamp a row's version when they start and commit a moment later: the next read
        # goes back LOOKBACK_NS, but not before rows this old, which were surely committed.
        self.since = max(newest - LOOKBACK_NS, min(newest, time.time_ns() - LOOKBACK_NS))
        with connection.cursor() as cursor:
            cursor.execute(sql + " ORDER BY id", params)
            rows = cursor.fetchall()
        if not rows:
            return
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        # Rows already held are overwritten in place; new ones appended.
        if len(self.row_of_id) <= ids.max():
            grown = np.full(int(ids.max() * 1.25) + 16, -1, dtype=np.int32)
            grown[:len(self.row_of_id)] = self.row_of_id
            self.row_of_id = grown
        positions = self.row_of_id[ids]
        new = positions < 0
        first_new = self.size
        positions[new] = np.arange(first_new, first_new + int(new.sum()), dtype=np.int32)
        self.row_of_id[ids] = positions
        self.size = first_new + int(new.sum())
        grow = self.size - len(self.ids)

        def extended(array: np.ndarray, fill) -> np.ndarray:
            return np.concatenate([array, np.full(grow, fill, dtype=array.dtype)]) if grow > 0 else array

        self.ids, self.object_ids = extended(self.ids, 0), extended(self.object_ids, 0)
        self.live, self.dates = extended(self.live, False), extended(self.dates, 0)
        self.published = extended(self.published, False)
        self.lengths = extended(self.lengths, 0)
        self.repeat_keys = extended(self.repeat_keys, 0)
        self.ids[positions] = ids
        self.object_ids[positions] = [r[1] for r in rows]
        self.live[positions] = [bool(r[2]) for r in rows]
        self.dates[positions] = [_ordinal(r[3]) for r in rows]
        self.lengths[positions] = [r[4] or 0 for r in rows]
        self.published[positions] = [bool(r[5]) for r in rows]
        for index, name in enumerate(SINGLE, start=6):
            vocabulary = self.vocabularies[name]
            column = extended(self.single[name], -1)
            column[positions] = [-1 if r[index] in (None, "") else vocabulary.code(str(r[index])) for r in rows]
            self.single[name] = column
        for index, name in enumerate(MULTI, start=6 + len(SINGLE)):
            vocabulary = self.vocabularies[name]
            new_rows, new_codes = [], []
            for position, row in zip(positions.tolist(), rows, strict=True):
                for value in (row[index] or "").split():
                    new_rows.append(position)
                    new_codes.append(vocabulary.code(value))
            kept_rows, kept_codes = self.pair_rows[name], self.pair_codes[name]
            if since is not None and len(kept_rows):
                keep = ~np.isin(kept_rows, positions)
                kept_rows, kept_codes = kept_rows[keep], kept_codes[keep]
            all_rows = np.concatenate([kept_rows, np.array(new_rows, dtype=np.int32)])
            all_codes = np.concatenate([kept_codes, np.array(new_codes, dtype=np.int32)])
            order = np.argsort(all_rows, kind="stable")
            self.pair_rows[name], self.pair_codes[name] = all_rows[order], all_codes[order]
        self._starts = {}
        self._read_repeat_keys(where, params)

    def _read_repeat_keys(self, where: str, params: list) -> None:
        """The repeat keys of the rows just read (their texts a chunk at a time, not held at once)."""
        from .repeats import read_keys

        with connection.cursor() as cursor:
            for pk, key in read_keys(cursor, where, params):
                row = self.row_of_id[pk] if pk < len(self.row_of_id) else -1
                if row >= 0:  # a row written since the main read comes with the next refresh
                    self.repeat_keys[row] = key

    # On disk ----------------------------------------------------------------------------

    _HEAD = ("generation", "version", "last_id", "size", "since")
    _ARRAYS = ("ids", "object_ids", "live", "published", "dates", "lengths", "row_of_id", "repeat_keys")

    def write_snapshot(self) -> None:
        """Keep this catalog on disk, for the next process to start from."""
        arrays = {name: getattr(self, name) for name in self._ARRAYS}
        arrays["head"] = np.array([getattr(self, name) for name in self._HEAD], dtype=np.int64)
        arrays["stamp"] = np.array(self.stamp)
        arrays["database"] = np.array(self.database_id or "")
        for name in SINGLE:
            arrays[f"single.{name}"] = self.single[name]
        for name in MULTI:
            arrays[f"rows.{name}"], arrays[f"codes.{name}"] = self.pair_rows[name], self.pair_codes[name]
        for name, vocabulary in self.vocabularies.items():
            arrays[f"values.{name}"] = np.array(vocabulary.values, dtype=str)
        path = snapshot_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
        np.savez(temporary, **arrays)
        os.replace(temporary, path)
        self.written = (self.stamp, self.version, self.last_id)

    def _read_snapshot(self, stamp: str) -> bool:
        """Start from the copy on disk when it comes from this database at this reindex; False when
        there is none."""
        if not self.database_id:
            return False  # no copy can be this database's: it had no identity when they were written
        path = snapshot_path()
        try:
            with np.load(path, allow_pickle=False) as data:
                database = str(data["database"]) if "database" in data.files else None
                if database != self.database_id:
                    logger.warning("Ignoring %s: read from database %s, this one is %s.", path, database,
                                   self.database_id)
                    return False
                if str(data["stamp"]) != stamp:
                    return False
                arrays = {name: data[name] for name in data.files}
                needed = [*self._ARRAYS, *(f"rows.{name}" for name in MULTI), *(f"single.{name}" for name in SINGLE)]
                if any(name not in arrays for name in needed):
                    return False  # written before a column was added (``published``): read the table
        except (OSError, KeyError, ValueError):
            return False
        database_id = self.database_id
        self.__init__()
        self.stamp, self.database_id = stamp, database_id
        for name, value in zip(self._HEAD, arrays["head"].tolist(), strict=True):
            setattr(self, name, value)
        for name in self._ARRAYS:
            setattr(self, name, arrays[name])
        for name in SINGLE:
            self.single[name] = arrays[f"single.{name}"]
        for name in MULTI:
            self.pair_rows[name], self.pair_codes[name] = arrays[f"rows.{name}"], arrays[f"codes.{name}"]
        for name in self.vocabularies:
            values = arrays[f"values.{name}"].tolist()
            self.vocabularies[name] = Vocabulary(values, {value: code for code, value in enumerate(values)})
        return True

    def starts(self, name: str) -> np.ndarray:
        """Where each row's pairs begin in the pair arrays (CSR offsets), computed once per load."""
        if name not in self._starts:
            self._starts[name] = np.searchsorted(self.pair_rows[name], np.arange(self.size + 1)).astype(np.int64)
        return self._starts[name]

    # Filtering and counting -------------------------------------------------------------

    def mask(self, filters: dict[str, list[str]], date_from=None, date_to=None,
             published_only: bool = False) -> np.ndarray:
        """Live rows that match every filter (any of a filter's values); with ``published_only``,
        the published ones only (what anonymous visitors and contributors may find)."""
        mask = self.live & self.published if published_only else self.live.copy()
        for name, values in filters.items():
            if not values:
                continue
            vocabulary = self.vocabularies[name]
            # A table of the wanted codes (one slot more, for -1: none): one gather per row or pair.
            wanted = np.zeros(len(vocabulary.values) + 1, dtype=bool)
            wanted[[vocabulary.codes[v] for v in values if v in vocabulary.codes]] = True
            if name in SINGLE:
                mask &= wanted[self.single[name]]
            else:
                hit = np.zeros(self.size, dtype=bool)
                hit[self.pair_rows[name][wanted[self.pair_codes[name]]]] = True
                mask &= hit
        if date_from is not None:
            mask &= self.dates >= date_from.toordinal()
        if date_to is not None:
            mask &= (self.dates > 0) & (self.dates <= date_to.toordinal())
        return mask

    def counts(self, rows: np.ndarray) -> dict[str, dict[str, int]]:
        """For each filter, how many of ``rows`` have each value."""
        live = self.live_count()
        if len(rows) == live or 2 * len(rows) > live:
            # Every live row (a search without words or filters): counted once per version.
            if self._all_counts[0] != self.version:
                self._all_counts = (self.version, self._counts(np.flatnonzero(self.live)))
            every = self._all_counts[1]
            if len(rows) == live:
                return every
            # More than half the rows: count the others, and take them from the whole.
            others = self.live.copy()
            others[rows] = False
            left = self._counts(np.flatnonzero(others))
            return {name: {value: count - left[name].get(value, 0) for value, count in counts.items()
                           if count > left[name].get(value, 0)} for name, counts in every.items()}
        return self._counts(rows)

    def rows_of(self, ids: np.ndarray) -> np.ndarray:
        """The catalog row (int64) of each document id, -1 for ids the catalog does not hold."""
        inside = ids < len(self.row_of_id)
        return np.where(inside, self.row_of_id[np.where(inside, ids, 0)], -1).astype(np.int64)

    def average_length(self) -> float:
        """The live rows' mean text length (bm25's average document), once per version."""
        if self._average[0] != self.version:
            live = self.lengths[self.live]
            self._average = (self.version, float(live.mean()) if len(live) else 0.0)
        return self._average[1]

    def live_count(self) -> int:
        if self._live[0] != self.version:
            self._live = (self.version, int(np.count_nonzero(self.live)))
        return self._live[1]

    def _counts(self, rows: np.ndarray) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        gather = len(rows) < GATHER_SHARE * max(self.size, 1)
        selected = None
        if not gather:
            selected = np.zeros(self.size, dtype=bool)
            selected[rows] = True
        for name in SINGLE:
            codes = self.single[name][rows]
            out[name] = self._named(name, np.bincount(codes[codes >= 0]))
        for name in MULTI:
            if gather:
                starts = self.starts(name)
                begin, end = starts[rows], starts[rows + 1]
                lengths = end - begin
                if lengths.sum():
                    index = np.repeat(begin - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
                    codes = self.pair_codes[name][index]
                else:
                    codes = np.zeros(0, dtype=np.int32)
            else:
                codes = self.pair_codes[name][selected[self.pair_rows[name]]]
            out[name] = self._named(name, np.bincount(codes))
        return out

    def _named(self, name: str, counts: np.ndarray) -> dict[str, int]:
        values = self.vocabularies[name].values
        present = np.nonzero(counts)[0]
        return {values[code]: int(counts[code]) for code in present}

    def values_of(self, name: str, row: int) -> list[str]:
        values = self.vocabularies[name].values
        if name in SINGLE:
            code = self.single[name][row]
            return [] if code < 0 else [values[code]]
        starts = self.starts(name)
        return [values[c] for c in self.pair_codes[name][starts[row]:starts[row + 1]]]

    def newest_item_id(self) -> int:
        """The highest object id among the items (not dialogues) held, live or not."""
        if self._newest[0] != self.version:
            dialogue = self.vocabularies["kind"].codes.get("dialogue", -2)
            items = self.single["kind"] != dialogue
            self._newest = (self.version, int(self.object_ids[items].max()) if items.any() else 0)
        return self._newest[1]

    def memory_bytes(self) -> int:
        arrays = [self.ids, self.object_ids, self.live, self.published, self.dates, self.lengths, self.row_of_id,
                  self.repeat_keys,
                  *self.single.values(),
                  *self.pair_rows.values(), *self.pair_codes.values(), *self._starts.values()]
        return sum(a.nbytes for a in arrays)


def _ordinal(value) -> int:
    if value is None:
        return 0
    if isinstance(value, str):  # SQLite through a raw cursor
        from datetime import date

        return date.fromisoformat(value).toordinal()
    return value.toordinal()


def snapshot_path() -> Path:
    """The catalog's file for this database (a var folder may serve several)."""
    name = f"{connection.vendor}:{connection.settings_dict.get('HOST')}:{connection.settings_dict.get('NAME')}"
    digest = hashlib.sha1(name.encode()).hexdigest()[:12]
    return Path(settings.VAR_DIR) / "search" / f"catalog-{digest}.npz"


_catalogs: dict[str, Catalog] = {}


def get_catalog() -> Catalog:
    """This process's catalog for the default database, brought up to date."""
    catalog = _catalogs.setdefault(connection.alias + ":" + str(connection.settings_dict.get("NAME")), Catalog())
    catalog.refresh()
    return catalog


def write_snapshot() -> None:
    """Read the whole index and keep it on disk when it is large (after a reindex or a bulk write)."""
    from hrtrack.nlp.models import database_id

    database_id()  # a build: the copy must say whose it is, so the database gets its identity now
    catalog = get_catalog()
    fresh = catalog.written != (catalog.stamp, catalog.version, catalog.last_id)
    if catalog.size >= SNAPSHOT_MIN_ROWS and catalog.database_id and fresh:
        catalog.write_snapshot()
