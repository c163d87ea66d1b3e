"""The statement pages' forms: the statement a coordinator uploads or pastes, and the extracted
record as fields a person checks and corrects before it is saved."""

import json
import re

from django import forms
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy

from hrtrack.ingest.records import SCALAR_KEYS, validate_record
from hrtrack.lib.text import is_web_address
from hrtrack.lib.web import WEB_ADDRESS_ERROR, BoundedIntegerField

from ..extract.extractor import empty_record

LIST_FIELDS = ("parties", "topics", "mechanisms")
JSON_FIELDS = ("participants", "commitments", "people_mentioned")


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
            raise forms.ValidationError(gettext_now("Upload a file or paste the statement's text."))
        return data


class StatementRecordForm(forms.Form):
    """The extracted record as fields a person checks and corrects."""

    language = forms.CharField(label=gettext_lazy("Language"), max_length=2, required=False)
    title = forms.CharField(label=gettext_lazy("Title"), required=False, max_length=500)
    series = forms.CharField(label=gettext_lazy("Series"), required=False, max_length=500)
    edition = BoundedIntegerField(label=gettext_lazy("Edition"), required=False, min_value=1)
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
    source_url = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)

    @classmethod
    def initial_from(cls, record: dict, **source) -> dict:
        initial = {key: record.get(key) for key in SCALAR_KEYS if key != "schema"}
        for key in LIST_FIELDS:
            initial[key] = ", ".join(record.get(key) or [])
        for key in JSON_FIELDS:
            initial[key] = json.dumps(record.get(key) or [], ensure_ascii=False, indent=1)
        initial.update(source)
        return initial

    def clean_source_url(self) -> str:
        # A hidden field comes back as the browser sends it: check it as if it were typed, so
        # that only an http or https address is ever stored and drawn as a link. Said above the
        # form, since a hidden field has no place of its own to show a message.
        url = (self.cleaned_data.get("source_url") or "").strip()
        if url and not is_web_address(url):
            self.add_error(None, forms.ValidationError(WEB_ADDRESS_ERROR, code="invalid"))
            return ""
        return url

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
                self.add_error(key, gettext_now("Not valid JSON: %(error)s") % {"error": error})
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
