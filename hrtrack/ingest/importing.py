"""The import engine every source shares: check every row, merge repeats, then save.

A source (UPR Info, UHRI, any table with a mapping) turns each row of a file into an
``ItemRow`` or a ``Problem``. The engine reads every row first, writing nothing; if any row
is invalid, nothing is saved (unless ``skip_invalid``). Then it saves in one transaction:
new items in bulk as they are read, changed items in bulk at the end with the history records
a person's edit would leave, unchanged items not at all. The key of an item is the source's own
id where it has one, else a hash of its normalized text, recipient, recommending state and session.

Memory stays bounded whatever the size of the file: rows are read and written a batch at a
time, and what merging a later repeat needs (the first row of each item) waits in a temporary
file, not in memory (``SeenItems``).
"""

import contextlib
import csv
import datetime
import functools
import gc
import hashlib
import io
import marshal
import os
import pickle
import signal
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrtrack.directory.countries import country_key
from hrtrack.directory.models import Country
from hrtrack.lib import bulk
from hrtrack.lib.bulk import reserve_ids
from hrtrack.lib.errors import InvalidInput
from hrtrack.lib.locks import lock_for_transaction
from hrtrack.lib.text import fold
from hrtrack.recommendations import changes
from hrtrack.recommendations.models import Change, ConceptLink, Recommendation

from .concepts import ConceptRef, ConceptResolver

BATCH = 2000


@dataclass
class Problem:
    """Why one row cannot be imported: the file, its row number, the column, the reason."""

    file: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return _("%(file)s row %(row)d, column %(column)s: %(reason)s") % asdict(self)


@dataclass
class ItemRow:
    """One item as a source read it, ready to be saved."""

    file: str
    row: int
    text: str
    kind: str = "recommendation"
    language: str = "en"
    recipients: list[str] = field(default_factory=list)
    recommending_states: list[str] = field(default_factory=list)
    recommending_body: str = ""
    mechanism: str = ""
    response: str = ""
    action_category: int | None = None
    session: int | None = None
    cycle: int | None = None
    issued_on: datetime.date | None = None
    document_symbol: str = ""
    paragraph: str = ""
    heading: str = ""
    uhri_annotation_id: str | None = None
    upr_info_id: str | None = None
    concepts: list[ConceptRef] = field(default_factory=list)
    key: str = ""
    _checksum: str | None = field(default=None, repr=False, compare=False)

    def checksum(self) -> str:
        """sha256 of everything the row says about the item: a re-import skips equal ones."""
        if self._checksum is None:
            self._checksum = self._compute_checksum()
        return self._checksum

    def _compute_checksum(self) -> str:
        return row_checksum(self.text, self.kind, self.language, self.recipients, self.recommending_states,
                            self.recommending_body, self.mechanism, self.response, self.action_category, self.session,
                            self.cycle, self.issued_on, self.document_symbol, self.paragraph, self.uhri_annotation_id,
                            self.upr_info_id, self.concepts, self.heading)

    def frozen(self) -> tuple:
        """The row as a tuple of plain values (for ``marshal``); :meth:`thawed` makes it a row again."""
        return (self.file, self.row, self.text, self.kind, self.language, self.recipients, self.recommending_states,
                self.recommending_body, self.mechanism, self.response, self.action_category, self.session,
                self.cycle, self.issued_on.toordinal() if self.issued_on else None, self.document_symbol,
                self.paragraph, self.heading, self.uhri_annotation_id, self.upr_info_id,
                list(map(tuple, self.concepts)), self.key, self._checksum)

    @classmethod
    def thawed(cls, values: tuple) -> "ItemRow":
        # Straight into the instance's dict, not through the 22 arguments of __init__: the writer
        # thaws every row of a file.
        item = cls.__new__(cls)
        fields = item.__dict__
        fields.update(zip(_FROZEN_FIELDS, values, strict=True))
        if fields["issued_on"] is not None:
            fields["issued_on"] = datetime.date.fromordinal(fields["issued_on"])
        fields["concepts"] = list(map(_concept_ref, fields["concepts"]))
        return item

    def merge(self, other: "ItemRow") -> None:
        """Fold a repeat of this item into it: the issues of both are kept."""
        have = {(c.scheme, c.code) for c in self.concepts}
        self.concepts += [c for c in other.concepts if (c.scheme, c.code) not in have]
        self._checksum = None


def row_checksum(text: str, kind: str, language: str, recipients: list[str], recommending_states: list[str],
                 recommending_body: str, mechanism: str, response: str, action_category: int | None,
                 session: int | None, cycle: int | None, issued_on: datetime.date | None, document_symbol: str,
                 paragraph: str, uhri_annotation_id: str | None, upr_info_id: str | None, concepts: list,
                 heading: str) -> str:
    """The checksum of an item's fields (:meth:`ItemRow.checksum`), for a source that builds a row's
    tuple without an ``ItemRow``. The same text as ever: a checksum that changed would make every
    item saved before read as changed."""
    parts = [text, kind, language, _listed(recipients), _listed(recommending_states), recommending_body, mechanism,
             response, action_category, session, cycle, issued_on, document_symbol, paragraph, uhri_annotation_id,
             upr_info_id, ";".join(sorted([c[0] + ":" + c[1] for c in concepts]))]
    if heading:  # only when there is one, so the checksums of rows without stay as they were
        parts.append(heading)
    joined = "\x1f".join([p if p.__class__ is str else "" if p is None else str(p) for p in parts])
    return hashlib.sha256(joined.encode()).hexdigest()


def _listed(values: list[str]) -> str:
    """Codes in a checksum: sorted, joined by commas (most items name one, or none)."""
    if len(values) < 2:
        return values[0] if values else ""
    return ",".join(sorted(values))


