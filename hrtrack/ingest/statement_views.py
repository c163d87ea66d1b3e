"""Add a statement: upload a file or paste text, check and correct the extracted record, save it
as a dialogue with its commitments. Coordinators and administrators only.

The record goes through ``validate_record`` before it is saved, the same check the CLI and
``hrtrack dialogues load`` use, and each problem is shown next to its field.
"""

import json
import re
from pathlib import Path

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hrtrack.accounts.permissions import staff_required
from hrtrack.dialogues.records import SCALAR_KEYS, save_record, validate_record
from hrtrack.lib.errors import InvalidInput

from .extract import extract
from .extract.extractor import empty_record

#: A source text kept in the review form up to this size; past it, the extracted text is kept.
MAX_KEPT_SOURCE = 1_000_000
LIST_FIELDS = ("parties", "topics", "mechanisms")
JSON_FIELDS = ("participants", "commitments", "people_mentioned")


def _coordinators_only(request) -> None:
    # A statement becomes a dialogue everyone relies on: the national mechanism's staff add it.
    if not request.user.is_coordinator:
        raise PermissionDenied(_("Only coordinators and administrators add statements."))


class StatementSourceForm(forms.Form):
    """The statement: a file, or text pasted from a page."""

    file = forms.FileField(label=gettext_lazy("File"), required=False,
                           help_text=gettext_lazy("Plain text, HTML or PDF, up to 10 MB."))
    text = forms.CharField(label=gettext_lazy("Or paste the text"), required=False,
                           widget=forms.Textarea(attrs={"rows": 12}))
    url = forms.URLField(label=gettext_lazy("Where it was published"), required=False, assume_scheme="https")

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Upload a file or paste the statement's text."))
        return data


class StatementRecordForm(forms.Form):
    """The extracted record as fields a person checks and corrects."""

    language = forms.CharField(label=gettext_lazy("Language"), max_length=2, required=False)
    title = forms.CharField(label=gettext_lazy("Title"), required=False, max_length=500)
    series = forms.CharField(label=gettext_lazy("Series"), required=False, max_length=500)
    edition = forms.IntegerField(label=gettext_lazy("Edition"), required=False, min_value=1)
    date_start = forms.CharField(label=gettext_lazy("First day"), required=False, max_length=10,
                                 help_text=gettext_lazy("YYYY-MM-DD, YYYY-MM, --MM-DD or YYYY"))
    date_end = forms.CharField(label=gettext_lazy("Last day"), required=False, max_length=10)
    venue_country = forms.CharField(label=gettext_lazy("Venue country (ISO code)"), required=False, max_length=2)
    venue_city = forms.CharField(label=gettext_lazy("Venue city"), required=False, max_length=200)
    host = forms.CharField(label=gettext_lazy("Host"), required=False, max_length=300)
    parties = forms.CharField(label=gettext_lazy("Parties"), required=False,
                              help_text=gettext_lazy("Country codes, EU for the European Union, separated by commas."))
    topics = forms.CharField(label=gettext_lazy("Topics"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=gettext_lazy("upr-issues slugs, separated by commas."))
    mechanisms = forms.CharField(label=gettext_lazy("Mechanisms"), required=False,
                                 help_text=gettext_lazy("Codes of international bodies, separated by commas."))
    participants = forms.CharField(label=gettext_lazy("Participants (JSON)"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}))
    commitments = forms.CharField(label=gettext_lazy("Commitments (JSON)"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}))
    people_mentioned = forms.CharField(label=gettext_lazy("People mentioned (JSON)"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}))
    source_text = forms.CharField(required=False, widget=forms.HiddenInput, strip=False)
    source_name = forms.CharField(required=False, widget=forms.HiddenInput)
    source_url = forms.CharField(required=False, widget=forms.HiddenInput)

    @classmethod
    def initial_from(cls, record: dict, **source) -> dict:
        initial = {key: record.get(key) for key in SCALAR_KEYS if key != "schema"}
        for key in LIST_FIELDS:
            initial[key] = ", ".join(record.get(key) or [])
        for key in JSON_FIELDS:
            initial[key] = json.dumps(record.get(key) or [], ensure_ascii=False, indent=1)
        initial.update(source)
        return initial

    def clean(self):
        data = super().clean()
        record = empty_record()
        for key in SCALAR_KEYS:
            if key != "schema":
                value = data.get(key)
                record[key] = value if value not in ("", None) else None
        for key in ("language", "venue_country"):
            if record[key]:
                record[key] = record[key].strip()
        if record["venue_country"]:
            record["venue_country"] = record["venue_country"].upper()
        for key in LIST_FIELDS:
            codes = [c.strip() for c in re.split(r"[,\s]+", data.get(key) or "") if c.strip()]
            record[key] = sorted(set(c.upper() for c in codes)) if key == "parties" else sorted(set(codes))
        for key in JSON_FIELDS:
            text = (data.get(key) or "").strip() or "[]"
            try:
                record[key] = json.loads(text)
            except json.JSONDecodeError as error:
                self.add_error(key, _("Not valid JSON: %(error)s") % {"error": error})
        if self.errors:
            return data
        for problem in validate_record(record):
            field = _field_of(problem)
            self.add_error(field if field in self.fields else None, problem)
        data["record"] = record
        return data


