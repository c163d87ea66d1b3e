"""What is published: items, dialogues, validated progress reports and their evidence each say
whether, when and by whom (:class:`Publishable`). Anonymous visitors and civil-society
contributors see the published only, on every door (pages, JSON, CSV, search, the API); the
rules of who sees what are in :mod:`hrtrack.followup.publication`, which also publishes.

Restricted data (cases raised, the names of victims and defenders) is never published, whatever
its dialogue's state: the public parts of a published dialogue leave it out.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PublishedQuerySet(models.QuerySet):
    """A queryset mixin: ``.published()`` and ``.unpublished()``."""

    def published(self):
        return self.filter(published_at__isnull=False)

    def unpublished(self):
        return self.filter(published_at__isnull=True)


class Publishable(models.Model):
    """Whether, when and by whom a row was published (``published_at`` is null: not published)."""

    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+", db_index=False,
    )

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
