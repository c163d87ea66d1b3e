"""Follow-up: who must act on an item, what they report, and by when.

Who may see and do what is in :mod:`.rules`; the report's steps (draft, submitted, validated,
returned) and the conflict check of two people saving one object are in :mod:`.workflow`.
"""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hrtrack.lib.publishing import Publishable, PublishedQuerySet


class Versioned(models.Model):
    """A model two people may edit at once: ``version`` goes up by one on every save, and a save
    from a form loaded at an older version is a conflict (:func:`.workflow.save_versioned`)."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class AssignmentQuerySet(models.QuerySet):
    def with_latest_status(self) -> "AssignmentQuerySet":
        """Annotate ``latest_status``: the implementation status of the latest validated report."""
        latest = ProgressReport.objects.filter(assignment=models.OuterRef("pk"), state=ProgressReport.State.VALIDATED)
        return self.annotate(latest_status=models.Subquery(
            latest.order_by("-validated_at", "-pk").values("status")[:1]))

    def of_agencies(self, ids) -> "AssignmentQuerySet":
        return self.filter(organization_id__in=ids)


class Assignment(Versioned):
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
    note = models.TextField(_("note"), blank=True, help_text=_("What the coordinator expects of the agency."))
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[focal_points])
    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["role", "organization__name"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "organization"], name="agency_assigned_once_per_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"

    def get_absolute_url(self) -> str:
        return reverse("followup:assignment", args=[self.pk])

    def latest_validated(self) -> "ProgressReport | None":
        return self.reports.filter(state=ProgressReport.State.VALIDATED).order_by("-validated_at", "-pk").first()

    def as_json(self, absolute) -> dict:
        return {
            "id": self.pk,
            "url": absolute(self.get_absolute_url()),
            "item": self.recommendation_id,
            "agency": self.organization.as_json(),
            "role": self.role,
            "note": self.note,
            "version": self.version,
            "assigned_at": self.created_at.isoformat(),
            "latest_status": getattr(self, "latest_status", None),
        }


class ImplementationStatus(models.TextChoices):
    NOT_STARTED = "not-started", _("Not started")
    IN_PROGRESS = "in-progress", _("In progress")
    PARTIALLY_IMPLEMENTED = "partially-implemented", _("Partially implemented")
    IMPLEMENTED = "implemented", _("Implemented")
    NOT_APPLICABLE = "not-applicable", _("Not applicable")


class ProgressReportQuerySet(PublishedQuerySet):
    def validated(self) -> "ProgressReportQuerySet":
        return self.filter(state=ProgressReport.State.VALIDATED)

    def waiting(self) -> "ProgressReportQuerySet":
        """Submitted, waiting for the agency's validator."""
        return self.filter(state=ProgressReport.State.SUBMITTED)


