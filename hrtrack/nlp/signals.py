"""Keep the stored repeat groups in step with the item links a person adds, changes or deletes.

Each save or deletion of an ItemLink (the admin, a cascade from a deleted item) marks the groups
stale; they are recomputed once the transaction commits, however many links it touched.
:func:`hrtrack.nlp.similar.rebuild_links` writes its links in bulk, without signals, and
recomputes the groups itself.
"""

from __future__ import annotations

import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from hrtrack.recommendations.models import ItemLink

_pending = threading.local()


def flush() -> None:
    from .similar import refresh_repeat_groups

    if not getattr(_pending, "stale", False):
        return
    _pending.stale = False
    refresh_repeat_groups()


@receiver([post_save, post_delete], sender=ItemLink, dispatch_uid="nlp.repeat_groups")
def item_link_changed(sender, instance, **kwargs):
    _pending.stale = True
    # Scheduled on every change: a rolled-back transaction drops its callback, and the groups
    # it left stale are recomputed with the next commit's.
    transaction.on_commit(flush)