#: A concept reference from its plain tuple, without a Python call (``ConceptRef._make`` is one).
_concept_ref = functools.partial(tuple.__new__, ConceptRef)
#: The fields of ``ItemRow.frozen``'s tuple, in its order.
_FROZEN_FIELDS = ("file", "row", "text", "kind", "language", "recipients", "recommending_states", "recommending_body",
                  "mechanism", "response", "action_category", "session", "cycle", "issued_on", "document_symbol",
                  "paragraph", "heading", "uhri_annotation_id", "upr_info_id", "concepts", "key", "_checksum")
# Where the engine reads a frozen row's fields without thawing it (a new item is written from its tuple).
(F_FILE, F_ROW, F_TEXT, F_KIND, F_LANGUAGE, F_RECIPIENTS, F_RECOMMENDING, F_BODY, F_MECHANISM, F_RESPONSE, F_ACTION,
 F_SESSION, F_CYCLE, F_ISSUED, F_SYMBOL, F_PARAGRAPH, F_HEADING, F_ANNOTATION, F_UPR_INFO, F_CONCEPTS, F_KEY,
 F_CHECKSUM) = range(len(_FROZEN_FIELDS))
#: A problem travels as (file, row, column, reason); a frozen row is longer.
PROBLEM_FIELDS = 4


def _frozen(entry: "ItemRow | Problem | tuple") -> tuple:
    """What a source read, as plain values: a row's frozen tuple (key and checksum worked out), or a
    problem's four fields. A source may give the tuple itself (``uhri.read_rows(frozen=True)``)."""
    if entry.__class__ is tuple:
        return entry
    if entry.__class__ is Problem:
        return (entry.file, entry.row, entry.column, entry.reason)
    return _prepared(entry).frozen()


def default_key(item: ItemRow) -> str:
    """The key of an item whose source has no id: its folded text, countries and session."""
    parts = (item.kind, fold(item.text), ",".join(sorted(item.recipients)), ",".join(sorted(item.recommending_states)),
             str(item.session or ""))
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass
class ImportReport:
    """What an import read and did. ``rows_read`` counts every data row read, good or not;
    ``skipped`` the rows with problems (each once), ``problems`` every problem; ``items`` the
    distinct items the good rows make (repeats merged). A dry run (``dry_run``) counts what
    the import would create, update and leave unchanged, and saves nothing."""

    source: str
    files: list[str] = field(default_factory=list)
    rows_read: int = 0
    items: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    by_kind: dict = field(default_factory=dict)
    merged: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    saved: bool = False
    dry_run: bool = False

    def as_dict(self) -> dict:
        data = asdict(self)
        data["problems"] = [asdict(p) for p in self.problems]
        return data

    def problems_csv(self) -> str:
        return problems_csv(asdict(p) for p in self.problems)


def problems_csv(problems: Iterable[dict]) -> str:
    """The problems of an import as CSV (file, row, column, reason): for the terminal's
    --problems-csv and the site's download alike."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["file", "row", "column", "reason"])
    for p in problems:
        writer.writerow([p["file"], p["row"], p["column"], p["reason"]])
    return out.getvalue()


class ImportFailed(InvalidInput):
    """Some rows are invalid, so nothing was imported; the report names each."""

    def __init__(self, report: ImportReport):
        self.report = report
        super().__init__([str(p) for p in report.problems])


class CountryMatcher:
    """Country names as sources spell them, to ISO codes, with a cache."""

    UNKNOWN = {"unknown", "(unknown)", "n/a", "-"}

    def __init__(self):
        self.table = {key: c.code for key, c in Country.objects.lookup_table().items()}
        self.seen: dict[str, str | None] = {}
        self.lists: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]] = {}

    def code(self, name: str) -> str | None:
        if name not in self.seen:
            self.seen[name] = self.table.get(country_key(name))
        return self.seen[name]

    def codes(self, names: Iterable[str], file: str, row: int, column: str, problems: list[Problem]) -> list[str]:
        found, unknown = self.codes_of(tuple(names))
        for name in unknown:
            problems.append(Problem(file, row, column, _("no country is called %(name)r") % {"name": name}))
        return list(found)

    def codes_of(self, names: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The codes of these names, each once, and the names no country has (cached: a file repeats
        the same few lists of countries)."""
        if names in self.lists:
            return self.lists[names]
        found, unknown = [], []
        for name in names:
            name = name.strip()
            if not name or name.lower() in self.UNKNOWN:
                continue
            code = self.code(name)
            if code is None:
                unknown.append(name)
            elif code not in found:
                found.append(code)
        if len(self.lists) >= 65536:  # lists of two or three countries have many combinations: bounded
            self.lists.clear()
        self.lists[names] = result = (tuple(found), tuple(unknown))
        return result


Progress = Callable[[int, int], None]


class RowCounter:
    """Counts what an import read: every data row (``rows_read``, good or not), the rows with
    problems (``skipped``, each once however many problems it has) and the problems themselves."""

    def __init__(self, report: ImportReport):
        self.report = report
        self.bad_rows: set[tuple[str, int]] = set()

    def take(self, entry: ItemRow | Problem) -> bool:
        """Count one entry a source read; True for an item, False for a problem."""
        if isinstance(entry, Problem):
            self.report.problems.append(entry)
            if entry.row > 0:  # row 0: the file or the setup, not one of its rows
                self.bad_rows.add((entry.file, entry.row))
            return False
        self.report.rows_read += 1
        return True

    def finish(self) -> None:
        self.report.skipped = len(self.bad_rows)
        self.report.rows_read += len(self.bad_rows)