class ProgressReport(Publishable, Versioned):
    """What an agency reports on an assignment for a period. Public only once validated.

    Its steps: draft → submitted → validated, or returned with a reason → corrected → submitted
    again (:mod:`.workflow`). Only a validated report counts towards its item's status.
    """

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
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("returned by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    deadline = models.ForeignKey(
        "Deadline", verbose_name=_("answers the deadline"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="reports",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()
    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
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

    def get_absolute_url(self) -> str:
        return reverse("followup:report", args=[self.pk])

    @property
    def editable(self) -> bool:
        """A draft or a returned report can still be changed; a submitted or validated one cannot."""
        return self.state in (self.State.DRAFT, self.State.RETURNED)

    @property
    def ever_validated(self) -> bool:
        """Validated, now or once (a report keeps its ``validated_at``). The search reads validated
        reports only, so a report never validated (a draft, a submission, its evidence) changes no
        derived data: saving one (a focal point's every save of a draft) records no change."""
        return self.state == self.State.VALIDATED or self.validated_at is not None

    def as_json(self, absolute) -> dict:
        return {
            "id": self.pk,
            "url": absolute(self.get_absolute_url()),
            "assignment": self.assignment_id,
            "item": self.assignment.recommendation_id,
            "agency": self.assignment.organization.as_json(),
            "state": self.state,
            "status": self.status,
            "narrative": self.narrative,
            "period_start": self.period_start.isoformat() if self.period_start else None,
            "period_end": self.period_end.isoformat() if self.period_end else None,
            "deadline": self.deadline_id,
            "return_reason": self.return_reason,
            "submitted_at": self.submitted_at.isoformat() if self.submitted_at else None,
            "validated_at": self.validated_at.isoformat() if self.validated_at else None,
            "returned_at": self.returned_at.isoformat() if self.returned_at else None,
            "version": self.version,
            "evidence": [e.as_json(absolute) for e in self.evidence.all()],
            "indicator_values": [v.as_json() for v in self.indicator_values.all()],
        }


class Evidence(Publishable):
    """A file or link that shows what a progress report claims."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="evidence"
    )
    description = models.CharField(_("description"), max_length=500)
    file = models.FileField(_("file"), upload_to="evidence/%Y/", blank=True, max_length=300)
    file_name = models.CharField(_("file name"), max_length=255, blank=True,
                                 help_text=_("The name the file had when it was uploaded."))
    content_type = models.CharField(_("type"), max_length=100, blank=True,
                                    help_text=_("Read from the file's content, not its name."))
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    sha256 = models.CharField(_("sha256"), max_length=64, blank=True)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    history = HistoricalRecords()
    objects = PublishedQuerySet.as_manager()

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

    def get_absolute_url(self) -> str:
        """The file, behind the report's permission check; a link is its own address."""
        if self.file:
            return reverse("followup:evidence", args=[self.report_id, self.pk])
        return self.url

    def as_json(self, absolute) -> dict:
        return {
            "id": self.pk,
            "description": self.description,
            "url": absolute(self.get_absolute_url()) if self.file else self.url,
            "file_name": self.file_name,
            "content_type": self.content_type,
            "size": self.size,
        }


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

    def get_absolute_url(self) -> str:
        return reverse("followup:indicator", args=[self.pk])

    def as_json(self, absolute, values=None) -> dict:
        def number(value):
            return None if value is None else float(value)

        return {
            "id": self.pk,
            "url": absolute(self.get_absolute_url()),
            "name": self.name,
            "unit": self.unit,
            "baseline": number(self.baseline),
            "target": number(self.target),
            "target_date": self.target_date.isoformat() if self.target_date else None,
            "agency": self.organization.as_json() if self.organization_id else None,
            "values": [v.as_json() for v in (self.values.all() if values is None else values)],
        }


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

    def as_json(self) -> dict:
        return {"indicator": self.indicator_id, "date": self.observed_on.isoformat(), "value": float(self.value),
                "report": self.report_id, "source": self.source}


class ReportingCycle(models.Model):
    """A round of reporting with one due date for many assignments: the UPR mid-term report,
    the next round of a dialogue. Its deadlines are the assignments' own (:class:`Deadline`)."""

    class Kind(models.TextChoices):
        UPR_MIDTERM = "upr-midterm", _("UPR mid-term report")
        DIALOGUE_ROUND = "dialogue-round", _("Next round of a dialogue")
        TREATY_BODY = "treaty-body", _("Treaty body report")
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    due_on = models.DateField(_("due on"))
    series = models.ForeignKey(
        "dialogues.DialogueSeries", verbose_name=_("dialogue series"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="reporting_cycles",
    )
    remind_days_before = models.PositiveSmallIntegerField(_("remind days before"), default=14)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("reporting cycle")
        verbose_name_plural = _("reporting cycles")

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on})"

    def get_absolute_url(self) -> str:
        return reverse("followup:cycle", args=[self.pk])


class DeadlineQuerySet(models.QuerySet):
    def with_state(self, today: datetime.date | None = None) -> "DeadlineQuerySet":
        """Annotate ``met``, ``overdue`` and ``due_soon``, computed, never typed.

        A report deadline is met once a report answering it is submitted or validated; an
        implementation deadline (an item's own date) once a validated report on the item says
        implemented or not applicable. An unmet one is overdue after its date, and due soon
        from ``remind_days_before`` days before it."""
        today = today or timezone.localdate()
        answered = ProgressReport.objects.filter(
            deadline=models.OuterRef("pk"),
            state__in=[ProgressReport.State.SUBMITTED, ProgressReport.State.VALIDATED])
        done = ProgressReport.objects.filter(
            assignment__recommendation=models.OuterRef("recommendation_id"),
            state=ProgressReport.State.VALIDATED,
            status__in=[ImplementationStatus.IMPLEMENTED, ImplementationStatus.NOT_APPLICABLE])
        met = models.Case(
            models.When(kind=Deadline.Kind.IMPLEMENTATION, then=models.Exists(done)),
            default=models.Exists(answered), output_field=models.BooleanField())
        return self.annotate(met=met).annotate(overdue=models.ExpressionWrapper(
            models.Q(met=False) & models.Q(due_on__lt=today), output_field=models.BooleanField()))

    def unmet(self) -> "DeadlineQuerySet":
        return self.with_state().filter(met=False)

    def overdue(self, today: datetime.date | None = None) -> "DeadlineQuerySet":
        return self.with_state(today).filter(overdue=True)


class Deadline(models.Model):
    """A date by which something is due: an agency's report on an assignment (often one of a
    :class:`ReportingCycle`), or an item's implementation (a commitment's own date)."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Progress report")
        IMPLEMENTATION = "implementation", _("Implementation")

    title = models.CharField(_("what is due"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REPORT)
    due_on = models.DateField(_("due on"))
    cycle = models.ForeignKey(
        ReportingCycle, verbose_name=_("reporting cycle"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="deadlines",
    )
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE,
        null=True, blank=True, related_name="deadlines",
    )
    recommendation = models.ForeignKey(
        "recommendations.Recommendation", verbose_name=_("item"), on_delete=models.CASCADE,
        null=True, blank=True, related_name="deadlines", help_text=_("Set from the assignment when there is one."),
    )
    remind_days_before = models.PositiveSmallIntegerField(_("remind days before"), default=14)
    history = HistoricalRecords()
    objects = DeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "assignment"], condition=models.Q(cycle__isnull=False),
                                    name="one_deadline_per_assignment_in_a_cycle"),
            models.CheckConstraint(
                condition=models.Q(assignment__isnull=False) | models.Q(recommendation__isnull=False),
                name="deadline_is_for_something",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on})"

    def save(self, *args, **kwargs):
        if self.assignment_id and not self.recommendation_id:
            self.recommendation_id = self.assignment.recommendation_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        if self.assignment_id:
            return reverse("followup:assignment", args=[self.assignment_id]) + f"#deadline-{self.pk}"
        return reverse("recommendations:recommendation", args=[self.recommendation_id]) + f"#deadline-{self.pk}"

    def due_soon(self, today: datetime.date | None = None) -> bool:
        """Not met, not overdue, and within ``remind_days_before`` days (needs :meth:`~DeadlineQuerySet.with_state`)."""
        today = today or timezone.localdate()
        return (not self.met and today <= self.due_on
                and self.due_on <= today + datetime.timedelta(days=self.remind_days_before))

    def as_json(self) -> dict:
        return {
            "id": self.pk, "title": self.title, "kind": self.kind, "due_on": self.due_on.isoformat(),
            "assignment": self.assignment_id, "item": self.recommendation_id, "cycle": self.cycle_id,
            "met": getattr(self, "met", None), "overdue": getattr(self, "overdue", None),
            "due_soon": self.due_soon() if hasattr(self, "met") else None,
        }


class ReminderSent(models.Model):
    """That a person was sent a day's reminder digest: at most one each day. The row is written
    before the e-mail goes (and removed if it fails), so two runs at once never both send."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
                             related_name="+")
    day = models.DateField(_("day"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    counts = models.JSONField(_("what it said"), default=dict, blank=True)

    class Meta:
        ordering = ["-day", "user"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_a_person_a_day")]

    def __str__(self) -> str:
        return f"{self.user} ({self.day})"
