"""The import engine every source shares: check every row, merge repeats, then save.

A source (UPR Info, UHRI, any table with a mapping) turns each row of a file into an
``ItemRow`` or a ``Problem``. The engine reads every row first, writing nothing; if any row
is invalid, nothing is saved (unless ``skip_invalid``). Then it saves in one transaction:
new items in bulk, changed items one by one so their history records the change, unchanged
items not at all. The key of an item is the source's own id where it has one, else a hash
of its normalized text, recipient, recommending state and session.
"""

import csv
import datetime
import hashlib
import io
import queue
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
from hrtrack.recommendations.models import ConceptLink, Recommendation

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
        parts = [self.text, self.kind, self.language, ",".join(sorted(self.recipients)),
                 ",".join(sorted(self.recommending_states)), self.recommending_body, self.mechanism, self.response,
                 self.action_category, self.session, self.cycle, self.issued_on, self.document_symbol,
                 self.paragraph, self.uhri_annotation_id, self.upr_info_id,
                 ";".join(sorted(f"{c.scheme}:{c.code}" for c in self.concepts))]
        if self.heading:  # only when there is one, so the checksums of rows without stay as they were
            parts.append(self.heading)
        return hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()

    def merge(self, other: "ItemRow") -> None:
        """Fold a repeat of this item into it: the issues of both are kept."""
        have = {(c.scheme, c.code) for c in self.concepts}
        self.concepts += [c for c in other.concepts if (c.scheme, c.code) not in have]
        self._checksum = None


def default_key(item: ItemRow) -> str:
    """The key of an item whose source has no id: its folded text, countries and session."""
    parts = (item.kind, fold(item.text), ",".join(sorted(item.recipients)), ",".join(sorted(item.recommending_states)),
             str(item.session or ""))
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass
class ImportReport:
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

    def code(self, name: str) -> str | None:
        if name not in self.seen:
            self.seen[name] = self.table.get(country_key(name))
        return self.seen[name]

    def codes(self, names: Iterable[str], file: str, row: int, column: str, problems: list[Problem]) -> list[str]:
        found = []
        for name in names:
            name = name.strip()
            if not name or name.lower() in self.UNKNOWN:
                continue
            code = self.code(name)
            if code is None:
                problems.append(Problem(file, row, column, _("no country is called %(name)r") % {"name": name}))
            elif code not in found:
                found.append(code)
        return found


Progress = Callable[[int, int], None]


def collect(rows: Iterable[ItemRow | Problem], report: ImportReport, key: Callable[[ItemRow], str] = default_key,
            progress: Progress | None = None) -> dict[str, ItemRow]:
    """Read every row, keep the problems, and merge rows that are one item."""
    items: dict[str, ItemRow] = {}
    for entry in rows:
        _absorb(entry, items, report, key)
        if progress and report.rows_read and report.rows_read % BATCH == 0:
            progress(report.rows_read, 0)
    return items


def _absorb(entry: ItemRow | Problem, items: dict[str, ItemRow], report: ImportReport,
            key: Callable[[ItemRow], str] = default_key) -> ItemRow | None:
    """Take one read row: a problem is noted, a repeat is merged into the item it repeats.
    Returns the item the row merged into (None for a new item or a problem)."""
    if isinstance(entry, Problem):
        report.problems.append(entry)
        return None
    report.rows_read += 1
    entry.key = entry.key or key(entry)
    first = items.get(entry.key)
    if first is None:
        items[entry.key] = entry
        return None
    first.merge(entry)
    report.merged.append({"file": entry.file, "row": entry.row, "into_file": first.file, "into_row": first.row})
    return first


def tally(report: ImportReport, items: dict[str, ItemRow]) -> None:
    """Count the items read, by kind, and the rows skipped for their problems."""
    report.skipped = len({(p.file, p.row) for p in report.problems})
    report.items = len(items)
    for item in items.values():
        report.by_kind[item.kind] = report.by_kind.get(item.kind, 0) + 1


