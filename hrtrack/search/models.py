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
