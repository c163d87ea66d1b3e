from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "hrtrack.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        # Connects the receivers that tell report_progress which job the worker is running.
        from hrtrack.lib import progress  # noqa: F401