def run_import(source: str, rows: Iterable[ItemRow | Problem | tuple], *, files: list[str],
               skip_invalid: bool = False, user=None, progress: Progress | None = None,
               dry_run: bool = False) -> ImportReport:
    """Read every row and save the items, all in one transaction: if any row is invalid the
    transaction is rolled back and nothing is saved (unless ``skip_invalid``). A row is an
    ``ItemRow``, or the tuple its ``frozen`` gives, key and checksum included.

    Rows are parsed in a second process while this one writes the rows before them, so
    reading and writing overlap; writing is speculative and undone when a bad row turns up.
    A dry run reads and compares every row with the database the same way, writes nothing,
    and reports what the import would do.
    """
    report = ImportReport(source=source, files=files, dry_run=dry_run)
    with contextlib.ExitStack() as stack:
        if not dry_run:
            # The record of what changed (hrtrack.recommendations.changes) is written in this transaction
            # too, so no crash can commit items that the search and the models never hear of.
            stack.enter_context(transaction.atomic())
            stack.enter_context(changes.collecting(in_bulk=True))
            lock_for_transaction("hrtrack.ingest.import")
        seen = stack.enter_context(SeenItems())
        stack.enter_context(_fewer_collections())
        saver = Saver(report, seen, user=user, dry_run=dry_run)
        counter = RowCounter(report)
        failed = False
        for batch in _batches_in_background(rows):
            # Rows stay the plain tuples they came in as (ItemRow.frozen), made items only to merge.
            fresh: dict[str, tuple | ItemRow] = {}
            read = 0
            for entry in batch:
                if len(entry) == PROBLEM_FIELDS:
                    counter.take(Problem(*entry))
                    failed = failed or not skip_invalid
                    continue
                read += 1
                key = entry[F_KEY]
                first = fresh.get(key)
                if first is None and key in seen:
                    first = saver.repeat_of_saved(key)
                if first is None:
                    fresh[key] = entry
                    continue
                if first.__class__ is tuple:
                    first = fresh[key] = ItemRow.thawed(first)
                first.merge(ItemRow.thawed(entry))
                report.merged.append({"file": entry[F_FILE], "row": entry[F_ROW], "into_file": first.file,
                                      "into_row": first.row})
            report.rows_read += read
            if failed:
                continue  # keep reading to name every bad row; nothing more is written
            saver.save([row if row.__class__ is tuple else _frozen(row) for row in fresh.values()])
            if progress:
                progress(report.rows_read, 0)
        counter.finish()
        if failed:
            raise ImportFailed(report)  # leaving the atomic block rolls back what was written
        saver.finish(progress)
        report.items = len(seen)
        report.by_kind = dict(seen.by_kind)
    report.saved = not dry_run
    if report.saved:  # committed (unless an outer transaction holds it: then nothing is analysed yet)
        bulk.analyze([Recommendation, ConceptLink, Change], report.created + report.updated)
    if progress:
        progress(report.rows_read, report.rows_read)
    return report


#: The garbage collector's thresholds while an import runs: its rows are many small containers
#: that live a batch (no cycles), so collecting at Python's every 700 new ones is wasted work.
FEWER_COLLECTIONS = (20_000, 50, 1000)


