from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NlpConfig(AppConfig):
    name = "hrtrack.nlp"
    label = "nlp"
    verbose_name = _("Language models")

    def ready(self) -> None:
        # Connects the receiver that queues a rebuild of similar items after each import.
        from . import similar_tasks  # noqa: F401
