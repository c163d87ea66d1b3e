from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NlpConfig(AppConfig):
    name = "hrtrack.nlp"
    label = "nlp"
    verbose_name = _("Language models")

    def ready(self) -> None:
        # Connects the receivers that queue a rebuild of similar items after each import and
        # recompute the repeat groups when a person changes an item link.
        from . import signals, similar_tasks  # noqa: F401
