"""The statement pages' forms: the statement a coordinator uploads or pastes, and the extracted
record as fields a person checks and corrects before it is saved."""

import calendar
import re

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import get_language, get_language_info, gettext_lazy
from django.utils.translation import gettext as gettext_now

from hrtrack.dialogues.models import PARTIAL_DATE, Role
from hrtrack.directory.countries import options_in_language
from hrtrack.directory.models import Country
from hrtrack.ingest.records import MECHANISM_SCHEME, TOPIC_SCHEME, validate_record
from hrtrack.lib.text import fold, is_web_address, squeeze
from hrtrack.lib.web import WEB_ADDRESS_ERROR, BoundedIntegerField
from hrtrack.taxonomy.models import Concept

from ..extract.extractor import empty_record

#: The languages the extractor reads; a record in another keeps its own.
LANGUAGES = ("en", "es", "pt", "fr")
#: Empty rows under the delegation members, commitments and people mentioned, to add one
#: without JavaScript (the page's "Add a row" buttons add more).
EXTRA_ROWS = 2


# A day, a month and a year, any of which may be left empty ------------------------------------


class PartialDateWidget(forms.MultiWidget):
    """Day, month (by name, in the page's language) and year, side by side."""

    template_name = "ingest/widgets/partial_date.html"

    def __init__(self, attrs=None):
        months = [("", gettext_lazy("— month —")), *((str(n), name) for n, name in MONTHS.items())]
        super().__init__([
            forms.NumberInput(attrs={"min": 1, "max": 31, "class": "day", "aria-label": gettext_lazy("Day"),
                                     "placeholder": gettext_lazy("day")}),
            forms.Select(choices=months, attrs={"class": "month", "aria-label": gettext_lazy("Month")}),
            forms.NumberInput(attrs={"min": 1000, "max": 2999, "class": "year", "aria-label": gettext_lazy("Year"),
                                     "placeholder": gettext_lazy("year")}),
        ], attrs)

    def decompress(self, value):
        """``YYYY-MM-DD``, ``YYYY-MM``, ``--MM-DD`` or ``YYYY`` to [day, month, year]."""
        if not value:
            return [None, None, None]
        if value.startswith("--"):
            return [int(value[5:7]), str(int(value[2:4])), None]
        parts = value.split("-")
        return [int(parts[2]) if len(parts) > 2 else None, str(int(parts[1])) if len(parts) > 1 else None,
                int(parts[0])]


class PartialDateField(forms.MultiValueField):
    """A date as statements give it: a day without its year, a month, a year alone. Cleans to the
    ``statement/1`` form (``2014-04-03``, ``--04-03``, ``2014-04``, ``2014``) or None."""

    widget = PartialDateWidget

    def __init__(self, **kwargs):
        fields = (
            forms.IntegerField(required=False, min_value=1, max_value=31,
                               error_messages={"invalid": gettext_lazy("The day is a number from 1 to 31.")}),
            forms.TypedChoiceField(required=False, coerce=int, empty_value=None,
                                   choices=[("", "")] + [(str(n), name) for n, name in MONTHS.items()]),
            forms.IntegerField(required=False, min_value=1000, max_value=2999,
                               error_messages={"invalid": gettext_lazy("The year is a number such as 2016.")}),
        )
        kwargs.setdefault("required", False)
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list:
            return None
        day, month, year = (list(data_list) + [None, None, None])[:3]
        if day is None and month is None and year is None:
            return None
        if day is not None and month is None:
            raise forms.ValidationError(gettext_lazy("Choose the month of this day."))
        if month is not None and day is None and year is None:
            raise forms.ValidationError(gettext_lazy("Give the day or the year of this month."))
        if day is not None:
            last = calendar.monthrange(year or 2000, month)[1]  # 2000: 29 February without a year
            if day > last:
                raise forms.ValidationError(
                    gettext_lazy("%(month)s has no day %(day)s%(in_year)s.") % {
                        "month": MONTHS[month], "day": day, "in_year": f" ({year})" if year else ""})
            return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
        return f"{year:04d}-{month:02d}" if month else f"{year:04d}"


def _chosen_first(options: list[tuple[str, str]], chosen) -> list[tuple[str, str]]:
    """The options with those already chosen at the top, so that a long list shows them at once."""
    chosen = set(chosen or [])
    return [o for o in options if o[0] in chosen] + [o for o in options if o[0] not in chosen]


def country_options() -> list[tuple[str, str]]:
    """Every country and the European Union, named and sorted in the page's language."""
    return options_in_language(Country.objects.values_list("code", "name_en", "name_es"), get_language())


