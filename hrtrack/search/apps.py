from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "hrtrack.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # Connects the receivers that record what a person's edit changed and follow every
        # recorded change (the search documents now, the rest in hrtrack.search.tasks).
        from . import signals  # noqa: F401
