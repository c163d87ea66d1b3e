"""Search: saved searches here; the full-text and semantic indexes are described in engine modules."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedSearch(models.Model):
    """A named search a user keeps: the query and filters as the search page's query string."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches", verbose_name=_("owner")
    )
    name = models.CharField(_("name"), max_length=120)
    query_string = models.TextField(_("query string"), blank=True, help_text=_("The search page's parameters."))
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="search_savedsearch_owner_name_unique"),
            models.CheckConstraint(condition=~models.Q(name=""), name="search_savedsearch_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class SearchDocument(models.Model):
    """One searchable thing (an item or a dialogue) as the search sees it: its text and the values
    it is filtered and counted by, copied from the models so that a search reads one table.
    ``published`` copies whether its object is published: anonymous visitors and contributors
    find only those (``hrtrack.followup.publication``), and filter by ``public_statuses``, the
    statuses of the item's public reports, rather than ``statuses``.

    Multi-valued filters (``recipients``, ``themes``...) hold codes separated by spaces. The text
    a person may see only with ``can_see_restricted`` (cases raised, restricted people) is kept
    apart in ``restricted_text``. A deleted object leaves its row behind with ``live`` false until
    the next reindex, so that the search's in-memory copy learns of the deletion by ``version``.
    SQLite indexes the text in the FTS5 table ``search_fts``; PostgreSQL in generated tsvector
    columns (migration 0003), and the filter values in a generated ``filters`` tsvector (migration
    0005). PostgreSQL cannot change the type of a column a generated column reads: a migration that
    alters ``text``, ``restricted_text``, ``language`` or a filter column (a longer ``series``, say)
    must drop the generated column first and add it again after (see those two migrations).
    """

    kind = models.CharField(_("kind"), max_length=20)
    object_id = models.BigIntegerField(_("object id"))
    live = models.BooleanField(_("live"), default=True)
    published = models.BooleanField(
        _("published"), default=False,
        help_text=_("Whether its object is published: anonymous visitors and contributors find the published only."))
    version = models.BigIntegerField(_("version"), db_index=True, help_text=_("When the row was last written (ns)."))
    language = models.CharField(_("language"), max_length=8, default="en")
    title = models.CharField(_("title"), max_length=500, blank=True)
    text = models.TextField(_("text"), blank=True)
    restricted_text = models.TextField(_("restricted text"), blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    session = models.PositiveIntegerField(_("session"), null=True, blank=True)
    cycle = models.PositiveSmallIntegerField(_("cycle"), null=True, blank=True)
    response = models.CharField(_("response"), max_length=20, blank=True)
    action_category = models.PositiveSmallIntegerField(_("action category"), null=True, blank=True)
    series = models.CharField(_("dialogue series"), max_length=120, blank=True)
    recipients = models.TextField(_("recipients"), blank=True)
    recommending_states = models.TextField(_("recommending states"), blank=True)
    mechanisms = models.TextField(_("mechanisms"), blank=True)
    themes = models.TextField(_("themes"), blank=True)
    groups = models.TextField(_("affected groups"), blank=True)
    sdgs = models.TextField(_("SDGs"), blank=True)
    statuses = models.TextField(_("implementation statuses"), blank=True)
    public_statuses = models.TextField(
        _("public implementation statuses"), blank=True,
        help_text=_("The statuses of its public reports (validated and published): what the public filters by."))
    agencies = models.TextField(_("agencies"), blank=True)
    source_updated_at = models.DateTimeField(_("object updated"), null=True, blank=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_once_per_object"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class SearchIndexState(models.Model):
    """One row: the index's generation, raised by each full reindex (the rows' ids change then)."""

    generation = models.PositiveIntegerField(_("generation"), default=0)
    rebuilt_at = models.DateTimeField(_("rebuilt at"), null=True, blank=True)

    class Meta:
        verbose_name = _("search index state")
        verbose_name_plural = _("search index state")

    def __str__(self) -> str:
        return f"generation {self.generation}"