@contextlib.contextmanager
def _fewer_collections():
    before = gc.get_threshold()
    gc.set_threshold(*FEWER_COLLECTIONS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _prepared(entry: ItemRow | Problem) -> ItemRow | Problem:
    """Key and checksum, worked out by the reader so the writer need not."""
    if isinstance(entry, ItemRow):
        entry.key = entry.key or default_key(entry)
        entry.checksum()
    return entry


def _batches_in_background(rows: Iterable[ItemRow | Problem], size: int | None = None):
    """Batches of rows, parsed by a second process while the caller writes the batch before.

    The source's first row is read here, in the caller's process, so that whatever the source
    looks up in the database before its first row (countries, concepts) uses the caller's
    connection; after that a source parses rows without the database, so the rest can be read
    by a forked copy of this process, which hands over each batch as plain values (``_frozen``,
    in one ``marshal``) through a pipe. A process rather than a thread: parsing and writing then run on two cores
    instead of taking turns at one interpreter lock. Where no process can be forked (another
    thread is running, or the system has no fork), the rows are read here, between writes.
    """
    size = size or BATCH
    iterator = iter(rows)
    try:
        first = [next(iterator)]  # a list, emptied as it is read: no row outlives its batch
    except StopIteration:
        return
    if not _can_fork():
        yield from _batches_here(first, iterator, size)
        return
    incoming, outgoing = os.pipe()
    pid = os.fork()
    if pid == 0:  # the reader: it must never return into the caller's code
        os.close(incoming)
        # What the reader inherits stays as it is (a collection would walk it, and touch its
        # pages, which then stop being shared); what it makes is short-lived, batch by batch.
        gc.freeze()
        gc.set_threshold(*FEWER_COLLECTIONS)
        _read_into(outgoing, first, iterator, size)
    first.clear()
    os.close(outgoing)
    try:
        with os.fdopen(incoming, "rb") as pipe:
            while True:
                header = pipe.read(5)
                kind, length = (header[:1], int.from_bytes(header[1:], "big")) if len(header) == 5 else (b"", 0)
                data = pipe.read(length)
                if kind == b"B" and len(data) == length:
                    yield marshal.loads(data)
                elif kind == b"E":
                    return
                elif kind == b"X":
                    raise pickle.loads(data)
                else:
                    raise RuntimeError("the import's reader process stopped before the end of the file")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def _can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


def _batches_here(first: list, iterator, size: int):
    """Batches of what the source reads, each entry as plain values (``_frozen``)."""
    batch = [_frozen(first.pop())]
    for entry in iterator:
        batch.append(_frozen(entry))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _read_into(fd: int, first: list, iterator, size: int) -> None:
    """In the reader process: every batch of rows, as plain values, into the pipe; then the end,
    or the error that stopped the reading. Leaves the process without running any cleanup of
    the caller's (its database connection is the caller's)."""
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as pipe:
            def send(kind: bytes, data: bytes) -> None:
                pipe.write(kind + len(data).to_bytes(4, "big"))
                pipe.write(data)

            try:
                for batch in _batches_here(first, iterator, size):
                    send(b"B", marshal.dumps(batch))
                send(b"E", b"")
            except BaseException as error:  # handed to the caller, who raises it
                try:
                    data = pickle.dumps(error)
                except Exception:
                    data = pickle.dumps(RuntimeError(f"the import's reader failed: {error!r}"))
                send(b"X", data)
    finally:
        os._exit(0)


# What the import did with an item first read: created it, found it unchanged, or left its
# update to the end, when every repeat of it has been merged.
CREATED, UNCHANGED, CHANGED = "created", "unchanged", "changed"


@dataclass
class Seen:
    """An item an import read earlier, as kept on disk: its first row with every repeat read since
    merged in, its id (None for one a dry run would create), the checksum the database had for it
    before this import (None for a new one) and what the import did with it."""

    item: ItemRow
    pk: int | None
    before: str | None
    state: str


class SeenItems:
    """The items an import has read, by key, kept small whatever the size of the file.

    A repeat of an item can come any number of rows later, after the item was written; merging
    it needs the item's first row. Those rows go to a temporary file (deleted as it is opened):
    the memory holds only where each one lies, a few dozen bytes an item, where a file of
    267,000 records of 1 KB would hold hundreds of megabytes.
    """

    def __init__(self):
        self.where: dict[str, int] = {}  # key -> offset * 2**32 + length in the file
        self.file = tempfile.TemporaryFile(prefix="hrtrack-import-")
        self.end = 0
        self.unwritten: list[bytes] = []  # written to the file a batch at a time
        self.by_kind: dict[str, int] = {}

    def __enter__(self) -> "SeenItems":
        return self

    def __exit__(self, *exc) -> None:
        self.file.close()

    def __contains__(self, key: str) -> bool:
        return key in self.where

    def __len__(self) -> int:
        return len(self.where)

    def add(self, row: tuple, pk: int | None, before: str | None, state: str) -> int:
        """Keep a row (``ItemRow.frozen``'s tuple) and what the import did with it."""
        data = marshal.dumps((row, pk, before, state))
        self.unwritten.append(data)
        handle = self.end << 32 | len(data)
        self.end += len(data)
        self.where[row[F_KEY]] = handle
        kind = row[F_KIND]
        self.by_kind[kind] = self.by_kind.get(kind, 0) + 1
        return handle

    def flush(self) -> None:
        """Write the rows added since the last flush (the caller flushes after each batch)."""
        if self.unwritten:
            self.file.write(b"".join(self.unwritten))
            self.unwritten.clear()
        self.file.flush()

    def read(self, handle: int) -> Seen:
        self.flush()
        frozen, pk, before, state = marshal.loads(os.pread(self.file.fileno(), handle & 0xFFFFFFFF, handle >> 32))
        return Seen(ItemRow.thawed(frozen), pk, before, state)

    def get(self, key: str) -> tuple[int, Seen]:
        handle = self.where[key]
        return handle, self.read(handle)


# The columns of an item, in the order ``Saver._create`` builds its rows; the history's
# copy of an item has the same columns and five of its own.
ITEM_COLUMNS = ("id", "kind", "text", "language", "mechanism_id", "document_id", "document_symbol", "paragraph",
                "heading", "session", "cycle", "issued_on", "dialogue_id", "recommending_body", "response",
                "action_category", "due", "external_key", "source_checksum", "uhri_annotation_id", "upr_info_id",
                "created_at", "updated_at", "published_at", "published_by_id")
HISTORY_TAIL = ("history_id", "history_date", "history_change_reason", "history_type", "history_user_id")
HISTORY_COLUMNS = (*ITEM_COLUMNS, *HISTORY_TAIL)
LINK_COLUMNS = ("recommendation_id", "concept_id", "origin", "set_by_id", "model_name", "confidence", "confirmed",
                "confirmed_by_id", "confirmed_at", "created_at")
#: The columns of a new item that differ from item to item, in the order ``Saver._create`` builds its rows.
CREATE_COLUMNS = ("id", "kind", "text", "language", "mechanism_id", "document_symbol", "paragraph", "heading",
                  "session", "cycle", "issued_on", "recommending_body", "response", "action_category", "external_key",
                  "source_checksum", "uhri_annotation_id", "upr_info_id")
#: The columns an import sets on an item it updates, in the order ``Saver._update`` gives them.
UPDATE_COLUMNS = ("kind", "text", "language", "mechanism_id", "recommending_body", "response", "action_category",
                  "session", "cycle", "issued_on", "document_symbol", "paragraph", "heading", "uhri_annotation_id",
                  "upr_info_id", "source_checksum", "updated_at")
COUNTRY_FIELDS = ("recipients", "recommending_states")
#: The columns of a temporary table of (row id, history id) pairs, for PostgreSQL.
PAIRS = "SELECT 0::bigint AS id, 0::bigint AS history_id WITH NO DATA"


class Saver:
    """Writes items batch by batch: new ones in bulk as they come; changed ones in bulk at the end,
    once every repeat of them has been merged, each with the history record a person's edit would
    leave; unchanged ones not at all. A dry run counts the same and writes nothing."""

    def __init__(self, report: ImportReport, seen: SeenItems, *, user=None, dry_run: bool = False):
        self.report, self.seen, self.user, self.dry_run = report, seen, user, dry_run
        self.user_id = user.pk if user else None
        self.countries = dict(Country.objects.values_list("code", "pk"))
        self.resolver = ConceptResolver()
        self.resolver.load({"mechanisms"})
        self.remerged: dict[str, Seen] = {}  # repeats of items already saved: few, kept whole
        self.changed: list[int] = []  # the seen items' handles whose update waits for the end
        columns = {f.attname for f in Recommendation._meta.concrete_fields}
        if columns != set(ITEM_COLUMNS):  # a field added to items must be written by imports too
            raise RuntimeError(f"ITEM_COLUMNS lacks {columns - set(ITEM_COLUMNS)}, has {set(ITEM_COLUMNS) - columns}")
        self.adapt_time = bulk.adapter(Recommendation, "created_at")
        self.adapt_date = bulk.adapter(Recommendation, "issued_on")
        self.adapt_ordinal = bulk.memo(lambda day: self.adapt_date(datetime.date.fromordinal(day)))
        self.adapt_uuid = _uuid_adapter()
        # Read in the import's transaction, which holds the import lock: where no imported item
        # existed before, every item is new or a repeat of one this import read (``seen``), and a
        # first import of a whole export need not look each key up. A dry run has no transaction
        # to hold the lock in, so it looks every key up.
        self.none_before = not dry_run and not Recommendation.objects.filter(external_key__isnull=False).exists()

    def _resolve(self, items: Iterable[ItemRow]) -> None:
        """Find (or create) the concepts the items are tagged with."""
        self._resolve_refs(c for item in items for c in item.concepts)

    def _resolve_refs(self, concepts: Iterable[tuple]) -> dict[tuple, int]:
        """Find (or create) these concepts (references, or their plain tuples); each reference's concept id."""
        given = dict.fromkeys(concepts)  # each distinct reference once, in the order read
        refs = {(c[0], c[1]): c for c in given}
        schemes = {scheme for scheme, _code in refs} - set(self.resolver.schemes)
        if schemes:
            self.resolver.load(schemes)
        for ref in refs.values():
            self.resolver.get(_concept_ref(ref))
        cache = self.resolver.cache
        return {ref: cache[(ref[0], ref[1])].pk for ref in given}

    def save(self, rows: list[tuple]) -> None:
        """Classify a batch of rows read for the first time (``ItemRow.frozen``'s tuples) against the
        database and write the new ones."""
        if not rows:
            return
        existing = {} if self.none_before else _existing([row[F_KEY] for row in rows])
        new_rows = []
        add = self.seen.add
        for row in rows:
            found = existing.get(row[F_KEY])
            if found is None:
                new_rows.append(row)
            elif found[1] != row[F_CHECKSUM]:
                self.changed.append(add(row, found[0], found[1], CHANGED))
            else:
                add(row, found[0], found[1], UNCHANGED)
                self.report.unchanged += 1
        if new_rows:
            ids: Sequence[int | None] = [None] * len(new_rows)
            if not self.dry_run:
                ids = self._create(new_rows)
            for pk, row in zip(ids, new_rows, strict=True):
                add(row, pk, None, CREATED)
            self.report.created += len(new_rows)
        self.seen.flush()

    def repeat_of_saved(self, key: str) -> ItemRow:
        """The item a repeat read later belongs to, saved (or classified) in an earlier batch: the
        repeat is merged into it, and what that changes is written at the end."""
        if key not in self.remerged:
            handle, seen = self.seen.get(key)
            if seen.state == UNCHANGED:  # it will differ once the repeat's issues are in
                self.report.unchanged -= 1
                self.changed.append(handle)
                seen.state = CHANGED
            self.remerged[key] = seen
        return self.remerged[key].item

    def finish(self, progress: Progress | None = None) -> None:
        """Apply the merges of repeats into items created earlier in this import, then update the
        changed items, in batches."""
        if not self.dry_run:
            for seen in self.remerged.values():
                if seen.state == CREATED:
                    self._complete(seen.pk, seen.item)
        pending: list[tuple[int, ItemRow]] = []
        for handle in self.changed:
            seen = self.seen.read(handle)
            seen = self.remerged.get(seen.item.key, seen)
            if seen.item.checksum() == seen.before:  # a repeat brought back what the database has
                self.report.unchanged += 1
                continue
            pending.append((seen.pk, seen.item))
            if len(pending) >= BATCH:
                self._flush_updates(pending)
                pending = []
                if progress:
                    progress(self.report.rows_read, 0)
        self._flush_updates(pending)

    def _flush_updates(self, pending: list[tuple[int, ItemRow]]) -> None:
        if not pending:
            return
        self.report.updated += len(pending)
        if not self.dry_run:
            self._update(pending, self._resolve_refs(c for _pk, item in pending for c in item.concepts))

    def _mechanisms(self, items: Iterable[ItemRow]) -> dict[str, int]:
        return self._mechanisms_of({item.mechanism for item in items})

    def _mechanisms_of(self, codes: set[str]) -> dict[str, int]:
        cache = self.resolver.cache
        return {code: concept.pk for code in codes if code and (concept := cache.get(("mechanisms", code)))}

    def _create(self, batch: list[tuple]) -> Sequence[int]:
        """Insert new items (``ItemRow.frozen``'s tuples), their history, countries and concept links with
        plain bulk inserts.

        Rows are built as tuples of values the database takes as they are, straight from the tuples
        the reader sent: at tens of thousands of rows, every Python step per row counts.
        """
        concepts = self._resolve_refs(c for row in batch for c in row[F_CONCEPTS])
        now = self.adapt_time(timezone.now())
        user_id = self.user_id
        date, uuid_ = self.adapt_ordinal, self.adapt_uuid
        mechanisms = self._mechanisms_of({row[F_MECHANISM] for row in batch})
        ids = reserve_ids(Recommendation, len(batch))
        rows = [
            (pk, row[F_KIND], row[F_TEXT], row[F_LANGUAGE], mechanisms.get(row[F_MECHANISM]), row[F_SYMBOL],
             row[F_PARAGRAPH], row[F_HEADING], row[F_SESSION], row[F_CYCLE], date(row[F_ISSUED]), row[F_BODY],
             row[F_RESPONSE], row[F_ACTION], row[F_KEY], row[F_CHECKSUM], uuid_(row[F_ANNOTATION]), row[F_UPR_INFO])
            for pk, row in zip(ids, batch, strict=True)
        ]
        # Imported without a document, dialogue or due date, and unpublished: a coordinator publishes.
        same = (("document_id", None), ("dialogue_id", None), ("due", ""), ("created_at", now), ("updated_at", now),
                ("published_at", None), ("published_by_id", None))
        bulk.insert(Recommendation, CREATE_COLUMNS, rows, same)
        history = Recommendation.history.model
        history_ids = reserve_ids(history, len(rows))
        tail = (("history_date", now), ("history_change_reason", "import"), ("history_type", "+"),
                ("history_user_id", user_id))
        offset = _offset(ids, history_ids)
        if offset is None:
            bulk.insert(history, (*CREATE_COLUMNS, "history_id"),
                        [(*row, history_id) for row, history_id in zip(rows, history_ids, strict=True)], (*same, *tail))
        else:  # SQLite: the history copies the rows just written, without binding each value again
            _copy_rows(Recommendation, history, ITEM_COLUMNS, "id", ids, offset, tail)
        countries = self.countries
        recipients, recommending, links = [], [], []
        for pk, row in zip(ids, batch, strict=True):
            recipients += [(pk, countries[code]) for code in row[F_RECIPIENTS]]
            if row[F_RECOMMENDING]:
                recommending += [(pk, countries[code]) for code in row[F_RECOMMENDING]]
            links += [(pk, concepts[ref]) for ref in row[F_CONCEPTS]]
        # The countries, and the same rows in the history's own copy of them, so that the first
        # version of an item already shows its recipients and recommending states.
        for name, pairs in (("recipients", recipients), ("recommending_states", recommending)):
            through = getattr(Recommendation, name).through
            through_ids = reserve_ids(through, len(pairs))
            through_rows = [(through_id, *pair) for through_id, pair in zip(through_ids, pairs, strict=True)]
            bulk.insert(through, ("id", "recommendation_id", "country_id"), through_rows)
            copy = apps.get_model("recommendations", f"HistoricalRecommendation_{name}")
            if offset is None:
                history_of = dict(zip(ids, history_ids, strict=True))
                bulk.insert(copy, ("id", "recommendation_id", "country_id", "history_id"),
                            [(*row, history_of[row[1]]) for row in through_rows])
            else:
                _copy_rows(through, copy, ("id", "recommendation_id", "country_id"), "recommendation_id", ids, offset,
                           (), history_from="recommendation_id")
        bulk.insert(ConceptLink, ("recommendation_id", "concept_id"), links, self._link_tail(now))
        changes.record(items=ids)  # gathered, and inserted in one go as the import ends
        return ids

    def _complete(self, pk: int, item: ItemRow) -> None:
        """An item this import created, whose repeat came in a later batch: its checksum and its
        first history record take the merged row's, and the repeat's issues are linked. Its
        creation stays its only history record."""
        self._resolve([item])
        checksum = item.checksum()
        Recommendation.objects.filter(pk=pk).update(source_checksum=checksum)
        Recommendation.history.filter(id=pk, history_type="+").update(source_checksum=checksum)
        have = set(ConceptLink.objects.filter(recommendation_id=pk).values_list("concept_id", flat=True))
        now = self.adapt_time(timezone.now())
        wanted = dict.fromkeys(self.resolver.get(ref).pk for ref in item.concepts)
        bulk.insert(ConceptLink, ("recommendation_id", "concept_id"),
                    [(pk, concept) for concept in wanted if concept not in have], self._link_tail(now))

    def _link_tail(self, now) -> tuple[tuple[str, object], ...]:
        """The columns of an import's concept link besides its item and concept: set and confirmed by the import."""
        return (("origin", ConceptLink.Origin.IMPORT.value), ("set_by_id", self.user_id), ("model_name", ""),
                ("confidence", None), ("confirmed", True), ("confirmed_by_id", self.user_id), ("confirmed_at", now),
                ("created_at", now))

    def _update(self, pending: list[tuple[int, ItemRow]], concepts: dict[tuple, int]) -> None:
        """Write changed items in bulk, leaving what saving each through the ORM would: a history
        record ("~", the importing user, reason "import") with the countries it has from now on,
        its countries and the import's concept links replaced (a person's or a model's tags stay,
        and each link added or taken back has its own history record), and a record that it
        changed for the search and the models. A few statements a batch, whatever its size."""
        now = self.adapt_time(timezone.now())
        date, uuid_ = self.adapt_date, self.adapt_uuid
        mechanisms = self._mechanisms(item for _pk, item in pending)
        pks = [pk for pk, _item in pending]
        quote = connection.ops.quote_name
        items_table = quote(Recommendation._meta.db_table)
        values = [(pk, item.kind, item.text, item.language, mechanisms.get(item.mechanism), item.recommending_body,
                   item.response, item.action_category, item.session, item.cycle, date(item.issued_on),
                   item.document_symbol, item.paragraph, item.heading, uuid_(item.uhri_annotation_id),
                   item.upr_info_id, item.checksum(), now) for pk, item in pending]
        history = Recommendation.history.model
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # One UPDATE from a temporary table filled by COPY, not one statement an item.
                changed = _temporary(cursor, "hrtrack_import_changed", f"SELECT id, {', '.join(UPDATE_COLUMNS)} "
                                     f"FROM {items_table} WITH NO DATA", ("id", *UPDATE_COLUMNS), values)
                assignments = ", ".join(f"{quote(column)} = v.{quote(column)}" for column in UPDATE_COLUMNS)
                cursor.execute(f"UPDATE {items_table} SET {assignments} FROM {changed} v "
                               f"WHERE {items_table}.id = v.id")
            else:
                _update_sqlite(cursor, items_table, values)
            for name in COUNTRY_FIELDS:
                self._replace_countries(cursor, name, pending)
            # The history record copies the item as it now is, and its countries as they now are.
            versions = _temporary(cursor, "hrtrack_import_versions", PAIRS, ("id", "history_id"),
                                  list(zip(pks, reserve_ids(history, len(pks)), strict=True)))
            columns = ", ".join(f"i.{quote(column)}" for column in ITEM_COLUMNS)
            tail = ", ".join(quote(column) for column in HISTORY_TAIL)
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(map(quote, ITEM_COLUMNS))}, {tail}) "
                f"SELECT {columns}, v.history_id, %s, 'import', '~', %s FROM {items_table} i "
                f"JOIN {versions} v ON v.id = i.id", [now, self.user_id])
            for name in COUNTRY_FIELDS:
                through = quote(getattr(Recommendation, name).through._meta.db_table)
                copy = quote(apps.get_model("recommendations", f"HistoricalRecommendation_{name}")._meta.db_table)
                cursor.execute(
                    f"INSERT INTO {copy} (id, recommendation_id, country_id, history_id) "
                    f"SELECT t.id, t.recommendation_id, t.country_id, v.history_id FROM {through} t "
                    f"JOIN {versions} v ON v.id = t.recommendation_id")
            self._replace_links(cursor, pending, concepts, now)
        changes.record(items=pks)

    def _replace_countries(self, cursor, name: str, pending: list[tuple[int, ItemRow]]) -> None:
        through = getattr(Recommendation, name).through
        have: dict[int, dict[int, int]] = {}
        for through_id, pk, country in _select(cursor, through, ("id", "recommendation_id", "country_id"),
                                               "recommendation_id", [pk for pk, _item in pending]):
            have.setdefault(pk, {})[country] = through_id
        removed, added = [], []
        for pk, item in pending:
            wanted = {self.countries[code] for code in getattr(item, name)}
            current = have.get(pk, {})
            removed += [through_id for country, through_id in current.items() if country not in wanted]
            added += [(pk, country) for country in wanted if country not in current]
        _delete(cursor, through, removed)
        bulk.insert(through, ("id", "recommendation_id", "country_id"),
                    [(through_id, *pair) for through_id, pair in
                     zip(reserve_ids(through, len(added)), added, strict=True)])

    def _replace_links(self, cursor, pending: list[tuple[int, ItemRow]], concepts: dict[tuple, int], now) -> None:
        """The import's concept links of changed items become the file's (``concepts``: each reference's
        concept id); each change has its history."""
        have: dict[int, dict[int, tuple[int, str]]] = {}
        for link_id, pk, concept, origin in _select(cursor, ConceptLink, ("id", "recommendation_id", "concept_id",
                                                                          "origin"),
                                                    "recommendation_id", [pk for pk, _item in pending]):
            have.setdefault(pk, {})[concept] = (link_id, origin)
        removed, added = [], []
        concept_of = concepts.__getitem__
        for pk, item in pending:
            wanted = dict.fromkeys(map(concept_of, item.concepts))
            current = have.get(pk, {})
            added += [(pk, concept) for concept in wanted if concept not in current]
            # Only what an import set is taken back; a person's or a model's tags stay.
            removed += [link_id for concept, (link_id, origin) in current.items()
                        if concept not in wanted and origin == ConceptLink.Origin.IMPORT]
        history = ConceptLink.history.model
        quote = connection.ops.quote_name
        link_fields = ("id", *LINK_COLUMNS)
        columns = ", ".join(quote(column) for column in link_fields)
        tail = ", ".join(quote(column) for column in HISTORY_TAIL)
        if removed:
            gone = _temporary(cursor, "hrtrack_import_gone", PAIRS, ("id", "history_id"),
                              list(zip(removed, reserve_ids(history, len(removed)), strict=True)))
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({columns}, {tail}) "
                f"SELECT {', '.join(f'l.{quote(c)}' for c in link_fields)}, g.history_id, %s, 'import', '-', %s "
                f"FROM {quote(ConceptLink._meta.db_table)} l JOIN {gone} g ON g.id = l.id", [now, self.user_id])
            _delete(cursor, ConceptLink, removed)
        if added:
            values = (ConceptLink.Origin.IMPORT.value, self.user_id, "", None, True, self.user_id, now, now)
            rows = [(link_id, pk, concept, *values)
                    for link_id, (pk, concept) in zip(reserve_ids(ConceptLink, len(added)), added, strict=True)]
            bulk.insert(ConceptLink, link_fields, rows)
            bulk.insert(history, (*link_fields, *HISTORY_TAIL),
                        [(*row, history_id, now, "import", "+", self.user_id)
                         for history_id, row in zip(reserve_ids(history, len(rows)), rows, strict=True)])


