"""The database's identity, which every file derived from it in var/ records (docs/similar.md)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class DatabaseIdentity(models.Model):
    """One row: a random UUID made the first time anything derived is built from this database.

    The embeddings, the semantic index and the catalog snapshot in var/ carry it; a file that
    carries another (a fresh database beside an old var/ folder) is rebuilt or ignored.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    uuid = models.UUIDField(_("identity"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("database identity")
        verbose_name_plural = _("database identity")

    def __str__(self) -> str:
        return str(self.uuid)


def database_id(using: str = "default", *, create: bool = True) -> str | None:
    """This database's identity (one indexed query), made now when it has none and ``create``.

    Without ``create`` a database that has none answers None: nothing derived from it exists
    yet, since whatever writes a derived file asks with ``create`` first. Nothing caches it: a
    database emptied and filled again under the same settings is seen at once. The search reads
    it with its freshness check instead (``Catalog.refresh``), at no query of its own.
    """
    if create:
        identity, _created = DatabaseIdentity.objects.using(using).get_or_create(pk=1)
        return str(identity.uuid)
    value = DatabaseIdentity.objects.using(using).filter(pk=1).values_list("uuid", flat=True).first()
    return str(value) if value is not None else None
