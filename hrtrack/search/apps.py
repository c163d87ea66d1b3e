from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "hrtrack.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # Connects the receivers that keep the search documents in step with the models.
        from . import signals  # noqa: F401