#: What every update of an item sets; the other columns only where their value changes.
ALWAYS_SET = ("text", "source_checksum", "updated_at")


def _update_sqlite(cursor, table: str, values: list[tuple]) -> None:
    """Update items on SQLite, each (id, *UPDATE_COLUMNS) row setting only the columns whose value
    changes, besides ``ALWAYS_SET``: SQLite rewrites the entries of every index, and checks every
    constraint, on a column an UPDATE sets, changed or not. Setting all of them cost 21 us an item,
    setting the text, the checksum and the time 4 us: a corrected text, the most common change,
    touches no index. The rows that change the same columns share one statement."""
    quote = connection.ops.quote_name
    position = {column: number for number, column in enumerate(UPDATE_COLUMNS, 1)}
    compared = [column for column in UPDATE_COLUMNS if column not in ALWAYS_SET]
    # "+column": the value as stored (a date column's would come back as a date, the written one is text).
    selected = ", ".join(f"+{quote(column)}" for column in compared)
    current: dict[int, tuple] = {}
    for chunk in _chunks([row[0] for row in values]):
        cursor.execute(f"SELECT id, {selected} FROM {table} WHERE id IN ({', '.join(['%s'] * len(chunk))})", chunk)
        current.update((row[0], row[1:]) for row in cursor.fetchall())
    groups: dict[tuple[str, ...], list[tuple]] = {}
    for row in values:
        was = current.get(row[0])
        names = tuple(compared) if was is None else tuple(
            column for column, old in zip(compared, was, strict=True) if row[position[column]] != old)
        groups.setdefault(names, []).append(row)
    connection.validate_no_broken_transaction()
    for names, rows in groups.items():
        columns = (*names, *ALWAYS_SET)
        sql = f"UPDATE {table} SET {', '.join(f'{quote(column)} = ?' for column in columns)} WHERE id = ?"
        wanted = [position[column] for column in columns]
        with connection.wrap_database_errors:
            sqlite3.Cursor.executemany(cursor.cursor, sql, [(*(row[n] for n in wanted), row[0]) for row in rows])