def concept_options(scheme: str) -> list[tuple[str, str]]:
    """A scheme's concepts by their labels in the page's language, sorted as its readers expect."""
    spanish = (get_language() or "").startswith("es")
    rows = Concept.objects.in_scheme(scheme).values_list("code", "label_en", "label_es")
    named = [(code, (label_es if spanish and label_es else label_en)) for code, label_en, label_es in rows]
    return sorted(named, key=lambda option: fold(option[1]))


def language_options(current: str | None) -> list[tuple[str, str]]:
    codes = list(LANGUAGES) + ([current] if current and current not in LANGUAGES else [])
    options = []
    for code in codes:
        try:
            options.append((code, get_language_info(code)["name_translated"]))
        except KeyError:
            options.append((code, code))
    return options


class ChoiceList(forms.CheckboxSelectMultiple):
    """Tick boxes in a scrolling box, those ticked first; a filter box when JavaScript runs."""

    template_name = "ingest/widgets/choice_list.html"


# The statement ---------------------------------------------------------------------------------


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


# The record, as a person checks it ------------------------------------------------------------

CHOOSE_PARTIES = gettext_lazy("Choose the sides of the dialogue among the countries listed.")


class StatementRecordForm(forms.Form):
    """What the statement says about the round, as fields a person checks and corrects."""

    title = forms.CharField(label=gettext_lazy("Title"), required=False, max_length=500,
                            help_text=gettext_lazy("The round's name as the statement gives it."))
    series = forms.CharField(label=gettext_lazy("Series"), required=False, max_length=500,
                             help_text=gettext_lazy("The recurring dialogue's name, without the round's number. "
                                                    "A round of the same parties joins their series whatever "
                                                    "it is called."))
    edition = BoundedIntegerField(label=gettext_lazy("Round number"), required=False, min_value=1,
                                  error_messages={"min_value": gettext_lazy("A round's number is 1 or more.")})
    language = forms.ChoiceField(label=gettext_lazy("Language of the statement"), choices=())
    date_start = PartialDateField(label=gettext_lazy("First day"),
                                  help_text=gettext_lazy("Leave the year empty if the statement does not give it."))
    date_end = PartialDateField(label=gettext_lazy("Last day"),
                                help_text=gettext_lazy("The same as the first day for a one-day meeting."))
    venue_city = forms.CharField(label=gettext_lazy("City"), required=False, max_length=200)
    venue_country = forms.ChoiceField(label=gettext_lazy("Country where it met"), required=False, choices=())
    host = forms.CharField(label=gettext_lazy("Host"), required=False, max_length=300,
                           help_text=gettext_lazy("The body that hosted it, such as the Ministry of Foreign Affairs."))
    parties = forms.MultipleChoiceField(label=gettext_lazy("Parties"), required=False, choices=(), widget=ChoiceList,
                                        error_messages={"invalid_choice": CHOOSE_PARTIES})
    topics = forms.MultipleChoiceField(label=gettext_lazy("Topics discussed"), required=False, choices=(),
                                       widget=ChoiceList)
    mechanisms = forms.MultipleChoiceField(label=gettext_lazy("International bodies referred to"), required=False,
                                           choices=(), widget=ChoiceList)
    published_on = PartialDateField(label=gettext_lazy("Published on"),
                                    help_text=gettext_lazy("The statement's own date, if it has one: it helps to "
                                                           "work out a year the text leaves out."))
    source_text = forms.CharField(required=False, widget=forms.HiddenInput, strip=False)
    source_name = forms.CharField(required=False, widget=forms.HiddenInput)
    source_url = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = self._value("parties") or []
        self.fields["parties"].choices = _chosen_first(country_options(), chosen)
        self.fields["venue_country"].choices = [("", gettext_lazy("— not said —")), *country_options()]
        self.fields["topics"].choices = _chosen_first(concept_options(TOPIC_SCHEME), self._value("topics"))
        self.fields["mechanisms"].choices = _chosen_first(concept_options(MECHANISM_SCHEME),
                                                          self._value("mechanisms"))
        self.fields["language"].choices = language_options(self._value("language"))

    def _value(self, name):
        if self.is_bound:
            return self.data.getlist(name) if hasattr(self.data, "getlist") and name in (
                "parties", "topics", "mechanisms") else self.data.get(name)
        return self.initial.get(name)

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
        if "parties" in data and not data["parties"]:
            self.add_error("parties", gettext_now("Tick the sides of the dialogue: a dialogue has at least one."))
        start, end = data.get("date_start"), data.get("date_end")
        if start and end and len(start) == len(end) and start[:2] == end[:2] and end < start:
            self.add_error("date_end", gettext_now("The last day is before the first day."))
        return data