def run_import(source: str, rows: Iterable[ItemRow | Problem], *, files: list[str], skip_invalid: bool = False,
               user=None, progress: Progress | None = None, dry_run: bool = False) -> ImportReport:
    """Read every row and save the items, all in one transaction: if any row is invalid the
    transaction is rolled back and nothing is saved (unless ``skip_invalid``).

    Rows are parsed in a second thread while the first one writes the rows before them, so
    reading and writing overlap; writing is speculative and undone when a bad row turns up.
    """
    report = ImportReport(source=source, files=files)
    if dry_run:
        items = collect(rows, report, progress=progress)
        if report.problems and not skip_invalid:
            raise ImportFailed(report)
        tally(report, items)
        return report
    # The record of what changed (hrtrack.recommendations.changes) is written in this transaction
    # too, so no crash can commit items that the search and the models never hear of.
    with transaction.atomic(), changes.collecting(in_bulk=True):
        lock_for_transaction("hrtrack.ingest.import")
        saver = Saver(report, user=user)
        items: dict[str, ItemRow] = {}
        for batch in _batches_in_background(rows):
            fresh: list[ItemRow] = []
            for entry in batch:
                merged_into = _absorb(entry, items, report)
                if merged_into is not None:
                    saver.remerge(merged_into)
                elif isinstance(entry, ItemRow):
                    fresh.append(entry)
            if report.problems and not skip_invalid:
                continue  # keep reading to name every bad row; nothing more is written
            saver.save(fresh)
            if progress:
                progress(report.rows_read, 0)
        if report.problems and not skip_invalid:
            raise ImportFailed(report)  # leaving the atomic block rolls back what was written
        saver.finish()
    tally(report, items)
    report.saved = True
    if progress:
        progress(report.rows_read, report.rows_read)
    return report


def _prepared(entry: ItemRow | Problem) -> ItemRow | Problem:
    """Key and checksum, worked out in the reading thread so the writing thread need not."""
    if isinstance(entry, ItemRow):
        entry.key = entry.key or default_key(entry)
        entry.checksum()
    return entry


def _batches_in_background(rows: Iterable[ItemRow | Problem], size: int = BATCH):
    """Batches of rows, parsed by a second thread while the caller writes the batch before.

    The source's first row is read here, in the caller's thread, so that whatever the
    source looks up in the database before its first row (countries, concepts) uses the
    caller's connection; after that a source parses rows without the database.
    """
    iterator = iter(rows)
    try:
        first = next(iterator)
    except StopIteration:
        return
    results: queue.Queue = queue.Queue(maxsize=4)
    stop = threading.Event()

    def produce():
        batch = [_prepared(first)]
        try:
            for entry in iterator:
                batch.append(_prepared(entry))
                if len(batch) >= size:
                    results.put(batch)
                    batch = []
                    if stop.is_set():
                        return
            results.put(batch)
            results.put(None)
        except BaseException as error:  # handed to the caller, who raises it
            results.put(error)

    worker = threading.Thread(target=produce, name="import-reader", daemon=True)
    worker.start()
    try:
        while True:
            batch = results.get()
            if batch is None:
                return
            if isinstance(batch, BaseException):
                raise batch
            yield batch
    finally:
        stop.set()
        while worker.is_alive():
            try:
                results.get(timeout=0.1)
            except queue.Empty:
                pass
        worker.join()


# The columns of an item, in the order ``Saver._create`` builds its rows; the history's
# copy of an item has the same columns and five of its own.
ITEM_COLUMNS = ("id", "kind", "text", "language", "mechanism_id", "document_id", "document_symbol", "paragraph",
                "heading", "session", "cycle", "issued_on", "dialogue_id", "recommending_body", "response",
                "action_category", "due", "external_key", "source_checksum", "uhri_annotation_id", "upr_info_id",
                "created_at", "updated_at")
HISTORY_COLUMNS = (*ITEM_COLUMNS, "history_id", "history_date", "history_change_reason", "history_type",
                   "history_user_id")
LINK_COLUMNS = ("recommendation_id", "concept_id", "origin", "set_by_id", "model_name", "confidence", "confirmed",
                "confirmed_by_id", "confirmed_at", "created_at")


