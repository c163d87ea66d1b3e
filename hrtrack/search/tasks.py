"""The one job that brings every structure derived from the items and dialogues up to date.

How "items changed" travels:

* **Who records.** Every writer adds :class:`~hrtrack.recommendations.models.Change` rows in the
  transaction that makes the change (``hrtrack.recommendations.changes.record``): the importer in
  bulk, a person's edit and a saved statement through the model signals (``hrtrack.search.signals``),
  a restore or any other writer by calling ``record`` itself. Items and their record commit together.
* **On commit.** A small change has its search documents written at once, so a person sees the edit
  in search straight away (the rows are marked ``indexed``); an import leaves that to the job. Either
  way :func:`queue_sync` queues :func:`sync_derived_job`, unless one is already queued and not started.
* **Who consumes.** :func:`sync_derived` reads the record, writes the search documents not yet written,
  checks that every item and dialogue has a current document (``documents.catch_up``), and after new,
  changed or deleted items suggests themes, groups and goals for those nobody tagged, embeds the new
  texts and remakes the similar and repeated links, rebuilds the semantic index and writes the
  catalog snapshot. Only then does it delete the rows it read.
* **A killed run** (an import killed after its commit, a job killed midway) leaves the rows behind,
  so the next run does their work again; and because every run checks the index is complete, even a
  run with no rows (an import that found nothing new) repairs what an older interrupted run left.
  Each step can be repeated: documents are rewritten in place, suggestions skip the links already
  made, embeddings are reused by text hash, links are remade whole.

The command line has no worker necessarily: ``hrtrack import`` asks for the search documents now
(:func:`sync_documents`, through ``changes.follow_up_now``) and leaves the rest to the queued job.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import TaskResultStatus, task

from hrtrack.lib import bulk
from hrtrack.recommendations.models import Change, Recommendation

from . import documents
from .models import SearchDocument

#: Rows per statement when updating or deleting change rows by id (well under SQLite's limit).
CHUNK = 5000


@dataclass
class SyncReport:
    changes: int = 0
    documents: int = 0
    repaired: int = 0
    suggested: dict | None = None
    links: dict | None = None
    vectors: int | None = None
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {**self.__dict__, "skipped": list(self.skipped)}


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def _pending(items: Iterable[int] | None = None, dialogues: Iterable[int] | None = None) -> list[tuple]:
    """(id, subject, object_id, content, indexed) of the recorded changes, oldest first; only those
    of these objects when they are given."""
    rows = Change.objects.order_by("id")
    if items is not None or dialogues is not None:
        rows = rows.filter(Q(subject=Change.Subject.ITEM, object_id__in=list(items or ()))
                           | Q(subject=Change.Subject.DIALOGUE, object_id__in=list(dialogues or ())))
    return list(rows.values_list("id", "subject", "object_id", "content", "indexed"))


def _index(rows: list[tuple], items: Iterable[int] = (), dialogues: Iterable[int] = ()) -> int:
    """Write the documents of the rows not indexed yet (and of ``items`` and ``dialogues``), then
    mark those rows indexed. Returns how many documents were written."""
    todo = [row for row in rows if not row[4]]
    item_ids = set(items) | {row[2] for row in todo if row[1] == Change.Subject.ITEM}
    dialogue_ids = set(dialogues) | {row[2] for row in todo if row[1] == Change.Subject.DIALOGUE}
    written = documents.write_documents(item_ids, dialogue_ids)
    for chunk in _chunks([row[0] for row in todo]):
        Change.objects.filter(id__in=chunk).update(indexed=True)
    return written


def index_changes(items: Iterable[int] = (), dialogues: Iterable[int] = ()) -> int:
    """The search documents of these just-committed items and dialogues, written now (a person's
    edit shows in search straight after the save); their recorded changes are marked indexed."""
    items, dialogues = set(items), set(dialogues)
    if not items and not dialogues:
        return 0
    return _index(_pending(items, dialogues), items, dialogues)


def sync_documents() -> tuple[int, int]:
    """The search part of :func:`sync_derived`, without consuming the record: the documents of the
    recorded changes, then the check that every item and dialogue has a current document. Returns
    (documents written for recorded changes, documents the check repaired)."""
    return _write_documents(_pending())


def _write_documents(rows: list) -> tuple[int, int]:
    """The documents of these recorded changes, then the check that every item and dialogue has a
    current one, the table analysed after a large write: (documents written, documents repaired)."""
    written = _index(rows)
    repaired = documents.catch_up()
    bulk.analyze([SearchDocument], written + repaired)
    return written, repaired


def _embedder():
    from hrtrack.nlp.embeddings import ModelError, get_embedder

    try:
        return get_embedder()
    except ModelError:
        return None


def _embeddings_incomplete() -> bool:
    """Whether some item has no stored embedding (a model installed after the items came, a store
    left by another database)."""
    from hrtrack.nlp.similar import EmbeddingStore

    stored = EmbeddingStore().load()
    have = set(stored[0].tolist()) if stored is not None else set()
    return any(pk not in have for pk in Recommendation.objects.values_list("id", flat=True).iterator(chunk_size=10000))


def sync_derived(progress: Callable[[str], None] | None = None) -> SyncReport:
    """Bring every derived structure up to date from the record of changes, then delete the rows
    read (see the module's docstring). Safe to run at any time, and again after being killed."""
    from hrtrack.nlp.similar import rebuild_links
    from hrtrack.nlp.tasks import suggest_every_scheme

    from .catalog import write_snapshot
    from .semantic import build_semantic_index, index_path

    say = progress or (lambda message: None)
    started = time.monotonic()
    report = SyncReport()
    rows = _pending()
    report.changes = len(rows)

    say(ngettext("Writing the search documents of %(count)s change…",
                 "Writing the search documents of %(count)s changes…", len(rows)) % {"count": number_format(len(rows))})
    report.documents, report.repaired = _write_documents(rows)

    changed = {row[2] for row in rows if row[1] == Change.Subject.ITEM and row[3]}
    dialogues_changed = any(row[1] == Change.Subject.DIALOGUE and row[3] for row in rows)
    present = list(Recommendation.objects.filter(id__in=changed).values_list("id", flat=True)) if changed else []
    if present:
        say(ngettext("Suggesting themes, groups and goals for %(count)s item…",
                     "Suggesting themes, groups and goals for %(count)s items…", len(present))
            % {"count": number_format(len(present))})
        report.suggested = suggest_every_scheme(item_ids=present)

    embedder = _embedder()
    if embedder is None:
        report.skipped.append(_("No embedding model: similar links and the semantic index were left as they are."))
    else:
        if changed or _embeddings_incomplete():
            report.links = rebuild_links(embed=embedder.encode, progress=say).as_dict()
        if report.links is not None or dialogues_changed or not index_path().exists():
            say(_("Building the semantic index…"))
            report.vectors = build_semantic_index(embed=embedder.encode, progress=say)
    write_snapshot()

    # Last: a run killed before this line leaves the rows for the next one.
    for chunk in _chunks([row[0] for row in rows]):
        Change.objects.filter(id__in=chunk).delete()
    report.seconds = round(time.monotonic() - started, 2)
    return report


@task(queue_name="background")
def sync_derived_job() -> dict:
    """The job queued after every change: :func:`sync_derived`."""
    return sync_derived().as_dict()


def queue_sync() -> bool:
    """Queue :func:`sync_derived_job` unless one is already queued and not started (a running one
    may have read the record before this change). Returns whether it queued one."""
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if isinstance(sync_derived_job.get_backend(), DatabaseBackend) and DBTaskResult.objects.filter(
            task_path=sync_derived_job.module_path, status=TaskResultStatus.READY).exists():
        return False
    sync_derived_job.enqueue()
    return True
