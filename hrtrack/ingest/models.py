"""Documents the platform has read: statements, reports, export files."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hrtrack.lib.text import is_web_address


class Document(models.Model):
    """A source document: where a dialogue record or a set of recommendations came from."""

    class Kind(models.TextChoices):
        STATEMENT = "statement", _("Statement or press release")
        REPORT = "report", _("Report")
        EXPORT = "export", _("Data export")
        RECORD = "record", _("Structured record")
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    language = models.CharField(_("language"), max_length=8, blank=True)
    symbol = models.CharField(_("document symbol"), max_length=100, blank=True)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="documents/%Y/", blank=True)
    text = models.TextField(_("text"), blank=True)
    sha256 = models.CharField(
        _("checksum"), max_length=64, unique=True, null=True, blank=True,
        help_text=_("sha256 of the content read: the same document is stored once."),
    )
    dialogue = models.ForeignKey(
        "dialogues.Dialogue", verbose_name=_("dialogue"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="documents",
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title

    @property
    def web_url(self) -> str:
        """The address to draw as a link: an http or https one only (an older row, or one written
        around the forms, may hold anything)."""
        return self.url if self.url and is_web_address(self.url) else ""


class ImportRun(models.Model):
    """One import of a file: who started it, from what, how far it got, what it found."""

    class Status(models.TextChoices):
        MAPPING = "mapping", _("Waiting for its column mapping")
        CHECKING = "checking", _("Checking every row")
        PREVIEWED = "previewed", _("Checked, not imported")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed: nothing imported")

    source = models.CharField(_("source format"), max_length=20)
    file_name = models.CharField(_("file"), max_length=300)
    file = models.FileField(_("uploaded file"), upload_to="imports/%Y/", blank=True)
    mapping = models.TextField(_("column mapping"), blank=True)
    skip_invalid = models.BooleanField(_("skip invalid rows"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows processed"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    started_by = models.ForeignKey(
        "accounts.User", verbose_name=_("started by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0


class ImportMapping(models.Model):
    """A column mapping saved under a name, so the next file laid out the same way is mapped in
    one choice (on the import page, or ``hrtrack import table FILE --mapping NAME``).

    ``mapping`` holds what a TOML mapping file holds (docs/import-mapping.md), as JSON."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    mapping = models.JSONField(_("mapping"), default=dict)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")

    def __str__(self) -> str:
        return self.name