class Saver:
    """Writes items batch by batch: new ones in bulk, changed ones one by one (so their history
    says what changed), unchanged ones not at all."""

    def __init__(self, report: ImportReport, *, user=None):
        self.report, self.user = report, user
        self.countries = dict(Country.objects.values_list("code", "pk"))
        self.resolver = ConceptResolver()
        self.resolver.load({"mechanisms"})
        self.written: dict[str, int] = {}
        self.remerged: dict[str, ItemRow] = {}
        columns = {f.attname for f in Recommendation._meta.concrete_fields}
        if columns != set(ITEM_COLUMNS):  # a field added to items must be written by imports too
            raise RuntimeError(f"ITEM_COLUMNS lacks {columns - set(ITEM_COLUMNS)}, has {set(ITEM_COLUMNS) - columns}")
        self.adapt_time = bulk.adapter(Recommendation, "created_at")
        self.adapt_date = bulk.adapter(Recommendation, "issued_on")
        self.adapt_uuid = bulk.adapter(Recommendation, "uhri_annotation_id")

    def save(self, items: list[ItemRow]) -> None:
        if not items:
            return
        refs = {(c.scheme, c.code): c for item in items for c in item.concepts}
        schemes = {scheme for scheme, _code in refs} - set(self.resolver.schemes)
        if schemes:
            self.resolver.load(schemes)
        for ref in refs.values():
            self.resolver.get(ref)
        existing = _existing([item.key for item in items])
        new_items = []
        for item in items:
            found = existing.get(item.key)
            if found is None:
                new_items.append(item)
            elif found[1] != item.checksum():
                _update(found[0], item, self.countries, self.resolver, self.user)
                self.written[item.key] = found[0]
                self.report.updated += 1
            else:
                self.written[item.key] = found[0]
                self.report.unchanged += 1
        if new_items:
            ids = self._create(new_items)
            self.written.update(zip((item.key for item in new_items), ids, strict=True))
            self.report.created += len(new_items)

    def remerge(self, item: ItemRow) -> None:
        """A repeat of an item already written came later: its concepts are added at the end."""
        if item.key in self.written:
            self.remerged[item.key] = item

    def finish(self) -> None:
        for key, item in self.remerged.items():
            pk = self.written[key]
            for ref in item.concepts:
                self.resolver.get(ref)
            _update(pk, item, self.countries, self.resolver, self.user, record=False)

    def _create(self, batch: list[ItemRow]) -> Sequence[int]:
        """Insert new items, their history, countries and concept links with plain bulk inserts.

        Rows are built as tuples of values the database takes as they are: at tens of
        thousands of rows, every Python step per row counts.
        """
        now = self.adapt_time(timezone.now())
        user_id = self.user.pk if self.user else None
        date, uuid_ = self.adapt_date, self.adapt_uuid
        mechanisms = {code: concept.pk for code in {item.mechanism for item in batch if item.mechanism}
                      if (concept := self.resolver.cache.get(("mechanisms", code)))}
        ids = reserve_ids(Recommendation, len(batch))
        rows = [
            (pk, item.kind, item.text, item.language, mechanisms.get(item.mechanism), None, item.document_symbol,
             item.paragraph, item.heading, item.session, item.cycle, date(item.issued_on), None, item.recommending_body,
             item.response, item.action_category, "", item.key, item.checksum(), uuid_(item.uhri_annotation_id),
             item.upr_info_id, now, now)
            for pk, item in zip(ids, batch, strict=True)
        ]
        bulk.insert(Recommendation, ITEM_COLUMNS, rows)
        history = Recommendation.history.model
        history_ids = reserve_ids(history, len(rows))
        tail = (now, "import", "+", user_id)
        bulk.insert(history, HISTORY_COLUMNS,
                    [(*row, history_id, *tail) for row, history_id in zip(rows, history_ids, strict=True)])
        countries = self.countries
        concepts = {key: concept.pk for key, concept in self.resolver.cache.items()}
        recipients, recommending, links = [], [], []
        for pk, history_id, item in zip(ids, history_ids, batch, strict=True):
            recipients += [(pk, countries[code], history_id) for code in item.recipients]
            recommending += [(pk, countries[code], history_id) for code in item.recommending_states]
            links += [(pk, concepts[(ref.scheme, ref.code)]) for ref in item.concepts]
        # The countries, and the same rows in the history's own copy of them, so that the first
        # version of an item already shows its recipients and recommending states.
        for name, pairs in (("recipients", recipients), ("recommending_states", recommending)):
            through = getattr(Recommendation, name).through
            through_ids = reserve_ids(through, len(pairs))
            bulk.insert(through, ("id", "recommendation_id", "country_id"),
                        [(through_id, pk, country) for through_id, (pk, country, _h) in
                         zip(through_ids, pairs, strict=True)])
            bulk.insert(apps.get_model("recommendations", f"HistoricalRecommendation_{name}"),
                        ("id", "recommendation_id", "country_id", "history_id"),
                        [(through_id, *pair) for through_id, pair in zip(through_ids, pairs, strict=True)])
        tail = (ConceptLink.Origin.IMPORT.value, user_id, "", None, True, user_id, now, now)
        bulk.insert(ConceptLink, LINK_COLUMNS, [(*link, *tail) for link in links])
        changes.record(items=ids)  # gathered, and inserted in one go as the import ends
        return ids


