"""The import page's forms: the file a coordinator uploads with its format, and the mapping of a
table's columns to fields, made in the page from the file's own headers."""

import codecs
from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from hrtrack.lib.errors import InvalidInput
from hrtrack.lib.text import fold, squeeze
from hrtrack.recommendations.models import Kind, Response
from hrtrack.taxonomy.models import Concept, ConceptScheme

from ..files import format_limits, max_import_bytes
from ..models import ImportMapping
from ..service import SOURCES
from ..sources.table import FIELD_LABELS, YEAR_ALONE, load_mapping


def upload_help() -> str:
    """The file field's help: the formats and the largest file of each that an import takes."""
    return "; ".join(_("%(formats)s up to %(mb)d MB") % {"formats": formats, "mb": size // 2**20}
                     for formats, size in format_limits().items()) + "."


def _kind_of_upload(name: str) -> str:
    suffix = Path(name).suffix.lower().lstrip(".")
    return suffix if suffix in ("json", "xlsx", "xlsm", "xls", "csv") else "table"


def check_encoding(value: str) -> str:
    """A text encoding Python knows and that turns bytes into text (``zlib``, ``base64`` or
    ``rot13`` are codecs too, of another kind)."""
    value = value.strip()
    if not value:
        return ""
    try:
        info = codecs.lookup(value)
    except LookupError:
        raise forms.ValidationError(_("%(encoding)s is not a text encoding; for example utf-8, latin-1 or "
                                      "mac-roman.") % {"encoding": value}) from None
    if not getattr(info, "_is_text_encoding", True):
        raise forms.ValidationError(_("%(encoding)s is not a text encoding; for example utf-8, latin-1 or "
                                      "mac-roman.") % {"encoding": value})
    return value


class ImportForm(forms.Form):
    """The file to import and its format; for any table, a saved mapping or one written in TOML
    (without either, the columns are mapped in the next page)."""

    source = forms.ChoiceField(label=_("Format"), choices=list(SOURCES.items()))
    file = forms.FileField(label=_("File"))
    saved_mapping = forms.ModelChoiceField(
        label=_("Saved column mapping"), queryset=ImportMapping.objects.all(), required=False,
        empty_label=_("None: map the columns in the next page"),
        help_text=_("Only for “Any CSV or XLSX”: a mapping saved from an earlier file laid out the same way."),
    )
    mapping = forms.CharField(
        label=_("Or a column mapping in TOML"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Only for “Any CSV or XLSX”, as for hrtrack import table --mapping (docs/import-mapping.md). "
                    "Leave empty to map the columns in the page."),
    )
    encoding = forms.CharField(label=_("Text encoding"), required=False, max_length=30,
                               help_text=_("Leave empty for UTF-8; for example latin-1 or mac-roman."))
    skip_invalid = forms.BooleanField(label=_("Import the valid rows even if some are invalid"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = upload_help()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = max_import_bytes(_kind_of_upload(upload.name))
        if upload.size > limit:
            raise forms.ValidationError(_("%(file)s is %(size)d MB; the most one import of it takes is %(limit)d MB.")
                                        % {"file": upload.name, "size": upload.size // 2**20,
                                           "limit": limit // 2**20})
        return upload

    def clean_encoding(self):
        return check_encoding(self.cleaned_data.get("encoding") or "")

    def clean(self):
        data = super().clean()
        text = (data.get("mapping") or "").strip()
        data["mapping"] = ""
        if data.get("source") == "table" and text:
            try:
                load_mapping(text)
            except InvalidInput as error:
                for problem in error.problems:
                    self.add_error("mapping", problem)
            else:
                data["mapping"] = text
        return data


def _column_choices(columns: list[str]) -> list[tuple[str, str]]:
    return [("", _("— none —"))] + [(c, c) for c in columns if c]


#: The choice that says a word of the file means "no response yet".
NO_RESPONSE = "none"


def word_field_name(field: str, word: str) -> str:
    return f"word:{field}:{word}"


class MappingForm(forms.Form):
    """Which of the file's columns holds each field, the values every row shares, the file's own
    words for kinds and responses, and how its dates and lists are written."""

    kind = forms.ChoiceField(label=_("Kind, where no column gives it"), choices=Kind.choices,
                             initial=Kind.RECOMMENDATION)
    mechanism = forms.ChoiceField(label=_("Mechanism, where no column gives it"), required=False)
    separator = forms.CharField(label=_("Between values in one cell"), initial=";", max_length=5, strip=False,
                                help_text=_("Countries or themes in one cell, such as “Mexico; Chile”. A cell "
                                            "with one value a line works too."))
    key = forms.ChoiceField(label=_("A column with the source's own id"), required=False,
                            help_text=_("If the file has one: a row that changes then updates its item."))
    date_order = forms.ChoiceField(
        label=_("Dates such as 03/04/2012"), required=False,
        choices=[("", _("Could be read two ways: report them")), ("day-first", _("Day first (3 April 2012)")),
                 ("month-first", _("Month first (4 March 2012)"))])
    year_alone = forms.BooleanField(label=_("A year alone (2008) dates the item 1 January of that year"),
                                    required=False)
    save_as = forms.CharField(label=_("Save this mapping as"), required=False, max_length=100,
                              help_text=_("A name, to use it again for the next file (an existing name is "
                                          "updated)."))

    def __init__(self, *args, columns: list[str], samples: list | None = None, base: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.file_columns = columns
        self.base = base or {}
        choices = _column_choices(columns)
        self.column_fields = []
        for field, label in FIELD_LABELS.items():
            name = f"column:{field}"
            self.fields[name] = forms.ChoiceField(label=label, choices=choices, required=False)
            self.column_fields.append(self[name])
        self.fields["key"].choices = choices
        self.concept_fields = []
        for scheme in ConceptScheme.objects.exclude(slug="mechanisms").filter(concepts__isnull=False).distinct():
            name = f"concepts:{scheme.slug}"
            self.fields[name] = forms.ChoiceField(label=scheme.name, choices=choices, required=False)
            self.concept_fields.append(self[name])
        mechanisms = Concept.objects.in_scheme("mechanisms").order_by("label_en")
        self.fields["mechanism"].choices = [("", _("— none —"))] + [(c.code, c.label) for c in mechanisms]
        self.word_fields = []
        chosen = self._chosen_columns()
        choose = [("", _("— say what it means —"))]
        for field, choices_of in (("kind", choose + Kind.choices),
                                  ("response", choose + [(NO_RESPONSE, _("No response"))] + Response.choices)):
            column = chosen.get(field)
            if not column:
                continue
            for word in distinct_words(samples or [], column):
                name = word_field_name(field, word)
                self.fields[name] = forms.ChoiceField(label=word, choices=choices_of, required=False)
                self.fields[name].initial = self.initial.get(name) or known_word(field, word)
                self.word_fields.append((field, self[name]))

    def _chosen_columns(self) -> dict[str, str]:
        source = self.data if self.is_bound else self.initial
        return {field: source.get(f"column:{field}") for field in FIELD_LABELS if source.get(f"column:{field}")}

    @staticmethod
    def initial_from(mapping: dict) -> dict:
        """The form's initial values for a mapping (a saved one, or one read from TOML)."""
        initial = {f"column:{field}": column for field, column in (mapping.get("columns") or {}).items()}
        initial.update({f"concepts:{scheme}": column for scheme, column in (mapping.get("concepts") or {}).items()})
        defaults = mapping.get("defaults") or {}
        options = mapping.get("options") or {}
        initial.update({
            "kind": defaults.get("kind", Kind.RECOMMENDATION), "mechanism": defaults.get("mechanism", ""),
            "separator": options.get("separator", ";"), "key": options.get("key", ""),
            "date_order": options.get("date_order", ""), "year_alone": options.get("year_alone") == YEAR_ALONE,
        })
        for field, words in (mapping.get("values") or {}).items():
            for word, value in words.items():
                initial[word_field_name(field, word)] = value or NO_RESPONSE
        return initial

    def mapping(self) -> dict:
        """The mapping the form says, in the shape of a TOML mapping file."""
        data = self.cleaned_data
        columns = {field: data[f"column:{field}"] for field in FIELD_LABELS if data.get(f"column:{field}")}
        concepts = {bound.name.split(":", 1)[1]: data[bound.name] for bound in self.concept_fields
                    if data.get(bound.name)}
        defaults = {"kind": data["kind"]}
        if data.get("mechanism"):
            defaults["mechanism"] = data["mechanism"]
        # The words of the base mapping stay (the next file may use them), those shown are as chosen.
        values = {field: dict(words) for field, words in (self.base.get("values") or {}).items()
                  if isinstance(words, dict)}
        for field, bound in self.word_fields:
            word = bound.name.split(":", 2)[2]
            value = data.get(bound.name) or ""
            for known in list(values.get(field, {})):
                if fold(known) == fold(word):
                    del values[field][known]
            if value and value != known_word(field, word):
                values.setdefault(field, {})[word] = "" if value == NO_RESPONSE else value
        values = {field: words for field, words in values.items() if words}
        options = {"separator": data.get("separator") or ";"}
        for name in ("key", "date_order"):
            if data.get(name):
                options[name] = data[name]
        if data.get("year_alone"):
            options["year_alone"] = YEAR_ALONE
        mapping = {"defaults": defaults, "columns": columns}
        if values:
            mapping["values"] = values
        if concepts:
            mapping["concepts"] = concepts
        mapping["options"] = options
        return mapping


def distinct_words(rows: list, column: str, limit: int = 30) -> list[str]:
    """The different values a column holds in the sampled rows, as the file writes them."""
    words: dict[str, str] = {}
    for row in rows:
        value = row.cells.get(column)
        for element in value if isinstance(value, list) else [value]:
            if element in (None, "") or isinstance(element, dict | list):
                continue
            word = squeeze(str(element))
            if word and fold(word) not in words:
                words[fold(word)] = word
                if len(words) >= limit:
                    return list(words.values())
    return list(words.values())


def known_word(field: str, word: str) -> str:
    """What a word means without being told: a choice's code or its name in English or Spanish."""
    from django.utils import translation

    choices = Kind if field == "kind" else Response
    key = fold(word)
    for choice in choices:
        if key in (fold(choice.value), fold(choice.value.replace("-", " "))):
            return choice.value
        for language in ("en", "es"):
            with translation.override(language):
                if key == fold(str(choice.label)):
                    return choice.value
    return ""