def _uuid_adapter() -> Callable[[str | None], object]:
    """The annotation id as the database takes it: a canonical GUID (as sources give it) straight
    from its text, 32 hex digits on SQLite, as it is on PostgreSQL; any other through the field."""
    prepare = bulk.adapter(Recommendation, "uhri_annotation_id")
    native = connection.features.has_native_uuid_field

    def adapt(value: str | None):
        if value is None:
            return None
        if len(value) == 36 and value.count("-") == 4:
            digits = value.replace("-", "")
            if len(digits) == 32 and not digits.strip("0123456789abcdef"):
                return value if native else digits
        return prepare(value)

    return adapt


def _offset(ids: Sequence[int], history_ids: Sequence[int]) -> int | None:
    """How far each history id lies from its item's id, where it is the same for all (SQLite's
    reserved ids are ranges); None where it is not (PostgreSQL's sequences)."""
    if isinstance(ids, range) and isinstance(history_ids, range) and ids.step == history_ids.step == 1:
        return history_ids.start - ids.start
    return None


def _copy_rows(model, history, columns: Sequence[str], key: str, ids: range, offset: int,
               tail: Sequence[tuple[str, object]], history_from: str = "id") -> None:
    """Copy the rows of ``model`` whose ``key`` is in ``ids`` into its ``history`` table, in one
    INSERT ... SELECT: ``history_id`` is the value of ``history_from`` plus ``offset``, and the
    ``tail`` columns take their values."""
    quote = connection.ops.quote_name
    names = [*map(quote, columns), quote("history_id"), *(quote(name) for name, _value in tail)]
    selected = [*map(quote, columns), f"{quote(history_from)} + %s", *["%s"] * len(tail)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(names)}) SELECT {', '.join(selected)} "
            f"FROM {quote(model._meta.db_table)} WHERE {quote(key)} BETWEEN %s AND %s",
            [offset, *(value for _name, value in tail), ids[0], ids[-1]])