def _existing(keys: list[str]) -> dict[str, tuple[int, str]]:
    """The id and source checksum of the items already saved under these import keys."""
    found = {}
    table = connection.ops.quote_name(Recommendation._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT external_key, id, source_checksum FROM {table} WHERE external_key = ANY(%s)",
                           [keys])
            return {key: (pk, checksum) for key, pk, checksum in cursor.fetchall()}
        step = 500  # well under the fewest parameters any SQLite takes in one statement (999)
        for start in range(0, len(keys), step):
            chunk = keys[start:start + step]
            cursor.execute(f"SELECT external_key, id, source_checksum FROM {table} "
                           f"WHERE external_key IN ({', '.join(['%s'] * len(chunk))})", chunk)
            found.update((key, (pk, checksum)) for key, pk, checksum in cursor.fetchall())
    return found


def _values(item: ItemRow, resolver: ConceptResolver) -> dict:
    mechanism = resolver.cache.get(("mechanisms", item.mechanism)) if item.mechanism else None
    return {
        "kind": item.kind, "text": item.text, "language": item.language, "mechanism": mechanism,
        "recommending_body": item.recommending_body, "response": item.response,
        "action_category": item.action_category, "session": item.session, "cycle": item.cycle,
        "issued_on": item.issued_on, "document_symbol": item.document_symbol, "paragraph": item.paragraph,
        "heading": item.heading,
        "uhri_annotation_id": item.uhri_annotation_id, "upr_info_id": item.upr_info_id,
        "source_checksum": item.checksum(),
    }


def _update(pk: int, item: ItemRow, countries: dict, resolver: ConceptResolver, user, record: bool = True) -> None:
    """Update one changed item through the ORM, so its history records who changed what.

    ``record=False`` completes an item created by this same import (a repeat that came
    later added its issues): its creation is its history, so no second record is made.
    """
    obj = Recommendation.objects.get(pk=pk)
    values = _values(item, resolver)
    if record:
        for name, value in values.items():
            setattr(obj, name, value)
        obj._history_user = user
        obj._change_reason = "import"
        obj.save()
    else:
        Recommendation.objects.filter(pk=pk).update(source_checksum=values["source_checksum"])
        obj.history.filter(history_type="+").update(source_checksum=values["source_checksum"])
    obj.refresh_from_db(fields=["issued_on"])
    want = {countries[c] for c in item.recipients}
    if set(obj.recipients.values_list("pk", flat=True)) != want:
        obj.recipients.set(want)
    want = {countries[c] for c in item.recommending_states}
    if set(obj.recommending_states.values_list("pk", flat=True)) != want:
        obj.recommending_states.set(want)
    wanted = {resolver.get(ref).pk for ref in item.concepts}
    have = {link.concept_id: link for link in obj.concept_links.all()}
    now = timezone.now()
    for concept_id in wanted - set(have):
        link = ConceptLink(recommendation=obj, concept_id=concept_id, origin=ConceptLink.Origin.IMPORT,
                           confirmed=True, set_by=user, confirmed_by=user, confirmed_at=now)
        link._history_user = user
        link.save()
    for concept_id, link in have.items():
        # Only what an import set is taken back; a person's or a model's tags stay.
        if concept_id not in wanted and link.origin == ConceptLink.Origin.IMPORT:
            link._history_user = user
            link.delete()
