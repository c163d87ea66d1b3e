"""What people type into the follow-up's forms, checked once for the pages and the JSON twins
alike: a progress report with its evidence and indicator values, a report sent back with its
reason, the version a step was taken at, and a coordinator's change to an assignment.

Every form that changes a versioned object carries the ``version`` it was loaded at (a hidden
field), so that a save over someone else's is a conflict (:func:`.workflow.save_versioned`).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from hrtrack.lib.files import check_upload
from hrtrack.lib.text import is_web_address
from hrtrack.lib.web import WEB_ADDRESS_ERROR, BoundedIntegerField

from . import rules
from .models import Assignment, Deadline, ImplementationStatus, Indicator

#: The most links one report's form takes at once (one a line).
MAX_LINKS = 50
MAX_FILES = 20


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one ``<input type="file" multiple>``: a list, empty when none was chosen."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(upload, initial) for upload in files]


class VersionForm(forms.Form):
    """A step taken on what the person saw: submitting, validating, ending an assignment."""

    version = BoundedIntegerField(widget=forms.HiddenInput, min_value=0, error_messages={
        "required": _("The form did not say which version you saw: reload the page and try again.")})

    def cleaned_version(self) -> int | None:
        """The version sent, if it is a number (to tell a conflict from a refusal before the rest is checked)."""
        return self.cleaned_data["version"] if self.is_valid() else None


class ReturnForm(VersionForm):
    """A submitted report sent back to its focal points, with what to correct."""

    reason = forms.CharField(
        label=_("What should be corrected"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
        error_messages={"required": _("Say why the report goes back: its focal points will read it.")},
        help_text=_("The focal points see this on the report and when they correct it."))


class AssignmentEditForm(VersionForm):
    """A coordinator's change to an assignment: the agency's role and what is expected of it."""

    role = forms.ChoiceField(label=_("Role"), choices=Assignment.Role.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=5000, help_text=_("What the coordinator expects of the agency."))


class ReportForm(forms.Form):
    """A progress report on ``assignment``: a new one, or a draft or returned one being corrected
    (``report``, whose version the form carries). Besides the report's own fields it takes new
    evidence (files and links) and a value for each of the item's indicators that ``user`` may
    record."""

    version = BoundedIntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    status = forms.ChoiceField(label=_("Implementation status"), choices=ImplementationStatus.choices)
    narrative = forms.CharField(label=_("What was done"), required=False, max_length=20000,
                                widget=forms.Textarea(attrs={"rows": 8}))
    period_start = forms.DateField(label=_("Period from"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    period_end = forms.DateField(label=_("Period to"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    deadline = forms.ModelChoiceField(label=_("Answers the deadline"), queryset=Deadline.objects.none(),
                                      required=False, empty_label=_("None"))
    evidence_files = MultipleFileField(
        label=_("Evidence files"), required=False,
        help_text=_("PDF, images, office documents or plain text; you may choose several."))
    evidence_links = forms.CharField(
        label=_("Evidence links"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One address a line, starting with http:// or https://; words after the address describe it."))
    observed_on = forms.DateField(
        label=_("Date of the indicator values"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave it empty for the end of the period (or today)."))

    def __init__(self, *args, assignment: Assignment, user, report=None, **kwargs):
        blank = not kwargs.get("data") and not (args and args[0])
        if report is not None and blank:
            kwargs.setdefault("initial", {
                "version": report.version, "status": report.status, "narrative": report.narrative,
                "period_start": report.period_start, "period_end": report.period_end,
                "deadline": report.deadline_id})
        elif report is None and blank:
            # A new report answers the assignment's next unmet report deadline unless the focal
            # point says otherwise: left at "None", the deadline would stay overdue after it.
            next_due = (assignment.deadlines.unmet().filter(kind=Deadline.Kind.REPORT)
                        .order_by("due_on", "pk").values_list("pk", flat=True).first())
            if next_due is not None:
                kwargs.setdefault("initial", {"deadline": next_due})
        super().__init__(*args, **kwargs)
        self.assignment, self.report = assignment, report
        self.fields["deadline"].queryset = assignment.deadlines.order_by("due_on", "pk")
        if report is not None:
            self.fields["version"].required = True
            self.fields["version"].error_messages["required"] = gettext_now(
                "The form did not say which version you saw: reload the page and try again.")
        self.indicators = [i for i in Indicator.objects.filter(recommendations=assignment.recommendation_id)
                           .select_related("organization").order_by("name")
                           if rules.can_edit_indicator(user, i)]
        for indicator in self.indicators:
            label = f"{indicator.name} ({indicator.unit})" if indicator.unit else indicator.name
            self.fields[f"indicator_{indicator.pk}"] = forms.DecimalField(
                label=label, required=False, max_digits=18, decimal_places=4)

    def report_fields(self):
        """The report's own fields and its evidence, in order (the indicators come apart)."""
        return [self[name] for name in ("status", "narrative", "period_start", "period_end", "deadline",
                                        "evidence_files", "evidence_links")]

    def indicator_fields(self):
        return [self[f"indicator_{indicator.pk}"] for indicator in self.indicators]

    def clean_evidence_files(self):
        uploads = self.cleaned_data.get("evidence_files") or []
        if len(uploads) > MAX_FILES:
            raise ValidationError(gettext_now("Send at most %(count)s files at once.") % {"count": MAX_FILES})
        problems = []
        for upload in uploads:
            try:
                upload.checked_content_type = check_upload(upload)
            except ValidationError as error:
                problems += error.messages
        if problems:
            raise ValidationError(problems)
        return uploads

    def clean_evidence_links(self):
        links, problems = [], []
        check = URLValidator(schemes=["http", "https"])
        for line in (self.cleaned_data.get("evidence_links") or "").splitlines():
            address, _space, description = line.strip().partition(" ")
            if not address:
                continue
            try:
                if not is_web_address(address) or len(address) > 1000:
                    raise ValidationError(WEB_ADDRESS_ERROR)
                check(address)
            except ValidationError:
                problems.append(gettext_now("%(line)s: %(problem)s") % {"line": address[:200],
                                                                         "problem": WEB_ADDRESS_ERROR})
                continue
            links.append((address, (description.strip() or address)[:500]))
        if len(links) > MAX_LINKS:
            problems.append(gettext_now("Send at most %(count)s links at once.") % {"count": MAX_LINKS})
        if problems:
            raise ValidationError(problems)
        return links

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", gettext_now("The period cannot end before it starts."))
        return data

    # What the views hand to the workflow, once the form is valid.

    def report_values(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(name) for name in ("status", "narrative", "period_start", "period_end", "deadline")}

    def indicator_values(self) -> list[tuple[Indicator, object]]:
        return [(i, self.cleaned_data[f"indicator_{i.pk}"]) for i in self.indicators
                if self.cleaned_data.get(f"indicator_{i.pk}") is not None]

    def observed_on_date(self):
        return self.cleaned_data.get("observed_on") or self.cleaned_data.get("period_end") or timezone.localdate()