def _temporary(cursor, name: str, query: str, columns: Sequence[str], rows: list[tuple]) -> str:
    """A temporary table of this connection, holding only these rows, for set-based statements:
    made on first use in the transaction from ``query`` (``SELECT ... WITH NO DATA``, which gives
    its columns their types), emptied on each later one. Returns its quoted name."""
    quote = connection.ops.quote_name
    table = quote(name)
    if connection.vendor == "postgresql":
        cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {table} ON COMMIT DROP AS {query}")
        cursor.execute(f"TRUNCATE {table}")
        with cursor.cursor.copy(f"COPY {table} ({', '.join(map(quote, columns))}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return table
    # SQLite has no WITH NO DATA, and its columns take any value: the names are enough.
    cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {table} ({', '.join(map(quote, columns))})")
    cursor.execute(f"DELETE FROM {table}")
    if rows:
        bulk.in_values(cursor, lambda count: f"INSERT INTO {table} {bulk.values_list(len(columns), count)}",
                       len(columns), rows)
    return table


def _chunks(values: list, step: int = 500):
    """Slices of values short enough for the fewest parameters any SQLite takes in one statement (999)."""
    for start in range(0, len(values), step):
        yield values[start:start + step]


def _select(cursor, model, columns: Sequence[str], where: str, values: list) -> list[tuple]:
    """The rows of the model's table whose ``where`` column is one of the values."""
    quote = connection.ops.quote_name
    sql = f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(model._meta.db_table)} WHERE {quote(where)}"
    if connection.vendor == "postgresql":
        cursor.execute(f"{sql} = ANY(%s)", [values])
        return cursor.fetchall()
    found = []
    for chunk in _chunks(values):
        cursor.execute(f"{sql} IN ({', '.join(['%s'] * len(chunk))})", chunk)
        found += cursor.fetchall()
    return found


def _delete(cursor, model, ids: list[int]) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    if connection.vendor == "postgresql":
        if ids:
            cursor.execute(f"DELETE FROM {table} WHERE id = ANY(%s)", [ids])
        return
    for chunk in _chunks(ids):
        cursor.execute(f"DELETE FROM {table} WHERE id IN ({', '.join(['%s'] * len(chunk))})", chunk)


def _existing(keys: list[str]) -> dict[str, tuple[int, str]]:
    """The id and source checksum of the items already saved under these import keys."""
    with connection.cursor() as cursor:
        rows = _select(cursor, Recommendation, ("external_key", "id", "source_checksum"), "external_key", keys)
    return {key: (pk, checksum) for key, pk, checksum in rows}