class RowForm(forms.Form):
    """One row of a list of people or commitments: a row left empty is no row."""

    #: The fields whose being filled makes the row count.
    content_fields: tuple[str, ...] = ()

    def __init__(self, *args, parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.parties = list(parties)
        for field in self.fields.values():
            # In a table the column says what a field is; a screen reader is told by its label.
            field.widget.attrs.setdefault("aria-label", field.label)

    @property
    def is_blank(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not any(data.get(name) for name in self.content_fields)

    def full_clean(self):
        super().full_clean()
        # An empty row is no row: none of its fields' problems matter.
        if self.is_bound and not any(squeeze(str(self.data.get(self.add_prefix(n), ""))) for n in
                                     self.content_fields):
            self._errors = forms.utils.ErrorDict()


class MemberForm(RowForm):
    """A member of a delegation: who, in which post, for which side, leading it or not."""

    content_fields = ("name", "title", "organization")

    name = forms.CharField(label=gettext_lazy("Name"), required=False, max_length=300)
    title = forms.CharField(label=gettext_lazy("Post"), required=False, max_length=300)
    organization = forms.CharField(label=gettext_lazy("Organization"), required=False, max_length=300)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices, initial=Role.MEMBER,
                             error_messages={"invalid_choice": gettext_lazy("Choose head, co-head or member.")})
    party = forms.ChoiceField(label=gettext_lazy("Side"), required=False, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [("", gettext_lazy("— side —")), *self.parties]

    def clean(self):
        data = super().clean()
        if not squeeze(data.get("name")) and (data.get("title") or data.get("organization")):
            self.add_error("name", gettext_now("Give this person's name, or empty the row."))
        if squeeze(data.get("name")) and not data.get("party"):
            self.add_error("party", gettext_now("Choose the side this person was on."))
        return data


class CommitmentForm(RowForm):
    """What a side undertook: the words, who, by when, about what."""

    content_fields = ("text",)

    text = forms.CharField(label=gettext_lazy("Commitment"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    parties = forms.MultipleChoiceField(label=gettext_lazy("Made by"), required=False, choices=(),
                                        widget=forms.CheckboxSelectMultiple,
                                        error_messages={"invalid_choice": CHOOSE_PARTIES})
    due = forms.CharField(label=gettext_lazy("Due"), required=False, max_length=10,
                          help_text=gettext_lazy("A year (2018) or a date (2018-06-30), if the statement sets one."))
    topics = forms.MultipleChoiceField(label=gettext_lazy("Topics"), required=False, choices=(), widget=ChoiceList)

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].choices = self.parties
        chosen = self.data.getlist(self.add_prefix("topics")) if self.is_bound and hasattr(
            self.data, "getlist") else self.initial.get("topics")
        self.fields["topics"].choices = _chosen_first(list(topics), chosen)

    def clean_due(self):
        due = squeeze(self.cleaned_data.get("due"))
        if due and not PARTIAL_DATE.match(due):
            raise forms.ValidationError(gettext_now("Write the due date as a year (2018), a month (2018-06) "
                                                    "or a day (2018-06-30)."))
        return due or None

    def clean(self):
        data = super().clean()
        if squeeze(data.get("text")) and not data.get("parties"):
            self.add_error("parties", gettext_now("Tick the side or sides that made this commitment."))
        return data


class MentionForm(RowForm):
    """Someone the statement names who was not in a delegation (a head of state, a victim)."""

    content_fields = ("name", "title")

    name = forms.CharField(label=gettext_lazy("Name"), required=False, max_length=300)
    title = forms.CharField(label=gettext_lazy("Title or post"), required=False, max_length=300,
                            help_text=gettext_lazy("Someone named without one is restricted: only coordinators "
                                                   "see their name."))

    def clean(self):
        data = super().clean()
        if not squeeze(data.get("name")) and data.get("title"):
            self.add_error("name", gettext_now("Give this person's name, or empty the row."))
        return data


class BaseRows(forms.BaseFormSet):
    def __init__(self, *args, form_kwargs=None, **kwargs):
        super().__init__(*args, form_kwargs=form_kwargs, **kwargs)

    @property
    def filled(self) -> list[forms.Form]:
        """The rows that say something and are not marked to remove, in their order."""
        return [f for f in self.forms if f.is_valid() and not f.is_blank and not f.cleaned_data.get("DELETE")]


def _rows(form, extra):
    return forms.formset_factory(form, formset=BaseRows, extra=extra, can_delete=True, max_num=500,
                                 absolute_max=1000, validate_max=True)


class StatementReview:
    """The whole review: the round's fields, and its delegation members, commitments and people
    mentioned as rows of fields. Every problem is found in one go and shown beside its field."""

    PREFIXES = {"members": MemberForm, "commitments": CommitmentForm, "mentioned": MentionForm}

    def __init__(self, data=None, *, record: dict | None = None, source: dict | None = None, more_rows: int = 0):
        record = record or {}
        initial = None if data is not None else self.initial_from(record, **(source or {}))
        self.form = StatementRecordForm(data, initial=initial)
        chosen = set(self.form._value("parties") or [])
        names = dict(country_options())
        if data is not None:
            # A side a row names stays a choice of its row, even if unticked above (then said so).
            chosen |= {value for key, value in data.items() if re.match(r"^members-\d+-party$", key) and value}
            chosen |= {value for key in data if re.match(r"^commitments-\d+-parties$", key)
                       for value in (data.getlist(key) if hasattr(data, "getlist") else [data[key]])}
        parties = [(code, names[code]) for code in sorted(chosen) if code in names]
        topics = concept_options(TOPIC_SCHEME)
        extra = EXTRA_ROWS + more_rows
        rows = {
            "members": [{k: p.get(k) for k in ("name", "title", "organization", "role", "party")}
                        for p in record.get("participants") or []],
            "commitments": [{"text": c.get("text"), "parties": c.get("parties") or [], "due": c.get("due"),
                             "topics": c.get("topics") or []} for c in record.get("commitments") or []],
            "mentioned": [{"name": p.get("name"), "title": p.get("title")} for p in record.get("people_mentioned")
                          or []],
        }
        self.rows = {}
        for prefix, form_class in self.PREFIXES.items():
            kwargs = {"parties": parties}
            if prefix == "commitments":
                kwargs["topics"] = topics
            formset_class = _rows(form_class, extra)
            if data is not None:
                self.rows[prefix] = formset_class(data, prefix=prefix, form_kwargs=kwargs)
            else:
                self.rows[prefix] = formset_class(initial=rows[prefix], prefix=prefix, form_kwargs=kwargs)
        self.record: dict | None = None

    @staticmethod
    def initial_from(record: dict, **source) -> dict:
        initial = {key: record.get(key) for key in (
            "title", "series", "edition", "language", "date_start", "date_end", "venue_city", "venue_country",
            "host", "parties", "topics", "mechanisms")}
        initial.update(source)
        return initial

    @property
    def members(self):
        return self.rows["members"]

    @property
    def commitments(self):
        return self.rows["commitments"]

    @property
    def mentioned(self):
        return self.rows["mentioned"]

    def is_valid(self) -> bool:
        """Check everything at once (the form, every row, then the record as a whole)."""
        valid = self.form.is_valid()
        for formset in self.rows.values():
            valid = formset.is_valid() and valid
        data = getattr(self.form, "cleaned_data", {})
        parties = set(data.get("parties") or [])
        for row in self.members.filled:
            party = row.cleaned_data.get("party")
            if party and parties and party not in parties:
                row.add_error("party", gettext_now("This side is not among the parties ticked above."))
                valid = False
        for row in self.commitments.filled:
            stray = set(row.cleaned_data.get("parties") or []) - parties
            if stray and parties:
                row.add_error("parties", gettext_now("Only the parties ticked above can make a commitment."))
                valid = False
        if not valid:
            return False
        record = self.build_record()
        problems = validate_record(record)
        for problem in problems:
            # What the fields could not catch (a scheme not loaded): said above the form.
            self.form.add_error(None, problem)
        if problems:
            return False
        self.record = record
        return True

    def build_record(self) -> dict:
        data = self.form.cleaned_data
        record = empty_record(data.get("language"))
        for key in ("title", "series", "venue_city", "host"):
            record[key] = squeeze(data.get(key)) or None
        record["edition"] = data.get("edition")
        record["date_start"] = data.get("date_start")
        record["date_end"] = data.get("date_end") or data.get("date_start")
        record["venue_country"] = data.get("venue_country") or None
        for key in ("parties", "topics", "mechanisms"):
            record[key] = sorted(set(data.get(key) or []))
        record["participants"] = [{
            "name": squeeze(row.cleaned_data["name"]), "party": row.cleaned_data["party"],
            "title": squeeze(row.cleaned_data.get("title")) or None,
            "organization": squeeze(row.cleaned_data.get("organization")) or None,
            "role": row.cleaned_data["role"],
        } for row in self.members.filled]
        record["commitments"] = [{
            "text": squeeze(row.cleaned_data["text"]), "parties": sorted(row.cleaned_data.get("parties") or []),
            "due": row.cleaned_data.get("due"), "topics": sorted(row.cleaned_data.get("topics") or []),
        } for row in self.commitments.filled]
        record["people_mentioned"] = [{
            "name": squeeze(row.cleaned_data["name"]), "title": squeeze(row.cleaned_data.get("title")) or None,
        } for row in self.mentioned.filled]
        return record

    @property
    def error_count(self) -> int:
        count = len(self.form.errors)
        for formset in self.rows.values():
            count += len(formset.non_form_errors()) + sum(
                len(f.errors) for f in formset.forms if not (f.is_bound and f.data.get(f.add_prefix("DELETE"))))
        return count

    @property
    def published_on(self) -> str:
        return self.form.cleaned_data.get("published_on") or ""