def _field_of(problem: str) -> str | None:
    """The field a validate_record problem is about: the record key it starts with."""
    match = re.match(r"^(\w+)", problem)
    key = match.group(1) if match else ""
    if key in ("date", "schema"):
        return "date_end" if "date_end" in problem else None
    return key


def _source_of(form: StatementSourceForm) -> tuple[bytes | str, str]:
    upload = form.cleaned_data.get("file")
    if upload:
        return upload.read(), Path(upload.name).name
    return form.cleaned_data["text"], _("pasted text")


@staff_required
def statement_new(request):
    """Step 1: the statement. Step 2 (a POST with ``step=review``): the record, checked, then saved."""
    _coordinators_only(request)
    if request.method == "POST" and request.POST.get("step") == "review":
        return _review(request)
    form = StatementSourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        source, name = _source_of(form)
        try:
            result = extract(source, name)
        except InvalidInput as error:
            for problem in error.problems:
                form.add_error("file" if form.cleaned_data.get("file") else "text", problem)
        else:
            statement = result.statement
            kept = statement.source_text if len(statement.source_text) <= MAX_KEPT_SOURCE else statement.text
            record_form = StatementRecordForm(initial=StatementRecordForm.initial_from(
                result.record, source_text=kept, source_name=name, source_url=form.cleaned_data.get("url") or "",
            ))
            return render(request, "ingest/statement_review.html", {
                "form": record_form, "warnings": result.warnings, "statement_text": statement.text,
                "source_name": name,
            })
    return render(request, "ingest/statement_new.html", {"form": form})


def _review(request):
    form = StatementRecordForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            report = save_record(data["record"], source_title=data.get("source_name") or "",
                                 source_text=data.get("source_text") or "", source_url=data.get("source_url") or "")
        except InvalidInput as error:
            for problem in error.problems:
                form.add_error(None, problem)
        else:
            return redirect(reverse("portal:dialogue", args=[report.dialogue.pk]))
    return render(request, "ingest/statement_review.html", {
        "form": form, "warnings": [], "statement_text": form.data.get("source_text", ""),
        "source_name": form.data.get("source_name", ""),
    }, status=400 if request.method == "POST" else 200)


@require_POST
@staff_required(json=True)
def statement_extract_json(request):
    """The JSON twin: POST a file (``file``) or text (``text``), get ``{"record", "warnings"}``."""
    if not request.user.is_coordinator:
        return JsonResponse({"error": _("Only coordinators and administrators add statements.")}, status=403)
    form = StatementSourceForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"error": " ".join(e for errors in form.errors.values() for e in errors)}, status=400)
    source, name = _source_of(form)
    try:
        result = extract(source, name)
    except InvalidInput as error:
        return JsonResponse({"error": "; ".join(error.problems)}, status=400)
    return JsonResponse({"record": result.record, "warnings": result.warnings})
