from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NlpConfig(AppConfig):
    name = "hrtrack.nlp"
    label = "nlp"
    verbose_name = _("Language models")

    def ready(self) -> None:
        # Connects the receivers that recompute the repeat groups when a person changes an item
        # link. (After an import, hrtrack.search.tasks rebuilds the similar links.)
        from . import signals  # noqa: F401
