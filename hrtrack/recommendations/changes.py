"""The record of which items and dialogues changed: what the derived data must follow.

Every writer calls :func:`record` inside the transaction that makes the change, so the change and
its record commit together or not at all: a process killed after the commit still leaves the record
behind. A person's edit records through the model signals (``hrtrack.search.signals``); the importer
records in bulk (:func:`collecting`); a restore or any other writer calls :func:`record` itself.

Once such a transaction commits, :data:`committed` is sent; the search app's receiver writes the
search documents of a small change at once (a person's edit shows in search straight after the
save) and queues the job that brings the rest up to date and deletes the record
(``hrtrack.search.tasks``). This module sits with the domain and imports nothing above it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from hrtrack.lib import bulk

from .models import Change

#: Sent after a transaction that recorded changes commits, with ``items`` and ``dialogues``: the ids
#: it recorded to be followed at once (a bulk writer's are not among them: too many to index on the
#: spot, they are left to the job).
committed = Signal()

#: Sent by a door with no worker behind it (the command line) that wants the derived data it needs
#: brought up to date now; each receiver returns a line saying what it did.
follow_up_requested = Signal()

_local = threading.local()


def _state() -> dict:
    if not hasattr(_local, "state"):
        _local.state = {"items": set(), "dialogues": set(), "due": False, "collectors": []}
    return _local.state


def record(items: Iterable[int] = (), dialogues: Iterable[int] = (), *, content: bool = True) -> None:
    """Record, in the current transaction, that these items and dialogues changed.

    ``content=False`` for a change that only their search documents show (a theme confirmed, an
    agency assigned); otherwise (the text, the countries, a new, deleted or restored object) their
    embeddings, links and suggestions follow too. Inside :func:`collecting` the ids are gathered
    and written in one insert at its end.
    """
    items = {int(i) for i in items if i}
    dialogues = {int(d) for d in dialogues if d}
    if not items and not dialogues:
        return
    state = _state()
    if state["collectors"]:
        collector = state["collectors"][-1]
        for key in ((Change.Subject.ITEM, i) for i in items):
            collector[key] = collector.get(key, False) or content
        for key in ((Change.Subject.DIALOGUE, d) for d in dialogues):
            collector[key] = collector.get(key, False) or content
        return
    _write({**{(Change.Subject.ITEM, i): content for i in items},
            **{(Change.Subject.DIALOGUE, d): content for d in dialogues}})
    state["items"] |= items
    state["dialogues"] |= dialogues
    _notify_on_commit()


def _write(changes: dict[tuple[str, int], bool]) -> None:
    now = bulk.adapter(Change, "recorded_at")(timezone.now())
    rows = [(subject, object_id, content, False, now) for (subject, object_id), content in changes.items()]
    bulk.insert(Change, ("subject", "object_id", "content", "indexed", "recorded_at"), rows)


def _notify_on_commit() -> None:
    _state()["due"] = True
    # Scheduled on every call: a rolled-back transaction drops its callback, and what it left
    # noted is sent with the next commit's (a spurious notice only costs a look at the record).
    transaction.on_commit(_send)


def _send() -> None:
    state = _state()
    if not state["due"]:
        return
    items, dialogues = state["items"], state["dialogues"]
    state.update(items=set(), dialogues=set(), due=False)
    committed.send(sender=Change, items=items, dialogues=dialogues)


@contextlib.contextmanager
def collecting(*, in_bulk: bool = False):
    """Gather what :func:`record` is told inside the block and write it in one insert at its end,
    in the same transaction (so use it inside ``transaction.atomic``).

    ``in_bulk``: a bulk writer (an import) whose changes are left to the background job rather
    than indexed as the transaction commits. The job is queued on commit even when nothing
    changed, so that it checks the derived data are complete. Nothing is written if the block
    raises.
    """
    state = _state()
    collector: dict[tuple[str, int], bool] = {}
    state["collectors"].append(collector)
    try:
        yield
    finally:
        state["collectors"].pop()
    if state["collectors"]:  # nested: the outer block writes
        outer = state["collectors"][-1]
        for key, content in collector.items():
            outer[key] = outer.get(key, False) or content
        return
    _write(collector)
    if not in_bulk:
        state["items"] |= {i for subject, i in collector if subject == Change.Subject.ITEM}
        state["dialogues"] |= {d for subject, d in collector if subject == Change.Subject.DIALOGUE}
    _notify_on_commit()


def follow_up_now() -> list[str]:
    """Ask for the derived data to be brought up to date now, where no worker may be running (the
    command line); returns what the receivers did, one line each."""
    return [line for _receiver, line in follow_up_requested.send(sender=Change) if line]
