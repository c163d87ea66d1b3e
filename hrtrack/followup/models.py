"""Follow-up: who must act on an item, what they report, and by when."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Assignment(models.Model):
    """An item given to an agency to act on, as lead or in support."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        SUPPORT = "support", _("Support")

    recommendation = models.ForeignKey(
        "recommendations.Recommendation", verbose_name=_("item"), on_delete=models.CASCADE,
        related_name="assignments",
    )
    organization = models.ForeignKey(
        "directory.Organization", verbose_name=_("agency"), on_delete=models.PROTECT,
        related_name="assignments",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.LEAD)
    focal_points = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("focal points"), blank=True, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[focal_points])

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "organization"], name="agency_assigned_once_per_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"


class ImplementationStatus(models.TextChoices):
    NOT_STARTED = "not-started", _("Not started")
    IN_PROGRESS = "in-progress", _("In progress")
    PARTIALLY_IMPLEMENTED = "partially-implemented", _("Partially implemented")
    IMPLEMENTED = "implemented", _("Implemented")
    NOT_APPLICABLE = "not-applicable", _("Not applicable")


class ProgressReport(models.Model):
    """What an agency reports on an assignment for a period. Public only once validated."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for validation")
        VALIDATED = "validated", _("Validated")
        RETURNED = "returned", _("Returned for changes")

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="reports"
    )
    status = models.CharField(
        _("implementation status"), max_length=30, choices=ImplementationStatus.choices,
        default=ImplementationStatus.NOT_STARTED,
    )
    narrative = models.TextField(_("what was done"), blank=True)
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("validated by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__isnull=True) | models.Q(period_start__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="report_period_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="validated") | models.Q(validated_at__isnull=False),
                name="validated_report_has_validation_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} — {self.get_status_display()}"


class Evidence(models.Model):
    """A file or link that shows what a progress report claims."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="evidence"
    )
    description = models.CharField(_("description"), max_length=500)
    file = models.FileField(_("file"), upload_to="evidence/%Y/", blank=True)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(file="") | ~models.Q(url=""), name="evidence_has_file_or_address"
            ),
        ]

    def __str__(self) -> str:
        return self.description


class Indicator(models.Model):
    """A measure of progress on one or more items, with a baseline and a target."""

    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=18, decimal_places=4, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=4, null=True, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    organization = models.ForeignKey(
        "directory.Organization", verbose_name=_("reported by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="indicators",
    )
    recommendations = models.ManyToManyField(
        "recommendations.Recommendation", verbose_name=_("items"), blank=True, related_name="indicators"
    )
    history = HistoricalRecords(m2m_fields=[recommendations])

    class Meta:
        ordering = ["name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    """One observation of an indicator."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values"
    )
    observed_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    report = models.ForeignKey(
        ProgressReport, verbose_name=_("reported in"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="indicator_values",
    )
    source = models.CharField(_("source"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "observed_on"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "observed_on"], name="one_value_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.observed_on})"


class Deadline(models.Model):
    """A date by which something is due: a report from an agency, an item's implementation."""

    title = models.CharField(_("what is due"), max_length=300)
    due_on = models.DateField(_("due on"))
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE,
        null=True, blank=True, related_name="deadlines",
    )
    recommendation = models.ForeignKey(
        "recommendations.Recommendation", verbose_name=_("item"), on_delete=models.CASCADE,
        null=True, blank=True, related_name="deadlines",
    )
    remind_days_before = models.PositiveSmallIntegerField(_("remind days before"), default=14)
    done = models.BooleanField(_("done"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(assignment__isnull=False) | models.Q(recommendation__isnull=False),
                name="deadline_is_for_something",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on})"
